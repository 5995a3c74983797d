/**
 * Low-dimensional slices of a loss function of the parameters: along one direction (`line1d`),
 * on a plane spanned by two (`grid2d`), and along the segment between two parameter trees
 * (`interpolate`). Each evaluates a pure `loss(params)` at every point, in order, and returns
 * plain numbers shaped for `plot.lossLandscape1d` and `plot.lossLandscape2d`.
 */
import { add, mul } from '../ops/index.js'
import { type Tensor, item, isTensor } from '../tensor/index.js'
import { type Tree, zipWith } from '../tree/index.js'
import type { Dataset } from '../data/index.js'
import type { Loss, Model } from '../train/index.js'

/**
 * A scalar function of the parameters, e.g. the mean loss over a fixed data subset; a number or a
 * scalar tensor.
 * @example
 * ```ts
 * const net = nn.dense(2, 1)
 * const loss: landscape.ParamsLoss<ReturnType<typeof net.init>> = (p) => losses.mse(net.apply(p)(ones([4, 2])), zeros([4, 1]))
 * ```
 * @category model
 */
export type ParamsLoss<P> = (params: P) => number | Tensor

/**
 * A 1-D slice: `losses[i]` is the loss at `alphas[i]`. Spreads into `plot.lossLandscape1d`. @category model
 * @example
 * ```ts
 * const slice: landscape.Landscape1d = { alphas: [-1, 0, 1], losses: [2, 0.5, 1.5] }
 * plot.lossLandscape1d(slice)
 * ```
 */
export interface Landscape1d {
  readonly alphas: ReadonlyArray<number>
  readonly losses: ReadonlyArray<number>
}

/**
 * A 2-D slice: `losses[i][j]` is L(θ + αᵢ δ + βⱼ η); rows follow `alphas`. Spreads into
 * `plot.lossLandscape2d`.
 * @example
 * ```ts
 * const slice: landscape.Landscape2d = { alphas: [0, 1], betas: [0, 1], losses: [[0.5, 1], [1, 2]] }
 * plot.lossLandscape2d(slice)
 * ```
 * @category model
 */
export interface Landscape2d {
  readonly alphas: ReadonlyArray<number>
  readonly betas: ReadonlyArray<number>
  readonly losses: ReadonlyArray<ReadonlyArray<number>>
}

const checkSteps = (op: string, name: string, steps: ReadonlyArray<number>): void => {
  if (steps.length === 0) throw new RangeError(`${op}: ${name} is empty; give at least one step, e.g. ${name}: [-1, -0.5, 0, 0.5, 1]`)
  const bad = steps.findIndex((s) => !Number.isFinite(s))
  if (bad >= 0) throw new RangeError(`${op}: ${name}[${bad}] is ${steps[bad]}; steps must be finite numbers`)
}

const evaluate = <P>(op: string, loss: ParamsLoss<P>, params: P): number => {
  const value = loss(params)
  if (typeof value === 'number') return value
  if (!isTensor(value) || value.size !== 1) throw new TypeError(`${op}: loss must return a number or a scalar tensor${isTensor(value) ? `, got shape [${value.shape.join(', ')}]` : ''}`)
  return item(value)
}

/** θ + s·d, leaf by leaf (s = 0 gives θ exactly). */
const step = <P extends Tree>(op: string, theta: P, d: P, s: number): P => zipWith(theta, d, (x, y) => add(x, mul(y, s)), op)

/**
 * The loss along one direction: L(θ + αδ) for each α of `alphas`.
 * At α = 0 it is the loss at θ exactly (θ + 0·δ = θ bit for bit).
 * @example
 * ```ts
 * const net = nn.dense(2, 1)
 * const params = net.init(random.key(0))
 * const loss = (p: typeof params) => losses.mse(net.apply(p)(tensor([[1, 2]])), tensor([[1]]))
 * const line = landscape.line1d({ loss, params, direction: landscape.randomDirection(random.key(1), params), alphas: landscape.steps(-1, 1, 51) })
 * ```
 * @category slices
 */
export const line1d = <P extends Tree>(options: {
  readonly loss: ParamsLoss<P>
  readonly params: P
  readonly direction: NoInfer<P>
  readonly alphas: ReadonlyArray<number>
}): Landscape1d => {
  const op = 'landscape.line1d'
  checkSteps(op, 'alphas', options.alphas)
  const losses = options.alphas.map((a) => evaluate(op, options.loss, step(op, options.params, options.direction, a)))
  return Object.freeze({ alphas: Object.freeze([...options.alphas]), losses: Object.freeze(losses) })
}

/**
 * The loss on the plane through θ spanned by two directions: L(θ + αδ + βη) for every α of
 * `alphas` and β of `betas`, as rows over α (`losses[i][j]` at (αᵢ, βⱼ)). Li et al. draw
 * 51 × 51 points over [-1, 1]² with filter-normalised directions. At (0, 0) it is the loss at θ
 * exactly, and the row at β = 0 is `line1d` along δ.
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(2, 4), nn.tanh, nn.dense(4, 2))
 * const xs = data.dataset(random.normal(random.key(0), [16, 2]), data.oneHot(Array.from({ length: 16 }, (_, i) => i % 2), 2))
 * const options = { net, loss: losses.softmaxCrossEntropy, optimizer: optim.sgd(0.1), data: xs, epochs: 3, batchSize: 4, key: random.key(1) }
 * const params = net.init(random.key(0))
 * const loss = landscape.datasetLoss({ net, loss: losses.softmaxCrossEntropy, data: xs })
 * const directions = landscape.randomDirections(random.key(2), params)
 * const grid = landscape.grid2d({ loss, params, directions, alphas: landscape.steps(-1, 1, 5), betas: landscape.steps(-1, 1, 5) })
 * ```
 * @category slices
 */
