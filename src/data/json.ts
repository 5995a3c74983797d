/**
 * JSON datasets: `fromJson(textOrValue)` decodes
 *
 *   { "x": number[][], "y": number[] | number[][], "features"?: string[], "classes"?: string[] }
 *
 * through an io-ts codec into a `Dataset`, or a `DataError` whose message names the path of the
 * bad value (`x[3][1]: expected a number, got "a"`). It never throws: a JSON syntax error is a
 * `DataError` too.
 *
 * Rules:
 * - x is a non-empty rectangular matrix with at least one column; y has one entry per row of x,
 *   a number each (shape [n]) or a rectangular row each (shape [n, m]).
 * - numbers must be finite. JSON has no NaN or Infinity, and strings such as "NaN" or "1.5" are
 *   not numbers: the decoder never converts.
 * - `features`, when present, names the columns of x (one name each). `classes`, when present,
 *   names the classes of a 1-D y, which must then hold class indices in [0, classes.length).
 * - **extra fields are errors** (`unknown field "meta"`): a misspelt `"features "` or a `"Y"` that
 *   was meant as `"y"` must not be ignored silently. Keys such as `__proto__` are never read
 *   and, being unknown, are refused.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { type DType, alloc, fromData, showShape } from '../tensor/index.js'
import { type Dataset, dataset } from './Dataset.js'
import { type DataError, dataError, describeErrors, showValue } from './DataError.js'

const SOURCE = 'data.fromJson'

const isFiniteNumber = (u: unknown): u is number => typeof u === 'number' && Number.isFinite(u)

/** A finite number; the message says when a number is there but not finite. */
const FiniteNumber = new t.Type<number, number, unknown>(
  'a number',
  isFiniteNumber,
  (u, c) => (isFiniteNumber(u) ? t.success(u) : t.failure(u, c, typeof u === 'number' ? `expected a finite number, got ${u}` : undefined)),
  t.identity,
)
const Row = t.readonlyArray(FiniteNumber, 'an array of numbers')
const Matrix = t.readonlyArray(Row, 'an array of rows of numbers (number[][])')

/**
 * The io-ts codec of a JSON dataset (structure and finiteness; the rectangular and length checks
 * follow in `fromJson`, which also refuses extra fields).
 * @example
 * ```ts
 * data.JsonDatasetCodec.is({ x: [[1, 2]], y: [0] }) // true
 * ```
 * @category codecs
 */
export const JsonDatasetCodec = t.intersection(
  [
    t.type({ x: Matrix, y: t.union([Row, Matrix], 'number[] or number[][]') }),
    t.partial({ features: t.readonlyArray(t.string, 'an array of strings'), classes: t.readonlyArray(t.string, 'an array of strings') }),
  ],
  'a dataset object { "x": number[][], "y": number[] | number[][] }',
)

/**
 * The decoded document, before the tensors are built. @category model
 * @example
 * ```ts
 * const json: data.JsonDataset = { x: [[1, 2]], y: [0] }
 * ```
 */
export type JsonDataset = t.TypeOf<typeof JsonDatasetCodec>

const FIELDS = ['x', 'y', 'features', 'classes'] as const

/**
 * Options of `fromJson`. @category model
 * @example
 * ```ts
 * const options: data.JsonOptions = { dtype: 'float64' }
 * data.fromJson({ x: [[1]], y: [[1]] }, options)
 * ```
 */
export interface JsonOptions {
  /** The dtype of x and y (default float32). */
  readonly dtype?: DType
}

/**
 * What `fromJson` decodes. @category model
 * @example
 * ```ts
 * const r = data.fromJson({ x: [[1, 2]], y: [0] })
 * if (r._tag === 'Right') { const d: data.JsonData = r.right; console.log(d.dataset.x.shape) }
 * ```
 */
export interface JsonData {
  readonly dataset: Dataset
  /** The column names of x, when the document gives them. */
  readonly features?: ReadonlyArray<string>
  /** The class labels of y, when the document gives them. */
  readonly classes?: ReadonlyArray<string>
}

const fail = (detail: string, path?: string): E.Either<DataError, never> =>
  E.left(dataError(SOURCE, detail, path === undefined ? {} : { path }))

