// The playground page: controls, the network editor and diagram, and the views of a training run
// that a Web Worker (./worker.ts, purenet/worker) carries out. The page never trains: it sends
// requests, decodes the worker's replies with purenet/worker's codecs, and draws the latest
// frame once per animation frame.
import * as E from 'fp-ts/lib/Either.js'
import { activeKernels, nn } from 'purenet/browser'
import { type Frame, type OptimizerName, type Reply, type Request, decodeReply } from 'purenet/worker'
import { type DatasetName, type Points, datasetNames, fromCsvText, generate, splitPoints } from './datasets.js'
import * as draw from './draw.js'

const activations = ['relu', 'tanh', 'sigmoid', 'atan', 'softplus', 'elu', 'gelu', 'leakyRelu', 'identity'] as const
type Activation = (typeof activations)[number]
const activationLabel: Record<Activation, string> = {
  relu: 'ReLU', tanh: 'tanh', sigmoid: 'sigmoid', atan: 'arctan', softplus: 'softplus', elu: 'ELU', gelu: 'GELU', leakyRelu: 'leaky ReLU', identity: 'linear',
}
const learningRates = [0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1]
const batchSizes = [1, 4, 10, 16, 32, 64]
const optimizers: ReadonlyArray<OptimizerName> = ['sgd', 'momentum', 'adam', 'rmsprop']
const maxLayers = 6
const maxUnits = 8
const resolution = 50
const neuronResolution = 20

interface Hidden { readonly units: number; readonly activation: Activation }
interface Config {
  readonly dataset: DatasetName | 'csv'
  readonly noise: number
  readonly seed: number
  readonly hidden: ReadonlyArray<Hidden>
  readonly learningRate: number
  readonly batchSize: number
  readonly optimizer: OptimizerName
}

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id)
  if (el === null) throw new Error(`playground: no element #${id} in index.html`)
  return el as T
}

let config: Config = {
  dataset: 'spirals', noise: 0.1, seed: 1,
  hidden: [{ units: 8, activation: 'tanh' }, { units: 6, activation: 'tanh' }],
  learningRate: 0.03, batchSize: 10, optimizer: 'adam',
}
let csvPoints: Points | undefined
let train: Points = { x: [], y: [], extent: [-6, 6, -6, 6] }
let test: Points = train
let frame: Frame | undefined
let dirty = true
let landscapeDirty = false
let playing = false
const curve = { steps: [] as number[], train: [] as number[], test: [] as number[] }
let landscapeReply: Extract<Reply, { type: 'landscape' }> | undefined

const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' })
const send = (request: Request): void => worker.postMessage(request)

const showError = (message: string): void => {
  $('error').textContent = message
}

// ---- the network: its spec from the editor, and the editor from a loaded spec

const netSpec = (c: Config): unknown => {
  const layers: Array<nn.AnyLayer> = []
  let width = 2
  for (const h of c.hidden) {
    layers.push(nn.dense(width, h.units), nn[h.activation])
    width = h.units
  }
  layers.push(nn.dense(width, 1))
  return (nn.serial as (...ls: Array<nn.AnyLayer>) => nn.AnyLayer)(...layers).spec
}

// The hidden layers of a loaded serial spec of dense layers and activations, if it is one.
const hiddenOf = (spec: unknown): Hidden[] | undefined => {
  const s = spec as { kind?: string; layers?: Array<{ kind: string; outSize?: number }> }
  if (s.kind !== 'serial' || s.layers === undefined) return undefined
  const out: Hidden[] = []
  const ls = s.layers
  for (let i = 0; i < ls.length; i++) {
    const l = ls[i]!
    if (l.kind !== 'dense') return undefined
    if (i === ls.length - 1) return out
    const next = ls[i + 1]!
    const activation = (activations as ReadonlyArray<string>).includes(next.kind) ? (next.kind as Activation) : undefined
    if (activation === undefined || l.outSize === undefined) return undefined
    out.push({ units: l.outSize, activation })
    i++
  }
  return undefined
}

// ---- setting up a run

