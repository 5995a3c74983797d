/**
 * Training as a fold. `trainStates` is the lazy scan of training states over epochs of
 * mini-batches; `fit` is its last element, with a history. Epoch `e` visits the data in the order
 * `permutation(foldIn(key, e))`; the initial parameters come from `split(key)[0]` and the
 * per-step randomness (dropout) from `split(key)[1]` folded with the step number. So the same key
 * and data give bit-identical parameters, and any epoch can be replayed from the key alone.
 * `fit` writes checkpoints through an injected writer and `resume` continues from one
 * (`checkpoint.ts`). With `validation`, each epoch's record also holds `val_loss` (and
 * `val_<metric>`); with `earlyStopping`, the same fold stops when the watched value has stopped
 * improving and hands back the best epoch's state (`earlyStopping.ts`).
 */
import type { Either } from 'fp-ts/lib/Either.js'
import * as E from 'fp-ts/lib/Either.js'
import * as D from '../data/index.js'
import { type Key, foldIn, permutation, split } from '../random/index.js'
import { type Tensor, item } from '../tensor/index.js'
import type { Tree } from '../tree/index.js'
import { type Checkpoint, type Checkpointing, checkpointDue, everyProblem, resumeProblem, runInfo } from './checkpoint.js'
import { type EarlyStopping, type Watch, type WithBest, earlyStoppingProblem, isWithBest, watch, watchEpoch, withBest } from './earlyStopping.js'
import { type StepConfig, allFiniteIn, step } from './step.js'
import { DivergenceError, type EpochRecord, type History, type OptimizerLike, type TrainState } from './TrainState.js'

