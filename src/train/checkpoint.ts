/**
 * Checkpoints: what `fit` hands to a writer every so many steps or epochs, and what `resume`
 * continues from. A checkpoint is the training state (parameters, optimizer state, step count,
 * step key), the history so far, and the facts of the run that decide the order of the batches
 * (the run's key, the batch size, the number of examples, `dropLast`). Nothing else is needed:
 * epoch `e` visits the data in the order `permutation(foldIn(key, e))` and step `t` draws its
 * randomness from `foldIn(state.key, t)`, so no random state is lost between two processes.
 *
 * Laws (checked in src/train/checkpoint.test.ts and src/io/checkpoints.test.ts):
 * 1. resume: for every checkpoint `c` that `fit(options)` writes, `resume(c, options)` gives
 *    bit-identical parameters, optimizer state and history to `fit(options)`, also when `c` went
 *    through a file and another process (even one killed with SIGKILL).
 * 2. writing checkpoints does not change training: `fit` with and without `checkpoint` agree.
 *
 * This folder never touches a disk (it runs in a browser too): the writer is injected. The file
 * side (numbered files in a folder, written atomically, the last N kept) is `io.checkpoints`.
 */
import type { Key } from '../random/index.js'
import { type Tensor, isTensor, showShape } from '../tensor/index.js'
import type { Tree } from '../tree/index.js'
import { type EarlyStopping, type WithBest, isWithBest } from './earlyStopping.js'
import type { History, Model, OptimizerLike, TrainState } from './TrainState.js'

/**
 * How often `fit` writes a checkpoint: every `steps` steps, or at the end of every `epochs` epochs. @category checkpoints
 * @example
 * ```ts
 * const every: train.CheckpointEvery = { steps: 500 }
 * ```
 */
export type CheckpointEvery = { readonly steps: number } | { readonly epochs: number }

/**
 * The facts of a run that fix the order of its batches; a run continues only with the same ones. @category checkpoints
 * @example
 * ```ts
 * const run: train.RunInfo = train.runInfo({ key: random.key(0), batchSize: 32 }, 1000)
 * ```
 */
export interface RunInfo {
  /** The run's key (`options.key` of `fit`), from which every epoch's order comes. */
  readonly key: Key
  readonly batchSize: number
  /** The number of examples in the dataset. */
  readonly examples: number
  readonly dropLast: boolean
}

/**
 * A training run at a step: enough to continue it bit for bit. @category checkpoints
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(2, 4), nn.tanh, nn.dense(4, 2))
 * const xs = data.dataset(random.normal(random.key(0), [16, 2]), data.oneHot(Array.from({ length: 16 }, (_, i) => i % 2), 2))
 * const saved: Array<train.Checkpoint<ReturnType<typeof net.init>, optim.CountState>> = []
 * train.fit({ net, loss: losses.softmaxCrossEntropy, optimizer: optim.sgd(0.1), data: xs, epochs: 2, batchSize: 4, key: random.key(1), checkpoint: { every: { epochs: 1 }, write: (c) => saved.push(c) } })
 * ```
 */
export interface Checkpoint<P extends Tree, S> {
  /** The network trained (a layer made with `nn` has the `spec` a file needs). */
  readonly net: Model<P>
  readonly state: TrainState<P, S>
  /** The history up to `state.step`: `history.loss[i]` is the loss of step `i + 1`. */
  readonly history: History
  readonly run: RunInfo
}

/**
 * The `checkpoint` option of `fit`: when, and the function that stores a checkpoint. `write` is
 * called synchronously, in order, with frozen values; if it throws, `fit` stops with that error
 * (a full disk is not something to train through). `io.checkpoints(folder, { every, keep })`
 * makes one that writes numbered files.
 * @example
 * ```ts
 * const log: string[] = []
 * const checkpointing: train.Checkpointing<Tree, optim.CountState> = { every: { epochs: 1 }, write: (c) => log.push(`step ${c.state.step}`) }
 * ```
 * @category checkpoints
 */
