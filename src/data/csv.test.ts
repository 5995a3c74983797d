import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { toArray } from '../tensor/index.js'
import { type CsvData, type CsvOptions, decodeCsvOptions, fromCsv } from './csv.js'
import type { DataError } from './DataError.js'

const ok = (text: string, options: CsvOptions): CsvData => {
  const r = fromCsv(text, options)
  if (E.isLeft(r)) throw new Error(`expected Right, got ${r.left.message}`)
  return r.right
}
const err = (text: string, options: CsvOptions): DataError => {
  const r = fromCsv(text, options)
  if (E.isRight(r)) throw new Error('expected Left, got Right')
  return r.left
}
const xy = (d: CsvData) => ({ x: toArray(d.dataset.x), y: toArray(d.dataset.y) })

describe('fromCsv: the RFC 4180 dialect', () => {
  it('reads a header and numeric features, and maps labels to sorted class indices', () => {
    const d = ok('a,b,label\n1,2,dog\n3,4,cat\n5,6,dog\n', { target: 'label' })
    expect(xy(d)).toEqual({ x: [[1, 2], [3, 4], [5, 6]], y: [1, 0, 1] })
    expect(d.features).toEqual(['a', 'b'])
    expect(d.target).toBe('label')
    expect(d.classes).toEqual(['cat', 'dog'])
    expect(d.dataset.x.dtype).toBe('float32')
    expect(d.dataset.y.shape).toEqual([3])
  })
  it('drops a UTF-8 BOM, accepts CRLF and ignores trailing blank lines', () => {
    const d = ok('\uFEFFa,y\r\n1,2\r\n3,4\r\n\r\n\r\n', { target: 'y' })
    expect(d.features).toEqual(['a'])
    expect(xy(d)).toEqual({ x: [[1], [3]], y: [[2], [4]] })
  })
  it('accepts a lone CR as a line break and a last record without a line break', () => {
    expect(xy(ok('a,y\r1,2\r3,4', { target: 'y' }))).toEqual({ x: [[1], [3]], y: [[2], [4]] })
  })
  it('reads quoted fields with delimiters, escaped quotes and line breaks inside', () => {
    const d = ok('"x, the first","y"\n"1.5","a, ""quoted"" label"\n2,"two\nlines"\n', { target: 'y' })
    expect(d.features).toEqual(['x, the first'])
    expect(d.classes).toEqual(['a, "quoted" label', 'two\nlines'])
    expect(xy(d)).toEqual({ x: [[1.5], [2]], y: [0, 1] })
  })
  it('counts lines inside quoted fields, so later errors name the right line', () => {
    expect(err('a,b,y\n1,"x\r\ny\nz",3\nq,abc,6\n', { target: 'y', features: ['a'] }).message).toBe('data.fromCsv: line 5, column "a": "q" is not a number')
  })
  it('allows spaces and tabs around numbers, and quoted numbers', () => {
    expect(xy(ok('a,b,y\n 1 ,\t-2.5e1\t,"3"\n', { target: 'y' }))).toEqual({ x: [[1, -25]], y: [[3]] })
  })
  it('trims header names and labels', () => {
    const d = ok('a , label\n1, cat \n2,cat\n', { target: 'label' })
    expect(d.features).toEqual(['a'])
    expect(d.classes).toEqual(['cat'])
  })
  it('reads without a header, naming columns by 0-based index', () => {
    const d = ok('1,2,0\n3,4,1\n', { target: 2, header: false })
    expect(d.features).toEqual(['0', '1'])
    expect(d.target).toBe('2')
    expect(xy(d)).toEqual({ x: [[1, 2], [3, 4]], y: [[0], [1]] })
  })
  it('selects and orders features by name or index, ignoring other columns (even non-numeric ones)', () => {
    const d = ok('id,a,b,y\nfoo,1,2,3\nbar,4,5,6\n', { target: 'y', features: ['b', 1] })
    expect(d.features).toEqual(['b', 'a'])
    expect(toArray(d.dataset.x)).toEqual([[2, 1], [5, 4]])
  })
  it('accepts another delimiter and float64', () => {
    const d = ok('a;b;y\n0.1;2;3\n', { target: 'y', delimiter: ';', dtype: 'float64' })
    expect(toArray(d.dataset.x)).toEqual([[0.1, 2]])
    expect(d.dataset.y.dtype).toBe('float64')
  })
  it('reads a tab-separated file', () => {
    expect(toArray(ok('a\ty\n1\t2\n', { target: 'y', delimiter: '\t' }).dataset.x)).toEqual([[1]])
  })
})

