/**
 * Checkpoints as model files. A checkpoint file is an ordinary model file (`modelFile.ts`) that
 * has every optional part: `optState`, `step`, `key` (the state's step key), `history`, and under
 * `extra.checkpoint` the facts of the run that fix the order of its batches:
 *
 *   "extra": { "checkpoint": { "key": { "kind": "Key", "words": [0, 7] }, "batchSize": 32, "examples": 120, "dropLast": false,
 *                              "data": { "x": { "dtype": "float32", "shape": [120, 4], "crc32": "..." }, "y": ... },
 *                              "settings": { "optimizer": "adam", "lr": 0.01, ... } }, ...user data }
 *
 * `data` (the fingerprint of the training data: dtype, shape and CRC-32 of the bytes of x and y)
 * and `settings` (whatever JSON the caller describes the run with: optimizer and its settings,
 * loss, schedule, column names, class labels) are written when the writer is given them
 * (`io.checkpoints(folder, { data, settings })`); `io.resume` refuses to continue a run whose data
 * or settings differ from the file's, naming the difference. A file without them (written before
 * version 2, or without the options) is resumed with the older checks only.
 *
 * So `loadModel`, `purenet inspect`, `eval` and `predict` read a checkpoint like any model, and
 * `decodeCheckpoint` reads it back into the `train.Checkpoint` that `train.resume` continues from.
 * Pure: no `node:` module; `checkpoints.ts` adds the folder of numbered files.
 */
import * as E from 'fp-ts/lib/Either.js'
import type { Tensor } from '../tensor/index.js'
import type { Tree } from '../tree/index.js'
import { type ModelError, type ModelSource, modelError } from './ModelError.js'
import { type Architecture, type KeyWords, type ModelDocument, type ModelHistory, type ModelLimits, type Network, decodeModelText, encodeModelText } from './modelFile.js'
import type { Json, JsonObject } from './jsonText.js'
import { crc32Hex } from './crc32.js'
import { type StateTree, type TreeLayout, isObject, show } from './tensorTree.js'

/**
 * The facts of a run that fix the order of its batches (the shape of `train.RunInfo`). @category checkpoints
 * @example
 * ```ts
 * const facts: io.RunFacts = { key: { kind: 'Key', words: [0, 0] }, batchSize: 16, examples: 120, dropLast: false }
 * ```
 */
export interface RunFacts {
  readonly key: KeyWords
  readonly batchSize: number
  readonly examples: number
  readonly dropLast: boolean
}

/**
 * A training run at a step as a checkpoint file holds it (the shape of `train.Checkpoint`): the
 * network, its training state, the history and the run's facts.
 * @category checkpoints
 * @example
 * ```ts
 * const net = nn.dense(2, 1)
 * const params = net.init(random.key(0))
 * const checkpoint: io.CheckpointDocument<typeof net, typeof params, optim.CountState> = {
 *   net,
 *   state: { params, optState: { count: 0 }, step: 0, key: random.key(1) },
 *   history: { loss: [], epochs: [] },
 *   run: { key: random.key(2), batchSize: 8, examples: 64, dropLast: false },
 * }
 * const text = io.encodeCheckpointText(checkpoint, io.layerLayout)
 * ```
 */
export interface CheckpointDocument<N extends { readonly name: string }, P = Tree, S = StateTree> {
  readonly net: N
  readonly state: { readonly params: P; readonly optState: S; readonly step: number; readonly key: KeyWords }
  readonly history: ModelHistory
  readonly run: RunFacts
}

/**
 * A checkpoint decoded from a model: the checkpoint, the user's `extra` data and the run's fingerprint. @category checkpoints
 * @example
 * ```ts
 * const r = io.decodeCheckpointText('{}', {}, io.specArchitecture())
 * if (r._tag === 'Right') {
 *   const decoded: io.DecodedCheckpoint<nn.AnyLayer> = r.right
 *   console.log(decoded.checkpoint.state.step, decoded.extra, decoded.fingerprint)
 * }
 * ```
 */
