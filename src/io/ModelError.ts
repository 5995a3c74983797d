/**
 * Errors of model files. Loading never throws for a bad file: it returns `Left(ModelError)`, a
 * frozen record whose `message` alone is enough to find and fix the problem. It names the
 * function, the file (when there is one), the path of the bad value in the document, what is
 * wrong and, when there is one, the likely fix:
 *
 *   io.loadModel: /tmp/net.json: params[0].w: shape [784, 64], expected [784, 128]
 *   io.decodeModel: architecture.layers[2].outSize: expected a positive integer, got -3
 *
 * The same facts are fields (`file`, `path`, `detail`) so programs can act on them.
 */

/** Which function produced a `ModelError`. @category errors */
export type ModelSource =
  | 'io.encodeModel' | 'io.decodeModel' | 'io.saveModel' | 'io.loadModel'
  | 'io.decodeCheckpoint' | 'io.checkpoints' | 'io.latestCheckpoint' | 'io.resume'

/** Where a `ModelError` is: the file, and the path of the value in the document (`params[0].w`). @category errors */
export interface ModelErrorLocation {
  readonly file?: string
  readonly path?: string
}

/** A failure to write, read or decode a model. `message` is the full, self-contained text. @category errors */
export interface ModelError extends ModelErrorLocation {
  readonly _tag: 'ModelError'
  readonly source: ModelSource
  /** What is wrong, without the source, file and path. */
  readonly detail: string
  readonly message: string
}

/**
 * A `ModelError`: the message is `${source}: ${file}: ${path}: ${detail}`, leaving out the parts
 * that are not there.
 * @category constructors
 */
export const modelError = (source: ModelSource, detail: string, location: ModelErrorLocation = {}): ModelError =>
  Object.freeze({
    _tag: 'ModelError' as const,
    source,
    detail,
    ...(location.file === undefined ? {} : { file: location.file }),
    ...(location.path === undefined || location.path === '' ? {} : { path: location.path }),
    message: [source, location.file, location.path === '' ? undefined : location.path, detail].filter((s) => s !== undefined).join(': '),
  })

/** The same error reported by another function, or for a file. @category constructors */
export const relocate = (e: ModelError, source: ModelSource, file?: string): ModelError =>
  modelError(source, e.detail, { ...(e.path === undefined ? {} : { path: e.path }), ...(file === undefined ? (e.file === undefined ? {} : { file: e.file }) : { file }) })

/** Whether a value is a `ModelError`. @category guards */
export const isModelError = (u: unknown): u is ModelError =>
  typeof u === 'object' && u !== null && (u as Partial<ModelError>)._tag === 'ModelError'

/**
 * An `Error` with a `ModelError`'s message, for the edge of a program (a script, a test) that
 * prefers to throw: `E.getOrElseW((e) => { throw toError(e) })`.
 * @category destructors
 */
export const toError = (e: ModelError): Error => new Error(e.message)
