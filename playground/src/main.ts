// The playground page: it wires the controls, the network editor and diagram (network.ts), the
// views (view.ts), the downloads (exports.ts) and the program panel (program.ts) to a training
// run that a Web Worker (./worker.ts, purenet/worker) carries out. The page never trains: it
// sends requests, decodes the worker's replies with purenet/worker's codecs, and draws the latest
// frame once per animation frame. Play and pause take effect on the page in the click handler:
// once paused, progress frames still in flight are not applied, and the worker is stopped by a
// message (its run's AbortSignal), however busy it is.
import * as E from 'fp-ts/lib/Either.js'
import { activeKernels } from 'purenet/browser'
import { decodeReply } from 'purenet/worker'
import { type Config, hiddenOf, maxLayers, network, neuronResolution, resolution } from './config.js'
import { datasetButtons, renderControls, showTransport } from './controls.js'
import { fromCsvText, generate, splitPoints, type Points } from './datasets.js'
import { $ } from './dom.js'
import { downloadModel, downloadOnnx } from './exports.js'
import { buildNetwork } from './network.js'
import { programSvg } from './program.js'
import { clearCurve, page, replies, send } from './state.js'
import { render } from './view.js'

const showError = (message: string): void => {
  $('error').textContent = message
}

// ---- setting up a run

const points = (): Points => {
  const c = page.config
  return c.dataset === 'csv' && page.csvPoints !== undefined ? page.csvPoints : generate(c.dataset === 'csv' ? 'spirals' : c.dataset, 400, c.noise, c.seed)
}

const requestLandscape = (): void => {
  $('landscape-note').textContent = 'computing the loss landscape…'
  send({ type: 'landscape', plane: 'path', resolution: 21, span: 1, seed: 7 })
}

// The program panel, redrawn for a new network once the user has opened it.
const drawProgram = (): void => {
  const host = $('program')
  try {
    host.innerHTML = programSvg(page.config)
  } catch (e) {
    host.textContent = `the program could not be drawn: ${e instanceof Error ? e.message : String(e)}`
  }
}

const setup = (): void => {
  const c = page.config
  ;[page.train, page.test] = splitPoints(points(), 2)
  page.frame = undefined
  page.landscape = undefined
  clearCurve()
  page.playing = false
  showError('')
  send({
    type: 'setup', net: network(c).spec, loss: 'binaryCrossEntropy',
    optimizer: { name: c.optimizer, learningRate: c.learningRate }, batchSize: c.batchSize, seed: c.seed,
    train: { features: 2, x: [...page.train.x], y: [...page.train.y] }, test: { features: 2, x: [...page.test.x], y: [...page.test.y] },
    view: { extent: [...page.train.extent], resolution, neuronResolution },
  })
  requestLandscape()
  renderControls(change)
  buildNetwork(change)
  if ($('program').childElementCount > 0) drawProgram()
}

function change(edit: Partial<Config>): void {
  page.config = { ...page.config, ...edit }
  setup()
}

// ---- the worker's replies

replies.onmessage = (event: MessageEvent<unknown>) => {
  const decoded = decodeReply(event.data)
  if (E.isLeft(decoded)) {
    showError(decoded.left)
    return
  }
  const r = decoded.right
  switch (r.type) {
    case 'ready': {
      const kinds = activeKernels()
      $('kernels').textContent = `Training in a Web Worker · kernels: ${r.kernels.kind === 'wasm-simd' ? 'WebAssembly SIMD' : r.kernels.kind}${r.kernels.kind === 'wasm-simd' ? '' : ` (${r.kernels.reason})`} · page: ${kinds.kind}`
      $('kernels').title = r.kernels.reason
      break
    }
    case 'frame':
      // what the worker is doing, for whoever watches the page (the button shows the user's intent)
      document.body.dataset['worker'] = r.playing ? 'playing' : 'paused'
      // progress of a run the user has paused: the worker has not seen the pause yet
      if (r.playing && !page.playing) return
      page.frame = r
      if (page.curve.steps.at(-1) !== r.step) {
        page.curve.steps.push(r.step)
        page.curve.train.push(r.trainLoss)
        page.curve.test.push(r.testLoss)
      }
      if (!r.playing && r.step > 0) requestLandscape()
      break
    case 'landscape':
      page.landscape = r
      page.landscapeDirty = true
      break
    case 'model': {
      const error = page.saves.shift() === 'onnx' ? downloadOnnx(r.text) : downloadModel(r.text)
      if (error !== undefined) showError(error)
      break
    }
    case 'loaded': {
      page.playing = false
      showTransport()
      const hidden = hiddenOf(r.net)
      if (hidden === undefined) showError('loaded a model whose architecture the editor cannot show (it is not dense layers with activations); it trains as it is')
      else {
        page.config = { ...page.config, hidden }
        buildNetwork(change)
      }
      clearCurve()
      break
    }
    case 'error':
      showError(`${r.request}: ${r.message}`)
      if (r.request === 'play') {
        page.playing = false // e.g. the training diverged
        showTransport()
      }
      break
  }
  page.dirty = true
}
replies.onerror = (e) => showError(`the worker failed: ${e.message}`)

// ---- wiring

$('play').onclick = () => {
  page.playing = !page.playing
  showTransport()
  send({ type: page.playing ? 'play' : 'pause' })
}
$('step').onclick = () => {
  page.playing = false
  showTransport()
  send({ type: 'step', steps: 1 })
}
$('reset').onclick = () => {
  page.playing = false
  showTransport()
  clearCurve()
  page.landscape = undefined
  send({ type: 'reset' })
  requestLandscape()
}
$('landscape-refresh').onclick = requestLandscape
$('add-layer').onclick = () => { if (page.config.hidden.length < maxLayers) change({ hidden: [...page.config.hidden, { units: 4, activation: page.config.hidden.at(-1)?.activation ?? 'tanh' }] }) }
$('remove-layer').onclick = () => { if (page.config.hidden.length > 0) change({ hidden: page.config.hidden.slice(0, -1) }) }
const noise = $<HTMLInputElement>('noise')
noise.oninput = () => { $('noise-value').textContent = Number(noise.value).toFixed(2) }
noise.onchange = () => change({ noise: Number(noise.value) })
const seed = $<HTMLInputElement>('seed')
seed.onchange = () => change({ seed: Math.max(0, Math.floor(Number(seed.value) || 0)) })
$('download').onclick = () => {
  page.saves.push('json')
  send({ type: 'save' })
}
$('download-onnx').onclick = () => {
  page.saves.push('onnx')
  send({ type: 'save' })
}
$('program-draw').onclick = drawProgram
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
  page.csvPoints = p.right
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
window.onresize = () => buildNetwork(change)

datasetButtons(change)
setup()
requestAnimationFrame(render)
