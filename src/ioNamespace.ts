/**
 * The `io` namespace of the main entry: the browser's `io` (`ioPure.ts`) and the disk. The files
 * of `src/io` (atomic writes, bounded reads, folders of numbered checkpoints) know documents only;
 * here they meet `nn` (a file's architecture becomes a layer) and `train` (a folder of checkpoints
 * is `fit`'s `checkpoint` option, and `resume` continues a run from the newest one), the two
 * layers above io that the layer table keeps out of it.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as io from './io/index.js'
import type { CheckpointFolderOptions, CheckpointInFile, JsonObject, ModelError, ModelLimits, RunFingerprint } from './io/index.js'
import { type DecodeOptions, type SavedModel, architectureOf, layerLayout, trainCheckpoint } from './ioPure.js'
import { type AnyLayer, type LayerSpec, paramLayout } from './nn/index.js'
import type { OptState } from './optim/index.js'
import * as onnx from './onnx/index.js'
import type { ExportOptions, ImportLimits, ImportedModel, OnnxError } from './onnx/index.js'
import { readBoundedFile } from './io/boundedRead.js'
import { describeSystemError } from './io/systemError.js'
import { writeFileAtomic } from './io/writeAtomic.js'
import * as train from './train/index.js'
import type { Checkpoint, CheckpointEvery, FitOptions, FitResult } from './train/index.js'
import type { Tree } from './tree/index.js'

export * from './ioPure.js'
export {
  type CheckpointFile, type CheckpointFolderOptions, type CheckpointInFile,
  checkpointFileName, checkpointFolderWriter, listCheckpoints, loadModelFile, newestCheckpoint, saveModelFile,
} from './io/index.js'

/**
 * Writes a model file atomically (temporary file in the same folder, fsync, rename, fsync of the
 * folder), keeping the permissions of a file it replaces and writing through a symbolic link. The
 * model is checked as `encodeModel` checks it, so the file written can be loaded.
 * Resolves to `Right(undefined)` or `Left(ModelError)`; never rejects.
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
export const saveModel = <L extends AnyLayer>(path: string, model: SavedModel<L>): Promise<E.Either<ModelError, void>> =>
  io.saveModelFile(path, model, layerLayout)

/**
 * Reads and decodes a model file: `Right` of the network (rebuilt from its architecture, or
 * `options.net` checked against it), its parameters and whatever else the file holds (optimizer
 * state, step, key, history, extra), or `Left(ModelError)` naming the file, the path in it and the
 * problem. Refuses files larger than `options.maxBytes` (default 256 MiB) before reading them.
 * Never rejects.
 * @example
 * ```ts
 * const model = await io.loadModel('iris.json') // Either<ModelError, SavedModel>
 * if (model._tag === 'Left') console.error(model.left.message) // names the file, the field path and the fix
 * ```
 * @category files
 */
export function loadModel(path: string, options?: Omit<DecodeOptions, 'net'>): Promise<E.Either<ModelError, SavedModel>>
export function loadModel<L extends AnyLayer>(path: string, options: DecodeOptions<L> & { readonly net: L }): Promise<E.Either<ModelError, SavedModel<L>>>
export function loadModel(path: string, options: DecodeOptions = {}): Promise<E.Either<ModelError, SavedModel<AnyLayer>>> {
  return io.loadModelFile(path, options, architectureOf(options))
}

/**
 * A function that writes each checkpoint it is given into `folder` as `checkpoint-<step>.json`,
 * atomically, then deletes all but the newest `keep` files. It creates the folder if needed, and
 * at its first write removes the temporary files a killed writer left behind. Throws an `Error`
 * whose message names the file and the problem
 * (`io.checkpoints: runs/x/checkpoint-000000100.json: cannot write the file: no space left on the device`),
 * which stops `fit`.
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(4, 8), nn.relu, nn.dense(8, 3))
 * const write = io.checkpointWriter('runs/iris', { keep: 2 })
 * const checkpoint = { every: { epochs: 10 }, write } // as io.checkpoints('runs/iris', { every: { epochs: 10 }, keep: 2 }) makes
 * ```
 * @category checkpoints
 */
export const checkpointWriter = (folder: string, options: CheckpointFolderOptions = {}): (<P extends Tree, S>(checkpoint: Checkpoint<P, S>) => void) =>
  io.checkpointFolderWriter(folder, options, (net) => paramLayout(net.spec as LayerSpec))

