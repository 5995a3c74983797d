/**
 * The worker side of `purenet/worker`: `serve(endpoint)` answers the requests of
 * `workerProtocol.ts` with one training session. Training runs through `train.trainStatesAsync`,
 * so the worker returns to its event loop every few milliseconds and a `pause` takes effect
 * between two steps; frames are posted at most every `frameMs` while playing. The session's
 * results do not depend on when frames are drawn or pauses come: the states are those of
 * `train.fit` with the same seed (the run's key is `random.key(seed)`).
 */
import * as E from 'fp-ts/lib/Either.js'
import { valueAndGrad } from './autodiff/index.js'
import { type Dataset, dataset } from './data/index.js'
import { activeKernels } from './kernels/active.js'
import { decodeModel, encodeModel } from './ioPure.js'
import { grid2d, randomDirection, randomDirections, steps } from './landscape/index.js'
import { mse, sigmoidBinaryCrossEntropy } from './losses/index.js'
import { type AnyLayer, type Layer, fromSpec } from './nn/index.js'
import * as ops from './ops/index.js'
import * as tree from './ops/treeNamespace.js'
import * as optim from './optim/index.js'
import { key } from './random/index.js'
import { type Tensor, item, tensor, toFlatArray } from './tensor/index.js'
import { type Loss, type OptimizerLike, type TrainState, initialState, trainStates, trainStatesAsync } from './train/index.js'
import { type Tree, leaves } from './tree/index.js'
import { type Data, type Frame, type LayerView, type LossName, type OptimizerName, type Reply, type Request, type View, decodeRequest } from './workerProtocol.js'

/** What `serve` needs of a worker's global scope (or of a `MessagePort`). @category worker */
export interface Endpoint {
  readonly postMessage: (message: Reply) => void
  readonly addEventListener: (type: 'message', listener: (event: { readonly data: unknown }) => void) => void
}

/** How a session shares its thread. @category worker */
export interface ServeOptions {
  /** Milliseconds between two frames while playing (default 100). */
  readonly frameMs?: number
  /** Milliseconds of training between two returns to the event loop (default 8). */
  readonly sliceMs?: number
}

type Setup = Extract<Request, { readonly type: 'setup' }>
type Optimizer = OptimizerLike<Tree, unknown>

// A run: everything fixed by `setup` (or `load`), and the state it has reached.
interface Run {
  readonly setup: Setup
  readonly net: Layer<Tree>
  /** The layers of a serial network, to draw its hidden units; undefined for any other architecture. */
  readonly layers: ReadonlyArray<Layer<Tree>> | undefined
  readonly loss: Loss
  readonly optimizer: Optimizer
  readonly train: Dataset
  readonly test: Dataset
  readonly grid: Tensor | undefined
  readonly neuronGrid: Tensor | undefined
  state: TrainState<Tree, unknown>
  /** The weights the run started from (after setup, reset or load). */
  readonly first: Tree
  /** The weights at every frame so far, flattened, oldest first (thinned to at most `maxPath`). */
  path: Float64Array[]
}

const maxPath = 400

const lossOf = (name: LossName): Loss => (name === 'binaryCrossEntropy' ? sigmoidBinaryCrossEntropy : mse)

const optimizerOf = (name: OptimizerName, learningRate: number): Optimizer => {
  switch (name) {
    case 'sgd': return optim.sgd(learningRate) as Optimizer
    case 'momentum': return optim.momentum(learningRate) as Optimizer
    case 'adam': return optim.adam(learningRate) as Optimizer
    case 'rmsprop': return optim.rmsprop(learningRate) as Optimizer
  }
}

const datasetOf = (d: Data, what: string): Dataset => {
  const n = d.y.length
  if (d.x.length !== n * d.features) throw new RangeError(`worker: ${what}.x holds ${d.x.length} numbers, expected ${n} examples × ${d.features} features = ${n * d.features}`)
  if (n === 0) throw new RangeError(`worker: ${what} is empty; give at least one example`)
  return dataset(tensor(Float32Array.from(d.x), { shape: [n, d.features] }), tensor(Float32Array.from(d.y), { shape: [n, 1] }))
}

