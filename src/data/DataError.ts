/**
 * Errors of the decoders of outside data (CSV, IDX, JSON). A decoder never throws for bad data:
 * it returns `Left(DataError)`, a frozen record whose `message` alone is enough to find and fix
 * the bad input. It names the decoder, then where the problem is (a CSV line and column, a JSON
 * path, an IDX byte offset), then what is wrong and, when there is one, the likely fix:
 *
 *   data.fromCsv: line 17, column "petal_width": "abc" is not a number
 *   data.fromJson: x[3][1]: expected a number, got "a"
 *   data.fromIdx: the header declares [60000, 28, 28] unsigned bytes (47040000 bytes of data) but ...
 *
 * The same facts are also fields (`line`, `column`, `path`, `offset`) so programs can act on them.
 */
import type * as t from 'io-ts'

/** Which decoder produced an error. @category errors */
export type DataSource = 'data.fromCsv' | 'data.fromIdx' | 'data.fromJson' | 'data.idxDataset' | 'data.decodeScaler'

/** Where in the input a `DataError` is; every field is optional. @category errors */
export interface DataErrorLocation {
  /** 1-based line of a text input (the line where the offending field starts). */
  readonly line?: number
  /** The CSV column: its header name, or its 0-based index when there is no header. */
  readonly column?: string | number
  /** The path of a value in a JSON document or an options object, e.g. `x[3][1]`. */
  readonly path?: string
  /** 0-based byte offset in a binary input. */
  readonly offset?: number
}

/**
 * A decoding failure of outside data. `message` is the full, self-contained text.
 * @category errors
 */
export interface DataError extends DataErrorLocation {
  readonly _tag: 'DataError'
  readonly source: DataSource
  readonly message: string
}

/**
 * A `DataError` from the decoder, a location and the detail. The message is
 * `${source}: ${detail}`; the detail names the location itself, so the text reads naturally.
 * @category constructors
 */
export const dataError = (source: DataSource, detail: string, location: DataErrorLocation = {}): DataError =>
  Object.freeze({ _tag: 'DataError' as const, source, message: `${source}: ${detail}`, ...location })

/** Whether a value is a `DataError`. @category guards */
export const isDataError = (u: unknown): u is DataError =>
  typeof u === 'object' && u !== null && '_tag' in u && u._tag === 'DataError'

/**
 * An `Error` with a `DataError`'s message, for the edge of a program (a script, a test) that
 * prefers to throw: `E.getOrElseW((e) => { throw toError(e) })`.
 * @category destructors
 */
export const toError = (e: DataError): Error => new Error(e.message)

/**
 * A short rendering of an outside value for messages: strings JSON-quoted, and cut at 40
 * characters so that a megabyte-long cell cannot flood a terminal.
 * @category destructors
 */
export const showValue = (u: unknown): string => {
  const text = ((): string => {
    if (u === undefined) return 'undefined'
    if (typeof u === 'number' || typeof u === 'boolean' || u === null) return String(u)
    if (typeof u === 'string') return JSON.stringify(u.length > 60 ? u.slice(0, 60) : u)
    if (Array.isArray(u)) return `an array of ${u.length}`
    if (typeof u === 'object') return 'an object'
    return typeof u
  })()
  return text.length > 40 ? `${text.slice(0, 37)}...` : text
}

const isUnionLike = (type: t.Decoder<unknown, unknown>): boolean => {
  const tag = (type as { readonly _tag?: unknown })._tag
  return tag === 'UnionType' || tag === 'IntersectionType'
}

// The path of an io-ts context, skipping the branch indices io-ts inserts under a union or an
// intersection (they are not keys of the value), with array indices as `[3]` and keys as `.key`.
const contextPath = (context: t.Context): { readonly path: string; readonly depth: number } => {
  let path = ''
  let depth = 0
  for (let i = 1; i < context.length; i++) {
    const entry = context[i]!
    const parent = context[i - 1]!
    if (isUnionLike(parent.type)) continue
    depth++
    if (Array.isArray(parent.actual) && /^(0|[1-9][0-9]*)$/.test(entry.key)) path += `[${entry.key}]`
    else if (/^[A-Za-z_$][\w$]*$/.test(entry.key)) path += `${path === '' ? '' : '.'}${entry.key}`
    else path += `[${JSON.stringify(entry.key)}]`
  }
  return { path, depth }
}

// io-ts names its primitive codecs by their TypeScript type; messages read better in words.
const BUILTIN_NAMES: ReadonlyMap<string, string> = new Map([['string', 'a string'], ['number', 'a number'], ['boolean', 'true or false']])

/**
 * The deepest io-ts validation error as `path: expected <type>, got <value>` (or `path: missing`).
 * Under a union io-ts reports a failure for every branch; the deepest is the branch the value came
 * closest to, which is the one a reader wants to hear about. `root` prefixes the path.
 * @category destructors
 */
export const describeErrors = (errors: t.Errors, root = ''): { readonly detail: string; readonly path: string } => {
  let best: t.ValidationError | undefined
  let bestDepth = -1
  for (const e of errors) {
    const { depth } = contextPath(e.context)
    if (depth > bestDepth) {
      best = e
      bestDepth = depth
    }
  }
  const rel = best === undefined ? '' : contextPath(best.context).path
  const path = rel === '' ? root : root === '' ? rel : rel.startsWith('[') ? `${root}${rel}` : `${root}.${rel}`
  const where = path === '' ? 'the value' : path
  if (best === undefined) return { detail: `${where}: is not valid`, path }
  if (best.message !== undefined) return { detail: `${where}: ${best.message}`, path }
  // A failing branch of a union is described by the union's name ("number[] or number[][]").
  const n = best.context.length
  const last = best.context[n - 1]
  const owner = n >= 2 && isUnionLike(best.context[n - 2]!.type) ? best.context[n - 2] : last
  const name = owner?.type.name ?? 'a valid value'
  const expected = BUILTIN_NAMES.get(name) ?? name
  if (best.value === undefined && rel !== '') return { detail: `${where}: missing; expected ${expected}`, path }
  return { detail: `${where}: expected ${expected}, got ${showValue(best.value)}`, path }
}
