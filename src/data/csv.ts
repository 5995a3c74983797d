/**
 * CSV datasets: `fromCsv(text, { target })` decodes RFC 4180 text into a `Dataset` of numeric
 * features and a target, or a `DataError` naming the line and column. It never throws. It is the
 * streaming decoder `csvDecoder` (csvDecoder.ts) fed once: cells go straight into typed arrays, so
 * memory is about the size of the result plus the text itself, and a file can be decoded piece by
 * piece without ever being one string (the `purenet` command does that).
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
import { dataError, showValue } from './DataError.js'
import type { DataError } from './DataError.js'
import { csvDecoder } from './csvDecoder.js'
import { type CsvData, type CsvOptions, SOURCE, decodeOptions } from './csvOptions.js'

export { type CsvData, type CsvOptions, type CsvTask, CsvOptionsCodec, decodeCsvOptions } from './csvOptions.js'
export { type CsvDecoder, csvDecoder, maxCsvClasses, maxCsvRecordChars } from './csvDecoder.js'

/**
 * Decodes CSV text into a dataset: x of shape [n, features.length], y of shape [n, 1] for a
 * numeric target, [n] class indices (or [n, k] one-hot) for labels. Never throws; every error
 * names the line and the column. See the module comment for the dialect and the class order.
 *
 * ```ts
 * fromCsv('a,b,label\n1,2,cat\n3,4,dog\n', { target: 'label' })
 * // Right({ dataset: { x: [[1, 2], [3, 4]], y: [0, 1] }, features: ['a', 'b'], target: 'label', classes: ['cat', 'dog'] })
 * ```
 * @example
 * ```ts
 * const r = data.fromCsv('x1,x2,label\n0,1,a\n1,0,b\n', { target: 'label' })
 * if (r._tag === 'Right') console.log(r.right.classes, r.right.dataset.x.shape) // ['a', 'b'] [2, 2]
 * ```
 * @category decoders
 */
export const fromCsv = (text: string, options: CsvOptions): E.Either<DataError, CsvData> => {
  const decoded = decodeOptions(options)
  if (E.isLeft(decoded)) return decoded
  if (typeof text !== 'string') return E.left(dataError(SOURCE, `expected the CSV text as a string, got ${showValue(text)}`))
  const decoder = csvDecoder(options)
  decoder.push(text)
  return decoder.end()
}
