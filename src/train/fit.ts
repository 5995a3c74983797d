/**
 * Training as one fold. A run's options are checked once into a plan (`plan.ts`); the scan of that
 * plan (`scan.ts`) is the one loop of training, and everything here is a view of it:
 * `trainStates` is its lazy sequence of snapshots (without checkpoints, validation or early
 * stopping), `fitEither` its outcome, `fit` the outcome with a divergence thrown, `resume` the
 * same scan started from a checkpoint. Epoch `e` visits the data in the order
 * `permutation(foldIn(key, e))`; the initial parameters come from `split(key)[0]` and the
 * per-step randomness (dropout) from `split(key)[1]` folded with the step number. So the same key
 * and data give bit-identical parameters, and any epoch can be replayed from the key alone.
 * `fit` writes checkpoints through an injected writer and `resume` continues from one
 * (`checkpoint.ts`). With `validation`, each epoch's record also holds `val_loss` (and
 * `val_<metric>`); with `earlyStopping`, the same fold stops when the watched value has stopped
 * improving and hands back the best epoch's state (`earlyStopping.ts`).
 */
import type { Either } from 'fp-ts/lib/Either.js'
import { isLeft, left, right } from 'fp-ts/lib/Either.js'
import type { Tree } from '../tree/index.js'
import { type Checkpoint, resumeProblem } from './checkpoint.js'
import { isWithBest } from './earlyStopping.js'
import type { FitOptions, FitResult, Snapshot } from './FitOptions.js'
import { initialState } from './initialState.js'
import { type RunPlan, plan, statesOnly } from './plan.js'
import { type Outcome, type Start, freshStart, scan } from './scan.js'
import type { DivergenceError, TrainState } from './TrainState.js'

export type { FitOptions, FitResult, Snapshot } from './FitOptions.js'
export { initialState } from './initialState.js'

// The state a plan starts from when no checkpoint continues it.
const startOf = <P extends Tree, S>(p: RunPlan<P, S>): Start<P, S> =>
  freshStart(p.initialState ?? initialState({ net: p.net, optimizer: p.optimizer, key: p.run.key }))

// Runs the scan to its end: the outcome (the snapshots were handed to `onStep` on the way).
const outcomeOf = <P extends Tree, S>(scanned: Generator<Snapshot<P, S>, Outcome<P, S>, undefined>): Outcome<P, S> => {
  for (;;) {
    const r = scanned.next()
    if (r.done === true) return r.value
  }
}

// The edge where a divergence becomes an exception again, for the throwing views.
const orThrow = <P extends Tree, S>(o: Outcome<P, S>): FitResult<P, S> => {
  if (isLeft(o)) throw o.left
  return o.right
}

/**
 * The lazy scan of training: one snapshot per step, over `epochs` epochs of mini-batches. Nothing
 * runs until it is iterated; iterating twice repeats the same computation. Early stopping is
 * taking a prefix. Throws `DivergenceError` at the first non-finite loss or gradient.
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(2, 4), nn.tanh, nn.dense(4, 2))
 * const xs = data.dataset(random.normal(random.key(0), [16, 2]), data.oneHot(Array.from({ length: 16 }, (_, i) => i % 2), 2))
 * const options = { net, loss: losses.softmaxCrossEntropy, optimizer: optim.sgd(0.1), data: xs, epochs: 3, batchSize: 4, key: random.key(1) }
 * for (const s of train.trainStates(options)) if (s.epochEnd) console.log(s.epoch, s.loss) // lazily, one state per step
 * ```
 * @category training
 */
export const trainStates = <P extends Tree, S>(options: FitOptions<P, S>): Iterable<Snapshot<P, S>> => ({
  *[Symbol.iterator]() {
    const p = statesOnly(plan(options))
    orThrow(yield* scan(p, startOf(p)))
  },
})

/**
 * `fit` as an `Either`: `right` with the result, or `left` with the `DivergenceError` (which holds
 * the last finite state and, as `history`, the history up to it). Invalid options still throw a
 * `RangeError`, as in `fit`.
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(2, 4), nn.tanh, nn.dense(4, 2))
 * const xs = data.dataset(random.normal(random.key(0), [16, 2]), data.oneHot(Array.from({ length: 16 }, (_, i) => i % 2), 2))
 * const options = { net, loss: losses.softmaxCrossEntropy, optimizer: optim.sgd(0.1), data: xs, epochs: 3, batchSize: 4, key: random.key(1) }
 * const result = train.fitEither(options) // Left(DivergenceError) instead of a throw
 * ```
 * @category training
 */
export const fitEither = <P extends Tree, S>(options: FitOptions<P, S>): Either<DivergenceError<P, S>, FitResult<P, S>> => {
  const p = plan(options)
  return outcomeOf(scan(p, startOf(p)))
}

/**
 * Trains: folds `step` over the batches of every epoch and returns the final state and the
 * history (loss per step, mean loss and metrics per epoch). With `checkpoint`, hands a checkpoint
 * to `checkpoint.write` every so many steps or epochs and after the last step. Throws
 * `DivergenceError` holding the last finite state when a step diverges.
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(2, 4), nn.tanh, nn.dense(4, 2))
 * const xs = data.dataset(random.normal(random.key(0), [16, 2]), data.oneHot(Array.from({ length: 16 }, (_, i) => i % 2), 2))
 * const options = { net, loss: losses.softmaxCrossEntropy, optimizer: optim.sgd(0.1), data: xs, epochs: 3, batchSize: 4, key: random.key(1) }
 * const { state, history } = train.fit(options)
 * console.log(state.step, history.epochs.map((e) => e.loss)) // 12 steps; one mean loss per epoch
 * ```
 * @category training
 */
