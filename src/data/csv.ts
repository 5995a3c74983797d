/**
 * CSV datasets: `fromCsv(text, { target })` decodes RFC 4180 text into a `Dataset` of numeric
 * features and a target, or a `DataError` naming the line and column. It never throws.
 *
 * The dialect, RFC 4180 with the liberties real files need:
 * - records end with CRLF, LF or a lone CR; a UTF-8 byte-order mark is dropped; trailing blank
 *   lines (and trailing spaces and tabs) at the end of the text are ignored. A blank line *inside*
 *   the data is a record of one empty field, so it is reported, never silently skipped.
 * - a field is quoted when its first character is `"`; inside quotes, `""` is a quote and
 *   delimiters and line breaks are data. A quote inside an unquoted field, or anything but a
 *   delimiter or a line break after a closing quote, is an error (lenient parsers guess there,
 *   and a guessed dataset is worse than an error).
 * - the first record is a header of column names (trimmed; unique and non-empty) unless
 *   `header: false`, in which case columns are named by their 0-based index.
 * - every record has as many fields as the first one.
 *
 * Cells: a feature cell is a decimal number (`12`, `-1.5`, `.5`, `6.02e23`), optionally quoted,
 * with surrounding spaces and tabs allowed. Anything else (`abc`, an empty cell, `1e`, `0x10`,
 * `NaN`, `Infinity`, `1,5`) is an error: missing values are not guessed. A value too large for
 * the dtype is an error too, never an Infinity in the data.
 *
 * Targets: a column of numbers is a regression target, `y` of shape [n, 1]. A column with any
 * non-number is a column of class labels, `y` holds class indices of shape [n] (or one-hot rows
 * [n, k] with `oneHot: true`) and `classes` is the mapping (`classes[i]` is the label of index i).
 * Classes are **sorted**, so the mapping depends only on the set of labels and not on the row
 * order: numerically when every label is a number, else by UTF-16 code units (not by locale, which
 * would vary between machines). Pass `classes` to reuse a training set's mapping on a test set.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { type DType, type Tensor, alloc, fromData } from '../tensor/index.js'
import { type Dataset, dataset, oneHot } from './Dataset.js'
import { type DataError, dataError, describeErrors, showValue } from './DataError.js'
import { type CsvRecord, CR, LF, isProblem, recordReader } from './csvRecords.js'

/** How the target column is read. @category model */
export type CsvTask = 'auto' | 'classification' | 'regression'

/** Options of `fromCsv`. @category model */
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

/** What `fromCsv` decodes. @category model */
export interface CsvData {
  readonly dataset: Dataset
  /** The names of the columns of x, in order (0-based indices as strings without a header). */
  readonly features: ReadonlyArray<string>
  /** The name of the target column. */
  readonly target: string
  /** For a classification target, the label of each class index. */
  readonly classes?: ReadonlyArray<string>
}

const SOURCE = 'data.fromCsv'

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

type Decoded = t.TypeOf<typeof CsvOptionsCodec>

/**
 * Decodes options from outside: unknown keys are errors (a misspelt `fetures` would otherwise be
 * ignored silently), and so are contradictions (`oneHot` with `task: 'regression'`).
 * @category codecs
 */
export const decodeCsvOptions = (u: unknown): E.Either<DataError, CsvOptions> =>
  E.map((o: Decoded) => o as CsvOptions)(decodeOptions(u))

