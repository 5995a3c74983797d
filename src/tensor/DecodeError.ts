/**
 * The one error of decoding outside data, for every decoder of the library: specs (`nn.fromSpec`),
 * model files and checkpoints (`io`), datasets (`data`). A decoder never throws for bad input: it
 * returns `Left(DecodeError)`, a frozen record whose `message` alone is enough to find and fix the
 * problem, and whose fields (`source`, `file`, `path`, `line`, `column`, `offset`, `detail`) say the
 * same for programs. The message is rendered in one place (`decodeError`):
 *
 *   ${source}: ${file}: ${path}: ${detail}      parts that are not there are left out
 *
 *   nn.fromSpec: layers[2].outSize: expected a positive integer, got -3
 *   io.loadModel: /tmp/net.json: params[0].w: shape [784, 64], expected [784, 128]
 *   data.fromCsv: line 17, column "petal_width": "abc" is not a number   (the detail names the place)
 *
 * `_tag` names the family the error comes from (`'DecodeError'` for specs, `'ModelError'` for
 * files, `'DataError'` for datasets), so that the existing guards `io.isModelError` and
 * `data.isDataError` keep telling them apart; the type is the same.
 * It lives at the bottom of the layers (tensor) because every decoder above uses it.
 */

/**
 * Where a decoding problem is; every field is optional. @category errors
 * @example
 * ```ts
 * const r = nn.fromSpec({ kind: 'dense', inSize: 0, outSize: 2 })
 * if (r._tag === 'Left') { const where: nn.DecodeLocation = r.left; console.log(where.path) } // the path of the bad field
 * ```
 */
export interface DecodeLocation {
  /** The file the input came from. */
  readonly file?: string
  /** The path of the bad value in a JSON document, a spec or an options object: `layers[2].outSize`, `x[3][1]`. */
  readonly path?: string
  /** 1-based line of a text input (the line where the offending field starts). */
  readonly line?: number
  /** The CSV column: its header name, or its 0-based index when there is no header. */
  readonly column?: string | number
  /** 0-based byte offset in a binary input. */
  readonly offset?: number
}

/**
 * A failure to decode outside data. `message` is the full, self-contained text; `detail` is what is
 * wrong without the source, file and path.
 * @example
 * ```ts
 * const r = nn.fromSpec({ kind: 'dense', inSize: 0, outSize: 2 })
 * if (r._tag === 'Left') { const e: nn.DecodeError = r.left; console.log(e.message) }
 * ```
 * @category errors
 */
export interface DecodeError<Tag extends string = 'DecodeError', Source extends string = string> extends DecodeLocation {
  readonly _tag: Tag
  readonly source: Source
  readonly detail: string
  readonly message: string
}

/** How `decodeError` renders the location in the message. @category errors */
export interface DecodeRendering {
  /** What to call the whole value when `path` is `''` (`'the spec'`); by default an empty path is left out. */
  readonly root?: string
  /** The detail already names the place (a CSV line and column), so the message is `${source}: ${detail}`. */
  readonly placeInDetail?: boolean
}

/**
 * A `DecodeError`, its message rendered as `${source}: ${file}: ${path}: ${detail}`, leaving out
 * the parts that are not there (and the file and path when `rendering.placeInDetail`).
 * @example decodeError('DecodeError', 'nn.fromSpec', 'expected a positive integer, got -3', { path: 'layers[2].outSize' })
 * @category errors
 */
export const decodeError = <Tag extends string, Source extends string>(
  tag: Tag,
  source: Source,
  detail: string,
  location: DecodeLocation = {},
  rendering: DecodeRendering = {},
): DecodeError<Tag, Source> => {
  const path = location.path === '' ? rendering.root : location.path
  const place = rendering.placeInDetail === true ? [] : [location.file, path]
  const kept: DecodeLocation = Object.fromEntries(Object.entries(location).filter(([, v]) => v !== undefined))
  return Object.freeze({
    _tag: tag,
    source,
    detail,
    ...kept,
    message: [source, ...place, detail].filter((s) => s !== undefined).join(': '),
  })
}

/**
 * The guard of the family `tag`: whether a value is a `DecodeError` with that `_tag` (its source is
 * the family's, `Source`, since only the family's constructor makes that tag).
 * @category errors
 */
export const isDecodeErrorOf = <Tag extends string, Source extends string = string>(tag: Tag) => (u: unknown): u is DecodeError<Tag, Source> =>
  typeof u === 'object' && u !== null && (u as { readonly _tag?: unknown })._tag === tag

/**
 * An `Error` with a `DecodeError`'s message, for the edge of a program (a script, a test) that
 * prefers to throw: `E.getOrElseW((e) => { throw toError(e) })`.
 * @category errors
 */
export const decodeErrorToError = (e: { readonly message: string }): Error => new Error(e.message)

/**
 * A short rendering of an outside value for messages: numbers, booleans and null as they are,
 * strings JSON-quoted and cut, arrays and objects by their kind, so that a megabyte-long value
 * cannot flood a terminal. `missing` names `undefined`.
 * @example showValue('abc') // '"abc"'
 * @category errors
 */
export const showValue = (u: unknown, missing = 'undefined'): string => {
  const text = u === undefined ? missing
    : typeof u === 'number' || typeof u === 'boolean' || u === null ? String(u)
    : typeof u === 'string' ? JSON.stringify(u.length > 40 ? `${u.slice(0, 40)}...` : u)
    : Array.isArray(u) ? `an array of ${u.length}`
    : typeof u === 'object' ? 'an object'
    : typeof u
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

/**
 * The path of a field of the value at `path`: `layers[2]` + `outSize` = `layers[2].outSize`; other
 * keys are quoted (and cut at 40 characters): `extra["a b"]`.
 * @category errors
 */
export const pathKey = (path: string, key: string): string =>
  /^[A-Za-z_$][\w$]*$/.test(key) ? (path === '' ? key : `${path}.${key}`) : `${path}[${JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}...` : key)}]`

/** The path of an element of the array at `path`: `layers` + 2 = `layers[2]`. @category errors */
export const pathIndex = (path: string, index: number): string => `${path}[${index}]`