export const fit = <P extends Tree, S>(options: FitOptions<P, S>): FitResult<P, S> => orThrow(fitEither(options))

// Where a checkpoint's run stands: its state (the best one taken out of optState), its history,
// and the running sum of the losses of the epoch it is inside, rebuilt in the same order.
const continued = <P extends Tree, S>(checkpoint: Checkpoint<P, S>, p: RunPlan<P, S>): Start<P, S> => {
  const { history } = checkpoint
  // With earlyStopping.restoreBest the checkpoint's optState also holds the best state so far.
  let state: TrainState<P, S> = checkpoint.state
  let best: TrainState<P, S> | undefined
  const held = state.optState
  if (p.earlyStopping?.restoreBest === true && isWithBest<P, S>(held)) {
    state = Object.freeze({ ...state, optState: held.optimizer })
    if (held.best !== undefined) best = Object.freeze({ params: held.best.params, optState: held.best.optState, step: held.best.step, key: state.key })
  }
  const perEpoch = p.stepsPerEpoch
  const epochStart = perEpoch === 0 ? state.step : state.step - (state.step % perEpoch)
  const firstRecorded = state.step - history.loss.length
  const inEpoch = history.loss.slice(Math.max(epochStart, firstRecorded) - firstRecorded)
  return { state, history, epochLoss: inEpoch.reduce((sum, l) => sum + l, 0), epochSteps: inEpoch.length, ...(best === undefined ? {} : { best }) }
}

/**
 * `resume` as an `Either`: `left` with the `DivergenceError` when a step diverges. Throws a
 * `RangeError` when the options cannot continue the checkpoint's run (see `resume`).
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(2, 4), nn.tanh, nn.dense(4, 2))
 * const xs = data.dataset(random.normal(random.key(0), [16, 2]), data.oneHot(Array.from({ length: 16 }, (_, i) => i % 2), 2))
 * const options = { net, loss: losses.softmaxCrossEntropy, optimizer: optim.sgd(0.1), data: xs, epochs: 3, batchSize: 4, key: random.key(1) }
 * const saved: Array<train.Checkpoint<ReturnType<typeof net.init>, optim.CountState>> = []
 * train.fit({ ...options, checkpoint: { every: { epochs: 1 }, write: (c) => saved.push(c) } })
 * const result = train.resumeEither(saved[0]!, options)
 * ```
 * @category training
 */
export const resumeEither = <P extends Tree, S>(checkpoint: Checkpoint<P, S>, options: FitOptions<P, S>): Either<DivergenceError<P, S>, FitResult<P, S>> => {
  const r = resumable(checkpoint, options)
  if (isLeft(r)) throw new RangeError(`train.resume: ${r.left}`)
  return r.right()
}

/**
 * The check of `resume`, apart from its run: `left` with why the options cannot continue the
 * checkpoint's run (`resumeProblem`), or `right` with the run itself, planned and checked once,
 * to start when the caller has made its own checks (`io.resume` compares the data's fingerprint).
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(2, 4), nn.tanh, nn.dense(4, 2))
 * const xs = data.dataset(random.normal(random.key(0), [16, 2]), data.oneHot(Array.from({ length: 16 }, (_, i) => i % 2), 2))
 * const options = { net, loss: losses.softmaxCrossEntropy, optimizer: optim.sgd(0.1), data: xs, epochs: 3, batchSize: 4, key: random.key(1) }
 * const saved: Array<train.Checkpoint<ReturnType<typeof net.init>, optim.CountState>> = []
 * train.fit({ ...options, checkpoint: { every: { epochs: 1 }, write: (c) => saved.push(c) } })
 * const go = train.resumable(saved[0]!, options) // Right(run) when the options can continue it, else Left(why)
 * ```
 * @category training
 */
export const resumable = <P extends Tree, S>(checkpoint: Checkpoint<P, S>, options: FitOptions<P, S>): Either<string, () => Either<DivergenceError<P, S>, FitResult<P, S>>> => {
  const p = plan(options)
  const problem = resumeProblem(checkpoint, options, p.run.examples)
  return problem !== undefined ? left(problem) : right(() => outcomeOf(scan(p, continued(checkpoint, p))))
}

/**
 * Continues a run from a checkpoint that `fit` (or `resume`) wrote with the same options: the
 * result, history included, is bit-identical to that of the uninterrupted `fit(options)`.
 * `options.epochs` may be larger than the first run's, to train on. Throws a `RangeError` naming
 * the difference when the options cannot continue the checkpoint's run (another key, batch size,
 * dataset size or optimizer), and `DivergenceError` as `fit` does; `io.resume(folder, options)`
 * finds the latest checkpoint on disk.
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(4, 8), nn.relu, nn.dense(8, 3))
 * const iris = data.dataset(zeros([30, 4]), data.oneHot(Array.from({ length: 30 }, (_, i) => i % 3), 3))
 * const options = { net, loss: losses.softmaxCrossEntropy, optimizer: optim.sgd(0.1), data: iris, epochs: 10, batchSize: 8, key: random.key(0) }
 * const saved: Array<train.Checkpoint<ReturnType<typeof net.init>, optim.CountState>> = [] // sgd's state
 * train.fit({ ...options, epochs: 5, checkpoint: { every: { epochs: 5 }, write: (c) => saved.push(c) } })
 * const { state, history } = train.resume(saved[0]!, options) // the same as train.fit(options), bit for bit
 * ```
 * @category training
 */
export const resume = <P extends Tree, S>(checkpoint: Checkpoint<P, S>, options: FitOptions<P, S>): FitResult<P, S> => orThrow(resumeEither(checkpoint, options))
