/**
 * Model files on disk: `saveModel` and `loadModel`, the only part of `io` that touches the file
 * system (`node:` modules). Neither throws for a bad path or a bad file: both return
 * `Promise<Either<ModelError, _>>` whose message names the file and the problem.
 *
 * Writes are atomic (`writeAtomic.ts`): the text goes to a temporary file in the same folder
 * (`.purenet-<random>.tmp`, short whatever the target's name), which is flushed to the disk
 * (`fsync`) and then renamed over the target, and the folder is flushed too where the platform
 * allows. A crash at any moment leaves either the old file or the new one, never a mix; a stray
 * temporary file of a killed save is removed by a later save into that folder once it is an hour
 * old. Saving over a file keeps its permissions; a symbolic link is written through to its target.
 *
 * Reads are bounded: the size is checked with `stat` before a byte is read (`maxBytes`, default
 * 256 MiB), at most that many bytes are read even if the file grows meanwhile, and the text must be
 * UTF-8. Then `decodeModel` validates everything.
 */
import { type FileHandle, open, stat } from 'node:fs/promises'
import * as E from 'fp-ts/lib/Either.js'
import type { AnyLayer } from '../nn/index.js'
import { type ModelError, modelError, relocate } from './ModelError.js'
import { type DecodeOptions, type ModelLimits, type SavedModel, decodeModel, defaultMaxBytes, encodeDocument, problemToError } from './modelFile.js'
import { writeFileAtomic } from './writeAtomic.js'

/** A file-system error in a few words (`no such file or folder`), for messages. @category internals */
export const describeSystemError = (e: unknown): string => {
  const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : ''
  switch (code) {
    case 'ENOENT': return 'no such file or folder'
    case 'EACCES': case 'EPERM': return 'permission denied'
    case 'EISDIR': return 'is a folder, not a file'
    case 'ENOTDIR': return 'a part of the path is not a folder'
    case 'ENOSPC': return 'no space left on the device'
    case 'EROFS': return 'the file system is read-only'
    default: return e instanceof Error ? e.message : String(e)
  }
}

const megabytes = (n: number): string => `${(n / 2 ** 20).toFixed(1)} MiB`

/**
 * Writes a model file atomically (temporary file in the same folder, fsync, rename, fsync of the
 * folder), keeping the permissions of a file it replaces and writing through a symbolic link. The
 * model is checked as `encodeModel` checks it, so the file written can be loaded.
 * Resolves to `Right(undefined)` or `Left(ModelError)`; never rejects.
 * @example await saveModel('mnist.json', { net, params, step: state.step, key: state.key, optState: state.optState })
 * @category files
 */
export const saveModel = async <L extends AnyLayer>(path: string, model: SavedModel<L>): Promise<E.Either<ModelError, void>> => {
  let text: string
  try {
    const r = encodeDocument(model)
    if (E.isLeft(r)) return E.left(problemToError('io.saveModel', r.left, path))
    text = r.right
  } catch (e) {
    return E.left(modelError('io.saveModel', `cannot encode the model (${e instanceof Error ? e.message : String(e)})`, { file: path }))
  }
  try {
    await writeFileAtomic(path, text)
  } catch (e) {
    return E.left(modelError('io.saveModel', `cannot write the file: ${describeSystemError(e)}`, { file: path }))
  }
  return E.right(undefined)
}

/**
 * Reads and decodes a model file: `Right` of the network (rebuilt from its architecture, or
 * `options.net` checked against it), its parameters and whatever else the file holds (optimizer
 * state, step, key, history, extra), or `Left(ModelError)` naming the file, the path in it and the
 * problem. Refuses files larger than `options.maxBytes` (default 256 MiB) before reading them.
 * Never rejects.
 * @example const model = await loadModel('mnist.json') // Either<ModelError, SavedModel>
 * @category files
 */
export function loadModel(path: string, options?: ModelLimits): Promise<E.Either<ModelError, SavedModel>>
export function loadModel<L extends AnyLayer>(path: string, options: ModelLimits & { readonly net: L }): Promise<E.Either<ModelError, SavedModel<L>>>
export async function loadModel(path: string, options: DecodeOptions = {}): Promise<E.Either<ModelError, SavedModel<AnyLayer>>> {
  const fail = (detail: string): E.Either<ModelError, never> => E.left(modelError('io.loadModel', detail, { file: path }))
  const maxBytes = options.maxBytes === undefined || !(options.maxBytes >= 0) ? defaultMaxBytes : options.maxBytes
  let size: number
  try {
    const info = await stat(path)
    if (!info.isFile()) return fail(`not a file (it is ${info.isDirectory() ? 'a folder' : 'a device, socket or pipe'}); give the path of a model file`)
    size = info.size
  } catch (e) {
    return fail(`cannot read the file: ${describeSystemError(e)}`)
  }
  if (size > maxBytes) return fail(`the file is ${megabytes(size)} (${size} bytes), more than the limit of ${megabytes(maxBytes)} (options.maxBytes); raise the limit if the model really is that big`)
  let bytes: Uint8Array
  let handle: FileHandle | undefined
  try {
    handle = await open(path, 'r')
    // One byte more than allowed, to notice a file that grew after stat.
    const buffer = new Uint8Array(Math.min(size, maxBytes) + 1)
    let filled = 0
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null)
      if (bytesRead === 0) break
      filled += bytesRead
    }
    if (filled > maxBytes) return fail(`the file grew past the limit of ${megabytes(maxBytes)} (options.maxBytes) while it was read`)
    bytes = buffer.subarray(0, filled)
  } catch (e) {
    return fail(`cannot read the file: ${describeSystemError(e)}`)
  } finally {
    await handle?.close().catch(() => undefined)
  }
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return fail('not UTF-8 text; a model file is JSON (is this a binary file?)')
  }
  const decoded = decodeModel(text, options as ModelLimits & { readonly net: AnyLayer })
  return E.isLeft(decoded) ? E.left(relocate(decoded.left, 'io.loadModel', path)) : decoded
}
