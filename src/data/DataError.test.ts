import * as t from 'io-ts'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { dataError, describeErrors, isDataError, showValue, toError } from './DataError.js'

describe('DataError', () => {
  it('is a frozen record whose message names the decoder, with the location as fields', () => {
    const e = dataError('data.fromCsv', 'line 3, column "a": "x" is not a number', { line: 3, column: 'a' })
    expect(e).toEqual({
      _tag: 'DataError', source: 'data.fromCsv', message: 'data.fromCsv: line 3, column "a": "x" is not a number',
      detail: 'line 3, column "a": "x" is not a number', line: 3, column: 'a',
    })
    expect(Object.isFrozen(e)).toBe(true)
    expect(isDataError(e)).toBe(true)
    expect(isDataError(new Error('x'))).toBe(false)
    expect(toError(e).message).toBe(e.message)
  })
  it('shows outside values briefly', () => {
    expect(showValue('abc')).toBe('"abc"')
    // one rendering for every decoder (tensor/DecodeError.ts): a long string is cut at 40 characters inside its quotes
    expect(showValue('x'.repeat(1000))).toBe(`"${'x'.repeat(40)}..."`)
    expect(showValue([1, 2])).toBe('an array of 2')
    expect(showValue(undefined)).toBe('undefined')
  })
  it('describes the deepest io-ts error with its path, through unions', () => {
    const codec = t.type({ a: t.array(t.union([t.number, t.array(t.number)], 'a number or numbers')) })
    const r = codec.decode({ a: [1, [2, 'x']] })
    expect(E.isLeft(r) && describeErrors(r.left, 'doc')).toEqual({ detail: 'doc.a[1][1]: expected a number, got "x"', path: 'doc.a[1][1]' })
    const s = codec.decode({ a: [true] })
    expect(E.isLeft(s) && describeErrors(s.left).detail).toBe('a[0]: expected a number or numbers, got true')
    const m = codec.decode({})
    expect(E.isLeft(m) && describeErrors(m.left).detail).toBe('a: missing; expected Array<a number or numbers>')
  })
})