// The points of a res × res grid over the extent, rows from y0 to y1, as a [res², 2] tensor.
const gridOf = (extent: View['extent'], res: number): Tensor => {
  const [x0, x1, y0, y1] = extent
  const out = new Float32Array(res * res * 2)
  for (let i = 0; i < res; i++) {
    for (let j = 0; j < res; j++) {
      out[2 * (i * res + j)] = x0 + ((x1 - x0) * (j + 0.5)) / res
      out[2 * (i * res + j) + 1] = y0 + ((y1 - y0) * (i + 0.5)) / res
    }
  }
  return tensor(out, { shape: [res * res, 2] })
}

const layersOf = (net: Layer<Tree>): ReadonlyArray<Layer<Tree>> | undefined => {
  const spec = net.spec as { readonly kind: string; readonly layers?: ReadonlyArray<unknown> }
  if (spec.kind !== 'serial' || spec.layers === undefined) return undefined
  const built = spec.layers.map((s) => fromSpec(s))
  return built.every(E.isRight) ? built.map((b) => (b as E.Right<Layer<Tree>>).right) : undefined
}

const flat = (params: Tree): Float64Array => {
  const ls = leaves(params)
  const out = new Float64Array(ls.reduce((n, l) => n + l.size, 0))
  let at = 0
  for (const l of ls) {
    out.set(l.data, at)
    at += l.size
  }
  return out
}

const runOf = (setup: Setup, net: Layer<Tree>, state?: TrainState<Tree, unknown>): Run => {
  const train = datasetOf(setup.train, 'train')
  const test = datasetOf(setup.test, 'test')
  if (net.inSize !== setup.train.features) throw new RangeError(`worker: the network takes ${net.inSize} inputs but the data has ${setup.train.features} features; make the first layer dense(${setup.train.features}, ...)`)
  if (net.outSize !== 1) throw new RangeError(`worker: the network has ${net.outSize} outputs; the worker trains one output (a logit for binaryCrossEntropy, a value for mse)`)
  const optimizer = optimizerOf(setup.optimizer.name, setup.optimizer.learningRate)
  const fresh = initialState({ net, optimizer, key: key(setup.seed) })
  const start = state === undefined ? fresh : Object.freeze({ ...fresh, params: state.params, optState: optimizer.init(state.params), step: state.step })
  const two = setup.train.features === 2
  return {
    setup, net, layers: layersOf(net), loss: lossOf(setup.loss), optimizer, train, test,
    grid: two ? gridOf(setup.view.extent, setup.view.resolution) : undefined,
    neuronGrid: two ? gridOf(setup.view.extent, setup.view.neuronResolution) : undefined,
    state: start,
    first: start.params,
    path: [flat(start.params)],
  }
}

// The options of train.trainStates that continue a run to `epochs`.
const optionsOf = (run: Run, epochs: number) => ({
  net: run.net, loss: run.loss, optimizer: run.optimizer, data: run.train, epochs,
  batchSize: run.setup.batchSize, key: key(run.setup.seed), initialState: run.state,
})

const stepsPerEpoch = (run: Run): number => Math.ceil(run.train.y.shape[0]! / run.setup.batchSize)

const record = (run: Run): void => {
  run.path.push(flat(run.state.params))
  if (run.path.length > maxPath) run.path = run.path.filter((_, i) => i % 2 === 0 || i === run.path.length - 1)
}

// Columns of a [n, units] tensor, each as an array of n numbers.
const columns = (t: Tensor): number[][] => {
  const [n, units] = t.shape as [number, number]
  const d = t.data
  return Array.from({ length: units }, (_, u) => Array.from({ length: n }, (_, i) => d[i * units + u]!))
}

