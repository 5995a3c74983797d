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
 * Reads are bounded (`boundedRead.ts`): the file is opened first, the open descriptor must be a
 * regular file (a FIFO, device or folder is refused before a byte is read), its size is checked
 * against `maxBytes` (default 256 MiB, never more than a JavaScript string holds), it is read in
 * chunks, and the text must be UTF-8. Then `decodeModel` validates everything within its budgets.
 */
import * as E from 'fp-ts/lib/Either.js'
import { maxStringBytes, readBoundedFile } from './boundedRead.js'
import { type ModelError, modelError, relocate } from './ModelError.js'
import { type Architecture, type ModelDocument, type ModelLimits, type Network, decodeModelText, defaultMaxBytes, encodeDocument, problemToError } from './modelFile.js'
import { describeSystemError } from './systemError.js'
import type { TreeLayout } from './tensorTree.js'
import { writeFileAtomic } from './writeAtomic.js'

/**
 * Writes a model file atomically (temporary file in the same folder, fsync, rename, fsync of the
 * folder), keeping the permissions of a file it replaces and writing through a symbolic link. The
 * model is checked as `encodeModel` checks it, so the file written can be loaded.
 * Resolves to `Right(undefined)` or `Left(ModelError)`; never rejects. `io.saveModel` is this with
 * the layouts of `nn`.
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(4, 8), nn.relu, nn.dense(8, 3))
 * const iris = data.dataset(zeros([30, 4]), data.oneHot(Array.from({ length: 30 }, (_, i) => i % 3), 3))
 * const options = { net, loss: losses.softmaxCrossEntropy, optimizer: optim.sgd(0.1), data: iris, epochs: 10, batchSize: 8, key: random.key(0) }
 * const { state } = train.fit(options)
 * await io.saveModel('iris.json', { net, params: state.params, step: state.step, key: state.key, optState: state.optState })
 * ```
 * @category files
 */
export const saveModelFile = async <N extends Network>(path: string, model: ModelDocument<N, unknown>, layout: (net: N) => TreeLayout): Promise<E.Either<ModelError, void>> => {
  let text: string
  try {
    const r = encodeDocument(model, layout)
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

// The text of a model file, or what is wrong; the bytes live only in this frame, so they can be
// collected while the text is decoded.
const readModelText = async (path: string, maxBytes: number): Promise<E.Either<string, string>> => {
  const read = await readBoundedFile(path, maxBytes)
  if (E.isLeft(read)) {
    const p = read.left
    return E.left(p.kind === 'not-a-file' ? `${p.detail}; give the path of a model file`
      : p.kind === 'too-big' ? (maxBytes > maxStringBytes ? p.detail : `${p.detail} (options.maxBytes); raise the limit if the model really is that big`)
      : p.kind === 'changed' ? p.detail
      : `cannot read the file: ${p.detail}`)
  }
  try {
    return E.right(new TextDecoder('utf-8', { fatal: true }).decode(read.right))
  } catch {
    return E.left('not UTF-8 text; a model file is JSON (is this a binary file?)')
  }
}

/**
 * Reads and decodes a model file against an architecture: `Right` of the network, its parameters
 * and whatever else the file holds (optimizer state, step, key, history, extra), or
 * `Left(ModelError)` naming the file, the path in it and the problem. Refuses files larger than
 * `options.maxBytes` (default 256 MiB) before reading them. Never rejects. `io.loadModel` is this
 * with the architectures of `nn`.
 * @example
 * ```ts
 * const model = await io.loadModel('iris.json') // Either<ModelError, SavedModel>
 * if (model._tag === 'Left') console.error(model.left.message) // names the file, the field path and the fix
 * ```
 * @category files
 */
export const loadModelFile = async <N extends Network>(path: string, options: ModelLimits, arch: Architecture<N>): Promise<E.Either<ModelError, ModelDocument<N, unknown>>> => {
  const fail = (detail: string): E.Either<ModelError, never> => E.left(modelError('io.loadModel', detail, { file: path }))
  const maxBytes = options.maxBytes === undefined || !(options.maxBytes >= 0) ? defaultMaxBytes : options.maxBytes
  const text = await readModelText(path, maxBytes)
  if (E.isLeft(text)) return fail(text.left)
  const decoded = decodeModelText(text.right, options, arch)
  return E.isLeft(decoded) ? E.left(relocate(decoded.left, 'io.loadModel', path)) : decoded
}
