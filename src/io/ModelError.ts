/**
 * Errors of model files. Loading never throws for a bad file: it returns `Left(ModelError)`, a
 * frozen record whose `message` alone is enough to find and fix the problem. It names the
 * function, the file (when there is one), the path of the bad value in the document, what is
 * wrong and, when there is one, the likely fix:
 *
 *   io.loadModel: /tmp/net.json: params[0].w: shape [784, 64], expected [784, 128]
 *   io.decodeModel: architecture.layers[2].outSize: expected a positive integer, got -3
 *
 * The same facts are fields (`file`, `path`, `detail`) so programs can act on them. A `ModelError`
 * is the library's one decoding error (`DecodeError`, rendered in one place) of the family
 * `'ModelError'`.
 */
import { type DecodeError, type DecodeLocation, decodeError, decodeErrorToError, isDecodeErrorOf } from '../tensor/index.js'


/**
 * Which function produced a `ModelError`. @category errors
 * @example
 * ```ts
 * const source: io.ModelSource = 'io.loadModel'
 * ```
 */
export type ModelSource =
  | 'io.encodeModel' | 'io.decodeModel' | 'io.saveModel' | 'io.loadModel'
  | 'io.decodeCheckpoint' | 'io.checkpoints' | 'io.latestCheckpoint' | 'io.resume'

/**
 * Where a `ModelError` is: the file, and the path of the value in the document (`params[0].w`). @category errors
 * @example
 * ```ts
 * const where: io.ModelErrorLocation = { file: 'model.json', path: 'params[0].w' }
 * io.modelError('io.loadModel', 'element 3 is NaN', where)
 * ```
 */
export type ModelErrorLocation = Pick<DecodeLocation, 'file' | 'path'>

/**
 * A failure to write, read or decode a model: a `DecodeError` of io. `message` is the full, self-contained text. @category errors
 * @example
 * ```ts
 * const r = io.decodeModel('[]')
 * if (r._tag === 'Left') { const e: io.ModelError = r.left; console.log(e.message) }
 * ```
 */
export type ModelError = DecodeError<'ModelError', ModelSource>

/**
 * A `ModelError`: the message is `${source}: ${file}: ${path}: ${detail}`, leaving out the parts
 * that are not there.
 * @example
 * ```ts
 * const e = io.modelError('io.loadModel', 'shape [4, 15], expected [4, 16]', { path: 'params[0].w' })
 * io.toError(e).message
 * ```
 * @category constructors
 */
export const modelError = (source: ModelSource, detail: string, location: ModelErrorLocation = {}): ModelError =>
  decodeError('ModelError', source, detail, {
    ...(location.file === undefined ? {} : { file: location.file }),
    ...(location.path === undefined || location.path === '' ? {} : { path: location.path }),
  })

/**
 * The same error reported by another function, or for a file. @category constructors
 * @example
 * ```ts
 * const e = io.modelError('io.decodeModel', 'not valid JSON')
 * io.relocate(e, 'io.loadModel', 'model.json').message // names the file
 * ```
 */
export const relocate = (e: ModelError, source: ModelSource, file?: string): ModelError =>
  modelError(source, e.detail, { ...(e.path === undefined ? {} : { path: e.path }), ...(file === undefined ? (e.file === undefined ? {} : { file: e.file }) : { file }) })

/**
 * Whether a value is a `ModelError`. @category guards
 * @example
 * ```ts
 * const r = io.decodeModel('not json')
 * if (r._tag === 'Left') io.isModelError(r.left) // true
 * ```
 */
export const isModelError: (u: unknown) => u is ModelError = isDecodeErrorOf<'ModelError', ModelSource>('ModelError')

/**
 * An `Error` with a `ModelError`'s message, for the edge of a program (a script, a test) that
 * prefers to throw: `E.getOrElseW((e) => { throw toError(e) })`.
 * @example
 * ```ts
 * const r = io.decodeModel('{')
 * if (r._tag === 'Left') throw io.toError(r.left) // 'io.decodeModel: not valid JSON ...'
 * ```
 * @category destructors
 */
export const toError = (e: ModelError): Error => decodeErrorToError(e)
