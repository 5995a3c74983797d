/**
 * The optimizers, each a chain of the transformations in `transforms.ts` and `moments.ts` ending
 * in the learning rate's descent step, as in optax. Their updates are added to the parameters by
 * `applyUpdates`. Every optimizer's state holds its step count (the learning rate's `count`), and
 * hyperparameters are checked when the optimizer is built.
 */
import { chain } from './chain.js'
import type { CountState, EmptyState, GradientTransformation, Optimizer } from './GradientTransformation.js'
import { decayRate, flag } from './hyperparameters.js'
import { type AdamOptions, type AdamState, type RmsState, type StandardDeviationState, type TraceState, adamTransformation, rmsTransformation, standardDeviationTransformation, traceTransformation } from './moments.js'
import type { LearningRate } from './schedules.js'
import { decayedWeightsTransformation, identity, learningRateTransformation } from './transforms.js'

/**
 * Stochastic gradient descent: `w ↦ w - learningRate · g`; the state is the step count.
 * `applyGradients` (and so `train.step`) runs it in one pass per leaf.
 * @example
 * ```ts
 * const opt = optim.sgd(0.1)
 * const params = { w: tensor([1, 2]) }
 * const [updates] = opt.update({ w: tensor([1, 1]) }, opt.init(params), params) // { w: [-0.1, -0.1] }
 * ```
 * @category optimizers
 */
export const sgd = (learningRate: LearningRate): Optimizer<CountState> => learningRateTransformation('optim.sgd', learningRate)

/**
 * Options of `momentum`. @category optimizers
 * @example
 * ```ts
 * const options: optim.MomentumOptions = { beta: 0.9, nesterov: true }
 * optim.momentum(0.01, options)
 * ```
 */
export interface MomentumOptions {
  /** The momentum coefficient β in [0, 1) (default 0.9). */
  readonly beta?: number
  /** Nesterov's accelerated gradient (default false). */
  readonly nesterov?: boolean
}

/**
 * The state of `momentum`: the momentum and the step count. @category model
 * @example
 * ```ts
 * const state: optim.MomentumState = optim.momentum(0.01).init({ w: tensor([1]) })
 * ```
 */
export type MomentumState = readonly [TraceState, CountState]

/**
 * SGD with momentum (PyTorch's `SGD(momentum=β)` without dampening, optax's `sgd(momentum=β)`):
 * `m ↦ g + β·m`, `w ↦ w - learningRate · m`; with Nesterov, `w ↦ w - learningRate · (g + β·m)`.
 * @example
 * ```ts
 * const opt = optim.momentum(0.01, { beta: 0.9, nesterov: true })
 * ```
 * @category optimizers
 */
export const momentum = (learningRate: LearningRate, options: MomentumOptions = {}): Optimizer<MomentumState> => {
  const op = 'optim.momentum'
  const traceOptions = { decay: decayRate(op, 'beta', options.beta ?? 0.9, '0.9 or 0.99'), nesterov: options.nesterov ?? false }
  return chain(traceTransformation(op, traceOptions), learningRateTransformation(op, learningRate))
}

/**
 * The state of `adam`: the moments (with Adam's count) and the learning rate's count. @category model
 * @example
 * ```ts
 * const opt = optim.adam(0.001)
 * const state: optim.AdamOptimizerState = opt.init({ w: tensor([1]) })
 * ```
 */
export type AdamOptimizerState = readonly [AdamState, CountState]

/**
 * Adam (Kingma and Ba, 2015): `w ↦ w - learningRate · mû / (√nû + eps)` with bias-corrected
 * moving averages of the gradient and its square (see `scaleByAdam`). Defaults b1 = 0.9,
 * b2 = 0.999, eps = 1e-8, as everywhere.
 * @example
 * ```ts
 * const opt = optim.adam(0.001)
 * const params = { w: tensor([1, 2]) }
 * const [updates, state] = opt.update({ w: tensor([0.1, -0.1]) }, opt.init(params), params)
 * ```
 * @category optimizers
 */
export const adam = (learningRate: LearningRate, options: AdamOptions = {}): Optimizer<AdamOptimizerState> => {
  const op = 'optim.adam'
  return chain(adamTransformation(op, options), learningRateTransformation(op, learningRate))
}

