/**
 * A run plan: the options of `fit`, `resume` and `trainStates`, checked once and turned into a
 * typed value that says everything the scan of training needs (data and batching, epochs, the key
 * that orders every epoch, the checkpoint policy, validation and early stopping, progress
 * callbacks). The scan (`scan.ts`) never looks at the options again.
 */
import * as D from '../data/index.js'
import type { Dataset } from '../data/index.js'
import type { Tensor } from '../tensor/index.js'
import type { Tree } from '../tree/index.js'
import { type CheckpointEvery, type Checkpointing, type RunInfo, everyProblem, runInfo } from './checkpoint.js'
import { type EarlyStopping, earlyStoppingProblem } from './earlyStopping.js'
import type { FitOptions, Snapshot } from './FitOptions.js'
import type { StepConfig } from './step.js'
import type { EpochRecord, TrainState } from './TrainState.js'

/**
 * A checked run: what the scan of training folds over. Make one with `plan(options)`. @category training
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(2, 4), nn.tanh, nn.dense(4, 2))
 * const xs = data.dataset(random.normal(random.key(0), [16, 2]), data.oneHot(Array.from({ length: 16 }, (_, i) => i % 2), 2))
 * const plan = train.plan({ net, loss: losses.softmaxCrossEntropy, optimizer: optim.sgd(0.1), data: xs, epochs: 3, batchSize: 5, key: random.key(1) })
 * console.log(plan.stepsPerEpoch, plan.run.examples) // 4 16
 * ```
 */
export interface RunPlan<P extends Tree, S> extends StepConfig<P, S> {
  readonly data: Dataset
  /** The number of examples in `data`, and the facts that fix the order of the batches. */
  readonly run: RunInfo
  /** Steps per epoch: `examples / batchSize`, rounded up, or down with `dropLast`; may be 0. */
  readonly stepsPerEpoch: number
  readonly epochs: number
  /** The state to start from when the run is not continued from a checkpoint. */
  readonly initialState?: TrainState<P, S>
  readonly checkpoint?: { readonly every: CheckpointEvery; readonly write: Checkpointing<P, S>['write'] }
  /** Computed from the parameters at the end of each epoch. */
  readonly metrics?: (params: P) => Readonly<Record<string, number>>
  readonly validation?: { readonly data: Dataset; readonly metrics: Readonly<Record<string, (prediction: Tensor, target: Tensor) => number>> }
  readonly earlyStopping?: { readonly rule: EarlyStopping; readonly restoreBest: boolean }
  readonly onStep?: (snapshot: Snapshot<P, S>) => void
  readonly onEpoch?: (record: EpochRecord) => void
}

// Why the options cannot make a run, or undefined when they can.
const problemOf = <P extends Tree, S>(o: FitOptions<P, S>): string | undefined => {
  if (!Number.isInteger(o.epochs) || o.epochs < 0) return `epochs must be a non-negative integer, got ${o.epochs}`
  if (!Number.isInteger(o.batchSize) || o.batchSize <= 0) return `batchSize must be a positive integer, got ${o.batchSize}`
  if (D.size(o.data) === 0) return 'the dataset is empty'
  if (o.validation !== undefined && D.size(o.validation) === 0) return 'the validation dataset is empty; leave validation out, or give it examples'
  if (o.earlyStopping !== undefined) {
    const problem = earlyStoppingProblem(o.earlyStopping, o.validation !== undefined)
    if (problem !== undefined) return problem
  }
  if (o.checkpoint !== undefined) {
    const problem = everyProblem(o.checkpoint.every)
    if (problem !== undefined) return problem
    if (typeof o.checkpoint.write !== 'function') return 'checkpoint.write must be a function; make the option with io.checkpoints(folder, { every })'
  }
  return undefined
}

/**
 * Checks the options of a run once and makes its plan. Throws a `RangeError` naming the option
 * and the fix when they cannot make a run (epochs, batchSize, empty data, earlyStopping,
 * checkpoint).
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(2, 4), nn.tanh, nn.dense(4, 2))
 * const xs = data.dataset(random.normal(random.key(0), [16, 2]), data.oneHot(Array.from({ length: 16 }, (_, i) => i % 2), 2))
 * const options = { net, loss: losses.softmaxCrossEntropy, optimizer: optim.sgd(0.1), data: xs, epochs: 3, batchSize: 4, key: random.key(1) }
 * const plan = train.plan(options) // the checked options and the run's facts, before any step
 * ```
 * @category training
 */
export const plan = <P extends Tree, S>(options: FitOptions<P, S>): RunPlan<P, S> => {
  const problem = problemOf(options)
  if (problem !== undefined) throw new RangeError(`train.fit: ${problem}`)
  const examples = D.size(options.data)
  const { net, loss, optimizer, data, epochs, batchSize, key, checkpoint, metrics, validation, earlyStopping, onStep, onEpoch } = options
  return Object.freeze({
    net,
    loss,
    optimizer,
    ...(options.jit === undefined ? {} : { jit: options.jit }),
    ...(options.pool === undefined ? {} : { pool: options.pool }),
    data,
    run: runInfo({ key, batchSize, ...(options.dropLast === undefined ? {} : { dropLast: options.dropLast }) }, examples),
    stepsPerEpoch: options.dropLast === true ? Math.floor(examples / batchSize) : Math.ceil(examples / batchSize),
    epochs,
    ...(options.initialState === undefined ? {} : { initialState: options.initialState }),
    ...(checkpoint === undefined ? {} : { checkpoint: Object.freeze({ every: checkpoint.every, write: checkpoint.write }) }),
    ...(metrics === undefined ? {} : { metrics }),
    ...(validation === undefined ? {} : { validation: Object.freeze({ data: validation, metrics: options.validationMetrics ?? {} }) }),
    ...(earlyStopping === undefined ? {} : { earlyStopping: Object.freeze({ rule: earlyStopping, restoreBest: earlyStopping.restoreBest !== false }) }),
    ...(onStep === undefined ? {} : { onStep }),
    ...(onEpoch === undefined ? {} : { onEpoch }),
  })
}

/**
 * The plan of the bare scan of states (`trainStates`): the same steps, without checkpoints,
 * metrics, validation, early stopping or progress callbacks.
 * @category training
 */
export const statesOnly = <P extends Tree, S>(p: RunPlan<P, S>): RunPlan<P, S> =>
  Object.freeze({
    net: p.net,
    loss: p.loss,
    optimizer: p.optimizer,
    ...(p.jit === undefined ? {} : { jit: p.jit }),
    ...(p.pool === undefined ? {} : { pool: p.pool }),
    data: p.data,
    run: p.run,
    stepsPerEpoch: p.stepsPerEpoch,
    epochs: p.epochs,
    ...(p.initialState === undefined ? {} : { initialState: p.initialState }),
  })

