/**
 * The transformations that keep moving averages of the updates, shaped like the parameters:
 * `trace` (momentum), `scaleByAdam`, `scaleByRms` and `scaleByStandardDeviation` (centred
 * RMSprop). Their states are frozen records of trees initialised to zeros of the parameters'
 * shapes and dtypes.
 * Each declares its math once, as an element-wise rule in tensor ops (`LeafRule.ts`); the
 * per-step scalars (Adam's bias corrections) are computed from the count in `begin` and reach the
 * ops as arguments, so a compiled step takes them as inputs of its program.
 */
import { add, div, maximum, mul, sqrt, sub } from '../ops/index.js'
import { type Tree, zerosLike } from '../tree/index.js'
import { type GradientTransformation, countOf, ruleTransformation } from './GradientTransformation.js'
import { decayRate, flag, nonNegative } from './hyperparameters.js'
import type { LeafRule, MapStep } from './LeafRule.js'

/**
 * The state of `trace`: the running momentum. @category model
 * @example
 * ```ts
 * const state: optim.TraceState = optim.trace().init({ w: tensor([1]) })
 * ```
 */
export type TraceState = {
  readonly trace: Tree
}

/**
 * Options of `trace`. @category transformations
 * @example
 * ```ts
 * const options: optim.TraceOptions = { decay: 0.9, nesterov: false }
 * optim.trace(options)
 * ```
 */
export interface TraceOptions {
  /** The momentum coefficient β in [0, 1) (default 0.9). */
  readonly decay?: number
  /** Nesterov's look-ahead: return `u + β·m` instead of `m` (default false). */
  readonly nesterov?: boolean
}

const record = <S extends object>(s: S): S => Object.freeze(s)

/**
 * The rule of a transformation that is one element-wise map over moments kept in its state, with
 * no per-step scalars: `read` picks the moment trees out of the state, `ops` is the math of one
 * leaf, and `build` makes the next state from the new moment trees (in `read`'s order).
 */
const mapRule = <S>(op: string, read: (state: S) => ReadonlyArray<Tree>, ops: MapStep['ops'], build: (moments: ReadonlyArray<Tree>) => S): LeafRule<S> => ({
  name: op,
  begin: (state) => ({
    steps: [{ kind: 'map', name: op, moments: read(state), readsParams: false, scalars: [], ops }],
    end: (next) => build(next[0]!),
  }),
})

/**
 * Momentum (heavy ball, as PyTorch's SGD without dampening and optax's `trace`):
 * `m ↦ u + β·m`, returning `m`, or `u + β·m` with Nesterov's look-ahead. `m` starts at 0, so the
 * first update is `u` (`(1 + β)·u` with Nesterov).
 * @example
 * ```ts
 * const opt = optim.chain(optim.trace({ decay: 0.9 }), optim.scaleByLearningRate(0.01)) // momentum by parts
 * ```
 * @category transformations
 */
export const trace = (options: TraceOptions = {}): GradientTransformation<TraceState> => traceTransformation('optim.trace', options)

/** `trace` with the name of the optimizer that uses it, for error messages. @category internals */
export const traceTransformation = (op: string, options: TraceOptions): GradientTransformation<TraceState> => {
  const beta = decayRate(op, 'decay', options.decay ?? 0.9, '0.9 or 0.99')
  const nesterov = flag(op, 'nesterov', options.nesterov ?? false)
  const rule = mapRule<TraceState>(op, (state) => [state.trace], ({ u, moments: [t] }) => {
    const y = add(u, mul(t!, beta))
    return { out: nesterov ? add(u, mul(y, beta)) : y, next: [y] }
  }, ([trace]) => record({ trace: trace! }))
  return ruleTransformation((params) => record({ trace: zerosLike(params) }), rule)
}

/**
 * The state of `scaleByAdam`: the step count and the first and second moments. @category model
 * @example
 * ```ts
 * const [adamState]: optim.AdamOptimizerState = optim.adam(0.001).init({ w: tensor([1]) })
 * const first: optim.AdamState = adamState // { count, mu, nu }
 * ```
 */