const frameOf = (run: Run, playing: boolean): Frame => {
  const { params } = run.state
  const apply = run.net.apply(params)
  const lossAt = (p: Tree, data: Dataset): Tensor => run.loss(run.net.apply(p)(data.x, { mode: 'eval' }), data.y)
  const [trainLoss, gradients] = valueAndGrad((p: Tree) => lossAt(p, run.train))(params)
  const out = run.grid === undefined ? undefined : apply(run.grid, { mode: 'eval' })
  const neurons: number[][][] = []
  const views: LayerView[] = []
  if (run.layers !== undefined && Array.isArray(params) && Array.isArray(gradients)) {
    let h = run.neuronGrid
    run.layers.forEach((layer, i) => {
      const p = params[i] as Tree
      if (layer.spec.kind === 'dense') {
        if (i > 0 && h !== undefined) neurons.push(columns(h))
        const w = (p as { readonly w: Tensor }).w
        const g = (gradients[i] as { readonly w: Tensor }).w
        views.push({ inSize: layer.inSize, outSize: layer.outSize, weights: Array.from(w.data), gradients: Array.from(g.data) })
      }
      if (h !== undefined) h = layer.apply(p)(h, { mode: 'eval' })
    })
  }
  const field = out === undefined ? [] : Array.from(toFlatArray(run.setup.loss === 'binaryCrossEntropy' ? ops.sigmoid(out) : out))
  return {
    type: 'frame', step: run.state.step, epoch: Math.floor(run.state.step / stepsPerEpoch(run)), playing,
    trainLoss: item(trainLoss), testLoss: item(lossAt(params, run.test)), field, neurons, layers: views,
  }
}

const dot = (a: Float64Array, b: Float64Array): number => {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!
  return s
}

// The two directions of a landscape request's plane, and its steps along each.
const planeOf = (run: Run, request: Extract<Request, { readonly type: 'landscape' }>): { readonly directions: readonly [Tree, Tree]; readonly alphas: number[]; readonly betas: number[] } => {
  const params = run.state.params
  const n = request.resolution
  const span = request.span
  const around = steps(-span, span, n)
  if (request.plane === 'random') return { directions: randomDirections(key(request.seed), params), alphas: around, betas: around }
  const d = tree.sub(run.first, params)
  const dd = item(tree.dot(d, d))
  const r = randomDirection(key(request.seed), params)
  // η: the random direction without its component along δ, as long as δ (or itself when δ = 0)
  const orthogonal = dd === 0 ? r : tree.addScaled(r, d, -item(tree.dot(r, d)) / dd)
  const length = Math.sqrt(item(tree.dot(orthogonal, orthogonal)))
  const e = dd === 0 || length === 0 ? orthogonal : tree.scale(orthogonal, Math.sqrt(dd) / length)
  return { directions: [d, e], alphas: steps(-span / 2, 1 + span / 2, n), betas: around }
}

const landscapeOf = (run: Run, request: Extract<Request, { readonly type: 'landscape' }>): Reply => {
  const params = run.state.params
  const { directions, alphas, betas } = planeOf(run, request)
  const loss = (p: Tree): number => item(run.loss(run.net.apply(p)(run.train.x, { mode: 'eval' }), run.train.y))
  const g = grid2d({ loss, params, directions, alphas, betas })
  // Least-squares coordinates of each recorded point on the plane θ + αδ + βη.
  const [d, e] = [flat(directions[0]), flat(directions[1])]
  const centre = flat(params)
  const [dd, de, ee] = [dot(d, d), dot(d, e), dot(e, e)]
  const det = dd * ee - de * de
  const path = run.path.map((theta): [number, number] => {
    const v = theta.map((x, i) => x - centre[i]!)
    const [vd, ve] = [dot(v, d), dot(v, e)]
    return det === 0 ? [0, 0] : [(ee * vd - de * ve) / det, (dd * ve - de * vd) / det]
  })
  return { type: 'landscape', alphas: [...g.alphas], betas: [...g.betas], losses: g.losses.map((row) => [...row]), path }
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e))

