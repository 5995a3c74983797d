/**
 * The scan of training: the one loop over the steps of a run plan. Step `t` (counted from 0
 * over the whole run) is batch `t mod stepsPerEpoch` of epoch `floor(t / stepsPerEpoch)`, which
 * visits the data in the order `permutation(foldIn(key, epoch))`. After each step the scan adds
 * the loss to the history; at the end of an epoch it records the epoch (mean loss, metrics,
 * validation), updates early stopping and calls `onEpoch`; then it writes a checkpoint when one
 * is due, calls `onStep` and yields the snapshot. Its return value is the outcome of the run:
 * `Right` of the result, or `Left` of the `DivergenceError` of the first step that diverged
 * (holding the last finite state and the history up to it). Nothing is thrown for a divergence;
 * `fit`, `resume` and `trainStates` (`fit.ts`) are views of this scan.
 */
import { type Either, isLeft, left, right } from 'fp-ts/lib/Either.js'
import * as D from '../data/index.js'
import { foldIn, permutation } from '../random/index.js'
import { item } from '../tensor/index.js'
import type { Tree } from '../tree/index.js'
import { type Checkpoint, checkpointDue } from './checkpoint.js'
import { type Watch, watch, watchEpoch, withBest } from './earlyStopping.js'
import type { FitResult, Snapshot } from './FitOptions.js'
import type { RunPlan } from './plan.js'
import { allFiniteIn, stepEither } from './step.js'
import { DivergenceError, type EpochRecord, type History, type TrainState } from './TrainState.js'

/** Where a run starts: a state, the history up to it, and the sums of the epoch it is inside. @category internals */
export interface Start<P extends Tree, S> {
  readonly state: TrainState<P, S>
  readonly history: History
  readonly epochLoss: number
  readonly epochSteps: number
  /** The best epoch's state so far, for `earlyStopping.restoreBest`. */
  readonly best?: TrainState<P, S>
}

/** The start of a fresh run (or of a run from `options.initialState`). @category internals */
export const freshStart = <P extends Tree, S>(state: TrainState<P, S>): Start<P, S> => ({ state, history: { loss: [], epochs: [] }, epochLoss: 0, epochSteps: 0 })

/** The outcome of a run: its result, or the divergence that ended it. @category internals */
export type Outcome<P extends Tree, S> = Either<DivergenceError<P, S>, FitResult<P, S>>

// The values of the validation data at the end of an epoch, in evaluation mode.
const validate = <P extends Tree, S>(p: RunPlan<P, S>, params: P): Readonly<Record<string, number>> => {
  const v = p.validation
  if (v === undefined) return {}
  const prediction = p.net.apply(params)(v.data.x, { mode: 'eval' })
  const out: Record<string, number> = { val_loss: item(p.loss(prediction, v.data.y)) }
  for (const [name, metric] of Object.entries(v.metrics)) out[`val_${name}`] = metric(prediction, v.data.y)
  return out
}

/**
 * The scan of a run plan from a start: yields the snapshot of every step and returns the outcome
 * (see the file's comment). Throws a `RangeError` when the start state is not finite.
 * @category internals
 */
export function* scan<P extends Tree, S>(p: RunPlan<P, S>, start: Start<P, S>): Generator<Snapshot<P, S>, Outcome<P, S>, undefined> {
  const next = stepEither(p)
  const n = p.run.examples
  const perEpoch = p.stepsPerEpoch
  const total = p.epochs * perEpoch
  const losses: number[] = [...start.history.loss]
  const epochs: EpochRecord[] = [...start.history.epochs]
  let state = start.state
  let epochLoss = start.epochLoss
  let epochSteps = start.epochSteps
  let written = state.step
  // Early stopping is a fold over the epoch records, so a resumed run picks it up from the history.
  const es = p.earlyStopping
  let watched: Watch | undefined = es === undefined ? undefined : watch(es.rule, epochs)
  let best = start.best
  const history = (): History => ({ loss: losses, epochs })
  const write = (): void => {
    if (p.checkpoint === undefined || written === state.step) return
    // A checkpoint file keeps params, optState, step and key only: the best state rides in optState
    // (`WithBest`, which `resume` takes apart). The writer's type names the optimizer's state `S`.
    const saved = (es?.restoreBest === true ? withBest(state, best) : state) as TrainState<P, S>
    const h = history()
    const checkpoint: Checkpoint<P, S> = Object.freeze({ net: p.net, state: saved, history: Object.freeze({ loss: Object.freeze(h.loss.slice()), epochs: Object.freeze(h.epochs.slice()) }), run: p.run })
    p.checkpoint.write(checkpoint)
    written = state.step
  }
  if (watched?.stop !== true) {
    // A DivergenceError hands out the last finite state: the first one must be finite too.
    if (!allFiniteIn(state.params) || !allFiniteIn(state.optState)) {
      throw new RangeError(`train.fit: the initial state (after ${state.step} steps) holds a NaN or an infinite parameter or optimizer state; start from finite values`)
    }
  }
  let order: Int32Array | undefined
  for (let t = state.step; t < total && watched?.stop !== true; t++) {
    const epoch = Math.floor(t / perEpoch)
    const b = t % perEpoch
    if (order === undefined || b === 0) order = permutation(foldIn(p.run.key, epoch), n)
    const batch = D.take(p.data, order.subarray(b * p.run.batchSize, Math.min(n, (b + 1) * p.run.batchSize)))
    const r = next(state, batch)
    if (isLeft(r)) return left(new DivergenceError(r.left.step, r.left.what, r.left.state, r.left.value, history()))
    state = r.right.state
    const loss = r.right.loss
    losses.push(loss)
    epochLoss += loss
    epochSteps++
    const epochEnd = b === perEpoch - 1
    if (epochEnd) {
      const record: EpochRecord = { epoch, loss: epochLoss / epochSteps, metrics: { ...p.metrics?.(state.params), ...validate(p, state.params) } }
      epochs.push(record)
      epochLoss = 0
      epochSteps = 0
      if (es !== undefined && watched !== undefined) {
        watched = watchEpoch(es.rule, watched, record)
        if (es.restoreBest && watched.bestEpoch === record.epoch) best = state
      }
      p.onEpoch?.(record)
    }
    if (p.checkpoint !== undefined && checkpointDue(p.checkpoint.every, state.step, epoch, epochEnd)) write()
    const snapshot: Snapshot<P, S> = { state, loss, epoch, batch: b, epochEnd }
    p.onStep?.(snapshot)
    yield snapshot
  }
  // The end of a run is always kept, so resuming a finished run has nothing left to do.
  write()
  return right({
    state: es?.restoreBest === true && best !== undefined ? best : state,
    history: history(),
    ...(watched === undefined ? {} : { earlyStopping: watched }),
  })
}
