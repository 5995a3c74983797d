/**
 * Training as a fold. `trainStates` is the lazy scan of training states over epochs of
 * mini-batches; `fit` is its last element, with a history. Epoch `e` visits the data in the order
 * `permutation(foldIn(key, e))`; the initial parameters come from `split(key)[0]` and the
 * per-step randomness (dropout) from `split(key)[1]` folded with the step number. So the same key
 * and data give bit-identical parameters, and any epoch can be replayed from the key alone.
 */
import type { Either } from 'fp-ts/lib/Either.js'
import * as E from 'fp-ts/lib/Either.js'
import * as D from '../data/index.js'
import { type Key, foldIn, permutation, split } from '../random/index.js'
import type { Tree } from '../tree/index.js'
import { type StepConfig, step } from './step.js'
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
  readonly state: TrainState<P, S>
  readonly history: History
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
}

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
    const n = D.size(options.data)
    const stepsPerEpoch = options.dropLast === true ? Math.floor(n / options.batchSize) : Math.ceil(n / options.batchSize)
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

/**
 * Trains: folds `step` over the batches of every epoch and returns the final state and the
 * history (loss per step, mean loss and metrics per epoch). Throws `DivergenceError` holding the
 * last finite state when a step diverges.
 * @category training
 */
export const fit = <P extends Tree, S>(options: FitOptions<P, S>): FitResult<P, S> => {
  const losses: number[] = []
  const epochs: EpochRecord[] = []
  let state = options.initialState ?? initialState(options)
  let epochLoss = 0
  let epochSteps = 0
  try {
    for (const snap of trainStates({ ...options, initialState: state })) {
      state = snap.state
      losses.push(snap.loss)
      epochLoss += snap.loss
      epochSteps++
      if (snap.epochEnd) {
        epochs.push({ epoch: snap.epoch, loss: epochLoss / epochSteps, metrics: options.metrics?.(state.params) ?? {} })
        epochLoss = 0
        epochSteps = 0
      }
    }
  } catch (e) {
    if (e instanceof DivergenceError) {
      throw new DivergenceError(e.step, e.what, e.state as TrainState<P, S>, e.value, { loss: losses, epochs })
    }
    throw e
  }
  return { state, history: { loss: losses, epochs } }
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