export interface Checkpointing<P extends Tree, S> {
  readonly every: CheckpointEvery
  readonly write: (checkpoint: Checkpoint<P, S>) => void
}

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n > 0

/**
 * Why `every` is not a valid `CheckpointEvery`, or `undefined` when it is.
 * @example
 * ```ts
 * train.everyProblem({ epochs: 0 }) // why { epochs: 0 } is not a valid schedule
 * train.everyProblem({ steps: 100 }) // undefined
 * ```
 * @category checkpoints
 */
export const everyProblem = (every: unknown): string | undefined => {
  if (typeof every === 'object' && every !== null) {
    const keys = Object.keys(every)
    const e = every as Readonly<Record<string, unknown>>
    if (keys.length === 1 && (keys[0] === 'steps' || keys[0] === 'epochs') && isCount(e[keys[0]])) return undefined
  }
  const shown = (() => {
    try {
      return JSON.stringify(every) ?? String(every)
    } catch {
      return String(every)
    }
  })()
  return `checkpoint.every must be { steps: n } or { epochs: n } with n a positive integer, got ${shown}`
}

/**
 * Whether a checkpoint is due after step `step` (counted from 1), the last of its epoch when `epochEnd`. @category checkpoints
 * @example
 * ```ts
 * train.checkpointDue({ epochs: 5 }, 40, 4, true) // true: the end of the fifth epoch (epoch index 4)
 * ```
 */
export const checkpointDue = (every: CheckpointEvery, step: number, epoch: number, epochEnd: boolean): boolean =>
  'steps' in every ? step % every.steps === 0 : epochEnd && (epoch + 1) % every.epochs === 0

/**
 * The `RunInfo` of a run's options. @category checkpoints
 * @example
 * ```ts
 * train.runInfo({ key: random.key(0), batchSize: 32 }, 1000) // { key, batchSize: 32, examples: 1000, dropLast: false }
 * ```
 */
export const runInfo = (options: { readonly key: Key; readonly batchSize: number; readonly dropLast?: boolean }, examples: number): RunInfo =>
  Object.freeze({ key: options.key, batchSize: options.batchSize, examples, dropLast: options.dropLast === true })

const showKey = (k: Key): string => `[${k.words[0]}, ${k.words[1]}]`

// The first place where two optimizer states differ in form (not in values), or undefined.
const formDifference = (a: unknown, b: unknown, path: string): string | undefined => {
  const at = path === '' ? 'the root' : path
  const kind = (u: unknown): string =>
    isTensor(u) ? `a tensor ${showShape(u.shape)} ${u.dtype}` : typeof u === 'number' ? 'a number' : Array.isArray(u) ? `an array of ${u.length}` : typeof u === 'object' && u !== null ? 'a record' : typeof u
  if (isTensor(a) || isTensor(b)) {
    if (!isTensor(a) || !isTensor(b)) return `${at}: ${kind(a)}, expected ${kind(b)}`
    const ta: Tensor = a
    const tb: Tensor = b
    return ta.dtype === tb.dtype && ta.shape.length === tb.shape.length && ta.shape.every((d, i) => d === tb.shape[i]) ? undefined : `${at}: ${kind(a)}, expected ${kind(b)}`
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return `${at}: ${kind(a)}, expected ${kind(b)}`
    for (let i = 0; i < a.length; i++) {
      const d = formDifference(a[i], b[i], `${path}[${i}]`)
      if (d !== undefined) return d
    }
    return undefined
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const ka = Object.keys(a)
    const kb = Object.keys(b)
    const missing = kb.find((k) => !ka.includes(k)) ?? ka.find((k) => !kb.includes(k))
    if (missing !== undefined) return `${path === '' ? '' : `${path}.`}${missing}: present in only one of the two states`
    for (const k of kb) {
      const d = formDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path === '' ? k : `${path}.${k}`)
      if (d !== undefined) return d
    }
    return undefined
  }
  return typeof a === typeof b ? undefined : `${at}: ${kind(a)}, expected ${kind(b)}`
}