export interface DecodedCheckpoint<N extends Network> {
  readonly checkpoint: CheckpointDocument<N, Tree, StateTree>
  readonly extra: JsonObject
  readonly fingerprint: RunFingerprint
}

/**
 * The key of `extra` under which a checkpoint keeps its `RunInfo`. @category checkpoints
 * @example
 * ```ts
 * // a checkpoint is a model file whose extra[io.checkpointExtraKey] holds the run
 * console.log(io.checkpointExtraKey) // 'checkpoint'
 * ```
 */
export const checkpointExtraKey = 'checkpoint'

const hasSpec = <N extends { readonly name: string }>(u: N): u is N & Network => typeof u === 'object' && u !== null && 'spec' in u && (u as { spec?: unknown }).spec !== undefined

/**
 * The fingerprint of one tensor: dtype, shape and the CRC-32 of its little-endian bytes. @category checkpoints
 * @example
 * ```ts
 * const { x }: io.RunFingerprint['data'] & object = io.dataFingerprint({ x: tensor([[1]]), y: tensor([[0]]) })
 * const fingerprint: io.TensorFingerprint = x
 * ```
 */
export interface TensorFingerprint {
  readonly dtype: string
  readonly shape: ReadonlyArray<number>
  readonly crc32: string
}

/**
 * What a checkpoint records of the run beyond `RunInfo`, so that a resume can refuse another run. @category checkpoints
 * @example
 * ```ts
 * const fingerprint: io.RunFingerprint = { data: io.dataFingerprint({ x: tensor([[1]]), y: tensor([[0]]) }), settings: { lr: 0.1 } }
 * ```
 */
export interface RunFingerprint {
  /** The training data's fingerprint: x and y. */
  readonly data?: { readonly x: TensorFingerprint; readonly y: TensorFingerprint }
  /** The caller's description of every setting that changes the run (optimizer, learning rate, loss, schedule, columns, classes). */
  readonly settings?: JsonObject
}

const littleEndian = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1

const tensorFingerprint = (x: Tensor): TensorFingerprint => {
  const d = x.data
  let bytes = new Uint8Array(d.buffer, d.byteOffset, d.byteLength)
  if (!littleEndian) {
    bytes = new Uint8Array(d.byteLength)
    const view = new DataView(bytes.buffer)
    for (let i = 0; i < d.length; i++) {
      if (d instanceof Float64Array) view.setFloat64(8 * i, d[i]!, true)
      else view.setFloat32(4 * i, d[i]!, true)
    }
  }
  return Object.freeze({ dtype: x.dtype, shape: Object.freeze([...x.shape]), crc32: crc32Hex(bytes) })
}

/**
 * The fingerprint of a dataset: dtype, shape and CRC-32 of the bytes of x and of y. Two datasets
 * with the same number of rows but another row, label or order have different fingerprints.
 * @example
 * ```ts
 * io.dataFingerprint({ x: tensor([[1, 2]]), y: tensor([[0]]) }) // CRC-32s and shapes of x and y, for resume to compare
 * ```
 * @category checkpoints
 */
export const dataFingerprint = (data: { readonly x: Tensor; readonly y: Tensor }): NonNullable<RunFingerprint['data']> => Object.freeze({ x: tensorFingerprint(data.x), y: tensorFingerprint(data.y) })

const showJson = (u: unknown): string => {
  const text = u === undefined ? 'nothing' : JSON.stringify(u)
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}

/**
 * The first difference between the fingerprint a checkpoint file records and this run's, in
 * words naming it (`the data's x differs: ...`, `settings.lr: ...`), or `undefined`. Parts the file
 * does not record are not compared; `settings` are compared key by key, both ways.
 * @example
 * ```ts
 * const a = io.dataFingerprint({ x: tensor([[1]]), y: tensor([[0]]) })
 * const b = io.dataFingerprint({ x: tensor([[2]]), y: tensor([[0]]) })
 * io.fingerprintDifference({ data: a }, { data: b }) // a sentence naming x as different
 * ```
 * @category checkpoints
 */