const rectangular = (rows: ReadonlyArray<ReadonlyArray<number>>, name: string): E.Either<DataError, number> => {
  const width = rows[0]?.length ?? 0
  for (let i = 1; i < rows.length; i++) {
    const len = rows[i]!.length
    if (len !== width) {
      return fail(`${name}[${i}]: expected ${width} number${width === 1 ? '' : 's'} like ${name}[0], got ${len}; every row needs the same length`, `${name}[${i}]`)
    }
  }
  return E.right(width)
}

// Copies rows into a buffer of `dtype`; `pathOf` names a value in messages.
const flatten = (
  rows: ReadonlyArray<ReadonlyArray<number>>,
  width: number,
  dtype: DType,
  pathOf: (i: number, j: number) => string,
): E.Either<DataError, Float32Array | Float64Array> => {
  const out = alloc(dtype, rows.length * width)
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!
    for (let j = 0; j < width; j++) {
      const v = row[j]!
      if (dtype === 'float32' && !Number.isFinite(Math.fround(v))) {
        return fail(`${pathOf(i, j)}: ${v} is too large for float32; pass dtype: 'float64'`, pathOf(i, j))
      }
      out[i * width + j] = v
    }
  }
  return E.right(out)
}

/** The index of the first entry of `list` that `ok` refuses, or -1. */
const firstBad = (list: ReadonlyArray<unknown>, ok: (u: unknown) => boolean): number => {
  for (let i = 0; i < list.length; i++) if (!ok(list[i])) return i
  return -1
}

const isRow = (u: unknown): boolean => Array.isArray(u) && firstBad(u, isFiniteNumber) < 0

// A matrix cut just after its first bad value (and that value's row cut after it).
const matrixPrefix = (u: ReadonlyArray<unknown>): ReadonlyArray<unknown> => {
  const i = firstBad(u, isRow)
  if (i < 0) return u
  const row = u[i]
  return [...u.slice(0, i), Array.isArray(row) ? row.slice(0, firstBad(row, isFiniteNumber) + 1) : row]
}

/**
 * The document cut just after the first bad value of each array, so that io-ts, which reports
 * every bad value, reports a few: a file of ten million strings costs one error, not ten million.
 * The cut keeps indices, so the path of the error is the path in the whole document.
 */
const upToFirstProblem = (u: unknown): unknown => {
  if (typeof u !== 'object' || u === null || Array.isArray(u)) return u
  const doc = u as Readonly<Record<string, unknown>>
  const out: Record<string, unknown> = { ...doc }
  if (Array.isArray(doc['x'])) out['x'] = matrixPrefix(doc['x'])
  const y = doc['y']
  if (Array.isArray(y)) {
    if (Array.isArray(y[0])) out['y'] = matrixPrefix(y)
    else {
      const i = firstBad(y, isFiniteNumber)
      out['y'] = i < 0 ? y : y.slice(0, i + 1)
    }
  }
  for (const key of ['features', 'classes']) {
    const names = doc[key]
    if (Array.isArray(names)) {
      const i = firstBad(names, (v) => typeof v === 'string')
      out[key] = i < 0 ? names : names.slice(0, i + 1)
    }
  }
  return out
}

/**
 * Decodes a JSON dataset, given as JSON text or as an already parsed value (any non-string is
 * taken as parsed): x of shape [n, k], y of shape [n] or [n, m]. Never throws.
 *
 * ```ts
 * fromJson('{"x": [[0, 1], [1, 0]], "y": [1, 0]}')  // Right({ dataset: { x: float32[2, 2], y: float32[2] } })
 * fromJson('{"x": [[0, "a"]], "y": [1]}')         // Left: data.fromJson: x[0][1]: expected a number, got "a"
 * ```
 * @example
 * ```ts
 * data.fromJson({ x: [[0, 0], [1, 1]], y: [0, 1] }) // Right({ dataset, ... })
 * ```
 * @category decoders
 */
