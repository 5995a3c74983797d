/**
 * Where a command writes, checked before it does any work, so a run never ends in a failed save:
 * an output is never one of the command's inputs (the same path, another spelling of it, a
 * symbolic link to it or a hard link of it: existing files are compared by device and inode),
 * and its folder exists and takes a new file (checked by creating and removing a temporary file
 * there, which also catches a read-only file system). A checkpoint folder need not exist yet:
 * its nearest existing parent must take it.
 */
import { open, stat, unlink } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { describeSystemError } from '../io/systemError.js'
import { temporaryPath, writeTarget } from '../io/writeAtomic.js'
import { type Failure, inputError } from './outcome.js'

/** A path given to a command, with its flag (`out`, `data`). */
export interface Place {
  readonly flag: string
  readonly path: string
}

/** An output: a file (`--out`) or a folder of files (`--checkpoint`). */
export interface Output extends Place {
  readonly kind: 'file' | 'folder'
}

const code = (e: unknown): unknown => (typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined)

// The device and inode of an existing file, after symbolic links; undefined when there is none.
const identity = async (path: string): Promise<string | undefined> => {
  try {
    const s = await stat(path)
    return `${s.dev}:${s.ino}`
  } catch {
    return undefined
  }
}

// Whether a new file can be created in `folder`: creates and removes one.
const probe = async (folder: string): Promise<unknown> => {
  const path = temporaryPath(folder)
  try {
    const handle = await open(path, 'wx', 0o600)
    await handle.close()
    await unlink(path)
    return undefined
  } catch (e) {
    return e
  }
}

const checkFile = async (out: Output): Promise<E.Either<Failure, void>> => {
  let target: string
  try {
    target = await writeTarget(out.path)
  } catch (e) {
    return inputError(`${out.path}: cannot write the file: ${describeSystemError(e)}`)
  }
  try {
    const s = await stat(target)
    if (s.isDirectory()) return inputError(`${out.path}: is a folder; --${out.flag} takes the path of a file`)
    if (!s.isFile()) return inputError(`${out.path}: not a regular file (a device, socket or pipe); give --${out.flag} the path of a file`)
  } catch (e) {
    if (code(e) !== 'ENOENT') return inputError(`${out.path}: cannot write the file: ${describeSystemError(e)}`)
  }
  const folder = dirname(target)
  try {
    if (!(await stat(folder)).isDirectory()) return inputError(`${out.path}: ${folder} is not a folder`)
  } catch (e) {
    return inputError(code(e) === 'ENOENT' ? `${out.path}: the folder ${folder} does not exist; create it first` : `${out.path}: cannot write in ${folder}: ${describeSystemError(e)}`)
  }
  const failed = await probe(folder)
  return failed === undefined ? E.right(undefined) : inputError(`${out.path}: cannot write in the folder ${folder}: ${describeSystemError(failed)}`)
}

const checkFolder = async (out: Output): Promise<E.Either<Failure, void>> => {
  // The folder itself, or the nearest parent that exists (the writer creates the rest).
  let folder = resolve(out.path)
  for (;;) {
    try {
      const s = await stat(folder)
      if (!s.isDirectory()) return inputError(`${out.path}: ${folder === resolve(out.path) ? 'not a folder' : `${folder} is not a folder`}; --${out.flag} takes a folder`)
      break
    } catch (e) {
      // ENOTDIR: a part of the path is a file, which the next round names
      if ((code(e) !== 'ENOENT' && code(e) !== 'ENOTDIR') || dirname(folder) === folder) return inputError(`${out.path}: cannot use the folder: ${describeSystemError(e)}`)
      folder = dirname(folder)
    }
  }
  const failed = await probe(folder)
  return failed === undefined ? E.right(undefined) : inputError(`${out.path}: cannot write in the folder ${folder}: ${describeSystemError(failed)}`)
}

/**
 * `Right` when every output can be written and none is an input; otherwise the `input` failure
 * naming the first problem, e.g. `--out d.csv is the same file as --data ./d.csv; ...`.
 */
export const checkOutputs = async (outputs: ReadonlyArray<Output>, inputs: ReadonlyArray<Place>): Promise<E.Either<Failure, void>> => {
  for (const out of outputs) {
    const id = await identity(out.path)
    for (const input of inputs) {
      if (resolve(out.path) === resolve(input.path) || (id !== undefined && id === (await identity(input.path)))) {
        return inputError(`--${out.flag} ${out.path} is the same file as --${input.flag} ${input.path}; writing there would destroy the input: give --${out.flag} another path`)
      }
    }
    const ok = out.kind === 'file' ? await checkFile(out) : await checkFolder(out)
    if (E.isLeft(ok)) return ok
  }
  return E.right(undefined)
}