export const fingerprintDifference = (file: RunFingerprint, run: RunFingerprint): string | undefined => {
  const hint = 'resume with the data and settings of the run that wrote the checkpoint, or start a new run in an empty folder'
  if (file.data !== undefined && run.data !== undefined) {
    for (const part of ['x', 'y'] as const) {
      const a = file.data[part]
      const b = run.data[part]
      if (a.dtype !== b.dtype || a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
        return `the checkpoint was written for other data: its ${part} is ${a.dtype} [${a.shape.join(', ')}], this run's ${b.dtype} [${b.shape.join(', ')}]; ${hint}`
      }
      if (a.crc32 !== b.crc32) {
        return `the checkpoint was written for other data: its ${part} (${a.dtype} [${a.shape.join(', ')}]) has CRC-32 ${a.crc32}, this run's ${b.crc32} (other ${part === 'x' ? 'rows or feature values' : 'targets or labels'}, or another order); ${hint}`
      }
    }
  }
  if (file.settings !== undefined && run.settings !== undefined) {
    const keys = [...new Set([...Object.keys(file.settings), ...Object.keys(run.settings)])]
    for (const k of keys) {
      const a = Object.hasOwn(file.settings, k) ? file.settings[k] : undefined
      const b = Object.hasOwn(run.settings, k) ? run.settings[k] : undefined
      if (JSON.stringify(a) !== JSON.stringify(b)) {
        return `settings.${k}: the checkpoint's run has ${showJson(a)}, this run ${showJson(b)}; ${hint}`
      }
    }
  }
  return undefined
}

/**
 * The model file a checkpoint is: the network, its state, history and run facts, plus the user's
 * `extra` data (which may not use the key `checkpoint`). `Left` for a network without a spec.
 * @category checkpoints
 * @example
 * ```ts
 * const net = nn.dense(2, 1)
 * const params = net.init(random.key(0))
 * const checkpoint: io.CheckpointDocument<typeof net> = {
 *   net,
 *   state: { params, optState: { count: 0 }, step: 0, key: random.key(1) },
 *   history: { loss: [], epochs: [] },
 *   run: { key: random.key(2), batchSize: 8, examples: 64, dropLast: false },
 * }
 * const model = io.checkpointToModel(checkpoint, { note: 'baseline' }) // Right(the model document, its run under extra.checkpoint)
 * ```
 */
export const checkpointToModel = <N extends { readonly name: string }, P, S>(
  checkpoint: CheckpointDocument<N, P, S>,
  extra: JsonObject = {},
  source: ModelSource = 'io.encodeModel',
  fingerprint: RunFingerprint = {},
): E.Either<ModelError, ModelDocument<N & Network, P>> => {
  const net = checkpoint.net
  if (!hasSpec(net)) {
    return E.left(modelError(source, `the network ${checkpoint.net.name} has no spec, so a file cannot say what it is; checkpoint a network made with nn (serial, dense, ...)`, { path: 'net' }))
  }
  if (Object.hasOwn(extra, checkpointExtraKey)) {
    return E.left(modelError(source, `the key "${checkpointExtraKey}" is where a checkpoint keeps its run; put your data under another key`, { path: `extra.${checkpointExtraKey}` }))
  }
  const { run, state, history } = checkpoint
  const info: JsonObject = {
    key: { kind: 'Key', words: [run.key.words[0], run.key.words[1]] },
    batchSize: run.batchSize,
    examples: run.examples,
    dropLast: run.dropLast,
    // A fingerprint is JSON (strings and numbers), but an interface has no index signature, so
    // TypeScript cannot see it as a JsonObject.
    ...(fingerprint.data === undefined ? {} : { data: fingerprint.data as unknown as JsonObject }),
    ...(fingerprint.settings === undefined ? {} : { settings: fingerprint.settings }),
  }
  return E.right({
    net,
    params: state.params,
    // S is the optimizer's state, which the caller's types do not tie to StateTree; encodeDocument
    // checks its form (numbers, tensors, arrays, records) at run time before writing it.
    optState: state.optState as unknown as StateTree,
    step: state.step,
    key: state.key,
    history,
    extra: { ...extra, [checkpointExtraKey]: info },
  })
}

