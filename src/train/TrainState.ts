/**
 * The state of a training run: parameters, optimizer state, the number of steps taken and the
 * run's key. A state is a frozen value; a step makes a new one. Every random choice of step `t`
 * comes from `foldIn(key, t)` and every epoch's order from `foldIn(key, epoch)`, so any step
 * or epoch can be replayed from the key alone.
 */
import type { Key } from '../random/index.js'
import type { Tensor } from '../tensor/index.js'
import type { Tree } from '../tree/index.js'
import type { ApplyContext, StateRules } from '../nn/Layer.js'
import type { LeafRule } from '../optim/index.js'

/**
 * Parameters, optimizer state, step count and key. @category model
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(2, 4), nn.tanh, nn.dense(4, 2))
 * const state: train.TrainState<ReturnType<typeof net.init>, optim.CountState> = train.initialState({ net, optimizer: optim.sgd(0.1), key: random.key(0) })
 * state.step // 0
 * ```
 */
export interface TrainState<P extends Tree, S> {
  readonly params: P
  readonly optState: S
  readonly step: number
  readonly key: Key
}

/**
 * What training needs of a network: parameters to initialise and to apply. @category model
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(2, 4), nn.tanh, nn.dense(4, 2))
 * const model: train.Model<ReturnType<typeof net.init>> = net // a layer is a model
 * ```
 */
export interface Model<P> {
  readonly name: string
  readonly init: (key: Key) => P
  readonly apply: (params: P) => (x: Tensor, ctx?: ApplyContext) => Tensor
  /** A network with running state (`batchNorm`): the step trains by `state.train` and keeps its new state. */
  readonly state?: StateRules<P>
}

/**
 * What training needs of an optimizer (the shape of `optim`'s optimizers): `init`, `update`, and
 * the element-wise rule when it declares one (`train.step` then runs it fused, through
 * `optim.applyGradients`).
 * @example
 * ```ts
 * const opt: train.OptimizerLike<{ w: Tensor }, optim.CountState> = optim.sgd(0.1)
 * ```
 * @category model
 */
export interface OptimizerLike<P, S> {
  readonly init: (params: P) => S
  readonly update: (grads: P, state: S, params: P) => readonly [P, S]
  readonly rule?: LeafRule<S>
}

/**
 * A loss: prediction and target to a scalar, the mean over the batch. @category model
 * @example
 * ```ts
 * const meanAbsoluteError: train.Loss = (prediction, target) => ops.mean(ops.abs(ops.sub(prediction, target)))
 * ```
 */
export type Loss = (prediction: Tensor, target: Tensor) => Tensor

/**
 * Per-epoch summary: the mean training loss and any metrics (with `validation`, also `val_loss`
 * and `val_<name>`). `epoch` is a 0-based index, as in the data of a history; what a person
 * reads (the command line, `inspect`, messages) counts from 1: `epoch` 0 is "epoch 1".
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(2, 4), nn.tanh, nn.dense(4, 2))
 * const xs = data.dataset(random.normal(random.key(0), [16, 2]), data.oneHot(Array.from({ length: 16 }, (_, i) => i % 2), 2))
 * const { history } = train.fit({ net, loss: losses.softmaxCrossEntropy, optimizer: optim.sgd(0.1), data: xs, epochs: 2, batchSize: 4, key: random.key(1) })
 * const last: train.EpochRecord | undefined = history.epochs.at(-1) // { epoch, loss, metrics }
 * ```
 * @category model
 */
export interface EpochRecord {
  /** 0-based: the first epoch is 0. */
  readonly epoch: number
  readonly loss: number
  readonly metrics: Readonly<Record<string, number>>
}

/**
 * The record of a run: the loss of every step, and a summary of every epoch. @category model
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(2, 4), nn.tanh, nn.dense(4, 2))
 * const xs = data.dataset(random.normal(random.key(0), [16, 2]), data.oneHot(Array.from({ length: 16 }, (_, i) => i % 2), 2))
 * const history: train.History = train.fit({ net, loss: losses.softmaxCrossEntropy, optimizer: optim.sgd(0.1), data: xs, epochs: 2, batchSize: 4, key: random.key(1) }).history
 * history.loss.length // 8, one loss per step
 * ```
 */
export interface History {
  readonly loss: ReadonlyArray<number>
  readonly epochs: ReadonlyArray<EpochRecord>
}

/**
 * Thrown when a step produces a loss or a gradient that is NaN or infinite, or an update that
 * makes a parameter or the optimizer state NaN or infinite (`what` is then `'parameters'`).
 * Training stops; `state` is the last state whose values were all finite, so nothing is lost.
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(2, 4), nn.tanh, nn.dense(4, 2))
 * const xs = data.dataset(random.normal(random.key(0), [16, 2]), data.oneHot(Array.from({ length: 16 }, (_, i) => i % 2), 2))
 * const options = { net, loss: losses.softmaxCrossEntropy, optimizer: optim.sgd(0.1), data: xs, epochs: 3, batchSize: 4, key: random.key(1) }
 * try {
 *   train.fit({ ...options, loss: losses.mse, data: data.dataset(xs.x, ops.mul(xs.y, 1e20)) }) // the squared error overflows float32
 * } catch (e) {
 *   if (e instanceof train.DivergenceError) console.log(e.message, e.state.step) // the step, and the last finite state
 * }
 * ```
 * @category errors
 */
export class DivergenceError<P extends Tree, S> extends Error {
  override readonly name = 'DivergenceError'
  constructor(
    readonly step: number,
    readonly what: 'loss' | 'gradient' | 'parameters',
    readonly state: TrainState<P, S>,
    readonly value: number,
    /** The history up to the last finite state, when `fit` raised the error. */
    readonly history?: History,
  ) {
    super(
      `training diverged at step ${step}: ${what === 'loss' ? `the loss is ${value}` : what === 'gradient' ? 'the gradient is not finite' : 'the update made the parameters or the optimizer state not finite'}` +
        `; the last finite state (after ${state.step} steps) is kept in error.state. Try a smaller learning rate or gradient clipping (optim.clipByGlobalNorm).`,
    )
  }
}
