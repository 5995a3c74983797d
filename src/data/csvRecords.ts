/**
 * The RFC 4180 record reader behind `fromCsv`: it splits text into records of fields, one record
 * at a time, and stops at the first syntax error, which it describes by line and field index
 * (the caller knows the column names and words the final message). See csv.ts for the dialect.
 */
import { showValue } from './DataError.js'

/** A record: its fields, the line each field starts on, and its first line. @category model */
export interface CsvRecord {
  readonly fields: ReadonlyArray<string>
  /** The line each field starts on. */
  readonly lines: ReadonlyArray<number>
  readonly line: number
}

/** A syntax error at a field (0-based index in its record), described before column names are known. @category model */
export interface SyntaxProblem {
  readonly line: number
  readonly field: number
  readonly detail: string
}

const QUOTE = 34
/** A carriage return, as a char code. @category model */
export const CR = 13
/** A line feed, as a char code. @category model */
export const LF = 10

/** What `next` returns for a record that the text so far does not finish (only when not `final`). @category model */
export const INCOMPLETE = 'incomplete' as const

/** Where a reader starts and whether the text is the end of the input. @category model */
export interface ReaderOptions {
  /** The line the text starts on (default 1). */
  readonly line?: number
  /**
   * Whether the text is the whole rest of the input (default true). When false, a record that
   * reaches the end of the text unfinished is `INCOMPLETE`: the caller keeps the text from
   * `position()` on and reads it again with the next chunk appended.
   */
  readonly final?: boolean
}

/**
 * A reader of the records of `text` one at a time (the first error stops it), so that the header
 * is known when a later record is malformed and the error can name the column. With
 * `final: false` it reads a chunk of a stream: a record cut by the end of the chunk is
 * `INCOMPLETE`, and `position()` and `line()` say where it starts.
 * @category constructors
 */
export const recordReader = (text: string, delimiter: string, options: ReaderOptions = {}): {
  readonly next: () => CsvRecord | SyntaxProblem | typeof INCOMPLETE | undefined
  readonly position: () => number
  readonly line: () => number
} => {
  const n = text.length
  const final = options.final ?? true
  const delim = delimiter.charCodeAt(0)
  let pos = 0
  let line = options.line ?? 1
  // an unfinished record: back to its start, for the caller to read again with more text
  const rewind = (startPos: number, startLine: number): typeof INCOMPLETE => {
    pos = startPos
    line = startLine
    return INCOMPLETE
  }
  const next = (): CsvRecord | SyntaxProblem | typeof INCOMPLETE | undefined => {
    if (pos >= n) return undefined
    const startPos = pos
    const startLine = line
    const fields: string[] = []
    const lines: number[] = []
    const recordLine = line
    for (;;) {
      const fieldLine = line
      let value: string
      if (text.charCodeAt(pos) === QUOTE) {
        let i = pos + 1
        const parts: string[] = []
        for (;;) {
          const q = text.indexOf('"', i)
          if (q < 0 || (!final && q + 1 >= n)) {
            if (!final) return rewind(startPos, startLine)
            return { line: fieldLine, field: fields.length, detail: 'a quoted field is never closed; end it with " (a quote inside a quoted field is written "")' }
          }
          for (let k = i; k < q; k++) {
            const c = text.charCodeAt(k)
            if (c === LF || (c === CR && text.charCodeAt(k + 1) !== LF)) line++
          }
          if (text.charCodeAt(q + 1) === QUOTE) {
            parts.push(text.slice(i, q + 1))
            i = q + 2
            continue
          }
          parts.push(text.slice(i, q))
          pos = q + 1
          break
        }
        value = parts.length === 1 ? parts[0]! : parts.join('')
        const c = text.charCodeAt(pos)
        if (pos < n && c !== delim && c !== CR && c !== LF) {
          return {
            line,
            field: fields.length,
            detail: `unexpected ${showValue(text[pos])} after a closing quote; a quote inside a quoted field is written "", and a quoted field ends at a delimiter or a line break`,
          }
        }
      } else {
        const start = pos
        while (pos < n) {
          const c = text.charCodeAt(pos)
          if (c === delim || c === CR || c === LF) break
          if (c === QUOTE) {
            return {
              line,
              field: fields.length,
              detail: 'a quote inside an unquoted field; quote the whole field and double the inner quote (5" is written "5""")',
            }
          }
          pos++
        }
        value = text.slice(start, pos)
      }
      fields.push(value)
      lines.push(fieldLine)
      if (pos >= n) {
        if (!final) return rewind(startPos, startLine)
        break
      }
      const c = text.charCodeAt(pos)
      // a CR at the end of a chunk may be the first half of a CRLF
      if (!final && c === CR && pos + 1 >= n) return rewind(startPos, startLine)
      pos++
      if (c === delim) continue
      if (c === CR && text.charCodeAt(pos) === LF) pos++
      line++
      break
    }
    return { fields, lines, line: recordLine }
  }
  return { next, position: () => pos, line: () => line }
}

/** Whether the reader stopped at a syntax error. @category guards */
export const isProblem = (r: CsvRecord | SyntaxProblem): r is SyntaxProblem => 'detail' in r