/** Options of `fit` and `trainStates`. @category model */
export interface FitOptions<P extends Tree, S> extends StepConfig<P, S> {
  readonly data: D.Dataset
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
  readonly validation?: D.Dataset
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

/** One element of the scan: the state after a step, with where it is in the run. @category model */
export interface Snapshot<P extends Tree, S> {
  readonly state: TrainState<P, S>
  readonly loss: number
  readonly epoch: number
  /** The index of the batch within its epoch. */
  readonly batch: number
  /** True for the last step of an epoch. */
  readonly epochEnd: boolean
}

/** What `fit` returns: the final state and the history. @category model */
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

/** The state a run starts from: parameters from `split(key)[0]`, the step key `split(key)[1]`. @category training */
export const initialState = <P extends Tree, S>(options: {
  readonly net: FitOptions<P, S>['net']
  readonly optimizer: OptimizerLike<NoInfer<P>, S>
  readonly key: Key
}): TrainState<P, S> => {
  const [initKey, stepKey] = split(options.key, 2) as [Key, Key]
  const params = options.net.init(initKey)
  return Object.freeze({ params, optState: options.optimizer.init(params), step: 0, key: stepKey })
}

const checkOptions = (o: FitOptions<Tree, unknown>): void => {
  if (!Number.isInteger(o.epochs) || o.epochs < 0) throw new RangeError(`train.fit: epochs must be a non-negative integer, got ${o.epochs}`)
  if (!Number.isInteger(o.batchSize) || o.batchSize <= 0) throw new RangeError(`train.fit: batchSize must be a positive integer, got ${o.batchSize}`)
  if (D.size(o.data) === 0) throw new RangeError('train.fit: the dataset is empty')
  if (o.validation !== undefined && D.size(o.validation) === 0) throw new RangeError('train.fit: the validation dataset is empty; leave validation out, or give it examples')
  if (o.earlyStopping !== undefined) {
    const problem = earlyStoppingProblem(o.earlyStopping, o.validation !== undefined)
    if (problem !== undefined) throw new RangeError(`train.fit: ${problem}`)
  }
  if (o.checkpoint !== undefined) {
    const problem = everyProblem(o.checkpoint.every)
    if (problem !== undefined) throw new RangeError(`train.fit: ${problem}`)
    if (typeof o.checkpoint.write !== 'function') throw new RangeError('train.fit: checkpoint.write must be a function; make the option with io.checkpoints(folder, { every })')
  }
}

const stepsPerEpochOf = (o: FitOptions<Tree, unknown>): number =>
  o.dropLast === true ? Math.floor(D.size(o.data) / o.batchSize) : Math.ceil(D.size(o.data) / o.batchSize)

/**
 * The lazy scan of training: one snapshot per step, over `epochs` epochs of mini-batches. Nothing
 * runs until it is iterated; iterating twice repeats the same computation. Early stopping is
 * taking a prefix. Throws `DivergenceError` at the first non-finite loss or gradient.
 * @category training
 */
export const trainStates = <P extends Tree, S>(options: FitOptions<P, S>): Iterable<Snapshot<P, S>> => ({
  *[Symbol.iterator]() {
    checkOptions(options as unknown as FitOptions<Tree, unknown>)
    const next = step(options)
    let state = options.initialState ?? initialState(options)
    // A DivergenceError hands out the last finite state: the first one must be finite too.
    if (!allFiniteIn(state.params) || !allFiniteIn(state.optState)) {
      throw new RangeError(`train.fit: the initial state (after ${state.step} steps) holds a NaN or an infinite parameter or optimizer state; start from finite values`)
    }
    const n = D.size(options.data)
    const stepsPerEpoch = stepsPerEpochOf(options as unknown as FitOptions<Tree, unknown>)
    // A state that has already taken steps continues where it stopped.
    const startEpoch = stepsPerEpoch === 0 ? options.epochs : Math.floor(state.step / stepsPerEpoch)
    const startBatch = stepsPerEpoch === 0 ? 0 : state.step % stepsPerEpoch
    for (let epoch = startEpoch; epoch < options.epochs; epoch++) {
      const order = permutation(foldIn(options.key, epoch), n)
      for (let b = epoch === startEpoch ? startBatch : 0; b < stepsPerEpoch; b++) {
        const batch = D.take(options.data, order.subarray(b * options.batchSize, Math.min(n, (b + 1) * options.batchSize)))
        const result = next(state, batch)
        state = result.state
        yield { state, loss: result.loss, epoch, batch: b, epochEnd: b === stepsPerEpoch - 1 }
      }
    }
  },
})

/** Where a run starts: a state, the history up to it, and the sums of the epoch it is inside. */
interface Start<P extends Tree, S> {
  readonly state: TrainState<P, S>
  readonly history: History
  readonly epochLoss: number
  readonly epochSteps: number
  /** The best epoch's state so far, for `earlyStopping.restoreBest`. */
  readonly best?: TrainState<P, S>
}

const restoresBest = (o: { readonly earlyStopping?: EarlyStopping }): boolean => o.earlyStopping !== undefined && o.earlyStopping.restoreBest !== false

// The values of the validation data at the end of an epoch, in evaluation mode.
const validate = <P extends Tree, S>(o: FitOptions<P, S>, params: P): Readonly<Record<string, number>> => {
  const v = o.validation
  if (v === undefined) return {}
  const prediction = o.net.apply(params)(v.x, { mode: 'eval' })
  const out: Record<string, number> = { val_loss: item(o.loss(prediction, v.y)) }
  for (const [name, metric] of Object.entries(o.validationMetrics ?? {})) out[`val_${name}`] = metric(prediction, v.y)
  return out
}

// The fold shared by fit and resume: history, epoch summaries, checkpoints, progress.
const run = <P extends Tree, S>(options: FitOptions<P, S>, start: Start<P, S>): FitResult<P, S> => {
  checkOptions(options as unknown as FitOptions<Tree, unknown>)
  const losses: number[] = [...start.history.loss]
  const epochs: EpochRecord[] = [...start.history.epochs]
  const cp = options.checkpoint
  const info = cp === undefined ? undefined : runInfo(options, D.size(options.data))
  let state = start.state
  let epochLoss = start.epochLoss
  let epochSteps = start.epochSteps
  let written = state.step
  // Early stopping is a fold over the epoch records, so a resumed run picks it up from the history.
  const es = options.earlyStopping
  const restore = restoresBest(options)
  let watched = es === undefined ? undefined : watch(es, epochs)
  let best = start.best
  const write = (): void => {
    if (cp === undefined || info === undefined || written === state.step) return
    const history: History = Object.freeze({ loss: Object.freeze(losses.slice()), epochs: Object.freeze(epochs.slice()) })
    // A checkpoint file keeps params, optState, step and key only: the best state rides in optState.
    const saved = (restore ? withBest(state, best) : state) as TrainState<P, S>
    const checkpoint: Checkpoint<P, S> = Object.freeze({ net: options.net, state: saved, history, run: info })
    cp.write(checkpoint)
    written = state.step
  }
  try {
    for (const snap of watched?.stop === true ? [] : trainStates({ ...options, initialState: state })) {
      state = snap.state
      losses.push(snap.loss)
      epochLoss += snap.loss
      epochSteps++
      if (snap.epochEnd) {
        const record: EpochRecord = { epoch: snap.epoch, loss: epochLoss / epochSteps, metrics: { ...options.metrics?.(state.params), ...validate(options, state.params) } }
        epochs.push(record)
        epochLoss = 0
        epochSteps = 0
        if (es !== undefined && watched !== undefined) {
          watched = watchEpoch(es, watched, record)
          if (restore && watched.bestEpoch === record.epoch) best = state
        }
        options.onEpoch?.(record)
      }
      if (cp !== undefined && checkpointDue(cp.every, state.step, snap.epoch, snap.epochEnd)) write()
      options.onStep?.(snap)
      if (watched?.stop === true) break
    }
  } catch (e) {
    if (e instanceof DivergenceError) {
      throw new DivergenceError(e.step, e.what, e.state as TrainState<P, S>, e.value, { loss: losses, epochs })
    }
    throw e
  }
  // The end of a run is always kept, so resuming a finished run has nothing left to do.
  write()
  return {
    state: restore && best !== undefined ? best : state,
    history: { loss: losses, epochs },
    ...(watched === undefined ? {} : { earlyStopping: watched }),
  }
}

/**
 * Trains: folds `step` over the batches of every epoch and returns the final state and the
 * history (loss per step, mean loss and metrics per epoch). With `checkpoint`, hands a checkpoint
 * to `checkpoint.write` every so many steps or epochs and after the last step. Throws
 * `DivergenceError` holding the last finite state when a step diverges.
 * @category training
 */
export const fit = <P extends Tree, S>(options: FitOptions<P, S>): FitResult<P, S> =>
  run(options, { state: options.initialState ?? initialState(options), history: { loss: [], epochs: [] }, epochLoss: 0, epochSteps: 0 })

/**
 * Continues a run from a checkpoint that `fit` (or `resume`) wrote with the same options: the
 * result, history included, is bit-identical to that of the uninterrupted `fit(options)`.
 * `options.epochs` may be larger than the first run's, to train on. Throws a `RangeError` naming
 * the difference when the options cannot continue the checkpoint's run (another key, batch size,
 * dataset size or optimizer); `io.resume(folder, options)` finds the latest checkpoint on disk.
 * @example const { state, history } = train.resume(checkpoint, options)
 * @category training
 */
export const resume = <P extends Tree, S>(checkpoint: Checkpoint<P, S>, options: FitOptions<P, S>): FitResult<P, S> => {
  checkOptions(options as unknown as FitOptions<Tree, unknown>)
  const problem = resumeProblem(checkpoint, options, D.size(options.data))
  if (problem !== undefined) throw new RangeError(`train.resume: ${problem}`)
  const { history } = checkpoint
  // With earlyStopping.restoreBest the checkpoint's optState also holds the best state so far.
  let state = checkpoint.state
  let best: TrainState<P, S> | undefined
  if (restoresBest(options) && isWithBest(state.optState)) {
    const held = state.optState as unknown as WithBest<P, S>
    state = Object.freeze({ ...state, optState: held.optimizer })
    if (held.best !== undefined) best = Object.freeze({ params: held.best.params, optState: held.best.optState, step: held.best.step, key: state.key })
  }
  // The epoch the checkpoint is inside has a running sum of losses; rebuild it in the same order.
  const perEpoch = stepsPerEpochOf(options as unknown as FitOptions<Tree, unknown>)
  const epochStart = perEpoch === 0 ? state.step : state.step - (state.step % perEpoch)
  const firstRecorded = state.step - history.loss.length
  let epochLoss = 0
  let epochSteps = 0
  for (let s = Math.max(epochStart, firstRecorded); s < state.step; s++) {
    epochLoss += history.loss[s - firstRecorded]!
    epochSteps++
  }
  return run(options, { state, history, epochLoss, epochSteps, ...(best === undefined ? {} : { best }) })
}

/**
 * `fit` as an `Either`: `right` with the result, or `left` with the `DivergenceError` (which holds
 * the last finite state and, as `history`, the history up to it).
 * @category training
 */
export const fitEither = <P extends Tree, S>(options: FitOptions<P, S>): Either<DivergenceError<P, S>, FitResult<P, S>> => {
  try {
    return E.right(fit(options))
  } catch (e) {
    if (e instanceof DivergenceError) return E.left(e as DivergenceError<P, S>)
    throw e
  }
}
