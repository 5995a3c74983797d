/**
 * Training that never freezes a page: the same scan as `fit` and `trainStates` (`scan.ts`),
 * driven in slices of a few milliseconds with a return to the event loop between slices, so a
 * page repaints and answers clicks, and a worker receives its messages, while a network trains.
 * Nothing about the steps changes: the same options give bit-identical states, losses and
 * history to `fit` and `trainStates` (checked in fitAsync.test.ts). A step is never cut in two,
 * so a slice lasts at least one step. An `AbortSignal` stops the run between two steps.
 */
import { isLeft } from 'fp-ts/lib/Either.js'
import type { Tree } from '../tree/index.js'
import type { FitOptions, FitResult, Snapshot } from './FitOptions.js'
import { initialState } from './initialState.js'
import { type RunPlan, plan, statesOnly } from './plan.js'
import { type Outcome, type Start, freshStart, scan } from './scan.js'

/**
 * Where an asynchronous run stands, reported once per slice. @category training
 * @example
 * ```ts
 * const onProgress = (p: train.Progress) => console.log(`${p.step} of ${p.steps}`)
 * ```
 */
export interface Progress {
  /** Steps taken so far (counted over the whole run, as `TrainState.step`). */
  readonly step: number
  /** Steps of the whole run: `epochs × stepsPerEpoch`. */
  readonly steps: number
  /** The 0-based epoch of the last step. */
  readonly epoch: number
  /** The loss of the last step. */
  readonly loss: number
}

/**
 * How an asynchronous run shares the thread. @category training
 * @example
 * ```ts
 * const controller = new AbortController()
 * const options: train.AsyncOptions = { signal: controller.signal }
 * ```
 */
export interface AsyncOptions {
  /** Stops the run between two steps; the promise (or the iterator) then rejects with `signal.reason`. */
  readonly signal?: AbortSignal
  /** Milliseconds of work between two returns to the event loop (default 8, half a 60 Hz frame). */
  readonly sliceMs?: number
  /** Called at the end of every slice (and after the last step) with where the run stands. */
  readonly onProgress?: (progress: Progress) => void
  /** How to return to the event loop (default `yieldToEventLoop`: a `MessageChannel` message, else `setTimeout(0)`). */
  readonly yieldToEventLoop?: () => Promise<void>
}

interface Channel { readonly port1: { onmessage: (() => void) | null; close: () => void }; readonly port2: { postMessage: (m: unknown) => void; close: () => void } }

/**
 * Returns to the event loop once: a `MessageChannel` round trip where there is one (a task queued
 * behind the messages and input already waiting, and not clamped to 4 ms as nested timers are),
 * else `setTimeout(0)`. Not `scheduler.yield()`: its continuation runs ahead of waiting tasks,
 * so a worker that yields with it never reads its messages (a pause would never arrive).
 * @example
 * ```ts
 * await train.yieldToEventLoop() // lets timers and messages run between two steps
 * ```
 * @category training
 */
export const yieldToEventLoop = (): Promise<void> => {
  // typed by what is used here: the project's libraries do not declare the DOM's MessagePort
  const g = globalThis as unknown as { readonly MessageChannel?: new () => Channel }
  if (g.MessageChannel !== undefined) {
    const channel = new g.MessageChannel()
    return new Promise((resolve) => {
      channel.port1.onmessage = () => {
        channel.port1.close()
        channel.port2.close()
        resolve()
      }
      channel.port2.postMessage(null)
    })
  }
  return new Promise((resolve) => setTimeout(resolve, 0))
}

const now = (): number => performance.now()

const sliceOf = (o: AsyncOptions, op: string): number => {
  const ms = o.sliceMs ?? 8
  if (!(ms > 0) || !Number.isFinite(ms)) throw new RangeError(`train.${op}: sliceMs must be a positive number of milliseconds, got ${ms}`)
  return ms
}

const throwIfAborted = (signal: AbortSignal | undefined): void => {
  if (signal?.aborted === true) throw signal.reason
}

