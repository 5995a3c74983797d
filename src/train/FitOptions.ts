/**
 * What a training run is given and what it hands back: the options of `fit`, `resume` and
 * `trainStates`, the snapshot of each step, and the result. `plan.ts` checks the options once and
 * turns them into a run plan; `scan.ts` is the one loop over that plan; `fit.ts` holds its views.
 */
import type { Dataset } from '../data/index.js'
import type { Key } from '../random/index.js'
import type { Tensor } from '../tensor/index.js'
import type { Tree } from '../tree/index.js'
import type { Checkpointing } from './checkpoint.js'
import type { EarlyStopping, Watch } from './earlyStopping.js'
import type { StepConfig } from './step.js'
import type { EpochRecord, History, TrainState } from './TrainState.js'

/**
 * Options of `fit` and `trainStates`. @category model
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(2, 4), nn.tanh, nn.dense(4, 2))
 * const xs = data.dataset(random.normal(random.key(0), [16, 2]), data.oneHot(Array.from({ length: 16 }, (_, i) => i % 2), 2))
 * const options: train.FitOptions<ReturnType<typeof net.init>, optim.CountState> = { net, loss: losses.softmaxCrossEntropy, optimizer: optim.sgd(0.1), data: xs, epochs: 2, batchSize: 4, key: random.key(1) }
 * ```
 */
export interface FitOptions<P extends Tree, S> extends StepConfig<P, S> {
  readonly data: Dataset
  readonly epochs: number
  readonly batchSize: number
  readonly key: Key
  /** Drop a last batch smaller than `batchSize` (default false). */
  readonly dropLast?: boolean
  /** Start from this state instead of a fresh one (e.g. to continue a run). */
  readonly initialState?: TrainState<P, S>
  /** Metrics computed from the parameters at the end of each epoch (e.g. test accuracy). */
  readonly metrics?: (params: P) => Readonly<Record<string, number>>
  /**
   * Write a checkpoint every `every.steps` steps or `every.epochs` epochs, and after the last
   * step, through `write` (e.g. `io.checkpoints(folder, { every: { epochs: 1 } })`). Only `fit`
   * and `resume` write checkpoints; `trainStates` ignores this option.
   */
  readonly checkpoint?: Checkpointing<P, S>
  /** Called after every step of `fit` and `resume` with the snapshot, to report progress. */
  readonly onStep?: (snapshot: Snapshot<P, S>) => void
  /**
   * Held-out data, evaluated at the end of every epoch in evaluation mode (no dropout): the loss
   * is recorded in the epoch's metrics as `val_loss`, each of `validationMetrics` as `val_<name>`
   * (Keras's names). It never trains the network. Only `fit` and `resume` evaluate it.
   */
  readonly validation?: Dataset
  /** Metrics of the validation predictions, by name, e.g. `{ accuracy: losses.accuracy }` (recorded as `val_accuracy`). */
  readonly validationMetrics?: Readonly<Record<string, (prediction: Tensor, target: Tensor) => number>>
  /**
   * Stop when a value of the epoch records (default `val_loss`) has not improved for `patience`
   * epochs, and return the best epoch's state (`restoreBest`, default true). See `earlyStopping.ts`.
   */
  readonly earlyStopping?: EarlyStopping
  /** Called by `fit` and `resume` after every epoch with its record (loss, metrics, validation). */
  readonly onEpoch?: (record: EpochRecord) => void
}

/**
 * One element of the scan: the state after a step, with where it is in the run. @category model
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(2, 4), nn.tanh, nn.dense(4, 2))
 * const xs = data.dataset(random.normal(random.key(0), [16, 2]), data.oneHot(Array.from({ length: 16 }, (_, i) => i % 2), 2))
 * for (const s of train.trainStates({ net, loss: losses.softmaxCrossEntropy, optimizer: optim.sgd(0.1), data: xs, epochs: 1, batchSize: 4, key: random.key(1) })) {
 *   const snapshot: train.Snapshot<ReturnType<typeof net.init>, optim.CountState> = s
 *   console.log(snapshot.epoch, snapshot.batch, snapshot.loss)
 * }
 * ```
 */
export interface Snapshot<P extends Tree, S> {
  readonly state: TrainState<P, S>
  readonly loss: number
  readonly epoch: number
  /** The index of the batch within its epoch. */
  readonly batch: number
  /** True for the last step of an epoch. */
  readonly epochEnd: boolean
}

/**
 * What `fit` returns: the final state and the history. @category model
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(2, 4), nn.tanh, nn.dense(4, 2))
 * const xs = data.dataset(random.normal(random.key(0), [16, 2]), data.oneHot(Array.from({ length: 16 }, (_, i) => i % 2), 2))
 * const result: train.FitResult<ReturnType<typeof net.init>, optim.CountState> = train.fit({ net, loss: losses.softmaxCrossEntropy, optimizer: optim.sgd(0.1), data: xs, epochs: 2, batchSize: 4, key: random.key(1) })
 * ```
 */
export interface FitResult<P extends Tree, S> {
  /** The state after the last step; with `earlyStopping.restoreBest`, the state at the end of the best epoch. */
  readonly state: TrainState<P, S>
  readonly history: History
  /**
   * With `earlyStopping`: where it stands at the end (`bestEpoch` is a 0-based index into
   * `history.epochs`; `stop` says whether the run stopped before `epochs`).
   */
  readonly earlyStopping?: Watch
}
