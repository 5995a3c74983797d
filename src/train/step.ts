/**
 * One training step, as a pure function from a state and a batch to the next state:
 * loss and gradient by `valueAndGrad`, then the optimizer's update. For plain SGD this is the
 * lecture's rule  w <- w - lr · (mean over the batch of dJ/dw).
 */
import { type Either, isLeft, left, right } from 'fp-ts/lib/Either.js'
import type { Dataset } from '../data/index.js'
import { vjp } from '../autodiff/index.js'
import type { StateRules } from '../nn/Layer.js'
import { type Key, foldIn } from '../random/index.js'
import { type Tensor, item, ones } from '../tensor/index.js'
import { allFiniteIn as finiteIn, applyGradients } from '../optim/index.js'
import { type Tree, zerosLike } from '../tree/index.js'
import { lossAndGradient } from './lossAndGradient.js'
import type { Pool } from '../parallel/index.js'
import { DivergenceError, type Loss, type Model, type OptimizerLike, type TrainState } from './TrainState.js'

/**
 * What a step needs: a network, a loss and an optimizer. @category model
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(2, 4), nn.tanh, nn.dense(4, 2))
 * const config: train.StepConfig<ReturnType<typeof net.init>, optim.CountState> = { net, loss: losses.softmaxCrossEntropy, optimizer: optim.sgd(0.1) }
 * const step = train.step(config)
 * ```
 */
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

/**
 * The next state and the loss of the batch it was computed on. @category model
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(2, 4), nn.tanh, nn.dense(4, 2))
 * const xs = data.dataset(random.normal(random.key(0), [16, 2]), data.oneHot(Array.from({ length: 16 }, (_, i) => i % 2), 2))
 * const state = train.initialState({ net, optimizer: optim.sgd(0.1), key: random.key(0) })
 * const result: train.StepResult<ReturnType<typeof net.init>, optim.CountState> = train.step({ net, loss: losses.softmaxCrossEntropy, optimizer: optim.sgd(0.1) })(state, xs)
 * ```
 */
export interface StepResult<P extends Tree, S> {
  readonly state: TrainState<P, S>
  readonly loss: number
}

/**
 * The loss of `params` on a batch, in training mode with the key of step `step`.
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(2, 4), nn.tanh, nn.dense(4, 2))
 * const xs = data.dataset(random.normal(random.key(0), [16, 2]), data.oneHot(Array.from({ length: 16 }, (_, i) => i % 2), 2))
 * const options = { net, loss: losses.softmaxCrossEntropy, optimizer: optim.sgd(0.1), data: xs, epochs: 3, batchSize: 4, key: random.key(1) }
 * const state = train.initialState({ net, optimizer: optim.sgd(0.1), key: random.key(0) })
 * const lossOf = train.batchLoss(net, losses.softmaxCrossEntropy, xs, state.key)
 * lossOf(state.params) // the batch loss as a function of the parameters
 * ```
 * @category training
 */
export const batchLoss =
  <P extends Tree>(net: Model<P>, loss: Loss, batch: Dataset, ctxKey: TrainState<P, unknown>['key']) =>
  (params: P) =>
    loss(net.apply(params)(batch.x, { mode: 'train', key: ctxKey }), batch.y)

/**
 * Whether every number in a parameter tree or optimizer state is finite: its tensors' elements
 * and its plain numbers (step counts); other values (strings, flags) are not numbers to check.
 * @example
 * ```ts
 * train.allFiniteIn([{ w: tensor([1]) }]) // true
 * ```
 * @category internals
 */
export const allFiniteIn: (u: unknown) => boolean = finiteIn

/**
 * One pure step as a value: `stepEither(config)(state, batch)` is `Right` of the next state, or
 * `Left` of the `DivergenceError` (holding `state`, the last finite one) when the loss or a
 * gradient is NaN or infinite, or when the update overflows the new parameters or optimizer
 * state (e.g. SGD with a huge learning rate): a state with a NaN or an infinity is never handed
 * out. Nothing is thrown for a divergence: the scan of `fit` carries it as a value.
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(2, 4), nn.tanh, nn.dense(4, 2))
 * const xs = data.dataset(random.normal(random.key(0), [16, 2]), data.oneHot(Array.from({ length: 16 }, (_, i) => i % 2), 2))
 * const options = { net, loss: losses.softmaxCrossEntropy, optimizer: optim.sgd(0.1), data: xs, epochs: 3, batchSize: 4, key: random.key(1) }
 * const state = train.initialState({ net, optimizer: optim.sgd(0.1), key: random.key(0) })
 * const result = train.stepEither({ net, loss: losses.softmaxCrossEntropy, optimizer: optim.sgd(0.1) })(state, xs) // Left(DivergenceError) on NaN
 * ```
 * @category training
 */