/**
 * The text of a checkpoint file. Throws an `Error` naming the path for a checkpoint that cannot
 * be saved (a network without a spec, a NaN in the state); the writer of `io.checkpoints` reports
 * it the same way.
 * @category checkpoints
 * @example
 * ```ts
 * const net = nn.dense(2, 1)
 * const params = net.init(random.key(0))
 * const text = io.encodeCheckpointText({
 *   net,
 *   state: { params, optState: { count: 0 }, step: 0, key: random.key(1) },
 *   history: { loss: [], epochs: [] },
 *   run: { key: random.key(2), batchSize: 8, examples: 64, dropLast: false },
 * }, io.layerLayout) // io.encodeCheckpoint is this for a train.Checkpoint
 * ```
 */
export const encodeCheckpointText = <N extends { readonly name: string }, P, S>(checkpoint: CheckpointDocument<N, P, S>, layout: (net: N & Network) => TreeLayout, extra: JsonObject = {}): string => {
  const model = checkpointToModel(checkpoint, extra)
  if (E.isLeft(model)) throw new Error(model.left.message)
  return encodeModelText(model.right, layout)
}

type Problem = { readonly path: string; readonly detail: string }

const runFact = (u: Readonly<Record<string, unknown>>, name: string, ok: (v: unknown) => boolean, expected: string): Problem | undefined => {
  const v = Object.hasOwn(u, name) ? u[name] : undefined
  return ok(v) ? undefined : { path: `extra.checkpoint.${name}`, detail: v === undefined ? `missing; expected ${expected}` : `expected ${expected}, got ${show(v)}` }
}

const isTensorFingerprint = (v: unknown): v is TensorFingerprint =>
  isObject(v) && Object.keys(v).length === 3 && typeof v['dtype'] === 'string' && typeof v['crc32'] === 'string' && /^[0-9a-f]{8}$/.test(v['crc32'])
  && Array.isArray(v['shape']) && v['shape'].every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)

const decodeRun = (u: Json | undefined): E.Either<Problem, RunFacts & RunFingerprint> => {
  const hint = 'a checkpoint keeps its run there (written by train.fit with a checkpoint option)'
  if (u === undefined) return E.left({ path: 'extra.checkpoint', detail: `missing; ${hint}` })
  if (!isObject(u)) return E.left({ path: 'extra.checkpoint', detail: `expected an object, got ${show(u)}; ${hint}` })
  const fields = ['key', 'batchSize', 'examples', 'dropLast', 'data', 'settings']
  const unknown = Object.keys(u).find((k) => !fields.includes(k))
  if (unknown !== undefined) return E.left({ path: `extra.checkpoint.${unknown}`, detail: `unknown field; the run of a checkpoint has ${fields.map((f) => `"${f}"`).join(', ')}` })
  const count = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v > 0
  const word = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 2 ** 32
  const problem = [
    runFact(u, 'key', (v) => isObject(v) && v['kind'] === 'Key' && Array.isArray(v['words']) && v['words'].length === 2 && v['words'].every(word) && Object.keys(v).length === 2, 'a key { "kind": "Key", "words": [w0, w1] }'),
    runFact(u, 'batchSize', count, 'a positive integer'),
    runFact(u, 'examples', count, 'a positive integer'),
    runFact(u, 'dropLast', (v) => typeof v === 'boolean', 'true or false'),
    Object.hasOwn(u, 'data') ? runFact(u, 'data', (v) => isObject(v) && Object.keys(v).length === 2 && isTensorFingerprint(v['x']) && isTensorFingerprint(v['y']), 'the fingerprint of the data { "x": { "dtype", "shape", "crc32" }, "y": ... }') : undefined,
    Object.hasOwn(u, 'settings') ? runFact(u, 'settings', isObject, 'an object of the run\'s settings') : undefined,
  ].find((p) => p !== undefined)
  if (problem !== undefined) return E.left(problem)
  const words = (u['key'] as { readonly words: readonly [number, number] }).words
  const key: KeyWords = Object.freeze({ kind: 'Key' as const, words: Object.freeze([words[0], words[1]] as const) })
  return E.right(Object.freeze({
    key, batchSize: u['batchSize'] as number, examples: u['examples'] as number, dropLast: u['dropLast'] as boolean,
    // checked by isTensorFingerprint above (runFact of 'data'), which TypeScript does not follow into u
    ...(Object.hasOwn(u, 'data') ? { data: u['data'] as unknown as NonNullable<RunFingerprint['data']> } : {}),
    ...(Object.hasOwn(u, 'settings') ? { settings: u['settings'] as JsonObject } : {}),
  }))
}