/**
 * Options of `adamw`. @category optimizers
 * @example
 * ```ts
 * const options: optim.AdamWOptions = { weightDecay: 0.05 }
 * optim.adamw(0.001, options)
 * ```
 */
export interface AdamWOptions extends AdamOptions {
  /** The decoupled weight decay λ ≥ 0 (default 1e-4, as optax; PyTorch's default is 1e-2). */
  readonly weightDecay?: number
}

/**
 * The state of `adamw`. @category model
 * @example
 * ```ts
 * const state: optim.AdamWState = optim.adamw(0.001).init({ w: tensor([1]) })
 * ```
 */
export type AdamWState = readonly [AdamState, EmptyState, CountState]

/**
 * AdamW (Loshchilov and Hutter, 2019): Adam with decoupled weight decay,
 * `w ↦ w - learningRate · (mû / (√nû + eps) + weightDecay · w)`; the decay does not pass through
 * Adam's moments. Equal to `chain(scaleByAdam(o), addDecayedWeights(weightDecay), scaleByLearningRate(learningRate))`.
 * @example
 * ```ts
 * const opt = optim.adamw(0.001, { weightDecay: 0.01 })
 * ```
 * @category optimizers
 */
export const adamw = (learningRate: LearningRate, options: AdamWOptions = {}): Optimizer<AdamWState> => {
  const op = 'optim.adamw'
  return chain(adamTransformation(op, options), decayedWeightsTransformation(op, options.weightDecay ?? 1e-4), learningRateTransformation(op, learningRate))
}

/**
 * Options of `rmsprop`. @category optimizers
 * @example
 * ```ts
 * const options: optim.RmspropOptions = { decay: 0.9 }
 * optim.rmsprop(0.001, options)
 * ```
 */
export interface RmspropOptions {
  /** The decay of the moving average of squared gradients, in [0, 1) (default 0.9). */
  readonly decay?: number
  /** Added to the root, for stability (default 1e-8). */
  readonly eps?: number
  /** Divide by the estimated standard deviation instead of the root mean square (default false). */
  readonly centered?: boolean
  /** Momentum on the scaled steps, in [0, 1); 0 (the default) keeps no momentum. */
  readonly momentum?: number
  /** Nesterov's look-ahead for the momentum (default false). */
  readonly nesterov?: boolean
}

/**
 * The state of `rmsprop`: the averages, the learning rate's count, and the momentum if any. @category model
 * @example
 * ```ts
 * const state: optim.RmspropState = optim.rmsprop(0.001).init({ w: tensor([1]) })
 * ```
 */
export type RmspropState = readonly [RmsState | StandardDeviationState, CountState, TraceState | EmptyState]

/**
 * RMSprop: `nu ↦ decay·nu + (1 - decay)·g²`, `w ↦ w - learningRate · g / (√nu + eps)`
 * (eps outside the root, as PyTorch and Keras); centred, it divides by `√(nu - mu²) + eps` with
 * `mu` the average gradient; with momentum β, the steps `learningRate · g / (√nu + eps)` are
 * accumulated as in PyTorch (`b ↦ β·b + step`). The chain is optax's: scaling, learning rate,
 * then momentum.
 * @example
 * ```ts
 * const opt = optim.rmsprop(0.001)
 * ```
 * @category optimizers
 */
export const rmsprop = (learningRate: LearningRate, options: RmspropOptions = {}): Optimizer<RmspropState> => {
  const op = 'optim.rmsprop'
  const rms = { decay: options.decay ?? 0.9, eps: options.eps ?? 1e-8 }
  const centered = flag(op, 'centered', options.centered ?? false)
  const beta = decayRate(op, 'momentum', options.momentum ?? 0, '0 (no momentum) or 0.9')
  const nesterov = flag(op, 'nesterov', options.nesterov ?? false)
  if (nesterov && beta === 0) throw new RangeError(`${op}: nesterov needs a momentum; set momentum (e.g. 0.9) or drop nesterov`)
  // The three slots hold one of two transformations each; the state type is the union.
  const scaling = (centered ? standardDeviationTransformation(op, rms) : rmsTransformation(op, rms)) as GradientTransformation<RmsState | StandardDeviationState>
  const accumulation = (beta > 0 ? traceTransformation(op, { decay: beta, nesterov }) : identity()) as GradientTransformation<TraceState | EmptyState>
  return chain(scaling, learningRateTransformation(op, learningRate), accumulation)
}