const points = (): Points => (config.dataset === 'csv' && csvPoints !== undefined ? csvPoints : generate(config.dataset === 'csv' ? 'spirals' : config.dataset, 400, config.noise, config.seed))

const setup = (): void => {
  ;[train, test] = splitPoints(points(), 2)
  frame = undefined
  landscapeReply = undefined
  curve.steps = []
  curve.train = []
  curve.test = []
  playing = false
  showError('')
  send({
    type: 'setup', net: netSpec(config), loss: 'binaryCrossEntropy',
    optimizer: { name: config.optimizer, learningRate: config.learningRate }, batchSize: config.batchSize, seed: config.seed,
    train: { features: 2, x: [...train.x], y: [...train.y] }, test: { features: 2, x: [...test.x], y: [...test.y] },
    view: { extent: [...train.extent], resolution, neuronResolution },
  })
  requestLandscape()
  renderControls()
  buildNetwork()
}

const change = (edit: Partial<Config>): void => {
  config = { ...config, ...edit }
  setup()
}

const requestLandscape = (): void => {
  $('landscape-note').textContent = 'computing the loss landscape…'
  send({ type: 'landscape', plane: 'path', resolution: 21, span: 1, seed: 7 })
}

// ---- controls

const options = <T>(select: HTMLSelectElement, values: ReadonlyArray<T>, current: T, label: (v: T) => string, pick: (v: T) => void): void => {
  select.replaceChildren(...values.map((v) => {
    const o = document.createElement('option')
    o.textContent = label(v)
    o.selected = v === current
    return o
  }))
  select.onchange = () => pick(values[select.selectedIndex]!)
}

const renderControls = (): void => {
  options($('learning-rate'), learningRates, config.learningRate, String, (learningRate) => change({ learningRate }))
  options($('batch-size'), batchSizes, config.batchSize, String, (batchSize) => change({ batchSize }))
  options($('optimizer'), optimizers, config.optimizer, (o) => ({ sgd: 'SGD', momentum: 'Momentum', adam: 'Adam', rmsprop: 'RMSprop' })[o], (optimizer) => change({ optimizer }))
  $('layer-count').textContent = String(config.hidden.length)
  for (const b of document.querySelectorAll<HTMLButtonElement>('#datasets button')) b.classList.toggle('selected', b.dataset['dataset'] === config.dataset)
  $('drop').classList.toggle('selected', config.dataset === 'csv')
  $<HTMLButtonElement>('play').textContent = playing ? '❚❚' : '▶'
  $<HTMLButtonElement>('play').classList.toggle('playing', playing)
}

const datasetButtons = (): void => {
  $('datasets').replaceChildren(...datasetNames.map((name) => {
    const b = document.createElement('button')
    b.dataset['dataset'] = name
    b.id = `dataset-${name}`
    b.title = name
    const c = document.createElement('canvas')
    c.width = 90
    c.height = 90
    const p = generate(name, 200, 0.05, 1)
    draw.points(c, p.x, p.y, p.extent, false, 1.8)
    const caption = document.createElement('span')
    caption.textContent = { circle: 'circle', xor: 'XOR', gaussians: 'Gaussians', spirals: 'spirals' }[name]
    b.append(c, caption)
    b.onclick = () => change({ dataset: name })
    return b
  }))
}

// ---- the network diagram

interface Layout {
  readonly columns: ReadonlyArray<{ readonly x: number; readonly nodes: ReadonlyArray<HTMLElement> }>
  readonly centres: ReadonlyArray<ReadonlyArray<readonly [number, number]>>
}
let layout: Layout | undefined

const node = (): HTMLElement => {
  const n = document.createElement('div')
  n.className = 'node'
  const c = document.createElement('canvas')
  c.width = neuronResolution
  c.height = neuronResolution
  n.append(c)
  return n
}