export type AdamState = {
  /** The number of updates made so far (bias correction uses `count + 1`). */
  readonly count: number
  /** The moving average of the updates. */
  readonly mu: Tree
  /** The moving average of the squared updates. */
  readonly nu: Tree
}

/**
 * Options of `scaleByAdam`, `adam` and `adamw`. @category transformations
 * @example
 * ```ts
 * const options: optim.AdamOptions = { b1: 0.9, b2: 0.999, eps: 1e-8 }
 * optim.adam(0.001, options)
 * ```
 */
export interface AdamOptions {
  /** The decay of the first moment, in [0, 1) (default 0.9). */
  readonly b1?: number
  /** The decay of the second moment, in [0, 1) (default 0.999). */
  readonly b2?: number
  /** Added to the root of the second moment, for stability (default 1e-8). */
  readonly eps?: number
}

/**
 * Adam's scaling (Kingma and Ba), before the learning rate: at step `t = count + 1`,
 * `mu ↦ b1·mu + (1 - b1)·u`, `nu ↦ b2·nu + (1 - b2)·u²`, and the update is
 * `mû / (√nû + eps)` with `mû = mu / (1 - b1^t)` and `nû = nu / (1 - b2^t)`. Computed as
 * `mu · (√c2 / c1) / (√nu + eps·√c2)` with `c1 = 1 - b1^t`, `c2 = 1 - b2^t` (the same number,
 * with the bias corrections folded into scalars). The first update is `u / (|u| + eps)`, nearly
 * `sign(u)`.
 * @example
 * ```ts
 * const opt = optim.chain(optim.scaleByAdam({ b1: 0.9, b2: 0.999 }), optim.scaleByLearningRate(0.001))
 * ```
 * @category transformations
 */
export const scaleByAdam = (options: AdamOptions = {}): GradientTransformation<AdamState> => adamTransformation('optim.scaleByAdam', options)

/** `scaleByAdam` with the name of the optimizer that uses it, for error messages. @category internals */
export const adamTransformation = (op: string, options: AdamOptions): GradientTransformation<AdamState> => {
  const b1 = decayRate(op, 'b1', options.b1 ?? 0.9, '0.9')
  const b2 = decayRate(op, 'b2', options.b2 ?? 0.999, '0.999 (or 0.98 for transformers)')
  const eps = nonNegative(op, 'eps', options.eps ?? 1e-8, 'typical values are 1e-8 to 1e-6')
  // s = √c2 / c1 and e = eps·√c2, the bias corrections of this step (contract point 2 of LeafRule.ts)
  const ops: MapStep['ops'] = ({ u, moments: [m0, v0] }, [s, e]) => {
    const m = add(mul(m0!, b1), mul(u, 1 - b1))
    const v = add(mul(v0!, b2), mul(mul(u, u), 1 - b2))
    return { out: div(mul(m, s!), add(sqrt(v), e!)), next: [m, v] }
  }
  const rule: LeafRule<AdamState> = {
    name: op,
    begin: (state) => {
      const t = countOf(op, state) + 1
      const root2 = Math.sqrt(1 - b2 ** t)
      const step = root2 / (1 - b1 ** t)
      const epsilon = eps * root2
      return {
        steps: [{
          kind: 'map',
          name: op,
          moments: [state.mu, state.nu],
          readsParams: false,
          scalars: [step, epsilon],
          ops,
        }],
        end: (next) => record({ count: t, mu: next[0]![0]!, nu: next[0]![1]! }),
      }
    },
  }
  return ruleTransformation((params) => record({ count: 0, mu: zerosLike(params), nu: zerosLike(params) }), rule)
}

/**
 * The state of `scaleByRms`: the moving average of the squared updates. @category model
 * @example
 * ```ts
 * const state: optim.RmsState = optim.scaleByRms().init({ w: tensor([1]) })
 * ```
 */
export type RmsState = {
  readonly nu: Tree
}