/**
 * The checkpoint a decoded model file holds, or `Left` naming the part it lacks (a model saved
 * without its optimizer state is not a checkpoint). The user's `extra` data is returned beside it.
 * @category checkpoints
 * @example
 * ```ts
 * const model = io.decodeModel('{"format": "purenet-model"}')
 * const checkpoint = model._tag === 'Right' ? io.checkpointFromModel(model.right) : model // Left('optState: missing; ...') for a plain model file
 * ```
 */
export const checkpointFromModel = <N extends Network>(
  model: ModelDocument<N, unknown>,
  source: ModelSource = 'io.decodeModel',
  file?: string,
): E.Either<ModelError, DecodedCheckpoint<N>> => {
  const at = (path: string, detail: string): E.Either<ModelError, never> => E.left(modelError(source, detail, { path, ...(file === undefined ? {} : { file }) }))
  const hint = 'this is a model file, not a checkpoint (train.fit with a checkpoint option writes those)'
  if (model.optState === undefined) return at('optState', `missing; ${hint}`)
  if (model.step === undefined) return at('step', `missing; ${hint}`)
  if (model.key === undefined) return at('key', `missing; ${hint}`)
  if (model.history === undefined) return at('history', `missing; ${hint}`)
  const { [checkpointExtraKey]: runJson, ...extra } = model.extra ?? {}
  const run = decodeRun(runJson)
  if (E.isLeft(run)) return at(run.left.path, run.left.detail)
  if (model.history.loss.length > model.step) return at('history.loss', `${model.history.loss.length} losses for ${model.step} steps; a checkpoint has at most one loss a step`)
  const checkpoint: CheckpointDocument<N, Tree, StateTree> = Object.freeze({
    net: model.net,
    state: Object.freeze({ params: model.params as Tree, optState: model.optState, step: model.step, key: model.key }),
    history: model.history,
    run: Object.freeze({ key: run.right.key, batchSize: run.right.batchSize, examples: run.right.examples, dropLast: run.right.dropLast }),
  })
  const fingerprint: RunFingerprint = Object.freeze({
    ...(run.right.data === undefined ? {} : { data: run.right.data }),
    ...(run.right.settings === undefined ? {} : { settings: run.right.settings }),
  })
  return E.right(Object.freeze({ checkpoint, extra: Object.freeze(extra), fingerprint }))
}

/**
 * Decodes a checkpoint file's text: `Right` of the checkpoint (ready for `train.resume`) and the
 * user's `extra` data, or `Left(ModelError)` naming the path of the first problem. With
 * `options.net`, the file's architecture must be that network's. Pure; never throws.
 * @category checkpoints
 * @example
 * ```ts
 * const text = '{"format": "purenet-model"}' // the text of a checkpoint file
 * const r = io.decodeCheckpointText(text, { maxBytes: 1e6 }, io.specArchitecture()) // io.decodeCheckpoint is this with nn's architectures
 * if (r._tag === 'Left') console.error(r.left.message) // names the path of the first problem
 * ```
 */
export const decodeCheckpointText = <N extends Network>(text: string, options: ModelLimits, arch: Architecture<N>): E.Either<ModelError, DecodedCheckpoint<N>> => {
  const model = decodeModelText(text, options, arch, 'io.decodeCheckpoint')
  if (E.isLeft(model)) return model
  return checkpointFromModel(model.right, 'io.decodeCheckpoint')
}
