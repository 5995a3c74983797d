/**
 * Checkpoints on disk: a folder of numbered checkpoint files, one per checkpoint,
 *
 *   runs/iris/checkpoint-000000008.json   (the state after step 8)
 *   runs/iris/checkpoint-000000016.json
 *
 * each a model file with its training state (`checkpointFile.ts`). The number is the step, padded
 * to nine digits so that the names sort (larger steps simply have more digits; the number is
 * what counts). `checkpointFolderWriter(folder, { keep }, layout)` writes every file atomically
 * (temporary file in the same folder, fsync, rename, fsync of the folder), so a crash at any
 * moment leaves every file whole, and then deletes all but the newest `keep` (default 3);
 * `latestCheckpoint` reads the newest whole one back. This file knows files and documents only:
 * `io.checkpoints` (the writer as `fit`'s `checkpoint` option) and `io.resume` (continuing a run)
 * bind it to `nn` and `train` above io, in the entry `src/ioNamespace.ts`.
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
import type { Tensor } from '../tensor/index.js'
import {
  type CheckpointDocument, type DecodedCheckpoint, type RunFingerprint, checkpointExtraKey, checkpointFromModel, checkpointToModel, dataFingerprint,
} from './checkpointFile.js'
import { loadModelFile } from './files.js'
import { type ModelError, modelError, relocate } from './ModelError.js'
import { type Architecture, type ModelLimits, type Network, encodeDocument, problemToError } from './modelFile.js'
import type { JsonObject } from './jsonText.js'
import { describeSystemError } from './systemError.js'
import type { TreeLayout } from './tensorTree.js'

const NAME = /^checkpoint-(\d+)\.json$/
const TEMPORARY = /^\.checkpoint-\d+\.json\.[0-9a-f]{12}\.tmp$/

/**
 * The file name of the checkpoint after step `step`: `checkpoint-000000100.json`. @category checkpoints
 * @example
 * ```ts
 * io.checkpointFileName(640) // 'checkpoint-000000640.json'
 * ```
 */
export const checkpointFileName = (step: number): string => `checkpoint-${String(step).padStart(9, '0')}.json`

/**
 * A checkpoint file in a folder: its path and step. @category checkpoints
 * @example
 * ```ts
 * const r = await io.listCheckpoints('runs/iris')
 * if (r._tag === 'Right') { const files: ReadonlyArray<io.CheckpointFile> = r.right; console.log(files.map((f) => f.step)) }
 * ```
 */
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

/**
 * Options of `io.checkpoints` and `checkpointWriter`. @category checkpoints
 * @example
 * ```ts
 * const options: io.CheckpointFolderOptions = { keep: 5, extra: { note: 'baseline' } }
 * const write = io.checkpointWriter('runs/iris', options)
 * ```
 */
export interface CheckpointFolderOptions {
  /** How many of the newest checkpoint files to keep (default 3; `Infinity` keeps all). */
  readonly keep?: number
  /** The user's own JSON data, saved in every file's `extra` (any key but `checkpoint`). */
  readonly extra?: JsonObject
  /** The training data, whose fingerprint (CRC-32 of x and y) every file records, so `io.resume` refuses other data. */
  readonly data?: { readonly x: Tensor; readonly y: Tensor }
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
 * whose message names the file and the problem
 * (`io.checkpoints: runs/x/checkpoint-000000100.json: cannot write the file: no space left on the device`),
 * which stops `fit`.
 * @category checkpoints
 * @example
 * ```ts
 * const write = io.checkpointFolderWriter('runs/iris', { keep: 3 }, io.layerLayout) // io.checkpointWriter is this with nn's layouts
 * ```
 */
export const checkpointFolderWriter = <N extends { readonly name: string }>(folder: string, options: CheckpointFolderOptions, layout: (net: N & Network) => TreeLayout): (<P, S>(checkpoint: CheckpointDocument<N, P, S>) => void) => {
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
    const text = encodeDocument(model.right, layout)
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

/**
 * The checkpoint files in a folder, oldest first: `Right([])` when the folder does not exist,
 * `Left` when it cannot be read. Never rejects.
 * @example
 * ```ts
 * const files = await io.listCheckpoints('runs/iris') // Right([{ path, step }, ...]), oldest first
 * ```
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

/**
 * A checkpoint read from a file: the checkpoint, the file, the user's `extra` data and the run's fingerprint. @category checkpoints
 * @example
 * ```ts
 * const r = await io.newestCheckpoint('runs/iris', {}, io.specArchitecture())
 * if (r._tag === 'Right' && r.right !== undefined) {
 *   const found: io.CheckpointInFile<nn.AnyLayer> = r.right // the checkpoint, its file, extra data and fingerprint
 *   console.log(found.file, found.checkpoint.state.step)
 * }
 * ```
 */
export interface CheckpointInFile<N extends Network> extends DecodedCheckpoint<N> {
  readonly file: string
}

// One checkpoint file read and checked: the checkpoint, or the error naming the file.
const readCheckpoint = async <N extends Network>(file: CheckpointFile, options: ModelLimits, arch: Architecture<N>): Promise<E.Either<ModelError, CheckpointInFile<N>>> => {
  const model = await loadModelFile(file.path, options, arch)
  if (E.isLeft(model)) return E.left(relocate(model.left, 'io.latestCheckpoint'))
  const c = checkpointFromModel(model.right, 'io.latestCheckpoint', file.path)
  if (E.isLeft(c)) return c
  if (c.right.checkpoint.state.step !== file.step) {
    return E.left(modelError('io.latestCheckpoint', `the file holds step ${c.right.checkpoint.state.step}, its name says ${file.step}; rename or delete it`, { file: file.path, path: 'step' }))
  }
  return E.right({ ...c.right, file: file.path })
}

/**
 * The newest checkpoint in a folder, read against an architecture: `Right(undefined)` when there
 * is none (or no folder), `Left(ModelError)` naming the file when it cannot be read or is not a
 * checkpoint (the file is left alone; delete it to fall back to the one before). Never rejects.
 * `io.latestCheckpoint` is this with the architectures of `nn`.
 * @category checkpoints
 * @example
 * ```ts
 * const r = await io.newestCheckpoint('runs/iris', {}, io.specArchitecture()) // io.latestCheckpoint is this with nn's architectures
 * if (r._tag === 'Right' && r.right !== undefined) console.log(r.right.file, r.right.checkpoint.state.step)
 * ```
 */
export const newestCheckpoint = async <N extends Network>(folder: string, options: ModelLimits, arch: Architecture<N>): Promise<E.Either<ModelError, CheckpointInFile<N> | undefined>> => {
  const files = await listCheckpoints(folder)
  if (E.isLeft(files)) return files
  const newest = files.right[files.right.length - 1]
  if (newest === undefined) return E.right(undefined)
  const latest = await readCheckpoint(newest, options, arch)
  if (E.isRight(latest)) return latest
  // Say whether the run can fall back: the newest older file that is whole, if any.
  let fallback = 'no older checkpoint in the folder is whole'
  for (let i = files.right.length - 2; i >= 0; i--) {
    const older = files.right[i]!
    if (E.isRight(await readCheckpoint(older, options, arch))) {
      fallback = `the older ${basename(older.path)} (step ${older.step}) is whole: delete ${basename(newest.path)} to resume from it`
      break
    }
  }
  return E.left(modelError('io.latestCheckpoint', `${latest.left.detail}; ${fallback}`, {
    ...(latest.left.file === undefined ? {} : { file: latest.left.file }),
    ...(latest.left.path === undefined ? {} : { path: latest.left.path }),
  }))
}
