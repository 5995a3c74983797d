/**
 * The streaming CSV decoder behind `fromCsv`: text goes in piece by piece (`push`), each record is
 * read as soon as it is whole and its cells go straight into typed arrays, and `end` gives the
 * dataset or the first problem. No record, field or row of strings is kept: memory is the typed
 * arrays of the result (4 or 8 bytes a feature cell, 12 bytes a row for the target), one record
 * being read, and the distinct class labels. So a file can be decoded from a stream of chunks
 * without ever being one string, and `fromCsv(text)` is this decoder fed once.
 *
 * Problems are reported in the order `fromCsv` always has: a syntax or width error anywhere in
 * the file first (reading stops there), then the first bad feature cell (row by row), then the
 * target column's problems.
 */
import * as E from 'fp-ts/lib/Either.js'
import { type DType, type Data, type Tensor, fromData } from '../tensor/index.js'
import { dataset, oneHot } from './Dataset.js'
import { type DataError, dataError, showValue } from './DataError.js'
import { DECIMAL, compareCodeUnits, parseNumber, trimSpaces } from './csvCells.js'
import { type CsvData, type CsvOptions, type Decoded, SOURCE, decodeOptions } from './csvOptions.js'
import { CR, type CsvRecord, INCOMPLETE, LF, isProblem, recordReader } from './csvRecords.js'

/**
 * The most distinct labels a classification target may have, 2^16. @category decoders
 * @example
 * ```ts
 * console.log(`a CSV target may have at most ${data.maxCsvClasses} classes`)
 * ```
 */
export const maxCsvClasses = 2 ** 16

/**
 * The longest record the decoder holds while waiting for its end, 64 MiB of text. @category decoders
 * @example
 * ```ts
 * console.log(`a CSV record may have at most ${data.maxCsvRecordChars} characters`)
 * ```
 */
export const maxCsvRecordChars = 64 * 2 ** 20

/**
 * A decoder of CSV text fed in pieces. @category decoders
 * @example
 * ```ts
 * const decoder: data.CsvDecoder = data.csvDecoder({ target: 'label' })
 * ```
 */
export interface CsvDecoder {
  /**
   * Feeds the next piece of the text (pieces may cut records, fields and CRLFs anywhere). Returns
   * `false` once the decoder has met a problem that ends the reading: the rest need not be fed.
   */
  readonly push: (text: string) => boolean
  /** Ends the text: the decoded data, or the first problem. */
  readonly end: () => E.Either<DataError, CsvData>
}

type Growable = {
  readonly push: (v: number) => void
  readonly length: () => number
  readonly finish: () => Float32Array | Float64Array | Int32Array
}

const resizableArrayBuffers = typeof (ArrayBuffer.prototype as { resize?: unknown }).resize === 'function'

/**
 * A typed array that grows: in place (a resizable ArrayBuffer, no copy, where the engine has them)
 * or by copies 1.5 times larger (elsewhere). `finish` returns exactly the elements pushed.
 */
const growable = (kind: DType | 'int32'): Growable => {
  const Ctor = kind === 'float64' ? Float64Array : kind === 'float32' ? Float32Array : Int32Array
  const bytes = Ctor.BYTES_PER_ELEMENT
  let buffer: ArrayBuffer | undefined
  if (resizableArrayBuffers) {
    try {
      // Only address space is reserved up to maxByteLength; memory is committed as it grows.
      buffer = new (ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ArrayBuffer)(bytes * 1024, { maxByteLength: 2 ** 34 })
    } catch {
      buffer = undefined
    }
  }
  const resizable = buffer !== undefined
  let view: Float32Array | Float64Array | Int32Array = buffer === undefined ? new Ctor(1024) : new Ctor(buffer, 0, 1024)
  let n = 0
  const grow = (): void => {
    const capacity = Math.max(1024, Math.ceil(view.length * 1.5))
    if (resizable) {
      // ES2024's resizable ArrayBuffer: its resize is not in this project's lib (ES2022)
      (buffer as unknown as { resize: (n: number) => void }).resize(capacity * bytes)
      view = new Ctor(buffer!, 0, capacity)
    } else {
      const next = new Ctor(capacity)
      next.set(view)
      view = next
    }
  }
  return {
    push: (v) => {
      if (n === view.length) grow()
      view[n++] = v
    },
    length: () => n,
    finish: () => {
      if (resizable) {
        // ES2024's resizable ArrayBuffer, as in grow
        (buffer as unknown as { resize: (n: number) => void }).resize(n * bytes)
        return new Ctor(buffer!, 0, n)
      }
      return n === view.length ? view : view.slice(0, n)
    },
  }
}