const buildNetwork = (): void => {
  const host = $('network')
  const width = host.clientWidth || 600
  const sizes = [2, ...config.hidden.map((h) => h.units), 1]
  const xs = sizes.map((_, k) => 30 + ((width - 80) * k) / (sizes.length - 1))
  const height = 70 + 44 * Math.max(...sizes)
  host.style.minHeight = `${height}px`
  const edges = document.createElement('canvas')
  edges.id = 'edges'
  edges.width = width * devicePixelRatio
  edges.height = height * devicePixelRatio
  edges.style.width = `${width}px`
  edges.style.height = `${height}px`
  const columns = sizes.map((units, k) => {
    const col = document.createElement('div')
    col.className = 'column'
    col.style.left = `${xs[k]! - 20}px`
    const head = document.createElement('div')
    head.className = 'head'
    if (k === 0) head.textContent = 'features'
    else if (k === sizes.length - 1) head.textContent = 'output'
    else {
      const h = k - 1
      const units = document.createElement('div')
      units.className = 'units'
      const minus = document.createElement('button')
      minus.className = 'round'
      minus.textContent = '−'
      minus.onclick = () => change({ hidden: config.hidden.map((l, i) => (i === h ? { ...l, units: Math.max(1, l.units - 1) } : l)) })
      const plus = document.createElement('button')
      plus.className = 'round'
      plus.textContent = '+'
      plus.onclick = () => change({ hidden: config.hidden.map((l, i) => (i === h ? { ...l, units: Math.min(maxUnits, l.units + 1) } : l)) })
      units.append(minus, plus)
      const count = document.createElement('span')
      count.textContent = `${config.hidden[h]!.units} units`
      const act = document.createElement('select')
      act.setAttribute('aria-label', `activation of hidden layer ${h + 1}`)
      options(act, activations, config.hidden[h]!.activation, (a) => activationLabel[a], (activation) => change({ hidden: config.hidden.map((l, i) => (i === h ? { ...l, activation } : l)) }))
      head.append(units, count, act)
    }
    col.append(head)
    const nodes = Array.from({ length: units }, (_, u) => {
      const n = node()
      if (k === 0) {
        const label = document.createElement('span')
        label.className = 'label'
        label.textContent = `x${u + 1}`
        n.append(label)
      }
      col.append(n)
      return n
    })
    return { x: xs[k]!, nodes }
  })
  host.replaceChildren(edges, ...columns.map((c) => c.nodes[0]!.parentElement!))
  // where each node's centre is, read once (reading it per frame would force a layout per frame)
  const centres = columns.map((c) => c.nodes.map(centre))
  layout = { columns, centres }
  drawInputs()
  dirty = true
}

// The input nodes show x1 and x2 over the plane, the same for every run.
const drawInputs = (): void => {
  if (layout === undefined) return
  const [x0, x1, y0, y1] = train.extent
  const r = neuronResolution
  const fx = Array.from({ length: r * r }, (_, k) => (x0 + ((x1 - x0) * ((k % r) + 0.5)) / r) / Math.max(Math.abs(x0), Math.abs(x1)))
  const fy = Array.from({ length: r * r }, (_, k) => (y0 + ((y1 - y0) * (Math.floor(k / r) + 0.5)) / r) / Math.max(Math.abs(y0), Math.abs(y1)))
  ;[fx, fy].forEach((f, u) => draw.heatMap(layout!.columns[0]!.nodes[u]!.querySelector('canvas')!, f, r, draw.diverging))
}

const centre = (el: HTMLElement): readonly [number, number] => [el.offsetLeft + el.parentElement!.offsetLeft + 20, el.offsetTop + el.parentElement!.offsetTop + 20]