/**
 * Serves one training session on a worker's endpoint (`serve(self)` in the worker's module): it
 * posts `ready` (with the kernels it trains with), decodes every message as a `Request`, and
 * answers with `Reply`s (an `error` reply names a
 * request that could not be decoded or carried out). Training never blocks the worker for more
 * than a slice, so `pause` and the other requests are answered while a run plays.
 * @example // worker.ts: import { serve } from 'purenet/worker'; serve(self)
 * @category worker
 */
export const serve = (endpoint: Endpoint, options: ServeOptions = {}): void => {
  const frameMs = options.frameMs ?? 100
  const sliceMs = options.sliceMs ?? 8
  let run: Run | undefined
  let playing: AbortController | undefined
  const post = (reply: Reply): void => endpoint.postMessage(reply)
  const stop = (): void => {
    playing?.abort(new Error('paused'))
    playing = undefined
  }

  const play = async (r: Run): Promise<void> => {
    stop()
    const controller = new AbortController()
    playing = controller
    let last = performance.now()
    try {
      // as many epochs as a run can have: it stops only when paused, reset or diverged
      for await (const s of trainStatesAsync(optionsOf(r, 1e9), { signal: controller.signal, sliceMs })) {
        r.state = s.state
        if (performance.now() - last >= frameMs) {
          record(r)
          post(frameOf(r, true))
          last = performance.now()
        }
      }
    } catch (e) {
      if (!controller.signal.aborted) post({ type: 'error', request: 'play', message: messageOf(e) })
    }
    if (playing === controller) playing = undefined
    if (run === r) {
      record(r)
      post(frameOf(r, playing !== undefined))
    }
  }

  const handle = (request: Request): void => {
    if (request.type === 'setup') {
      const built = fromSpec(request.net)
      if (E.isLeft(built)) throw new RangeError(`worker: setup.net: ${built.left.message}`)
      stop()
      run = runOf(request, built.right)
      post(frameOf(run, false))
      return
    }
    if (run === undefined) throw new RangeError(`worker: '${request.type}' before 'setup'; send a setup request first`)
    const r = run
    switch (request.type) {
      case 'play':
        void play(r)
        return
      case 'pause':
        stop()
        return
      case 'step': {
        stop()
        const target = r.state.step + request.steps
        for (const s of trainStates(optionsOf(r, Math.ceil(target / stepsPerEpoch(r))))) {
          r.state = s.state
          if (s.state.step >= target) break
        }
        record(r)
        post(frameOf(r, false))
        return
      }
      case 'reset':
        stop()
        run = runOf(r.setup, r.net)
        post(frameOf(run, false))
        return
      case 'landscape':
        post(landscapeOf(r, request))
        return
      case 'save':
        post({ type: 'model', text: encodeModel({ net: r.net as AnyLayer, params: r.state.params, step: r.state.step }) })
        return
      case 'load': {
        const decoded = decodeModel(request.text)
        if (E.isLeft(decoded)) throw new RangeError(decoded.left.message)
        stop()
        const { net, params, step } = decoded.right
        const loaded = net as Layer<Tree>
        run = runOf(r.setup, loaded, { ...r.state, params: params as Tree, step: step ?? 0 })
        post({ type: 'loaded', net: loaded.spec, step: run.state.step })
        post(frameOf(run, false))
        return
      }
    }
  }

  const kernels = activeKernels()
  post({ type: 'ready', kernels: { kind: kernels.kind, reason: kernels.reason } })
  endpoint.addEventListener('message', (event) => {
    const decoded = decodeRequest(event.data)
    if (E.isLeft(decoded)) {
      post({ type: 'error', request: 'unknown', message: decoded.left })
      return
    }
    try {
      handle(decoded.right)
    } catch (e) {
      post({ type: 'error', request: decoded.right.type, message: messageOf(e) })
    }
  })
}