/**
 * Why a checkpoint cannot continue the run that `options` describe, or `undefined` when it can.
 * A run continues bit for bit only with the same key, batch size, number of examples and
 * `dropLast`, and an optimizer whose state has the form of the checkpoint's.
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(2, 4), nn.tanh, nn.dense(4, 2))
 * const xs = data.dataset(random.normal(random.key(0), [16, 2]), data.oneHot(Array.from({ length: 16 }, (_, i) => i % 2), 2))
 * const options = { net, loss: losses.softmaxCrossEntropy, optimizer: optim.sgd(0.1), data: xs, epochs: 3, batchSize: 4, key: random.key(1) }
 * const saved: Array<train.Checkpoint<ReturnType<typeof net.init>, optim.CountState>> = []
 * train.fit({ ...options, checkpoint: { every: { epochs: 1 }, write: (c) => saved.push(c) } })
 * train.resumeProblem(saved[0]!, { ...options, batchSize: 8 }, data.size(xs)) // names the batch size that differs
 * ```
 * @category checkpoints
 */
export const resumeProblem = <P extends Tree, S>(
  checkpoint: Checkpoint<P, S>,
  options: { readonly key: Key; readonly batchSize: number; readonly dropLast?: boolean; readonly optimizer: OptimizerLike<NoInfer<P>, S>; readonly earlyStopping?: EarlyStopping },
  examples: number,
): string | undefined => {
  const run = checkpoint.run
  const same = 'resume with the options of the run that wrote it to continue it bit for bit'
  if (run.key.words[0] !== options.key.words[0] || run.key.words[1] !== options.key.words[1]) {
    return `the checkpoint was written by a run with key ${showKey(run.key)}, the options give ${showKey(options.key)} (another seed?); ${same}`
  }
  if (run.batchSize !== options.batchSize) return `the checkpoint was written with batchSize ${run.batchSize}, the options give ${options.batchSize}; ${same}`
  if (run.examples !== examples) return `the checkpoint was written for a dataset of ${run.examples} examples, the options give ${examples}; ${same}`
  if (run.dropLast !== (options.dropLast === true)) return `the checkpoint was written with dropLast ${run.dropLast}, the options give ${options.dropLast === true}; ${same}`
  if (checkpoint.history.loss.length > checkpoint.state.step) {
    return `the checkpoint's history has ${checkpoint.history.loss.length} losses for ${checkpoint.state.step} steps; it is not a checkpoint that fit wrote`
  }
  let fresh: S
  try {
    fresh = options.optimizer.init(checkpoint.state.params)
  } catch (e) {
    return `the optimizer cannot start from the checkpoint's parameters (${e instanceof Error ? e.message : String(e)})`
  }
  // A run with earlyStopping.restoreBest keeps its best state beside the optimizer's (WithBest).
  let held: unknown = checkpoint.state.optState
  const restore = options.earlyStopping !== undefined && options.earlyStopping.restoreBest !== false
  if (restore !== isWithBest(held) && !isWithBest(fresh)) {
    return restore
      ? 'the checkpoint was written by a run without earlyStopping.restoreBest, so it holds no best state; resume with the earlyStopping option of the run that wrote it'
      : 'the checkpoint holds a best state (its run had earlyStopping with restoreBest); resume with the earlyStopping option of the run that wrote it'
  }
  if (restore) {
    const wb = held as WithBest<P, S>
    if (wb.best !== undefined) {
      const d = formDifference(wb.best.params, checkpoint.state.params, '') ?? formDifference(wb.best.optState, fresh, '')
      if (d !== undefined) return `the checkpoint's best state does not fit the run (at ${d}); it was not written by this run`
    }
    held = wb.optimizer
  }
  const d = formDifference(held, fresh, '')
  return d === undefined ? undefined : `the checkpoint's optimizer state does not fit the optimizer given (at optState ${d}); resume with the optimizer of the run that wrote it`
}