export const stepEither = <P extends Tree, S>(config: StepConfig<P, S>) => {
  const rules = config.net.state
  if (rules !== undefined) return statefulStep(config, rules)
  const gradient = lossAndGradient(config.net, config.loss, config.jit !== false, config.pool)
  return (state: TrainState<P, S>, batch: Dataset): Either<DivergenceError<P, S>, StepResult<P, S>> => {
    // an optimizer with an element-wise rule: the whole step is one compiled program (lossAndGradient.ts)
    const rule = config.optimizer.rule
    const compiled = rule === undefined ? undefined : gradient.update(state.params, batch, rule, state.optState)
    // (undefined when it diverged: the eager step below then finds what, with the same numbers)
    if (compiled !== undefined) {
      return right({ state: Object.freeze({ params: compiled.params, optState: compiled.state, step: state.step + 1, key: state.key }), loss: compiled.loss })
    }
    // the step's key (a compiled step draws nothing: lossAndGradient.ts checks that first)
    const [value, grads] = gradient(state.params, batch, foldIn(state.key, state.step))
    const loss = item(value)
    if (!Number.isFinite(loss)) return left(new DivergenceError(state.step + 1, 'loss', state, loss))
    // the optimizer's update and applyUpdates, the path a training loop written by hand calls too;
    // it reports on the way whether all were finite
    const r = applyGradients(config.optimizer, grads, state.optState, state.params)
    if (!r.gradientsFinite) return left(new DivergenceError(state.step + 1, 'gradient', state, NaN))
    if (!r.updatedFinite) return left(new DivergenceError(state.step + 1, 'parameters', state, NaN))
    return right({ state: Object.freeze({ params: r.params, optState: r.state, step: state.step + 1, key: state.key }), loss })
  }
}

/**
 * One pure step: `step(config)(state, batch)` is the next state. Throws the `DivergenceError` of
 * `stepEither` (holding `state`, the last finite one) when the step diverges.
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(2, 4), nn.tanh, nn.dense(4, 2))
 * const xs = data.dataset(random.normal(random.key(0), [16, 2]), data.oneHot(Array.from({ length: 16 }, (_, i) => i % 2), 2))
 * const options = { net, loss: losses.softmaxCrossEntropy, optimizer: optim.sgd(0.1), data: xs, epochs: 3, batchSize: 4, key: random.key(1) }
 * const state = train.initialState({ net, optimizer: optim.sgd(0.1), key: random.key(0) })
 * const step = train.step({ net, loss: losses.softmaxCrossEntropy, optimizer: optim.sgd(0.1) })
 * const { state: next, loss } = step(state, xs)
 * ```
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

// A network with running state (batchNorm) runs eagerly: its new state is a second output of the
// forward pass, threaded beside the parameters (`StateRules.keep`).
const statefulStep = <P extends Tree, S>(config: StepConfig<P, S>, rules: StateRules<P>) => {
  const gradient = statefulGradient(rules, config.loss)
  return (state: TrainState<P, S>, batch: Dataset): Either<DivergenceError<P, S>, StepResult<P, S>> => {
    const [value, grads, next] = gradient(state.params, batch, foldIn(state.key, state.step))
    const loss = item(value)
    if (!Number.isFinite(loss)) return left(new DivergenceError(state.step + 1, 'loss', state, loss))
    const r = applyGradients(config.optimizer, grads, state.optState, state.params)
    if (!r.gradientsFinite) return left(new DivergenceError(state.step + 1, 'gradient', state, NaN))
    if (!r.updatedFinite || !finiteIn(next)) return left(new DivergenceError(state.step + 1, 'parameters', state, NaN))
    return right({ state: Object.freeze({ params: rules.keep(r.params, next), optState: r.state, step: state.step + 1, key: state.key }), loss })
  }
}

// The loss, its gradient and the parameters with the new state, from one training forward pass
// (`StateRules.train`); the state leaves get a zero cotangent.
const statefulGradient = <P extends Tree>(rules: StateRules<P>, loss: Loss) =>
  (params: P, batch: Dataset, key: Key): readonly [Tensor, P, P] => {
    const [[value, next], pullback] = vjp((p: P) => {
      const [y, n] = rules.train(p)(batch.x, key)
      return [loss(y, batch.y), n] as const
    }, params)
    const grads = pullback([ones(value.shape, { dtype: value.dtype }), zerosLike(next)] as const)
    return [value, grads, next]
  }
