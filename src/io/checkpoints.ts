/**
 * Checkpoints on disk: a folder of numbered checkpoint files, one per checkpoint,
 *
 *   runs/iris/checkpoint-000000008.json   (the state after step 8)
 *   runs/iris/checkpoint-000000016.json
 *
 * each a model file with its training state (`checkpointFile.ts`). The number is the step, padded
 * to nine digits so that the names sort (larger steps simply have more digits; the number is
 * what counts). `checkpoints(folder, { every, keep })` is `fit`'s `checkpoint` option: it writes
 * every file atomically (temporary file in the same folder, fsync, rename, fsync of the folder),
 * so a crash at any moment leaves every file whole, and then deletes all but the newest `keep`
 * (default 3). `resume(folder, options)` continues from the newest file, or starts the run when
 * there is none, so one call both starts a job and restarts it after a crash.
 *
 * The writer is synchronous because `fit` is: training is a synchronous fold and a checkpoint is
 * written between two steps. A folder holds one run: a writer refuses to write into a folder that
 * already holds a checkpoint at or after its step (another run's, or this run's future from
 * before a restart that did not resume), rather than mix two runs.
 */
import { randomBytes } from 'node:crypto'
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import type { AnyLayer } from '../nn/index.js'
import type { OptState } from '../optim/index.js'
import * as train from '../train/index.js'
import type { Tree } from '../tree/index.js'
import type { Dataset } from '../data/index.js'
import { type RunFingerprint, checkpointExtraKey, checkpointFromModel, checkpointToModel, dataFingerprint, fingerprintDifference } from './checkpointFile.js'
import { describeSystemError, loadModel } from './files.js'
import { type ModelError, modelError, relocate } from './ModelError.js'
import { type ModelLimits, encodeDocument, problemToError } from './modelFile.js'
import type { JsonObject } from './jsonText.js'

const NAME = /^checkpoint-(\d+)\.json$/
const TEMPORARY = /^\.checkpoint-\d+\.json\.[0-9a-f]{12}\.tmp$/

/** The file name of the checkpoint after step `step`: `checkpoint-000000100.json`. @category checkpoints */
export const checkpointFileName = (step: number): string => `checkpoint-${String(step).padStart(9, '0')}.json`

/** A checkpoint file in a folder: its path and step. @category checkpoints */
export interface CheckpointFile {
  readonly path: string
  readonly step: number
}

const filesIn = (folder: string, names: ReadonlyArray<string>): CheckpointFile[] =>
  names
    .map((name) => [name, NAME.exec(name)] as const)
    .filter(([, m]) => m !== null && Number.isSafeInteger(Number(m[1])))
    .map(([name, m]) => ({ path: join(folder, name), step: Number(m![1]) }))
    .sort((a, b) => a.step - b.step)

/** Options of `checkpoints` and `checkpointWriter`. @category checkpoints */
export interface CheckpointFolderOptions {
  /** How many of the newest checkpoint files to keep (default 3; `Infinity` keeps all). */
  readonly keep?: number
  /** The user's own JSON data, saved in every file's `extra` (any key but `checkpoint`). */
  readonly extra?: JsonObject
  /** The training data, whose fingerprint (CRC-32 of x and y) every file records, so `io.resume` refuses other data. */
  readonly data?: Dataset
  /** Every setting that changes the run (optimizer and its settings, loss, schedule, columns, classes) as JSON; `io.resume` refuses other settings. */
  readonly settings?: JsonObject
}

const checkKeep = (keep: number): void => {
  if (!(keep === Infinity || (Number.isSafeInteger(keep) && keep > 0))) {
    throw new RangeError(`io.checkpoints: keep must be a positive integer or Infinity, got ${keep}`)
  }
}