describe('fromCsv: targets', () => {
  it('reads a numeric target as regression, y of shape [n, 1]', () => {
    const d = ok('a,y\n1,0.5\n2,1.5\n', { target: 'y' })
    expect(d.dataset.y.shape).toEqual([2, 1])
    expect(d.classes).toBeUndefined()
    expect('classes' in d).toBe(false)
  })
  it('forces classification of numbers, sorting them numerically and merging 1 and 1.0', () => {
    const d = ok('a,y\n1,10\n2,2\n3,1.0\n4,1\n', { target: 'y', task: 'classification' })
    expect(d.classes).toEqual(['1', '2', '10'])
    expect(toArray(d.dataset.y)).toEqual([2, 1, 0, 0])
  })
  it('one-hot encodes classes', () => {
    const d = ok('a,y\n1,b\n2,a\n3,c\n', { target: 'y', oneHot: true })
    expect(toArray(d.dataset.y)).toEqual([[0, 1, 0], [1, 0, 0], [0, 0, 1]])
  })
  it('sorts labels by code units, not by locale', () => {
    expect(ok('a,y\n1,b\n2,B\n3,a\n4,é\n', { target: 'y' }).classes).toEqual(['B', 'a', 'b', 'é'])
  })
  it("reuses a given class mapping (a training set's on a test set), even when some classes are absent", () => {
    const d = ok('a,y\n1,dog\n2,dog\n', { target: 'y', classes: ['cat', 'dog', 'emu'], oneHot: true })
    expect(d.classes).toEqual(['cat', 'dog', 'emu'])
    expect(toArray(d.dataset.y)).toEqual([[0, 1, 0], [0, 1, 0]])
  })
  it('matches given numeric classes by value', () => {
    expect(toArray(ok('a,y\n1,2.0\n', { target: 'y', classes: ['1', '2'] }).dataset.y)).toEqual([1])
  })
  it('gives the same mapping whatever the row order', () => {
    const a = ok('a,y\n1,x\n2,z\n3,y\n', { target: 'y' }).classes
    const b = ok('a,y\n3,y\n2,z\n1,x\n', { target: 'y' }).classes
    expect(a).toEqual(b)
  })
})

/**
 * The corpus of bad inputs: each one with the exact message it must produce. The messages are
 * part of the interface: a user reads them, so a change here is a change a user sees.
 */