/**
 * A writer of checkpoint files, for any run: `fit`'s `checkpoint` option (`train.Checkpointing`). @category checkpoints
 * @example
 * ```ts
 * const folder: io.CheckpointFolder = io.checkpoints('runs/iris', { every: { epochs: 5 }, keep: 2 }) // fit's checkpoint option
 * ```
 */
export interface CheckpointFolder {
  readonly every: CheckpointEvery
  readonly write: <P extends Tree, S>(checkpoint: Checkpoint<P, S>) => void
}

/**
 * `fit`'s `checkpoint` option writing to a folder: every `every` (`{ steps: n }` or
 * `{ epochs: n }`) and after the last step, keeping the newest `keep` files (default 3).
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(4, 8), nn.relu, nn.dense(8, 3))
 * const iris = data.dataset(zeros([30, 4]), data.oneHot(Array.from({ length: 30 }, (_, i) => i % 3), 3))
 * const options = { net, loss: losses.softmaxCrossEntropy, optimizer: optim.sgd(0.1), data: iris, epochs: 10, batchSize: 8, key: random.key(0) }
 * train.fit({ ...options, checkpoint: io.checkpoints('runs/iris', { every: { epochs: 10 }, keep: 2 }) })
 * ```
 * @category checkpoints
 */
export const checkpoints = (folder: string, options: CheckpointFolderOptions & { readonly every: CheckpointEvery }): CheckpointFolder => {
  const problem = train.everyProblem(options.every)
  if (problem !== undefined) throw new RangeError(`io.checkpoints: ${problem}`)
  return Object.freeze({ every: options.every, write: checkpointWriter(folder, options) })
}

/**
 * A checkpoint read from a file: the checkpoint, the file, the user's `extra` data and the run's fingerprint. @category checkpoints
 * @example
 * ```ts
 * const r = await io.latestCheckpoint('runs/iris')
 * if (r._tag === 'Right' && r.right !== undefined) { const loaded: io.LoadedCheckpoint = r.right; console.log(loaded.file) }
 * ```
 */
export interface LoadedCheckpoint<P extends Tree = Tree, S = OptState> {
  readonly checkpoint: Checkpoint<P, S>
  readonly file: string
  readonly extra: JsonObject
  readonly fingerprint: RunFingerprint
}

/**
 * The newest checkpoint in a folder: `Right(undefined)` when there is none (or no folder),
 * `Left(ModelError)` naming the file when it cannot be read or is not a checkpoint (the file is
 * left alone; delete it to fall back to the one before). With `options.net`, the file's
 * architecture must be that network's. Never rejects.
 * @example
 * ```ts
 * const latest = await io.latestCheckpoint('runs/iris') // Right(undefined) in an empty folder
 * ```
 * @category checkpoints
 */
export const latestCheckpoint = async (folder: string, options: DecodeOptions = {}): Promise<E.Either<ModelError, LoadedCheckpoint | undefined>> =>
  E.map((c: CheckpointInFile<AnyLayer> | undefined) => (c === undefined ? undefined : { ...c, checkpoint: trainCheckpoint(c.checkpoint) }))(
    await io.newestCheckpoint(folder, options, architectureOf(options)))

const hasSpec = (u: unknown): u is AnyLayer => typeof u === 'object' && u !== null && 'spec' in u && (u as { spec?: unknown }).spec !== undefined

/**
 * Starts or continues the run of `options` whose checkpoints are in `folder`: from the newest
 * checkpoint there (`train.resume`), or from the start (`train.fit`) when there is none. The
 * result is bit-identical to an uninterrupted `train.fit(options)`, however often the process was
 * killed. Pass `checkpoint: io.checkpoints(folder, ...)` in `options` to keep writing checkpoints.
 * `Left(ModelError)` when the newest checkpoint cannot be read (naming the file, and whether an
 * older one is whole) or does not fit the options: other network, key, batch size, dataset size or
 * optimizer state; other data (when the file records its fingerprint:
 * `io.checkpoints(folder, { data })`); other `options.settings` (when the file records settings). A diverging step still
 * throws `DivergenceError`, as in `fit`.
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(4, 8), nn.relu, nn.dense(8, 3))
 * const iris = data.dataset(zeros([30, 4]), data.oneHot(Array.from({ length: 30 }, (_, i) => i % 3), 3))
 * const options = { net, loss: losses.softmaxCrossEntropy, optimizer: optim.sgd(0.1), data: iris, epochs: 10, batchSize: 8, key: random.key(0) }
 * const result = await io.resume('runs/iris', { ...options, checkpoint: io.checkpoints('runs/iris', { every: { epochs: 1 } }) })
 * ```
 * @category checkpoints
 */