// Writes a file atomically and synchronously: a crash leaves the old file or the new one.
const writeAtomicSync = (path: string, text: string): void => {
  const folder = dirname(path)
  const temporary = join(folder, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  let fd: number | undefined
  try {
    fd = openSync(temporary, 'wx', 0o644)
    writeFileSync(fd, text, 'utf8')
    fsyncSync(fd)
    closeSync(fd)
    fd = undefined
    renameSync(temporary, path)
  } catch (e) {
    if (fd !== undefined) {
      try { closeSync(fd) } catch { /* already failing: the first error is the one to report */ }
    }
    try { unlinkSync(temporary) } catch { /* it may not exist */ }
    throw e
  }
  try {
    // Flushes the folder's entry table so that the rename survives a power loss; not everywhere allowed.
    const dir = openSync(folder, 'r')
    try { fsyncSync(dir) } finally { closeSync(dir) }
  } catch { /* best effort, as in saveModel */ }
}

/**
 * A function that writes each checkpoint it is given into `folder` as `checkpoint-<step>.json`,
 * atomically, then deletes all but the newest `keep` files. It creates the folder if needed, and
 * at its first write removes the temporary files a killed writer left behind. Throws an `Error`
 * whose message names the file and the problem (`io.checkpoints: runs/x/checkpoint-000000100.json:
 * cannot write the file: no space left on the device`), which stops `fit`.
 * @category checkpoints
 */
export const checkpointWriter = (folder: string, options: CheckpointFolderOptions = {}): (<P extends Tree, S>(checkpoint: train.Checkpoint<P, S>) => void) => {
  const keep = options.keep ?? 3
  checkKeep(keep)
  const extra = options.extra ?? {}
  if (Object.hasOwn(extra, checkpointExtraKey)) throw new RangeError(`io.checkpoints: extra.${checkpointExtraKey} is where a checkpoint keeps its run; put your data under another key`)
  let started = false
  let fingerprint: RunFingerprint | undefined
  const fail = (file: string, detail: string): never => {
    throw new Error(modelError('io.checkpoints', detail, { file }).message)
  }
  const list = (): CheckpointFile[] => {
    try {
      return filesIn(folder, readdirSync(folder))
    } catch (e) {
      return fail(folder, `cannot list the folder: ${describeSystemError(e)}`)
    }
  }
  return (checkpoint) => {
    const step = checkpoint.state.step
    const path = join(folder, checkpointFileName(step))
    if (!started) {
      try {
        mkdirSync(folder, { recursive: true })
      } catch (e) {
        return fail(folder, `cannot create the folder: ${describeSystemError(e)}`)
      }
      const later = list().filter((f) => f.step >= step)
      if (later.length > 0) {
        const last = later[later.length - 1]!
        return fail(folder, `the folder already holds ${basename(last.path)} (step ${last.step}), at or after this run's step ${step}: continue that run with io.resume (purenet train --resume), or write to an empty folder`)
      }
      for (const name of readdirSync(folder)) {
        if (TEMPORARY.test(name)) {
          try { unlinkSync(join(folder, name)) } catch { /* another process may have removed it */ }
        }
      }
      started = true
    }
    // the data does not change during a run: hashed once, at the first checkpoint
    fingerprint ??= Object.freeze({
      ...(options.data === undefined ? {} : { data: dataFingerprint(options.data) }),
      ...(options.settings === undefined ? {} : { settings: options.settings }),
    })
    const model = checkpointToModel(checkpoint, extra, 'io.checkpoints', fingerprint)
    if (E.isLeft(model)) return fail(path, model.left.message.replace(/^io\.checkpoints: /, ''))
    const text = encodeDocument(model.right)
    if (E.isLeft(text)) return fail(path, problemToError('io.checkpoints', text.left).message.replace(/^io\.checkpoints: /, ''))
    try {
      writeAtomicSync(path, text.right)
    } catch (e) {
      return fail(path, `cannot write the file: ${describeSystemError(e)}`)
    }
    const files = list()
    for (const old of files.slice(0, Math.max(0, files.length - keep))) {
      try {
        unlinkSync(old.path)
      } catch (e) {
        return fail(old.path, `cannot delete an old checkpoint: ${describeSystemError(e)}`)
      }
    }
  }
}

/** A writer of checkpoint files, for any run: `fit`'s `checkpoint` option (`train.Checkpointing`). @category checkpoints */
export interface CheckpointFolder {
  readonly every: train.CheckpointEvery
  readonly write: <P extends Tree, S>(checkpoint: train.Checkpoint<P, S>) => void
}

/**
 * `fit`'s `checkpoint` option writing to a folder: every `every` (`{ steps: n }` or
 * `{ epochs: n }`) and after the last step, keeping the newest `keep` files (default 3).
 * @example train.fit({ ...options, checkpoint: io.checkpoints('runs/iris', { every: { epochs: 10 }, keep: 2 }) })
 * @category checkpoints
 */
export const checkpoints = (folder: string, options: CheckpointFolderOptions & { readonly every: train.CheckpointEvery }): CheckpointFolder => {
  const problem = train.everyProblem(options.every)
  if (problem !== undefined) throw new RangeError(`io.checkpoints: ${problem}`)
  return Object.freeze({ every: options.every, write: checkpointWriter(folder, options) })
}

/**
 * The checkpoint files in a folder, oldest first: `Right([])` when the folder does not exist,
 * `Left` when it cannot be read. Never rejects.
 * @category checkpoints
 */
export const listCheckpoints = async (folder: string): Promise<E.Either<ModelError, ReadonlyArray<CheckpointFile>>> => {
  try {
    return E.right(filesIn(folder, await readdir(folder)))
  } catch (e) {
    const code = typeof e === 'object' && e !== null && 'code' in e ? (e as { code: unknown }).code : undefined
    if (code === 'ENOENT') return E.right([])
    return E.left(modelError('io.latestCheckpoint', `cannot list the folder: ${describeSystemError(e)}`, { file: folder }))
  }
}

/** A checkpoint read from a file: the checkpoint, the file, the user's `extra` data and the run's fingerprint. @category checkpoints */
export interface LoadedCheckpoint<P extends Tree = Tree, S = OptState> {
  readonly checkpoint: train.Checkpoint<P, S>
  readonly file: string
  readonly extra: JsonObject
  readonly fingerprint: RunFingerprint
}

// One checkpoint file read and checked: the checkpoint, or the error naming the file.
const readCheckpoint = async (file: CheckpointFile, options: ModelLimits & { readonly net?: AnyLayer }): Promise<E.Either<ModelError, LoadedCheckpoint>> => {
  const model = await loadModel(file.path, options as ModelLimits & { readonly net: AnyLayer })
  if (E.isLeft(model)) return E.left(relocate(model.left, 'io.latestCheckpoint'))
  const c = checkpointFromModel(model.right, 'io.latestCheckpoint', file.path)
  if (E.isLeft(c)) return c
  if (c.right.checkpoint.state.step !== file.step) {
    return E.left(modelError('io.latestCheckpoint', `the file holds step ${c.right.checkpoint.state.step}, its name says ${file.step}; rename or delete it`, { file: file.path, path: 'step' }))
  }
  return E.right({ ...c.right, file: file.path })
}

/**
 * The newest checkpoint in a folder: `Right(undefined)` when there is none (or no folder),
 * `Left(ModelError)` naming the file when it cannot be read or is not a checkpoint (the file is
 * left alone; delete it to fall back to the one before). With `options.net`, the file's
 * architecture must be that network's. Never rejects.
 * @category checkpoints
 */
export const latestCheckpoint = async (folder: string, options: ModelLimits & { readonly net?: AnyLayer } = {}): Promise<E.Either<ModelError, LoadedCheckpoint | undefined>> => {
  const files = await listCheckpoints(folder)
  if (E.isLeft(files)) return files
  const newest = files.right[files.right.length - 1]
  if (newest === undefined) return E.right(undefined)
  const latest = await readCheckpoint(newest, options)
  if (E.isRight(latest)) return latest
  // Say whether the run can fall back: the newest older file that is whole, if any.
  let fallback = 'no older checkpoint in the folder is whole'
  for (let i = files.right.length - 2; i >= 0; i--) {
    const older = files.right[i]!
    if (E.isRight(await readCheckpoint(older, options))) {
      fallback = `the older ${basename(older.path)} (step ${older.step}) is whole: delete ${basename(newest.path)} to resume from it`
      break
    }
  }
  return E.left(modelError('io.latestCheckpoint', `${latest.left.detail}; ${fallback}`, {
    ...(latest.left.file === undefined ? {} : { file: latest.left.file }),
    ...(latest.left.path === undefined ? {} : { path: latest.left.path }),
  }))
}

const hasSpec = (u: unknown): u is AnyLayer => typeof u === 'object' && u !== null && 'spec' in u && (u as { spec?: unknown }).spec !== undefined

/**
 * Starts or continues the run of `options` whose checkpoints are in `folder`: from the newest
 * checkpoint there (`train.resume`), or from the start (`train.fit`) when there is none. The
 * result is bit-identical to an uninterrupted `train.fit(options)`, however often the process was
 * killed. Pass `checkpoint: io.checkpoints(folder, ...)` in `options` to keep writing checkpoints.
 * `Left(ModelError)` when the newest checkpoint cannot be read (naming the file, and whether an
 * older one is whole) or does not fit the options: other network, key, batch size, dataset size or
 * optimizer state; other data (when the file records its fingerprint: `io.checkpoints(folder,
 * { data })`); other `options.settings` (when the file records settings). A diverging step still
 * throws `DivergenceError`, as in `fit`.
 * @example const result = await io.resume('runs/iris', { ...options, checkpoint: io.checkpoints('runs/iris', { every: { epochs: 1 } }) })
 * @category checkpoints
 */
export const resume = async <P extends Tree, S>(
  folder: string,
  options: train.FitOptions<P, S> & ModelLimits & { readonly settings?: JsonObject },
): Promise<E.Either<ModelError, train.FitResult<P, S>>> => {
  const limits: ModelLimits = {
    ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
    ...(options.maxElements === undefined ? {} : { maxElements: options.maxElements }),
    ...(options.maxNodes === undefined ? {} : { maxNodes: options.maxNodes }),
    ...(options.maxLayers === undefined ? {} : { maxLayers: options.maxLayers }),
  }
  const latest = await latestCheckpoint(folder, hasSpec(options.net) ? { ...limits, net: options.net } : limits)
  if (E.isLeft(latest)) return E.left(relocate(latest.left, 'io.resume'))
  if (latest.right === undefined) return E.right(train.fit(options))
  const checkpoint = latest.right.checkpoint as unknown as train.Checkpoint<P, S>
  const problem = train.resumeProblem(checkpoint, options, options.data.x.shape[0] ?? 0)
  if (problem !== undefined) return E.left(modelError('io.resume', problem, { file: latest.right.file }))
  const recorded = latest.right.fingerprint
  const difference = fingerprintDifference(recorded, {
    ...(recorded.data === undefined ? {} : { data: dataFingerprint(options.data) }),
    ...(options.settings === undefined ? {} : { settings: options.settings }),
  })
  if (difference !== undefined) return E.left(modelError('io.resume', difference, { file: latest.right.file }))
  return E.right(train.resume(checkpoint, options))
}
