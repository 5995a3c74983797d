import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { toArray } from '../tensor/index.js'
import type { DataError } from './DataError.js'
import { type JsonData, fromJson } from './json.js'

const ok = (input: unknown): JsonData => {
  const r = fromJson(input)
  if (E.isLeft(r)) throw new Error(`expected Right, got ${r.left.message}`)
  return r.right
}
const err = (input: unknown): DataError => {
  const r = fromJson(input)
  if (E.isRight(r)) throw new Error('expected Left, got Right')
  return r.left
}

describe('fromJson', () => {
  it('decodes x and a 1-D y from text', () => {
    const d = ok('{"x": [[0, 1], [1, 0], [1, 1]], "y": [1, 1, 0]}')
    expect(toArray(d.dataset.x)).toEqual([[0, 1], [1, 0], [1, 1]])
    expect(d.dataset.y.shape).toEqual([3])
    expect('features' in d || 'classes' in d).toBe(false)
  })
  it('decodes a 2-D y, names and classes, from a parsed value', () => {
    const d = ok({ x: [[0.5]], y: [[1, 2]], features: ['f'] })
    expect(d.dataset.y.shape).toEqual([1, 2])
    expect(d.features).toEqual(['f'])
    expect(ok({ x: [[1], [2]], y: [1, 0], classes: ['no', 'yes'] }).classes).toEqual(['no', 'yes'])
  })
  it('ignores a byte-order mark and surrounding white space', () => {
    expect(ok('\uFEFF {"x": [[1]], "y": [2]}\r\n').dataset.y.shape).toEqual([1])
  })
  it('decodes float64 when asked', () => {
    const r = fromJson({ x: [[0.1]], y: [0.2] }, { dtype: 'float64' })
    expect(E.isRight(r) && r.right.dataset.x.data[0]).toBe(0.1)
  })
})

const corpus: ReadonlyArray<readonly [string, unknown, string]> = [
  ['an empty text', '', 'the text is empty; expected a JSON object { "x": [[...], ...], "y": [...] }'],
  ['truncated JSON', '{"x": [[1, 2], [3', 'not valid JSON: '],
  ['a bare NaN (not JSON)', '{"x": [[NaN]], "y": [1]}', 'not valid JSON: '],
  ['a string that looks like a number', '{"x": [[1, "2"]], "y": [1]}', 'x[0][1]: expected a number, got "2"'],
  ['a NaN-like string', '{"x": [[1, 2], [3, 4], [5, 6], [7, "NaN"]], "y": [1, 2, 3, 4]}', 'x[3][1]: expected a number, got "NaN"'],
  ['an Infinity-like string in y', '{"x": [[1]], "y": ["Infinity"]}', 'y[0]: expected a number, got "Infinity"'],
  ['a null cell', '{"x": [[null]], "y": [1]}', 'x[0][0]: expected a number, got null'],
  ['a non-finite number in a parsed value', { x: [[1, Number.NaN]], y: [1] }, 'x[0][1]: expected a finite number, got NaN'],
  ['a number too large for float32', '{"x": [[1e39]], "y": [1]}', "x[0][0]: 1e+39 is too large for float32; pass dtype: 'float64'"],
  ['missing x', '{"y": [1]}', 'x: missing; expected an array of rows of numbers (number[][])'],
  ['missing y', '{"x": [[1]]}', 'y: missing; expected number[] or number[][]'],
  ['an extra field', '{"x": [[1]], "y": [1], "meta": {}}', 'unknown field "meta"; a dataset has the fields x, y, features, classes (remove it, or check its spelling)'],
  ['a __proto__ key', '{"x": [[1]], "y": [1], "__proto__": {"polluted": true}}', 'unknown field "__proto__"; a dataset has the fields x, y, features, classes (remove it, or check its spelling)'],
  ['an array at the top', '[[1], [2]]', 'the value: expected a dataset object { "x": number[][], "y": number[] | number[][] }, got an array of 2'],
  ['null at the top', 'null', 'the value: expected a dataset object { "x": number[][], "y": number[] | number[][] }, got null'],
  ['x as a vector', '{"x": [1, 2], "y": [1, 2]}', 'x[0]: expected an array of numbers, got 1'],
  ['y as a string', '{"x": [[1]], "y": "1"}', 'y: expected number[] or number[][], got "1"'],
  ['a bad y row', '{"x": [[1], [2]], "y": [[1], [2, "a"]]}', 'y[1][1]: expected a number, got "a"'],
  ['ragged x', '{"x": [[1, 2], [3]], "y": [1, 2]}', 'x[1]: expected 2 numbers like x[0], got 1; every row needs the same length'],
  ['ragged y', '{"x": [[1], [2]], "y": [[1, 2], [3]]}', 'y[1]: expected 2 numbers like y[0], got 1; every row needs the same length'],
  ['no examples', '{"x": [], "y": []}', 'x: no examples; expected at least one row'],
  ['no features', '{"x": [[]], "y": [1]}', 'x[0]: an empty row; every example needs at least one feature'],
  ['empty target rows', '{"x": [[1]], "y": [[]]}', 'y[0]: an empty row; a target row needs at least one number'],
  ['lengths that differ', '{"x": [[1], [2], [3]], "y": [1, 2]}', 'x has 3 rows but y has 2 entries; give one target per example'],
  ['the wrong number of feature names', '{"x": [[1, 2]], "y": [1], "features": ["a"]}', 'features: 1 name for 2 columns of x; name every column once'],
  ['a class index out of range', '{"x": [[1], [2]], "y": [0, 2], "classes": ["a", "b"]}', 'y[1]: 2 is not a class index in [0, 2) (there are 2 classes)'],
  ['a fractional class index', '{"x": [[1]], "y": [0.5], "classes": ["a", "b"]}', 'y[0]: 0.5 is not a class index in [0, 2) (there are 2 classes)'],
  ['classes with a 2-D y', '{"x": [[1]], "y": [[0, 1]], "classes": ["a", "b"]}', 'classes names the classes of a y of class indices, but y has shape [1, 2]; give y as an array of indices'],
  ['a non-string class', '{"x": [[1]], "y": [0], "classes": [1]}', 'classes[0]: expected a string, got 1'],
]

describe('fromJson: the corpus of bad inputs', () => {
  it.each(corpus)('%s', (_, input, message) => {
    const e = err(input)
    // JSON.parse words its own messages (they differ between engines); only our prefix is ours.
    if (message.startsWith('not valid JSON')) expect(e.message.startsWith(`data.fromJson: ${message}`)).toBe(true)
    else expect(e.message).toBe(`data.fromJson: ${message}`)
  })
  it('names the path as a field too', () => {
    expect(err('{"x": [[1, 2], [3, "a"]], "y": [1, 2]}').path).toBe('x[1][1]')
  })
  it('explains that JSON has no NaN', () => {
    expect(err('{"x": [[NaN]], "y": [1]}').message).toMatch(/JSON has no NaN or Infinity/)
  })
  it('does not pollute prototypes', () => {
    err('{"x": [[1]], "y": [1], "__proto__": {"polluted": true}}')
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined()
  })
  it('reports one error for a file of millions of bad values, not millions', () => {
    const strings = `{"x": [[${'"a",'.repeat(2_000_000)}"a"]], "y": [${'"b",'.repeat(2_000_000)}"b"]}`
    const started = performance.now()
    expect(err(strings).message).toBe('data.fromJson: x[0][0]: expected a number, got "a"')
    expect(performance.now() - started).toBeLessThan(30_000)
  })
})