// A first occurrence in the target column: the row, the line its target cell starts on, the text.
type Seen = { readonly row: number; readonly line: number; readonly raw: string }

const isBlank = (c: number): boolean => c === CR || c === LF || c === 32 || c === 9

/**
 * A streaming decoder of CSV text with the options and dialect of `fromCsv`: `push` the text in
 * pieces, then `end`. Never throws.
 * @example
 * ```ts
 * const d = data.csvDecoder({ target: 'label' })
 * for (const piece of ['x1,x2,lab', 'el\n1,2,a\n3,4,b\n']) if (!d.push(piece)) break
 * const r = d.end() // Either<DataError, CsvData>
 * ```
 * @category decoders
 */
export const csvDecoder = (options: CsvOptions): CsvDecoder => {
  const decoded = decodeOptions(options)
  if (E.isLeft(decoded)) return { push: () => false, end: () => decoded }
  const o: Decoded = decoded.right
  const hasHeader = o.header ?? true
  const dtype: DType = o.dtype ?? 'float32'
  const delimiter = o.delimiter ?? ','
  const classify = o.task === 'classification' || o.oneHot === true || o.classes !== undefined

  let started = false
  let sawText = false
  let pending = ''
  let line = 1
  let fatal: DataError | undefined
  let ended: E.Either<DataError, CsvData> | undefined

  // the header, once read
  let width = 0
  let names: string[] = []
  let headerLine = 1
  let ti = 0
  let featureIndices: number[] = []
  const label = (col: number): string => (hasHeader ? `column ${JSON.stringify(names[col])}` : `column ${col}`)
  const columnOf = (col: number): string | number => (hasHeader ? names[col]! : col)

  // the rows
  let rows = 0
  let x: Growable | undefined
  let yNumbers: Growable | undefined
  const yIds = growable('int32')
  const labelIds = new Map<string, number>()
  const labels: string[] = []
  const labelFirst: Seen[] = []
  let firstCell: DataError | undefined
  let firstEmpty: Seen | undefined
  let firstLabel: Seen | undefined
  let firstNumber: Seen | undefined
  let firstBadNumber: (Seen & { readonly detail: string }) | undefined
  let tooManyLabels: Seen | undefined

  const header = (first: CsvRecord): DataError | undefined => {
    width = first.fields.length
    headerLine = first.line
    names = hasHeader ? first.fields.map(trimSpaces) : first.fields.map((_, i) => String(i))
    if (hasHeader) {
      const seen = new Map<string, number>()
      for (const [i, name] of names.entries()) {
        if (name === '') return dataError(SOURCE, `line ${first.line}, column ${i}: the header has an empty column name; name every column`, { line: first.line, column: i })
        const before = seen.get(name)
        if (before !== undefined) return dataError(SOURCE, `line ${first.line}: column ${JSON.stringify(name)} appears twice (columns ${before} and ${i}); rename one`, { line: first.line, column: name })
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
      if (!hasHeader) return E.left(dataError(SOURCE, `${role} ${JSON.stringify(ref)} is a column name, but header is false; give a 0-based column index`))
      const i = names.indexOf(ref)
      return i >= 0
        ? E.right(i)
        : E.left(dataError(SOURCE, `no column named ${JSON.stringify(ref)}${role === 'target' ? '' : ` (in ${role})`}; columns are: ${listed}`, { column: ref }))
    }
    const target = resolve(o.target, 'target')
    if (E.isLeft(target)) return target.left
    ti = target.right
    featureIndices = []
    if (o.features === undefined) {
      for (let i = 0; i < width; i++) if (i !== ti) featureIndices.push(i)
    } else {
      for (const ref of o.features) {
        const r = resolve(ref, 'features')
        if (E.isLeft(r)) return r.left
        if (r.right === ti) return dataError(SOURCE, `${label(ti)} is the target and cannot also be a feature; remove it from features`, { column: columnOf(ti) })
        if (featureIndices.includes(r.right)) return dataError(SOURCE, `${label(r.right)} is listed twice in features`, { column: columnOf(r.right) })
        featureIndices.push(r.right)
      }
    }
    if (featureIndices.length === 0) {
      return dataError(SOURCE, `no feature columns: ${o.features === undefined ? 'the CSV has only the target column' : 'features is empty'}; a dataset needs at least one input column`)
    }
    x = growable(dtype)
    if (!classify) yNumbers = growable(dtype)
    return undefined
  }

  const row = (r: CsvRecord): DataError | undefined => {
    if (r.fields.length !== width) {
      const blank = r.fields.length === 1 && r.fields[0] === ''
      const detail = blank
        ? `a blank line inside the data; remove it (expected ${width} fields)`
        : `expected ${width} fields (as in ${hasHeader ? 'the header' : 'line 1'}), got ${r.fields.length}; check for a missing or extra delimiter, or quote a field that contains one`
      return dataError(SOURCE, `line ${r.line}: ${detail}`, { line: r.line })
    }
    const index = rows++
    if (firstCell === undefined) {
      for (const col of featureIndices) {
        const cell = parseNumber(r.fields[col]!, dtype)
        if (!cell.ok) {
          const at = r.lines[col]!
          firstCell = dataError(SOURCE, `line ${at}, ${label(col)}: ${cell.detail}`, { line: at, column: columnOf(col) })
          break
        }
        x!.push(cell.value)
      }
    }
    const raw = trimSpaces(r.fields[ti]!)
    const at = r.lines[ti]!
    if (raw === '') {
      firstEmpty ??= { row: index, line: at, raw }
      yIds.push(-1)
      yNumbers?.push(0)
      return undefined
    }
    const isNumber = DECIMAL.test(raw)
    if (yNumbers !== undefined && (isNumber || o.task === 'regression')) {
      const cell = parseNumber(raw, dtype)
      if (!cell.ok) firstBadNumber ??= { row: index, line: at, raw, detail: cell.detail }
      yNumbers.push(cell.ok ? cell.value : 0)
    } else {
      yNumbers?.push(0)
    }
    if (isNumber) firstNumber ??= { row: index, line: at, raw }
    else firstLabel ??= { row: index, line: at, raw }
    if (classify || (!isNumber && o.task !== 'regression')) {
      let id = labelIds.get(raw)
      if (id === undefined) {
        if (labels.length >= maxCsvClasses) {
          tooManyLabels ??= { row: index, line: at, raw }
          yIds.push(-1)
          return undefined
        }
        id = labels.length
        labelIds.set(raw, id)
        labels.push(raw)
        labelFirst.push({ row: index, line: at, raw })
      }
      yIds.push(id)
    } else {
      yIds.push(-1)
    }
    return undefined
  }

  // Reads the whole records of `text` (all of it when `final`); returns where the unread part starts.
  const read = (text: string, final: boolean): number => {
    const reader = recordReader(text, delimiter, { line, final })
    for (;;) {
      const r = reader.next()
      if (r === undefined || r === INCOMPLETE) break
      if (isProblem(r)) {
        if (!started) fatal = dataError(SOURCE, `line ${r.line}, column ${r.field}: ${r.detail}`, { line: r.line, column: r.field })
        else {
          const col = r.field < width ? `, ${label(r.field)}` : ''
          fatal = dataError(SOURCE, `line ${r.line}${col}: ${r.detail}`, { line: r.line, ...(r.field < width ? { column: columnOf(r.field) } : {}) })
        }
        return text.length
      }
      if (!started) {
        started = true
        const problem = header(r)
        if (problem !== undefined) {
          fatal = problem
          return text.length
        }
        if (!hasHeader) fatal = row(r)
      } else {
        fatal = row(r)
      }
      if (fatal !== undefined) return text.length
    }
    line = reader.line()
    return reader.position()
  }

  const push = (piece: string): boolean => {
    if (fatal !== undefined || ended !== undefined) return false
    let text = pending + (pending === '' && !sawText && piece.charCodeAt(0) === 0xfeff ? piece.slice(1) : piece)
    if (text === '') return true
    // Trailing blank lines and spaces may be the end of the file, where they are ignored: they
    // wait for the next piece, which decides.
    let cut = text.length
    while (cut > 0 && isBlank(text.charCodeAt(cut - 1))) cut--
    if (cut > 0) sawText = true
    const consumed = read(text.slice(0, cut), false)
    pending = fatal === undefined ? text.slice(consumed) : ''
    text = ''
    if (fatal === undefined && pending.length > maxCsvRecordChars) {
      fatal = dataError(SOURCE, `line ${line}: a record longer than ${maxCsvRecordChars} characters (an unclosed quote?); a CSV record is a line of fields`, { line })
    }
    return fatal === undefined
  }

  const finish = (): E.Either<DataError, CsvData> => {
    if (fatal === undefined) {
      let end = pending.length
      while (end > 0 && isBlank(pending.charCodeAt(end - 1))) end--
      const text = pending.slice(0, end)
      pending = ''
      if (text !== '') read(text, true)
    }
    if (fatal !== undefined) return E.left(fatal)
    if (!started) {
      return E.left(dataError(SOURCE, sawText ? 'the text is empty' : `the text is empty; expected ${hasHeader ? 'a header row and ' : ''}at least one data row`))
    }
    const n = rows
    if (n === 0) return E.left(dataError(SOURCE, `the header (line ${headerLine}) has no data rows after it`, { line: headerLine }))
    if (firstCell !== undefined) return E.left(firstCell)
    const k = featureIndices.length
    const xs = fromData([n, k], x!.finish() as Data)
    x = undefined
    const features = featureIndices.map((i) => names[i]!)
    const target = names[ti]!
    const cellError = (at: Seen, detail: string): E.Either<DataError, never> =>
      E.left(dataError(SOURCE, `line ${at.line}, ${label(ti)}: ${detail}`, { line: at.line, column: columnOf(ti) }))
    // A missing target is an error whatever the task: it is neither a number nor a label.
    if (firstEmpty !== undefined) return cellError(firstEmpty, 'empty cell; every example needs a target: fill it in or drop the row')

    if (!classify && (firstLabel === undefined || o.task === 'regression')) {
      if (firstBadNumber !== undefined) return cellError(firstBadNumber, o.task === 'regression' ? `${firstBadNumber.detail} (task is 'regression')` : firstBadNumber.detail)
      return E.right(Object.freeze({ dataset: dataset(xs, fromData([n, 1], yNumbers!.finish() as Data)), features, target }))
    }
    if (!classify && firstNumber !== undefined && firstLabel !== undefined) {
      // In 'auto' a column of numbers with a few words in it is far more often a typo than a
      // classification target with numeric labels: ask rather than guess.
      const [a, b] = firstLabel.row < firstNumber.row ? [firstLabel, firstNumber] : [firstNumber, firstLabel]
      return cellError(
        b,
        `${showValue(b.raw)} ${b === firstLabel ? 'is not a number' : 'is a number'}, but line ${a.line} has ${showValue(a.raw)}; the column mixes numbers and labels: fix the odd cell, or pass task: 'classification' to read every value as a class label`,
      )
    }
    if (tooManyLabels !== undefined) {
      return cellError(tooManyLabels, `more than ${maxCsvClasses} distinct labels in the target column; a classification target has fewer (is this an id or a free-text column?)`)
    }

    // Class labels. When every label (and every given class) is a number, labels are compared as
    // numbers, so "1" and "1.0" are one class and 10 sorts after 2.
    const given = o.classes?.map(trimSpaces)
    const numeric = firstLabel === undefined && (given === undefined || given.every((g) => DECIMAL.test(g)))
    const keyOf = (s: string): string => (numeric ? String(Number(s)) : s)
    const classes: string[] =
      given ??
      (numeric
        ? [...new Set(labels.map(keyOf))].sort((p, q) => Number(p) - Number(q))
        : [...labels].sort(compareCodeUnits))
    const index = new Map<string, number>(classes.map((c, i) => [keyOf(c), i]))
    if (index.size !== classes.length) {
      // Only labels equal as numbers ("1" and "1.0") or after trimming get here; plain repeats
      // were refused with the options.
      const keys = classes.map(keyOf)
      const i = keys.findIndex((key, j) => keys.indexOf(key) !== j)
      const j = keys.indexOf(keys[i]!)
      return E.left(dataError(SOURCE, `options: classes lists ${showValue(classes[j])} and ${showValue(classes[i])}, which are the same class; each label needs one index`))
    }
    const classOf = new Int32Array(labels.length)
    let unknown: Seen | undefined
    for (let id = 0; id < labels.length; id++) {
      const c = index.get(keyOf(labels[id]!))
      classOf[id] = c ?? -1
      if (c === undefined && (unknown === undefined || labelFirst[id]!.row < unknown.row)) unknown = labelFirst[id]!
    }
    if (unknown !== undefined) {
      return cellError(unknown, `${showValue(unknown.raw)} is not one of the given classes (${classes.slice(0, 20).join(', ')}${classes.length > 20 ? ', ...' : ''}); add it to classes`)
    }
    const ids = yIds.finish()
    for (let r = 0; r < n; r++) ids[r] = classOf[ids[r]!]!
    let y: Tensor
    if (o.oneHot === true) y = oneHot(ids, classes.length, { dtype })
    else {
      const d = dtype === 'float64' ? new Float64Array(n) : new Float32Array(n)
      d.set(ids)
      y = fromData([n], d)
    }
    return E.right(Object.freeze({ dataset: dataset(xs, y), features, target, classes: Object.freeze(classes) }))
  }

  return {
    push,
    end: () => {
      ended ??= finish()
      return ended
    },
  }
}
