/**
 * Cells of a CSV file: decimal numbers (`12`, `-1.5`, `.5`, `6.02e23`, optionally surrounded by
 * spaces and tabs), read into a dtype, and why a cell is not one.
 */
import type { DType } from '../tensor/index.js'
import { showValue } from './DataError.js'

// Digits and the dot are disjoint alternatives, so a long run of digits cannot backtrack
// quadratically (a megabyte cell must fail in linear time).
/** A decimal number as a CSV cell may spell it. @category internals */
export const DECIMAL = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/
/** The spellings of a missing or infinite value, for a hint. @category internals */
export const MISSING = /^(?:nan|na|n\/a|null|none|\?|-|inf|-inf|\+inf|infinity|-infinity|\+infinity)$/i

/** A string without the spaces and tabs around it. @category internals */
export const trimSpaces = (s: string): string => {
  let a = 0
  let b = s.length
  while (a < b && (s.charCodeAt(a) === 32 || s.charCodeAt(a) === 9)) a++
  while (b > a && (s.charCodeAt(b - 1) === 32 || s.charCodeAt(b - 1) === 9)) b--
  return a === 0 && b === s.length ? s : s.slice(a, b)
}

/** A cell read as a number, or why not. @category internals */
export type Cell = { readonly ok: true; readonly value: number } | { readonly ok: false; readonly detail: string }

/** A cell as a number representable in `dtype`, or why not (the detail follows `line L, column C: `). */
export const parseNumber = (raw: string, dtype: DType): Cell => {
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

/** Orders strings by UTF-16 code units (not by locale). @category internals */
export const compareCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

