/**
 * One training step, as a pure function from a state and a batch to the next state:
 * loss and gradient by `valueAndGrad`, then the optimizer's update. For plain SGD this is the
 * lecture's rule  w <- w - lr · (mean over the batch of dJ/dw).
 */
import { type Either, isLeft, left, right } from 'fp-ts/lib/Either.js'
import type { Dataset } from '../data/index.js'
import { foldIn } from '../random/index.js'
import { item } from '../tensor/index.js'
import { type LeafRule, allFiniteIn as finiteIn, applyGradients } from '../optim/index.js'
import type { Tree } from '../tree/index.js'
import { lossAndGradient } from './lossAndGradient.js'
import type { Pool } from '../parallel/index.js'
import { DivergenceError, type Loss, type Model, type OptimizerLike, type TrainState } from './TrainState.js'

/** What a step needs: a network, a loss and an optimizer. @category model */
export interface StepConfig<P extends Tree, S> {
  readonly net: Model<P>
  readonly loss: Loss
  readonly optimizer: OptimizerLike<NoInfer<P>, S>
  /**
   * Compile the loss and gradient with `jit` (default true): one traced program per batch shape,
   * run with planned buffers, the same numbers as the eager step. `false` runs them eagerly.
   */
  readonly jit?: boolean
  /**
   * A worker pool (`parallel({ workers: 2 })`) to compute the compiled loss and gradient on both
   * cores: the batch is split in shards, one per thread, and the results averaged in a fixed
   * order (`dataParallel`); the same numbers as without a pool within float rounding. Ignored
   * when the step runs eagerly. The caller closes the pool.
   */
  readonly pool?: Pool
}

/** The next state and the loss of the batch it was computed on. @category model */
export interface StepResult<P extends Tree, S> {
  readonly state: TrainState<P, S>
  readonly loss: number
}

/**
 * The loss of `params` on a batch, in training mode with the key of step `step`.
 * @category training
 */
export const batchLoss =
  <P extends Tree>(net: Model<P>, loss: Loss, batch: Dataset, ctxKey: TrainState<P, unknown>['key']) =>
  (params: P) =>
    loss(net.apply(params)(batch.x, { mode: 'train', key: ctxKey }), batch.y)

/**
 * Whether every number in a parameter tree or optimizer state is finite: its tensors' elements
 * and its plain numbers (step counts); other values (strings, flags) are not numbers to check.
 * @category internals
 */
export const allFiniteIn: (u: unknown) => boolean = finiteIn

// An optimizer whose rule is scaling only (SGD, schedules): its factors at this state, and the
// next state (no moments). Such an update is compiled with the gradient (`lossAndGradient.ts`).
const scaleOnly = <S>(optimizer: { readonly rule?: LeafRule<S> }, state: S): { readonly factors: number[]; readonly next: () => S } | undefined => {
  const rule = optimizer.rule
  if (rule === undefined) return undefined
  const { steps, end } = rule.begin(state)
  if (steps.length === 0 || steps.some((s) => s.kind !== 'scale')) return undefined
  return { factors: steps.map((s) => (s.kind === 'scale' ? s.factor : 1)), next: () => end(steps.map(() => [])) }
}

/**
 * One pure step as a value: `stepEither(config)(state, batch)` is `Right` of the next state, or
 * `Left` of the `DivergenceError` (holding `state`, the last finite one) when the loss or a
 * gradient is NaN or infinite, or when the update overflows the new parameters or optimizer
 * state (e.g. SGD with a huge learning rate): a state with a NaN or an infinity is never handed
 * out. Nothing is thrown for a divergence: the scan of `fit` carries it as a value.
 * @category training
 */
export const stepEither = <P extends Tree, S>(config: StepConfig<P, S>) => {
  const gradient = lossAndGradient(config.net, config.loss, config.jit !== false, config.pool)
  return (state: TrainState<P, S>, batch: Dataset): Either<DivergenceError<P, S>, StepResult<P, S>> => {
    const key = foldIn(state.key, state.step)
    const fused = scaleOnly(config.optimizer, state.optState)
    const compiled = fused === undefined ? undefined : gradient.update(state.params, batch, fused.factors)
    if (fused !== undefined && compiled !== undefined) {
      const loss = item(compiled.loss)
      if (!Number.isFinite(loss)) return left(new DivergenceError(state.step + 1, 'loss', state, loss))
      if (!compiled.gradientsFinite) return left(new DivergenceError(state.step + 1, 'gradient', state, NaN))
      if (!compiled.updatedFinite) return left(new DivergenceError(state.step + 1, 'parameters', state, NaN))
      return right({ state: Object.freeze({ params: compiled.params, optState: fused.next(), step: state.step + 1, key: state.key }), loss })
    }
    const [value, grads] = gradient(state.params, batch, key)
    const loss = item(value)
    if (!Number.isFinite(loss)) return left(new DivergenceError(state.step + 1, 'loss', state, loss))
    // the optimizer's declared path (fused when it declares an element-wise rule), the one a
    // training loop written by hand calls too; it reports on the way whether all were finite
    const r = applyGradients(config.optimizer, grads, state.optState, state.params)
    if (!r.gradientsFinite) return left(new DivergenceError(state.step + 1, 'gradient', state, NaN))
    if (!r.updatedFinite) return left(new DivergenceError(state.step + 1, 'parameters', state, NaN))
    return right({ state: Object.freeze({ params: r.params, optState: r.state, step: state.step + 1, key: state.key }), loss })
  }
}

/**
 * One pure step: `step(config)(state, batch)` is the next state. Throws the `DivergenceError` of
 * `stepEither` (holding `state`, the last finite one) when the step diverges.
 * @category training
 */
export const step = <P extends Tree, S>(config: StepConfig<P, S>) => {
  const next = stepEither(config)
  return (state: TrainState<P, S>, batch: Dataset): StepResult<P, S> => {
    const r = next(state, batch)
    if (isLeft(r)) throw r.left
    return r.right
  }
}