export const fromJson = (input: unknown, options: JsonOptions = {}): E.Either<DataError, JsonData> => {
  const dtype = options.dtype ?? 'float32'
  if (dtype !== 'float32' && dtype !== 'float64') return fail(`options.dtype: expected 'float32' or 'float64', got ${showValue(dtype)}`, 'options.dtype')
  let value: unknown = input
  if (typeof input === 'string') {
    // JSON.parse refuses the byte-order mark some editors write; it is not part of the document.
    const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input
    if (text.trim() === '') return fail('the text is empty; expected a JSON object { "x": [[...], ...], "y": [...] }')
    try {
      value = JSON.parse(text)
    } catch (e) {
      // The engine's message says where; JSON's missing NaN and Infinity are the usual cause.
      const why = e instanceof Error ? e.message : String(e)
      const hint = /\b(NaN|-?Infinity)\b/.test(text) ? '; JSON has no NaN or Infinity: drop or fix those values before writing the file' : ''
      return fail(`not valid JSON: ${why.length > 200 ? `${why.slice(0, 197)}...` : why}${hint}`)
    }
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const extra = Object.keys(value).find((k) => !(FIELDS as ReadonlyArray<string>).includes(k))
    if (extra !== undefined) {
      return fail(`unknown field ${JSON.stringify(extra)}; a dataset has the fields ${FIELDS.join(', ')} (remove it, or check its spelling)`, extra)
    }
  }
  // The guard walks the document without io-ts's per-value bookkeeping (several times faster on
  // an MNIST-sized x); only a document that fails it is decoded again for the error path.
  const decoded = JsonDatasetCodec.is(value) ? E.right(value) : JsonDatasetCodec.decode(upToFirstProblem(value))
  if (E.isLeft(decoded)) {
    const { detail, path } = describeErrors(decoded.left)
    return fail(detail, path)
  }
  const doc = decoded.right

  const n = doc.x.length
  if (n === 0) return fail('x: no examples; expected at least one row', 'x')
  const xw = rectangular(doc.x, 'x')
  if (E.isLeft(xw)) return xw
  const k = xw.right
  if (k === 0) return fail('x[0]: an empty row; every example needs at least one feature', 'x[0]')
  if (doc.y.length !== n) {
    return fail(`x has ${n} row${n === 1 ? '' : 's'} but y has ${doc.y.length} entr${doc.y.length === 1 ? 'y' : 'ies'}; give one target per example`, 'y')
  }
  if (doc.features !== undefined && doc.features.length !== k) {
    return fail(`features: ${doc.features.length} name${doc.features.length === 1 ? '' : 's'} for ${k} column${k === 1 ? '' : 's'} of x; name every column once`, 'features')
  }
  const x = flatten(doc.x, k, dtype, (i, j) => `x[${i}][${j}]`)
  if (E.isLeft(x)) return x

  // The codec accepts y as numbers or as rows; io-ts's union does not say which, the first entry does.
  const y0 = doc.y[0]
  let ys: { readonly shape: ReadonlyArray<number>; readonly data: Float32Array | Float64Array }
  if (Array.isArray(y0)) {
    const rows = doc.y as ReadonlyArray<ReadonlyArray<number>>
    const yw = rectangular(rows, 'y')
    if (E.isLeft(yw)) return yw
    if (yw.right === 0) return fail('y[0]: an empty row; a target row needs at least one number', 'y[0]')
    const data = flatten(rows, yw.right, dtype, (i, j) => `y[${i}][${j}]`)
    if (E.isLeft(data)) return data
    ys = { shape: [n, yw.right], data: data.right }
  } else {
    const labels = doc.y as ReadonlyArray<number>
    const data = flatten([labels], n, dtype, (_, j) => `y[${j}]`)
    if (E.isLeft(data)) return data
    ys = { shape: [n], data: data.right }
  }
  if (doc.classes !== undefined) {
    const c = doc.classes.length
    if (ys.shape.length !== 1) {
      return fail(`classes names the classes of a y of class indices, but y has shape ${showShape(ys.shape)}; give y as an array of indices`, 'classes')
    }
    for (let i = 0; i < n; i++) {
      const v = ys.data[i]!
      if (!Number.isInteger(v) || v < 0 || v >= c) {
        return fail(`y[${i}]: ${v} is not a class index in [0, ${c}) (there are ${c} classes)`, `y[${i}]`)
      }
    }
  }
  const result: JsonData = {
    dataset: dataset(fromData([n, k], x.right), fromData(ys.shape, ys.data)),
    ...(doc.features === undefined ? {} : { features: Object.freeze([...doc.features]) }),
    ...(doc.classes === undefined ? {} : { classes: Object.freeze([...doc.classes]) }),
  }
  return E.right(Object.freeze(result))
}