const decodeOptions = (u: unknown): E.Either<DataError, Decoded> => {
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

// ---------------------------------------------------------------------------------------------
// Cells.

// Digits and the dot are disjoint alternatives, so a long run of digits cannot backtrack
// quadratically (a megabyte cell must fail in linear time).
const DECIMAL = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/
const MISSING = /^(?:nan|na|n\/a|null|none|\?|-|inf|-inf|\+inf|infinity|-infinity|\+infinity)$/i

const trimSpaces = (s: string): string => {
  let a = 0
  let b = s.length
  while (a < b && (s.charCodeAt(a) === 32 || s.charCodeAt(a) === 9)) a++
  while (b > a && (s.charCodeAt(b - 1) === 32 || s.charCodeAt(b - 1) === 9)) b--
  return a === 0 && b === s.length ? s : s.slice(a, b)
}

type Cell = { readonly ok: true; readonly value: number } | { readonly ok: false; readonly detail: string }

/** A cell as a number representable in `dtype`, or why not (the detail follows `line L, column C: `). */
const parseNumber = (raw: string, dtype: DType): Cell => {
  const s = trimSpaces(raw)
  if (s === '') return { ok: false, detail: 'empty cell; fill it in or drop the row (missing values are not guessed)' }
  if (!DECIMAL.test(s)) {
    const hint = MISSING.test(s)
      ? '; missing or infinite values are not guessed: fill the cell in or drop the row'
      : /^[+-]?[0-9]+,[0-9]+$/.test(s)
        ? '; write decimals with a dot'
        : ''
    return { ok: false, detail: `${showValue(raw)} is not a number${hint}` }
  }
  const v = Number(s)
  if (!Number.isFinite(v)) return { ok: false, detail: `${showValue(raw)} is too large for a number` }
  if (dtype === 'float32' && !Number.isFinite(Math.fround(v))) {
    return { ok: false, detail: `${showValue(raw)} is too large for float32; pass dtype: 'float64'` }
  }
  return { ok: true, value: v }
}

const compareCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

// ---------------------------------------------------------------------------------------------
// The decoder.

/**
 * Decodes CSV text into a dataset: x of shape [n, features.length], y of shape [n, 1] for a
 * numeric target, [n] class indices (or [n, k] one-hot) for labels. Never throws; every error
 * names the line and the column. See the module comment for the dialect and the class order.
 *
 * ```ts
 * fromCsv('a,b,label\n1,2,cat\n3,4,dog\n', { target: 'label' })
 * // Right({ dataset: { x: [[1, 2], [3, 4]], y: [0, 1] }, features: ['a', 'b'], target: 'label', classes: ['cat', 'dog'] })
 * ```
 * @category decoders
 */
export const fromCsv = (text: string, options: CsvOptions): E.Either<DataError, CsvData> => {
  const decoded = decodeOptions(options)
  if (E.isLeft(decoded)) return decoded
  const o = decoded.right
  if (typeof text !== 'string') return E.left(dataError(SOURCE, `expected the CSV text as a string, got ${showValue(text)}`))
  const hasHeader = o.header ?? true
  const dtype: DType = o.dtype ?? 'float32'

  // The BOM is an encoding artefact, and trailing blank lines are what editors leave behind.
  let body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  let end = body.length
  while (end > 0) {
    const c = body.charCodeAt(end - 1)
    if (c !== CR && c !== LF && c !== 32 && c !== 9) break
    end--
  }
  body = body.slice(0, end)
  if (body === '') {
    return E.left(dataError(SOURCE, `the text is empty; expected ${hasHeader ? 'a header row and ' : ''}at least one data row`))
  }

  const reader = recordReader(body, o.delimiter ?? ',')
  const first = reader.next()
  if (first === undefined) return E.left(dataError(SOURCE, 'the text is empty'))
  if (isProblem(first)) return E.left(dataError(SOURCE, `line ${first.line}, column ${first.field}: ${first.detail}`, { line: first.line, column: first.field }))
  const width = first.fields.length
  const names: string[] = hasHeader ? first.fields.map(trimSpaces) : first.fields.map((_, i) => String(i))
  const label = (col: number): string => (hasHeader ? `column ${JSON.stringify(names[col])}` : `column ${col}`)
  const columnOf = (col: number): string | number => (hasHeader ? names[col]! : col)

  if (hasHeader) {
    const seen = new Map<string, number>()
    for (const [i, name] of names.entries()) {
      if (name === '') {
        return E.left(dataError(SOURCE, `line ${first.line}, column ${i}: the header has an empty column name; name every column`, { line: first.line, column: i }))
      }
      const before = seen.get(name)
      if (before !== undefined) {
        return E.left(dataError(SOURCE, `line ${first.line}: column ${JSON.stringify(name)} appears twice (columns ${before} and ${i}); rename one`, { line: first.line, column: name }))
      }
      seen.set(name, i)
    }
  }

  // Columns are resolved from the header before any data is read, so a misspelt target is
  // reported even when the data has problems of its own.
  // A name with a delimiter, a quote or a line break is shown quoted, so the list stays readable.
  const listed = names.map((s) => (/[,;"\r\n\t]|^ | $/.test(s) || s === '' ? JSON.stringify(s) : s)).join(', ')
  const resolve = (ref: string | number, role: string): E.Either<DataError, number> => {
    if (typeof ref === 'number') {
      return ref < width
        ? E.right(ref)
        : E.left(dataError(SOURCE, `${role} ${ref} is out of range: the CSV has ${width} column${width === 1 ? '' : 's'} (indices 0 to ${width - 1})`))
    }
    if (!hasHeader) {
      return E.left(dataError(SOURCE, `${role} ${JSON.stringify(ref)} is a column name, but header is false; give a 0-based column index`))
    }
    const i = names.indexOf(ref)
    return i >= 0
      ? E.right(i)
      : E.left(dataError(SOURCE, `no column named ${JSON.stringify(ref)}${role === 'target' ? '' : ` (in ${role})`}; columns are: ${listed}`, { column: ref }))
  }
  const targetIndex = resolve(o.target, 'target')
  if (E.isLeft(targetIndex)) return targetIndex
  const ti = targetIndex.right
  const featureIndices: number[] = []
  if (o.features === undefined) {
    for (let i = 0; i < width; i++) if (i !== ti) featureIndices.push(i)
  } else {
    for (const ref of o.features) {
      const r = resolve(ref, 'features')
      if (E.isLeft(r)) return r
      if (r.right === ti) {
        return E.left(dataError(SOURCE, `${label(ti)} is the target and cannot also be a feature; remove it from features`, { column: columnOf(ti) }))
      }
      if (featureIndices.includes(r.right)) {
        return E.left(dataError(SOURCE, `${label(r.right)} is listed twice in features`, { column: columnOf(r.right) }))
      }
      featureIndices.push(r.right)
    }
  }
  if (featureIndices.length === 0) {
    return E.left(dataError(SOURCE, `no feature columns: ${o.features === undefined ? `the CSV has only the target column` : 'features is empty'}; a dataset needs at least one input column`))
  }

  // Read every record, checking its width as it comes so that the first problem in the file is
  // the one reported.
  const rows: CsvRecord[] = hasHeader ? [] : [first]
  for (let r = reader.next(); r !== undefined; r = reader.next()) {
    if (isProblem(r)) {
      const col = r.field < width ? `, ${label(r.field)}` : ''
      return E.left(dataError(SOURCE, `line ${r.line}${col}: ${r.detail}`, { line: r.line, ...(r.field < width ? { column: columnOf(r.field) } : {}) }))
    }
    if (r.fields.length !== width) {
      const blank = r.fields.length === 1 && r.fields[0] === ''
      const detail = blank
        ? `a blank line inside the data; remove it (expected ${width} fields)`
        : `expected ${width} fields (as in ${hasHeader ? 'the header' : 'line 1'}), got ${r.fields.length}; check for a missing or extra delimiter, or quote a field that contains one`
      return E.left(dataError(SOURCE, `line ${r.line}: ${detail}`, { line: r.line }))
    }
    rows.push(r)
  }
  const n = rows.length
  if (n === 0) return E.left(dataError(SOURCE, `the header (line ${first.line}) has no data rows after it`, { line: first.line }))

  const k = featureIndices.length
  const x = alloc(dtype, n * k)
  for (let r = 0; r < n; r++) {
    const row = rows[r]!
    for (let j = 0; j < k; j++) {
      const col = featureIndices[j]!
      const cell = parseNumber(row.fields[col]!, dtype)
      if (!cell.ok) {
        const line = row.lines[col]!
        return E.left(dataError(SOURCE, `line ${line}, ${label(col)}: ${cell.detail}`, { line, column: columnOf(col) }))
      }
      x[r * k + j] = cell.value
    }
  }
  const xs = fromData([n, k], x)
  const features = featureIndices.map((i) => names[i]!)
  const target = names[ti]!

  const cellError = (r: number, detail: string): E.Either<DataError, never> => {
    const line = rows[r]!.lines[ti]!
    return E.left(dataError(SOURCE, `line ${line}, ${label(ti)}: ${detail}`, { line, column: columnOf(ti) }))
  }
  const raw = rows.map((row) => trimSpaces(row.fields[ti]!))
  // A missing target is an error whatever the task: it is neither a number nor a label.
  const empty = raw.indexOf('')
  if (empty >= 0) return cellError(empty, 'empty cell; every example needs a target: fill it in or drop the row')

  const classify = o.task === 'classification' || o.oneHot === true || o.classes !== undefined
  const firstLabel = raw.findIndex((s) => !DECIMAL.test(s))
  if (!classify && (firstLabel < 0 || o.task === 'regression')) {
    const y = alloc(dtype, n)
    for (let r = 0; r < n; r++) {
      const cell = parseNumber(raw[r]!, dtype)
      if (!cell.ok) return cellError(r, o.task === 'regression' ? `${cell.detail} (task is 'regression')` : cell.detail)
      y[r] = cell.value
    }
    return E.right(Object.freeze({ dataset: dataset(xs, fromData([n, 1], y)), features, target }))
  }
  const firstNumber = raw.findIndex((s) => DECIMAL.test(s))
  if (!classify && firstNumber >= 0) {
    // In 'auto' a column of numbers with a few words in it is far more often a typo than a
    // classification target with numeric labels: ask rather than guess.
    const [a, b] = firstLabel < firstNumber ? [firstLabel, firstNumber] : [firstNumber, firstLabel]
    return cellError(
      b,
      `${showValue(raw[b])} ${b === firstLabel ? 'is not a number' : 'is a number'}, but line ${rows[a]!.lines[ti]} has ${showValue(raw[a])}; the column mixes numbers and labels: fix the odd cell, or pass task: 'classification' to read every value as a class label`,
    )
  }

  // Class labels. When every label (and every given class) is a number, labels are compared as
  // numbers, so "1" and "1.0" are one class and 10 sorts after 2.
  const given = o.classes?.map(trimSpaces)
  const numeric = firstLabel < 0 && (given === undefined || given.every((g) => DECIMAL.test(g)))
  const keyOf = (s: string): string => (numeric ? String(Number(s)) : s)
  const classes: string[] =
    given ??
    (numeric
      ? [...new Set(raw.map(keyOf))].sort((a, b) => Number(a) - Number(b))
      : [...new Set(raw)].sort(compareCodeUnits))
  const index = new Map<string, number>(classes.map((c, i) => [keyOf(c), i]))
  if (index.size !== classes.length) {
    // Only labels equal as numbers ("1" and "1.0") or after trimming get here; plain repeats
    // were refused with the options.
    const keys = classes.map(keyOf)
    const i = keys.findIndex((key, k) => keys.indexOf(key) !== k)
    const j = keys.indexOf(keys[i]!)
    return E.left(dataError(SOURCE, `options: classes lists ${showValue(classes[j])} and ${showValue(classes[i])}, which are the same class; each label needs one index`))
  }
  const ids = new Float64Array(n)
  for (let r = 0; r < n; r++) {
    const i = index.get(keyOf(raw[r]!))
    if (i === undefined) {
      return cellError(r, `${showValue(raw[r])} is not one of the given classes (${classes.slice(0, 20).join(', ')}${classes.length > 20 ? ', ...' : ''}); add it to classes`)
    }
    ids[r] = i
  }
  let y: Tensor
  if (o.oneHot === true) y = oneHot(ids, classes.length, { dtype })
  else {
    const d = alloc(dtype, n)
    d.set(ids)
    y = fromData([n], d)
  }
  return E.right(Object.freeze({ dataset: dataset(xs, y), features, target, classes: Object.freeze(classes) }))
}