const corpus: ReadonlyArray<readonly [string, string, CsvOptions, string]> = [
  ['an empty text', '', { target: 'y' }, 'the text is empty; expected a header row and at least one data row'],
  ['only a BOM and blank lines', '\uFEFF\r\n\r\n', { target: 'y' }, 'the text is empty; expected a header row and at least one data row'],
  ['an empty text without a header', '  \n', { target: 0, header: false }, 'the text is empty; expected at least one data row'],
  ['a header and no rows', 'a,b,y\n', { target: 'y' }, 'the header (line 1) has no data rows after it'],
  ['a non-numeric cell', 'a,petal_width,y\n1,2,3\n1,abc,3\n', { target: 'y' }, 'line 3, column "petal_width": "abc" is not a number'],
  ['an exponent without digits', 'a,y\n1e,3\n', { target: 'y' }, 'line 2, column "a": "1e" is not a number'],
  ['an empty cell', 'a,b,y\n1,,3\n', { target: 'y' }, 'line 2, column "b": empty cell; fill it in or drop the row (missing values are not guessed)'],
  ['a blank quoted cell', 'a,y\n"  ",3\n', { target: 'y' }, 'line 2, column "a": empty cell; fill it in or drop the row (missing values are not guessed)'],
  ['NaN', 'a,y\nNaN,3\n', { target: 'y' }, 'line 2, column "a": "NaN" is not a number; missing or infinite values are not guessed: fill the cell in or drop the row'],
  ['Infinity', 'a,y\n-Infinity,3\n', { target: 'y' }, 'line 2, column "a": "-Infinity" is not a number; missing or infinite values are not guessed: fill the cell in or drop the row'],
  ['a hexadecimal number', 'a,y\n0x10,3\n', { target: 'y' }, 'line 2, column "a": "0x10" is not a number'],
  ['a decimal comma', 'a;y\n1,5;3\n', { target: 'y', delimiter: ';' }, 'line 2, column "a": "1,5" is not a number; write decimals with a dot'],
  ['a number too large for a double', 'a,y\n1e999,3\n', { target: 'y' }, 'line 2, column "a": "1e999" is too large for a number'],
  ['a number too large for float32', 'a,y\n1e39,3\n', { target: 'y' }, `line 2, column "a": "1e39" is too large for float32; pass dtype: 'float64'`],
  ['a ragged row (too few)', 'a,b,c,d,y\n1,2,3,4,5\n1,2,3,4,5\n1,2,3,4\n', { target: 'y' }, 'line 4: expected 5 fields (as in the header), got 4; check for a missing or extra delimiter, or quote a field that contains one'],
  ['a ragged row (an unquoted comma)', 'a,y\n1,cat, black\n', { target: 'y' }, 'line 2: expected 2 fields (as in the header), got 3; check for a missing or extra delimiter, or quote a field that contains one'],
  ['a ragged row without a header', '1,2\n3\n', { target: 1, header: false }, 'line 2: expected 2 fields (as in line 1), got 1; check for a missing or extra delimiter, or quote a field that contains one'],
  ['a blank line inside the data', 'a,y\n1,2\n\n3,4\n', { target: 'y' }, 'line 3: a blank line inside the data; remove it (expected 2 fields)'],
  ['a truncated file (cut inside a quoted field)', 'a,y\n1,2\n3,"ca', { target: 'y' }, 'line 3, column "y": a quoted field is never closed; end it with " (a quote inside a quoted field is written "")'],
  ['an unterminated quote spanning lines', 'a,y\n"1,2\n3,4\n', { target: 'y' }, 'line 2, column "a": a quoted field is never closed; end it with " (a quote inside a quoted field is written "")'],
  ['text after a closing quote', 'a,y\n"1"2,3\n', { target: 'y' }, 'line 2, column "a": unexpected "2" after a closing quote; a quote inside a quoted field is written "", and a quoted field ends at a delimiter or a line break'],
  ['a quote inside an unquoted field', 'a,y\n5",3\n', { target: 'y' }, 'line 2, column "a": a quote inside an unquoted field; quote the whole field and double the inner quote (5" is written "5""")'],
  ['a missing target column', 'a,b,c\n1,2,3\n', { target: 'label' }, 'no column named "label"; columns are: a, b, c'],
  ['an unterminated quote in the header', '"a,y\n1,2\n', { target: 'y' }, 'line 1, column 0: a quoted field is never closed; end it with " (a quote inside a quoted field is written "")'],
  ['a missing column, among names that need quotes', '"a,b",c\n1,2\n', { target: 'y' }, 'no column named "y"; columns are: "a,b", c'],
  ['a missing feature column', 'a,b,c\n1,2,3\n', { target: 'c', features: ['a', 'z'] }, 'no column named "z" (in features); columns are: a, b, c'],
  ['a target index out of range', '1,2\n', { target: 2, header: false }, 'target 2 is out of range: the CSV has 2 columns (indices 0 to 1)'],
  ['a target name without a header', '1,2\n', { target: 'y', header: false }, 'target "y" is a column name, but header is false; give a 0-based column index'],
  ['the target among the features', 'a,y\n1,2\n', { target: 'y', features: ['a', 'y'] }, 'column "y" is the target and cannot also be a feature; remove it from features'],
  ['a feature listed twice', 'a,y\n1,2\n', { target: 'y', features: ['a', 0] }, 'column "a" is listed twice in features'],
  ['only a target column', 'y\n1\n', { target: 'y' }, 'no feature columns: the CSV has only the target column; a dataset needs at least one input column'],
  ['an empty features list', 'a,y\n1,2\n', { target: 'y', features: [] }, 'no feature columns: features is empty; a dataset needs at least one input column'],
  ['a duplicate column name', 'a,b,a\n1,2,3\n', { target: 'b' }, 'line 1: column "a" appears twice (columns 0 and 2); rename one'],
  ['an empty column name', ',a,y\n0,1,2\n', { target: 'y' }, 'line 1, column 0: the header has an empty column name; name every column'],
  ['an empty target cell', 'a,y\n1,cat\n2, \n', { target: 'y' }, 'line 3, column "y": empty cell; every example needs a target: fill it in or drop the row'],
  ['a target mixing numbers and labels', 'a,y\n1,0.5\n2,1.5\n3,abc\n', { target: 'y' }, `line 4, column "y": "abc" is not a number, but line 2 has "0.5"; the column mixes numbers and labels: fix the odd cell, or pass task: 'classification' to read every value as a class label`],
  ['a label in a regression target', 'a,y\n1,cat\n', { target: 'y', task: 'regression' }, `line 2, column "y": "cat" is not a number (task is 'regression')`],
  ['a label outside the given classes', 'a,y\n1,cat\n2,emu\n', { target: 'y', classes: ['cat', 'dog'] }, 'line 3, column "y": "emu" is not one of the given classes (cat, dog); add it to classes'],
  ['oneHot with regression', 'a,y\n1,2\n', { target: 'y', task: 'regression', oneHot: true }, "options: oneHot needs a classification target, but task is 'regression'"],
  ['duplicate classes', 'a,y\n1,2\n', { target: 'y', classes: ['a', 'a'] }, 'options: classes lists "a" twice; each label needs one index'],
  ['given classes equal as numbers', 'a,y\n1,2\n', { target: 'y', classes: ['1', '2', '1.0'] }, 'options: classes lists "1" and "1.0", which are the same class; each label needs one index'],
  ['a two-character delimiter', 'a,y\n1,2\n', { target: 'y', delimiter: '::' }, 'options.delimiter: expected one character other than a quote or a line break, got "::"'],
]