/**
 * Options of `scaleByRms` and `scaleByStandardDeviation`. @category transformations
 * @example
 * ```ts
 * const options: optim.RmsOptions = { decay: 0.9, eps: 1e-8 }
 * optim.scaleByRms(options)
 * ```
 */
export interface RmsOptions {
  /** The decay of the moving averages, in [0, 1) (default 0.9). */
  readonly decay?: number
  /** Added to the root, for stability (default 1e-8). */
  readonly eps?: number
}

/**
 * RMSprop's scaling (Hinton's lecture 6e): `nu ↦ decay·nu + (1 - decay)·u²` and the update is
 * `u / (√nu + eps)` (eps outside the root, as PyTorch and Keras). `nu` starts at 0.
 * @example
 * ```ts
 * const opt = optim.chain(optim.scaleByRms(), optim.scaleByLearningRate(0.001)) // rmsprop by parts
 * ```
 * @category transformations
 */
export const scaleByRms = (options: RmsOptions = {}): GradientTransformation<RmsState> => rmsTransformation('optim.scaleByRms', options)

/** `scaleByRms` with the name of the optimizer that uses it, for error messages. @category internals */
export const rmsTransformation = (op: string, options: RmsOptions): GradientTransformation<RmsState> => {
  const decay = decayRate(op, 'decay', options.decay ?? 0.9, '0.9 or 0.99')
  const eps = nonNegative(op, 'eps', options.eps ?? 1e-8, 'typical values are 1e-8 to 1e-6')
  const rule = mapRule<RmsState>(op, (state) => [state.nu], ({ u, moments: [v0] }) => {
    const v = add(mul(v0!, decay), mul(mul(u, u), 1 - decay))
    return { out: div(u, add(sqrt(v), eps)), next: [v] }
  }, ([nu]) => record({ nu: nu! }))
  return ruleTransformation((params) => record({ nu: zerosLike(params) }), rule)
}

/**
 * The state of `scaleByStandardDeviation`: the moving averages of the updates and of their squares. @category model
 * @example
 * ```ts
 * const state: optim.StandardDeviationState = optim.scaleByStandardDeviation().init({ w: tensor([1]) })
 * ```
 */
export type StandardDeviationState = {
  readonly mu: Tree
  readonly nu: Tree
}

/**
 * Centred RMSprop's scaling (Graves 2013): as `scaleByRms`, with also
 * `mu ↦ decay·mu + (1 - decay)·u`, dividing by the estimated standard deviation:
 * `u / (√max(nu - mu², 0) + eps)` (the max only absorbs rounding; nu ≥ mu² exactly).
 * @example
 * ```ts
 * const opt = optim.chain(optim.scaleByStandardDeviation(), optim.scaleByLearningRate(0.001)) // centred RMSprop
 * ```
 * @category transformations
 */
export const scaleByStandardDeviation = (options: RmsOptions = {}): GradientTransformation<StandardDeviationState> => standardDeviationTransformation('optim.scaleByStandardDeviation', options)

/** `scaleByStandardDeviation` with the name of the optimizer that uses it, for error messages. @category internals */
export const standardDeviationTransformation = (op: string, options: RmsOptions): GradientTransformation<StandardDeviationState> => {
  const decay = decayRate(op, 'decay', options.decay ?? 0.9, '0.9 or 0.99')
  const eps = nonNegative(op, 'eps', options.eps ?? 1e-8, 'typical values are 1e-8 to 1e-6')
  const rule = mapRule<StandardDeviationState>(op, (state) => [state.mu, state.nu], ({ u, moments: [m0, v0] }) => {
    const m = add(mul(m0!, decay), mul(u, 1 - decay))
    const v = add(mul(v0!, decay), mul(mul(u, u), 1 - decay))
    const variance = maximum(sub(v, mul(m, m)), 0)
    return { out: div(u, add(sqrt(variance), eps)), next: [m, v] }
  }, ([mu, nu]) => record({ mu: mu!, nu: nu! }))
  return ruleTransformation((params) => record({ mu: zerosLike(params), nu: zerosLike(params) }), rule)
}