const startOf = <P extends Tree, S>(p: RunPlan<P, S>): Start<P, S> =>
  freshStart(p.initialState ?? initialState({ net: p.net, optimizer: p.optimizer, key: p.run.key }))

const progressOf = <P extends Tree, S>(p: RunPlan<P, S>, s: Snapshot<P, S>): Progress =>
  ({ step: s.state.step, steps: p.epochs * p.stepsPerEpoch, epoch: s.epoch, loss: s.loss })

// Drives a scan in slices: the common loop of fitAsync and trainStatesAsync.
async function* sliced<P extends Tree, S>(
  p: RunPlan<P, S>, o: AsyncOptions, op: string,
): AsyncGenerator<Snapshot<P, S>, Outcome<P, S>, undefined> {
  const ms = sliceOf(o, op)
  const pause = o.yieldToEventLoop ?? yieldToEventLoop
  throwIfAborted(o.signal)
  const scanned = scan(p, startOf(p))
  let sliceStart = now()
  let last: Snapshot<P, S> | undefined
  for (;;) {
    const r = scanned.next()
    if (r.done === true) {
      if (last !== undefined) o.onProgress?.(progressOf(p, last))
      return r.value
    }
    last = r.value
    yield r.value
    if (now() - sliceStart >= ms) {
      o.onProgress?.(progressOf(p, last))
      await pause()
      throwIfAborted(o.signal)
      sliceStart = now()
    }
  }
}

/**
 * `fit` that shares the thread: the same run (bit-identical state and history), with a return to
 * the event loop every `sliceMs` milliseconds, progress reported once per slice, and an
 * `AbortSignal` that stops it between two steps (the promise rejects with `signal.reason`; to keep
 * the states of an interrupted run, iterate `trainStatesAsync` or pass `onStep`). Rejects with
 * `DivergenceError` as `fit` throws it, and with a `RangeError` for invalid options.
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(4, 8), nn.relu, nn.dense(8, 3))
 * const iris = data.dataset(zeros([30, 4]), data.oneHot(Array.from({ length: 30 }, (_, i) => i % 3), 3))
 * const options = { net, loss: losses.softmaxCrossEntropy, optimizer: optim.sgd(0.1), data: iris, epochs: 10, batchSize: 8, key: random.key(0) }
 * const controller = new AbortController()
 * const { state } = await train.fitAsync(options, { signal: controller.signal, onProgress: (p) => console.log(p.step / p.steps) })
 * ```
 * @category training
 */
export const fitAsync = async <P extends Tree, S>(options: FitOptions<P, S>, asyncOptions: AsyncOptions = {}): Promise<FitResult<P, S>> => {
  const run = sliced(plan(options), asyncOptions, 'fitAsync')
  for (;;) {
    const r = await run.next()
    if (r.done === true) {
      if (isLeft(r.value)) throw r.value.left
      return r.value.right
    }
  }
}

/**
 * `trainStates` that shares the thread: an async iterable of the same snapshots, with a return to
 * the event loop every `sliceMs` milliseconds. Leaving the loop (`break`) stops the run; an
 * aborted `signal` makes the next iteration reject with `signal.reason`. Throws
 * `DivergenceError` at the first non-finite loss or gradient, as `trainStates` does.
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(4, 8), nn.relu, nn.dense(8, 3))
 * const iris = data.dataset(zeros([30, 4]), data.oneHot(Array.from({ length: 30 }, (_, i) => i % 3), 3))
 * const options = { net, loss: losses.softmaxCrossEntropy, optimizer: optim.sgd(0.1), data: iris, epochs: 10, batchSize: 8, key: random.key(0) }
 * for await (const s of train.trainStatesAsync(options)) console.log(s.state.step)
 * ```
 * @category training
 */
export const trainStatesAsync = <P extends Tree, S>(options: FitOptions<P, S>, asyncOptions: AsyncOptions = {}): AsyncIterable<Snapshot<P, S>> => ({
  async *[Symbol.asyncIterator]() {
    const outcome = yield* sliced(statesOnly(plan(options)), asyncOptions, 'trainStatesAsync')
    if (isLeft(outcome)) throw outcome.left
  },
})
