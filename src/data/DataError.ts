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
 * A `DataError` is the library's one decoding error (`DecodeError`, rendered in one place) of the
 * family `'DataError'`.
 */
import type * as t from 'io-ts'
import { type DecodeError, type DecodeLocation, decodeError, decodeErrorToError, isDecodeErrorOf, showValue } from '../tensor/index.js'

export { showValue } from '../tensor/index.js'

/**
 * Which decoder produced an error. @category errors
 * @example
 * ```ts
 * const source: data.DataSource = 'data.fromCsv'
 * ```
 */
export type DataSource = 'data.fromCsv' | 'data.fromIdx' | 'data.fromJson' | 'data.idxDataset' | 'data.decodeScaler'

/**
 * Where in the input a `DataError` is (a line and column, a JSON path, a byte offset); every field is optional. @category errors
 * @example
 * ```ts
 * const where: data.DataErrorLocation = { line: 3, column: 'x' }
 * data.dataError('data.fromCsv', 'is not a number', where)
 * ```
 */
export type DataErrorLocation = Omit<DecodeLocation, 'file'>

/**
 * A decoding failure of outside data: a `DecodeError` of data. `message` is the full,
 * self-contained text.
 * @example
 * ```ts
 * const r = data.fromCsv('x\n', { target: 'y' })
 * if (r._tag === 'Left') { const e: data.DataError = r.left; console.log(e.message) }
 * ```
 * @category errors
 */
export type DataError = DecodeError<'DataError', DataSource>

/**
 * A `DataError` from the decoder, a location and the detail. The message is
 * `${source}: ${detail}`; the detail names the location itself, so the text reads naturally.
 * @example
 * ```ts
 * const e = data.dataError('data.fromCsv', 'is not a number', { line: 3, column: 'x' })
 * data.toError(e).message
 * ```
 * @category constructors
 */
export const dataError = (source: DataSource, detail: string, location: DataErrorLocation = {}): DataError =>
  decodeError('DataError', source, detail, location, { placeInDetail: true })

/**
 * Whether a value is a `DataError`. @category guards
 * @example
 * ```ts
 * const r = data.fromCsv('a\nx\n', { target: 'b' })
 * if (r._tag === 'Left') data.isDataError(r.left) // true
 * ```
 */
export const isDataError: (u: unknown) => u is DataError = isDecodeErrorOf<'DataError', DataSource>('DataError')

/**
 * An `Error` with a `DataError`'s message, for the edge of a program (a script, a test) that
 * prefers to throw: `E.getOrElseW((e) => { throw toError(e) })`.
 * @example
 * ```ts
 * const r = data.fromCsv('x,label\nabc,1\n', { target: 'label' })
 * if (r._tag === 'Left') throw data.toError(r.left) // an Error with the message naming line and column
 * ```
 * @category destructors
 */
export const toError = (e: DataError): Error => decodeErrorToError(e)

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