export const resume = async <P extends Tree, S>(
  folder: string,
  options: FitOptions<P, S> & ModelLimits & { readonly settings?: JsonObject },
): Promise<E.Either<ModelError, FitResult<P, S>>> => {
  const limits: ModelLimits = {
    ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
    ...(options.maxElements === undefined ? {} : { maxElements: options.maxElements }),
    ...(options.maxNodes === undefined ? {} : { maxNodes: options.maxNodes }),
    ...(options.maxLayers === undefined ? {} : { maxLayers: options.maxLayers }),
  }
  const latest = await latestCheckpoint(folder, hasSpec(options.net) ? { ...limits, net: options.net } : limits)
  if (E.isLeft(latest)) return E.left(io.relocate(latest.left, 'io.resume'))
  if (latest.right === undefined) return E.right(train.fit(options))
  // The file's state has the form of this run's optimizer state: resumable checks it just below.
  const checkpoint = latest.right.checkpoint as unknown as Checkpoint<P, S>
  const run = train.resumable(checkpoint, options)
  if (E.isLeft(run)) return E.left(io.modelError('io.resume', run.left, { file: latest.right.file }))
  const recorded = latest.right.fingerprint
  const difference = io.fingerprintDifference(recorded, {
    ...(recorded.data === undefined ? {} : { data: io.dataFingerprint(options.data) }),
    ...(options.settings === undefined ? {} : { settings: options.settings }),
  })
  if (difference !== undefined) return E.left(io.modelError('io.resume', difference, { file: latest.right.file }))
  const outcome = run.right()
  // a diverging step throws, as in fit
  if (E.isLeft(outcome)) throw outcome.left
  return E.right(outcome.right)
}

/**
 * Writes a network as an ONNX file (`onnx.exportModel`), atomically like `saveModel` (temporary
 * file, fsync, rename). Resolves to `Right(undefined)`, or `Left(OnnxError)` naming the file and the
 * layer ONNX cannot carry or the write that failed; never rejects.
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(4, 8), nn.relu, nn.dense(8, 3))
 * await io.saveOnnx('iris.onnx', net, net.init(random.key(0)))
 * ```
 * @category files
 */
export const saveOnnx = async (path: string, net: AnyLayer, params: unknown, options: ExportOptions = {}): Promise<E.Either<OnnxError, void>> => {
  const bytes = onnx.exportModel(net, params, options)
  if (E.isLeft(bytes)) return E.left(onnx.onnxError('io.saveOnnx', bytes.left.path ?? '', bytes.left.detail, path))
  try {
    await writeFileAtomic(path, bytes.right)
  } catch (e) {
    return E.left(onnx.onnxError('io.saveOnnx', '', `cannot write the file: ${describeSystemError(e)}`, path))
  }
  return E.right(undefined)
}

/**
 * Reads an ONNX file (`onnx.importModel`): `Right` of the network, its parameters, the input's
 * shape and the file's metadata, or `Left(OnnxError)` naming the file and the node or budget.
 * Refuses a file larger than `limits.maxBytes` (default 256 MiB) before reading it. Never rejects.
 * @example
 * ```ts
 * const model = await io.loadOnnx('mlp.onnx') // Either<OnnxError, ImportedModel>
 * ```
 * @category files
 */
export const loadOnnx = async (path: string, limits: ImportLimits = {}): Promise<E.Either<OnnxError, ImportedModel>> => {
  const read = await readBoundedFile(path, limits.maxBytes ?? onnx.defaultImportLimits.maxBytes)
  if (E.isLeft(read)) {
    const p = read.left
    const detail = p.kind === 'not-a-file' ? `${p.detail}; give the path of an .onnx file` : p.kind === 'too-big' ? `${p.detail} (limits.maxBytes)` : p.kind === 'changed' ? p.detail : `cannot read the file: ${p.detail}`
    return E.left(onnx.onnxError('io.loadOnnx', '', detail, path))
  }
  const model = onnx.importModel(read.right, limits)
  return E.isLeft(model) ? E.left(onnx.onnxError('io.loadOnnx', model.left.path ?? '', model.left.detail, path)) : model
}