export const grid2d = <P extends Tree>(options: {
  readonly loss: ParamsLoss<P>
  readonly params: P
  readonly directions: readonly [NoInfer<P>, NoInfer<P>]
  readonly alphas: ReadonlyArray<number>
  readonly betas: ReadonlyArray<number>
}): Landscape2d => {
  const op = 'landscape.grid2d'
  checkSteps(op, 'alphas', options.alphas)
  checkSteps(op, 'betas', options.betas)
  const [d1, d2] = options.directions
  const losses = options.alphas.map((a) => {
    const row = step(op, options.params, d1, a)
    return Object.freeze(options.betas.map((b) => evaluate(op, options.loss, step(op, row, d2, b))))
  })
  return Object.freeze({ alphas: Object.freeze([...options.alphas]), betas: Object.freeze([...options.betas]), losses: Object.freeze(losses) })
}

/**
 * The loss along the line through two parameter trees, θ(α) = (1 - α) θ₀ + α θ₁ (Goodfellow et
 * al.'s 1-D interpolation, typically from the initial to the trained parameters; α outside [0, 1]
 * extrapolates). At α = 0 and α = 1 it is exactly the loss at `from` and at `to`.
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(2, 4), nn.tanh, nn.dense(4, 2))
 * const xs = data.dataset(random.normal(random.key(0), [16, 2]), data.oneHot(Array.from({ length: 16 }, (_, i) => i % 2), 2))
 * const options = { net, loss: losses.softmaxCrossEntropy, optimizer: optim.sgd(0.1), data: xs, epochs: 3, batchSize: 4, key: random.key(1) }
 * const initial = net.init(random.key(0))
 * const { state } = train.fit(options)
 * const loss = landscape.datasetLoss({ net, loss: losses.softmaxCrossEntropy, data: xs })
 * landscape.interpolate({ loss, from: initial, to: state.params, alphas: landscape.steps(-0.5, 1.5, 9) })
 * ```
 * @category slices
 */
export const interpolate = <P extends Tree>(options: {
  readonly loss: ParamsLoss<P>
  readonly from: P
  readonly to: NoInfer<P>
  readonly alphas: ReadonlyArray<number>
}): Landscape1d => {
  const op = 'landscape.interpolate'
  checkSteps(op, 'alphas', options.alphas)
  const losses = options.alphas.map((a) =>
    evaluate(op, options.loss, zipWith(options.from, options.to, (x, y) => add(mul(x, 1 - a), mul(y, a)), op)),
  )
  return Object.freeze({ alphas: Object.freeze([...options.alphas]), losses: Object.freeze(losses) })
}

/**
 * `count` evenly spaced steps from `lo` to `hi`, both included, computed as lo + (hi - lo)·i/(n - 1)
 * so that the middle of a symmetric odd grid is exactly 0 (the trained parameters).
 * @example
 * ```ts
 * landscape.steps(-1, 1, 5) // [-1, -0.5, 0, 0.5, 1]
 * ```
 * @category slices
 */
export const steps = (lo: number, hi: number, count: number): number[] => {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`landscape.steps: count must be a positive integer, got ${count}`)
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new RangeError(`landscape.steps: lo and hi must be finite, got ${lo} and ${hi}`)
  if (count === 1) return [lo]
  return Array.from({ length: count }, (_, i) => (i === count - 1 ? hi : lo + ((hi - lo) * i) / (count - 1)))
}

/**
 * The mean loss of a network over a fixed dataset, as a function of the parameters: the usual
 * `loss` of a landscape. Evaluated in one batch, in eval mode.
 * L(θ) = loss(net.apply(θ)(data.x), data.y)
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(2, 4), nn.tanh, nn.dense(4, 2))
 * const xs = data.dataset(random.normal(random.key(0), [16, 2]), data.oneHot(Array.from({ length: 16 }, (_, i) => i % 2), 2))
 * const options = { net, loss: losses.softmaxCrossEntropy, optimizer: optim.sgd(0.1), data: xs, epochs: 3, batchSize: 4, key: random.key(1) }
 * const lossOf = landscape.datasetLoss({ net, loss: losses.softmaxCrossEntropy, data: xs })
 * lossOf(net.init(random.key(0))) // a number: the loss over the whole dataset
 * ```
 * @category slices
 */
export const datasetLoss = <P extends Tree>(options: {
  readonly net: Pick<Model<P>, 'apply'>
  readonly loss: Loss
  readonly data: Dataset
}): ((params: P) => number) => {
  const { net, loss, data } = options
  return (params) => item(loss(net.apply(params)(data.x, { mode: 'eval' }), data.y))
}
