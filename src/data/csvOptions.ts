/**
 * The options of the CSV decoders (`fromCsv`, `csvDecoder`) and their io-ts codec: options from
 * outside are decoded like data, unknown keys and contradictions are errors.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import type { DType } from '../tensor/index.js'
import type { Dataset } from './Dataset.js'
import { type DataError, dataError, describeErrors } from './DataError.js'

/**
 * How the target column is read. @category model
 * @example
 * ```ts
 * const task: data.CsvTask = 'classification'
 * ```
 */
export type CsvTask = 'auto' | 'classification' | 'regression'

/**
 * Options of `fromCsv`. @category model
 * @example
 * ```ts
 * const options: data.CsvOptions = { target: 'price', task: 'regression', delimiter: ';' }
 * ```
 */
export interface CsvOptions {
  /** The target column: a header name, or a 0-based index (the only way when `header: false`). */
  readonly target: string | number
  /** The feature columns, in the order wanted (names or 0-based indices); default: all but the target. */
  readonly features?: ReadonlyArray<string | number>
  /** Whether the first record names the columns (default true). */
  readonly header?: boolean
  /**
   * `'auto'` (default): numbers are a regression target, labels a classification target.
   * `'classification'` treats every target value as a label, numbers included (`"1"` and `"1.0"`
   * are then the same class). `'regression'` requires numbers.
   */
  readonly task?: CsvTask
  /** Classification targets as one-hot rows [n, k] instead of indices [n] (default false). */
  readonly oneHot?: boolean
  /** The class labels in index order, e.g. a training set's `classes`; other labels are errors. */
  readonly classes?: ReadonlyArray<string>
  /** The field delimiter, one character (default `,`; `;` and tab are common). */
  readonly delimiter?: string
  /** The dtype of x and y (default float32). */
  readonly dtype?: DType
}

/**
 * What `fromCsv` decodes. @category model
 * @example
 * ```ts
 * const r = data.fromCsv('x,label\n1,a\n', { target: 'label' })
 * if (r._tag === 'Right') { const csv: data.CsvData = r.right; console.log(csv.features, csv.target) }
 * ```
 */
export interface CsvData {
  readonly dataset: Dataset
  /** The names of the columns of x, in order (0-based indices as strings without a header). */
  readonly features: ReadonlyArray<string>
  /** The name of the target column. */
  readonly target: string
  /** For a classification target, the label of each class index. */
  readonly classes?: ReadonlyArray<string>
}

/** The source named in the errors of the CSV decoders. @category internals */
export const SOURCE = 'data.fromCsv'

const ColumnIndex = new t.Type<number, number, unknown>(
  'a 0-based column index',
  (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= 0,
  (u, c) => (typeof u === 'number' && Number.isInteger(u) && u >= 0 ? t.success(u) : t.failure(u, c)),
  t.identity,
)
const ColumnRef = t.union([t.string, ColumnIndex], 'a column name or a 0-based column index')
const Delimiter = new t.Type<string, string, unknown>(
  'one character other than a quote or a line break',
  (u): u is string => typeof u === 'string' && u.length === 1 && u !== '"' && u !== '\r' && u !== '\n',
  (u, c) => (typeof u === 'string' && u.length === 1 && u !== '"' && u !== '\r' && u !== '\n' ? t.success(u) : t.failure(u, c)),
  t.identity,
)

/**
 * The io-ts codec of `CsvOptions`, for options that come from outside (a config file, flags).
 * `fromCsv` runs it too, so a JavaScript caller's bad options are a `Left`, not a crash.
 * @example
 * ```ts
 * data.CsvOptionsCodec.is({ target: 'label' }) // true
 * ```
 * @category codecs
 */
export const CsvOptionsCodec = t.intersection(
  [
    t.type({ target: ColumnRef }),
    t.partial({
      features: t.readonlyArray(ColumnRef, 'an array of column names or indices'),
      header: t.boolean,
      task: t.keyof({ auto: null, classification: null, regression: null }, "'auto', 'classification' or 'regression'"),
      oneHot: t.boolean,
      classes: t.readonlyArray(t.string, 'an array of strings'),
      delimiter: Delimiter,
      dtype: t.keyof({ float32: null, float64: null }, "'float32' or 'float64'"),
    }),
  ],
  'CSV options { target, ... }',
)

const OPTION_KEYS = ['target', 'features', 'header', 'task', 'oneHot', 'classes', 'delimiter', 'dtype'] as const

/** Options as `CsvOptionsCodec` decodes them. @category internals */
export type Decoded = t.TypeOf<typeof CsvOptionsCodec>

/**
 * Decodes options from outside: unknown keys are errors (a misspelt `fetures` would otherwise be
 * ignored silently), and so are contradictions (`oneHot` with `task: 'regression'`).
 * @example
 * ```ts
 * data.decodeCsvOptions(JSON.parse('{"target": "label", "delimiter": ";"}')) // Right(options) or Left naming the field
 * ```
 * @category codecs
 */
export const decodeCsvOptions = (u: unknown): E.Either<DataError, CsvOptions> =>
  E.map((o: Decoded) => o as CsvOptions)(decodeOptions(u))

/** `decodeCsvOptions` with io-ts's own output type. @category internals */
export const decodeOptions = (u: unknown): E.Either<DataError, Decoded> => {
  if (typeof u === 'object' && u !== null && !Array.isArray(u)) {
    const extra = Object.keys(u).find((k) => !(OPTION_KEYS as ReadonlyArray<string>).includes(k))
    if (extra !== undefined) {
      return E.left(dataError(SOURCE, `options.${extra}: unknown option; the options are ${OPTION_KEYS.join(', ')}`, { path: `options.${extra}` }))
    }
  }
  const r = CsvOptionsCodec.decode(u)
  if (E.isLeft(r)) {
    const { detail, path } = describeErrors(r.left, 'options')
    return E.left(dataError(SOURCE, detail, { path }))
  }
  const o = r.right
  const fail = (detail: string): E.Either<DataError, Decoded> => E.left(dataError(SOURCE, `options: ${detail}`))
  if (o.task === 'regression' && o.oneHot === true) return fail("oneHot needs a classification target, but task is 'regression'")
  if (o.task === 'regression' && o.classes !== undefined) return fail("classes need a classification target, but task is 'regression'")
  if (o.classes !== undefined) {
    if (o.classes.length === 0) return fail('classes is empty; give at least one class label or leave it out')
    const seen = new Set<string>()
    for (const c of o.classes) {
      if (seen.has(c)) return fail(`classes lists ${JSON.stringify(c)} twice; each label needs one index`)
      seen.add(c)
    }
  }
  return E.right(o)
}