const drawNetwork = (f: Frame): void => {
  if (layout === undefined) return
  const cols = layout.columns
  // neuron views: each hidden unit's output, scaled by the largest magnitude in its layer
  f.neurons.forEach((layer, k) => {
    const top = Math.max(1e-6, ...layer.flat().map(Math.abs))
    layer.forEach((values, u) => {
      const canvas = cols[k + 1]?.nodes[u]?.querySelector('canvas')
      if (canvas) draw.heatMap(canvas, values.map((v) => v / top), neuronResolution, draw.diverging)
    })
  })
  const out = cols[cols.length - 1]?.nodes[0]?.querySelector('canvas')
  if (out && f.field.length > 0) draw.heatMap(out, f.field.map((p) => 2 * p - 1), resolution, draw.diverging)
  // edges: colour the weight's sign, opacity its size, width the gradient's size
  const canvas = $<HTMLCanvasElement>('edges')
  const ctx = canvas.getContext('2d')!
  ctx.setTransform(devicePixelRatio, 0, 0, devicePixelRatio, 0, 0)
  ctx.clearRect(0, 0, canvas.width, canvas.height)
  const gMax = Math.max(1e-9, ...f.layers.flatMap((m) => m.gradients.map(Math.abs)))
  f.layers.forEach((l, k) => {
    const from = layout!.centres[k]
    const to = layout!.centres[k + 1]
    if (from === undefined || to === undefined || from.length !== l.inSize || to.length !== l.outSize) return
    const wMax = Math.max(1e-9, ...l.weights.map(Math.abs))
    for (let i = 0; i < l.inSize; i++) {
      for (let j = 0; j < l.outSize; j++) {
        const w = l.weights[i * l.outSize + j]!
        const g = Math.abs(l.gradients[i * l.outSize + j]!)
        const [ax, ay] = from[i]!
        const [bx, by] = to[j]!
        ctx.beginPath()
        ctx.moveTo(ax + 20, ay)
        ctx.bezierCurveTo((ax + bx) / 2, ay, (ax + bx) / 2, by, bx - 20, by)
        ctx.strokeStyle = w >= 0 ? '#0877bd' : '#f59322'
        ctx.globalAlpha = 0.2 + (0.8 * Math.abs(w)) / wMax
        ctx.lineWidth = 0.6 + 6 * Math.sqrt(g / gMax)
        ctx.stroke()
      }
    }
  })
  ctx.globalAlpha = 1
}

// ---- drawing a frame

const fmt = (v: number): string => (Number.isFinite(v) ? v.toFixed(3) : String(v))

// The data points and axes over the plane, drawn once per dataset and laid over every frame.
let pointsCache: { readonly of: Points; readonly canvas: HTMLCanvasElement } | undefined
const pointsLayer = (): HTMLCanvasElement => {
  if (pointsCache?.of === train) return pointsCache.canvas
  const canvas = document.createElement('canvas')
  canvas.width = 300
  canvas.height = 300
  draw.points(canvas, train.x, train.y, train.extent, false)
  draw.points(canvas, test.x, test.y, test.extent, true)
  draw.axes(canvas, train.extent)
  pointsCache = { of: train, canvas }
  return canvas
}

const render = (): void => {
  requestAnimationFrame(render)
  if (!dirty) return
  dirty = false
  $('play').textContent = playing ? '❚❚' : '▶'
  $('play').classList.toggle('playing', playing)
  const regions = $<HTMLCanvasElement>('regions')
  if (frame !== undefined) {
    $('step-count').textContent = frame.step.toLocaleString('en')
    $('epoch-count').textContent = frame.epoch.toLocaleString('en')
    $('train-loss').textContent = fmt(frame.trainLoss)
    $('test-loss').textContent = fmt(frame.testLoss)
    draw.heatMap(regions, frame.field.map((p) => 2 * p - 1), resolution, (v) => draw.diverging(0.75 * v))
    drawNetwork(frame)
  } else {
    regions.getContext('2d')!.clearRect(0, 0, regions.width, regions.height)
  }
  regions.getContext('2d')!.drawImage(pointsLayer(), 0, 0)
  draw.lossChart($('loss-chart'), curve.steps, curve.train, curve.test)
  if (landscapeReply !== undefined && landscapeDirty) {
    landscapeDirty = false
    draw.landscape($('landscape'), landscapeReply.alphas, landscapeReply.betas, landscapeReply.losses, landscapeReply.path)
    $('landscape-note').textContent = `The loss on the plane through the first weights (□, α = 1) and the current ones (●, α = 0); white: the optimizer's path (${landscapeReply.path.length} points).`
  }
}