describe('fromCsv: the corpus of bad inputs', () => {
  it.each(corpus)('%s', (_, text, options, message) => {
    expect(err(text, options).message).toBe(`data.fromCsv: ${message}`)
  })
  it('gives the line and the column as fields too', () => {
    const e = err('a,petal_width,y\n1,2,3\n1,abc,3\n', { target: 'y' })
    expect(e).toMatchObject({ _tag: 'DataError', source: 'data.fromCsv', line: 3, column: 'petal_width' })
    expect(err('1,x\n', { target: 1, header: false, task: 'regression' })).toMatchObject({ line: 1, column: 1 })
  })
  it('cuts a huge cell short in the message, and rejects a megabyte of digits in linear time', () => {
    const cell = `${'1'.repeat(1_000_000)}x`
    const start = performance.now()
    const e = err(`a,y\n${cell},1\n`, { target: 'y' })
    // linear is well under a second; quadratic (10^12 steps) would never end. The bound is loose so
    // that a busy machine passes.
    expect(performance.now() - start).toBeLessThan(60_000)
    expect(e.message.length).toBeLessThan(200)
  })
})

describe('decodeCsvOptions: options from outside', () => {
  it('accepts valid options', () => {
    expect(decodeCsvOptions({ target: 'y', features: ['a', 2], task: 'auto' })).toEqual(E.right({ target: 'y', features: ['a', 2], task: 'auto' }))
  })
  it.each([
    [{ target: 'y', fetures: ['a'] }, 'options.fetures: unknown option; the options are target, features, header, task, oneHot, classes, delimiter, dtype'],
    [{}, 'options.target: missing; expected a column name or a 0-based column index'],
    [{ target: -1 }, 'options.target: expected a column name or a 0-based column index, got -1'],
    [{ target: 'y', features: ['a', true] }, 'options.features[1]: expected a column name or a 0-based column index, got true'],
    [{ target: 'y', task: 'clustering' }, `options.task: expected 'auto', 'classification' or 'regression', got "clustering"`],
    [{ target: 'y', dtype: 'int8' }, `options.dtype: expected 'float32' or 'float64', got "int8"`],
    [null, 'options: expected CSV options { target, ... }, got null'],
  ] as const)('%j', (options, message) => {
    const r = decodeCsvOptions(options)
    expect(E.isLeft(r) && r.left.message).toBe(`data.fromCsv: ${message}`)
  })
  it('is what fromCsv runs, so a JavaScript caller gets a Left, not an exception', () => {
    expect(err('a,y\n1,2\n', { target: true } as unknown as CsvOptions).message).toBe(
      'data.fromCsv: options.target: expected a column name or a 0-based column index, got true',
    )
    expect(fromCsv(42 as unknown as string, { target: 'y' })).toEqual(E.left(expect.objectContaining({ message: 'data.fromCsv: expected the CSV text as a string, got 42' })))
  })
})