worker.onmessage = (event: MessageEvent<unknown>) => {
  const decoded = decodeReply(event.data)
  if (E.isLeft(decoded)) {
    showError(decoded.left)
    return
  }
  const r = decoded.right
  switch (r.type) {
    case 'ready': {
      const page = activeKernels()
      $('kernels').textContent = `Training in a Web Worker · kernels: ${r.kernels.kind === 'wasm-simd' ? 'WebAssembly SIMD' : r.kernels.kind}${r.kernels.kind === 'wasm-simd' ? '' : ` (${r.kernels.reason})`} · page: ${page.kind}`
      $('kernels').title = r.kernels.reason
      break
    }
    case 'frame':
      frame = r
      // what the worker is doing, for whoever watches the page (the button shows the user's intent)
      document.body.dataset['worker'] = r.playing ? 'playing' : 'paused'
      if (curve.steps.at(-1) !== r.step) {
        curve.steps.push(r.step)
        curve.train.push(r.trainLoss)
        curve.test.push(r.testLoss)
      }
      if (!r.playing && r.step > 0) requestLandscape()
      break
    case 'landscape':
      landscapeReply = r
      landscapeDirty = true
      break
    case 'model': {
      const a = document.createElement('a')
      a.href = URL.createObjectURL(new Blob([r.text], { type: 'application/json' }))
      a.download = 'purenet-model.json'
      a.click()
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000)
      break
    }
    case 'loaded': {
      playing = false
      const hidden = hiddenOf(r.net)
      if (hidden === undefined) showError('loaded a model whose architecture the editor cannot show (it is not dense layers with activations); it trains as it is')
      else {
        config = { ...config, hidden }
        buildNetwork()
      }
      curve.steps = []
      curve.train = []
      curve.test = []
      break
    }
    case 'error':
      showError(`${r.request}: ${r.message}`)
      if (r.request === 'play') playing = false // e.g. the training diverged
      break
  }
  dirty = true
}
worker.onerror = (e) => showError(`the worker failed: ${e.message}`)

// ---- wiring

$('play').onclick = () => {
  playing = !playing
  send({ type: playing ? 'play' : 'pause' })
  dirty = true
}
$('step').onclick = () => {
  playing = false
  send({ type: 'step', steps: 1 })
}
$('reset').onclick = () => {
  playing = false
  curve.steps = []
  curve.train = []
  curve.test = []
  landscapeReply = undefined
  send({ type: 'reset' })
  requestLandscape()
}
$('landscape-refresh').onclick = requestLandscape
$('add-layer').onclick = () => { if (config.hidden.length < maxLayers) change({ hidden: [...config.hidden, { units: 4, activation: config.hidden.at(-1)?.activation ?? 'tanh' }] }) }
$('remove-layer').onclick = () => { if (config.hidden.length > 0) change({ hidden: config.hidden.slice(0, -1) }) }
const noise = $<HTMLInputElement>('noise')
noise.oninput = () => { $('noise-value').textContent = Number(noise.value).toFixed(2) }
noise.onchange = () => change({ noise: Number(noise.value) })
const seed = $<HTMLInputElement>('seed')
seed.onchange = () => change({ seed: Math.max(0, Math.floor(Number(seed.value) || 0)) })
$('download').onclick = () => send({ type: 'save' })
const upload = $<HTMLInputElement>('upload-input')
upload.onchange = async () => {
  const file = upload.files?.[0]
  if (file !== undefined) send({ type: 'load', text: await file.text() })
  upload.value = ''
}
const useCsv = async (file: File): Promise<void> => {
  const p = fromCsvText(await file.text())
  if (E.isLeft(p)) {
    showError(`${file.name}: ${p.left}`)
    return
  }
  csvPoints = p.right
  change({ dataset: 'csv' })
}
const csv = $<HTMLInputElement>('csv-input')
csv.onchange = () => {
  const file = csv.files?.[0]
  if (file !== undefined) void useCsv(file)
  csv.value = ''
}
const drop = $('drop')
drop.ondragover = (e) => {
  e.preventDefault()
  drop.classList.add('over')
}
drop.ondragleave = () => drop.classList.remove('over')
drop.ondrop = (e) => {
  e.preventDefault()
  drop.classList.remove('over')
  const file = e.dataTransfer?.files[0]
  if (file !== undefined) void useCsv(file)
}
window.onresize = () => buildNetwork()

datasetButtons()
setup()
requestAnimationFrame(render)
