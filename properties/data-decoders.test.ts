/**
 * The decoders of outside data (src/data/csv.ts, idx.ts, json.ts) against hostile input.
 *
 * Laws:
 * 1. total: a decoder given a valid file mutated at random (characters or bytes deleted,
 *    inserted, replaced, the end cut off) never throws. It returns a `Left(DataError)` with a
 *    message, or a `Right` that is a valid value: shapes that agree with each other and with the
 *    names it returns, finite values, class indices in range.
 * 2. CSV round trip: a random numeric table written as CSV (a header, random quoting, spaces,
 *    CRLF or LF, a BOM, trailing blank lines) decodes to exactly the same numbers (float64).
 * 3. streaming: `csvDecoder` fed any text (valid or mutated) cut into pieces anywhere (inside a
 *    quoted field, between CR and LF, in the trailing blank lines) gives exactly what `fromCsv`
 *    gives for the whole text: the same message, or the same data bit for bit.
 */
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { type CsvData, type CsvOptions, csvDecoder, fromCsv, fromIdx, fromJson, isDataError } from '../src/data/index.js'
import type { Tensor } from '../src/tensor/index.js'

// ---------------------------------------------------------------------------------------------
// Mutations.

type Edit =
  | { readonly kind: 'delete'; readonly at: number; readonly count: number }
  | { readonly kind: 'insert'; readonly at: number; readonly unit: number }
  | { readonly kind: 'replace'; readonly at: number; readonly unit: number }
  | { readonly kind: 'truncate'; readonly at: number }

/** Edits at positions given as fractions of the length, so one edit list fits any input. */
const arbEdits = (unit: fc.Arbitrary<number>): fc.Arbitrary<ReadonlyArray<Edit>> =>
  fc.array(
    fc.oneof(
      fc.record({ kind: fc.constant('delete' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), count: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), unit }),
      fc.record({ kind: fc.constant('replace' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), unit }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
    ),
    { minLength: 1, maxLength: 4 },
  )

const mutate = (units: ReadonlyArray<number>, edits: ReadonlyArray<Edit>): number[] => {
  const out = [...units]
  for (const e of edits) {
    const at = Math.min(out.length, Math.floor(e.at * (out.length + 1)))
    if (e.kind === 'delete') out.splice(at, e.count)
    else if (e.kind === 'insert') out.splice(at, 0, e.unit)
    else if (e.kind === 'replace') out.splice(at, 1, e.unit)
    else out.length = at
  }
  return out
}

const mutateText = (text: string, edits: ReadonlyArray<Edit>): string =>
  String.fromCharCode(...mutate(Array.from(text, (c) => c.charCodeAt(0)), edits))

/** Characters that matter to a text decoder, and some that do not. */
const arbTextUnit = fc.constantFrom(...Array.from('",;\n\r \t0123456789.-+eExaN[]{}:\\\uFEFF\u0000', (c) => c.charCodeAt(0)))

/** Every element is finite; `v - v` is NaN exactly for NaN and ±Infinity. */
const allFinite = (t: Tensor): boolean => t.data.every((v) => v - v === 0)

/** Asserts the `Left` is a proper DataError, and returns whether the value was a `Right`. */
const leftIsDataError = <A>(r: E.Either<unknown, A>): r is E.Right<A> => {
  if (E.isLeft(r)) {
    expect(isDataError(r.left)).toBe(true)
    expect(typeof (r.left as { message: unknown }).message).toBe('string')
    return false
  }
  return true
}

// ---------------------------------------------------------------------------------------------
// Valid inputs.

const arbCell = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }).map(String),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }).map(String),
)

/** A valid CSV: a header a0..a(k-1), y and rows of numbers, with a numeric or a label target. */
const arbCsv = fc
  .record({
    k: fc.integer({ min: 1, max: 4 }),
    n: fc.integer({ min: 1, max: 6 }),
    labels: fc.boolean(),
    quoteAll: fc.boolean(),
    crlf: fc.boolean(),
  })
  .chain(({ k, n, labels, quoteAll, crlf }) =>
    fc
      .record({
        rows: fc.array(fc.array(arbCell, { minLength: k, maxLength: k }), { minLength: n, maxLength: n }),
        ys: fc.array(labels ? fc.constantFrom('cat', 'dog', 'a "b", c', 'two\nlines') : arbCell, { minLength: n, maxLength: n }),
      })
      .map(({ rows, ys }) => {
        const field = (s: string) => (quoteAll || /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s)
        const eol = crlf ? '\r\n' : '\n'
        const header = [...Array.from({ length: k }, (_, i) => `a${i}`), 'y'].map(field).join(',')
        return [header, ...rows.map((r, i) => [...r, ys[i]!].map(field).join(','))].join(eol) + eol
      }),
  )

const arbCsvOptions: fc.Arbitrary<CsvOptions> = fc.oneof(
  fc.constant({ target: 'y' }),
  fc.constant({ target: 'y', oneHot: true }),
  fc.constant({ target: 'y', task: 'classification' as const }),
  fc.constant({ target: 'y', task: 'regression' as const }),
  fc.constant({ target: 'y', features: ['a0'] }),
  fc.constant({ target: 0, header: false }),
  fc.constant({ target: 'y', classes: ['cat', 'dog'] }),
)

const checkCsv = (text: string, options: CsvOptions): void => {
  const r = fromCsv(text, options)
  if (!leftIsDataError(r)) return
  const { dataset: { x, y }, features, classes } = r.right
  const n = x.shape[0]!
  expect(n).toBeGreaterThan(0)
  expect(x.shape).toEqual([n, features.length])
  expect(y.shape[0]).toBe(n)
  expect(allFinite(x) && allFinite(y)).toBe(true)
  if (classes === undefined) expect(y.shape).toEqual([n, 1])
  else if (y.shape.length === 1) expect(Array.from(y.data).every((c) => Number.isInteger(c) && c >= 0 && c < classes.length)).toBe(true)
  else {
    expect(y.shape).toEqual([n, classes.length])
    for (let i = 0; i < n; i++) expect(Array.from(y.data.subarray(i * classes.length, (i + 1) * classes.length)).reduce((a, b) => a + b, 0)).toBe(1)
  }
}

const IDX_WIDTH: Readonly<Record<number, number>> = { 0x08: 1, 0x09: 1, 0x0b: 2, 0x0c: 4, 0x0d: 4, 0x0e: 8 }

/** A valid IDX file: a type code, 1 to 3 small dimensions and random value bytes. */
const arbIdx = fc
  .record({ code: fc.constantFrom(0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e), shape: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 3 }) })
  .chain(({ code, shape }) => {
    const size = shape.reduce((a, b) => a * b, 1)
    // Float payloads from finite numbers, so the unmutated file is valid.
    const values = code === 0x0d || code === 0x0e ? fc.array(fc.double({ min: -1e30, max: 1e30, noNaN: true }), { minLength: size, maxLength: size }) : fc.array(fc.nat(), { minLength: size, maxLength: size })
    return values.map((vs) => {
      const width = IDX_WIDTH[code]!
      const bytes = new Uint8Array(4 + 4 * shape.length + width * size)
      const view = new DataView(bytes.buffer)
      bytes[2] = code
      bytes[3] = shape.length
      shape.forEach((d, i) => view.setInt32(4 + 4 * i, d))
      const at = 4 + 4 * shape.length
      vs.forEach((v, i) => {
        if (code === 0x0d) view.setFloat32(at + 4 * i, v)
        else if (code === 0x0e) view.setFloat64(at + 8 * i, v)
        else for (let b = 0; b < width; b++) bytes[at + width * i + b] = (v >>> (8 * b)) & 0xff
      })
      return bytes
    })
  })

/** A byte, biased towards the ones that change an IDX header's meaning. */
const arbByte = fc.oneof(fc.constantFrom(0, 1, 3, 8, 0x0d, 0x0e, 0x7f, 0x80, 0xff), fc.integer({ min: 0, max: 255 }))

/** A valid JSON dataset text. */
const arbJson = fc
  .record({ k: fc.integer({ min: 1, max: 3 }), n: fc.integer({ min: 1, max: 4 }), matrixY: fc.boolean() })
  .chain(({ k, n, matrixY }) =>
    fc.record({
      x: fc.array(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: k, maxLength: k }), { minLength: n, maxLength: n }),
      y: matrixY ? fc.array(fc.array(fc.integer({ min: -9, max: 9 }), { minLength: 2, maxLength: 2 }), { minLength: n, maxLength: n }) : fc.array(fc.integer({ min: 0, max: 1 }), { minLength: n, maxLength: n }),
      features: fc.option(fc.constant(Array.from({ length: k }, (_, i) => `f${i}`)), { nil: undefined }),
    }),
  )
  .map((doc) => JSON.stringify(doc))

// ---------------------------------------------------------------------------------------------

describe('data decoders: law 1, total on mutated input', () => {
  it('fromCsv: valid CSV decodes', () => {
    fc.assert(fc.property(arbCsv, (text) => {
      expect(E.isRight(fromCsv(text, { target: 'y' }))).toBe(true)
    }), { numRuns: 100 })
  })
  it('fromCsv: a mutated CSV gives a DataError or a valid dataset, and never throws', () => {
    fc.assert(fc.property(arbCsv, arbEdits(arbTextUnit), arbCsvOptions, (text, edits, options) => {
      checkCsv(mutateText(text, edits), options)
    }), {
      numRuns: 600,
      examples: [
        ['a0,y\n1,2\n', [{ kind: 'insert', at: 0.5, unit: 34 }], { target: 'y' }],
        ['a0,y\n1,2\n', [{ kind: 'truncate', at: 0 }], { target: 'y' }],
      ],
    })
  })
  it('fromIdx: valid IDX decodes to the declared shape', () => {
    fc.assert(fc.property(arbIdx, (bytes) => {
      const r = fromIdx(bytes)
      expect(E.isRight(r) && r.right.shape).toEqual(Array.from({ length: bytes[3]! }, (_, i) => new DataView(bytes.buffer).getInt32(4 + 4 * i)))
    }), { numRuns: 100 })
  })
  it('fromIdx: a mutated IDX file gives a DataError or a finite tensor of its declared size, and never throws', () => {
    fc.assert(
      fc.property(arbIdx, arbEdits(arbByte), fc.boolean(), (bytes, edits, asArrayBuffer) => {
        const mutated = Uint8Array.from(mutate(Array.from(bytes), edits))
        const r = fromIdx(asArrayBuffer ? mutated.buffer : mutated)
        if (!leftIsDataError(r)) return
        const t = r.right
        expect(t.size).toBe(t.shape.reduce((a, b) => a * b, 1))
        expect(t.data.length).toBe(t.size)
        expect(4 + 4 * t.shape.length + t.size * IDX_WIDTH[mutated[2]!]!).toBe(mutated.length)
        expect(allFinite(t)).toBe(true)
      }),
      { numRuns: 600 },
    )
  })
  it('fromJson: a mutated JSON text gives a DataError or a valid dataset, and never throws', () => {
    fc.assert(
      fc.property(arbJson, arbEdits(arbTextUnit), (text, edits) => {
        const r = fromJson(mutateText(text, edits))
        if (!leftIsDataError(r)) return
        const { dataset: { x, y }, features } = r.right
        const n = x.shape[0]!
        expect(n).toBeGreaterThan(0)
        expect(x.shape.length).toBe(2)
        expect(y.shape[0]).toBe(n)
        if (features !== undefined) expect(features.length).toBe(x.shape[1])
        expect(allFinite(x) && allFinite(y)).toBe(true)
      }),
      { numRuns: 600 },
    )
  })
  it('fromJson: valid JSON decodes', () => {
    fc.assert(fc.property(arbJson, (text) => {
      expect(E.isRight(fromJson(text))).toBe(true)
    }), { numRuns: 100 })
  })
})

// ---------------------------------------------------------------------------------------------

/** How a CSV writer might print a number: plain, quoted, padded with spaces or tabs. */
const arbStyle = fc.constantFrom('plain', 'quoted', 'spaced', 'quoted-spaced', 'tabbed')
const show = (v: number): string => (Object.is(v, -0) ? '-0' : String(v))
const styled = (s: string, style: string): string =>
  style === 'quoted' ? `"${s}"` : style === 'spaced' ? ` ${s}  ` : style === 'quoted-spaced' ? `" ${s} "` : style === 'tabbed' ? `\t${s}` : s

/** A column name that needs quoting now and then: commas, quotes, line breaks. */
const arbName = fc.string({ unit: fc.constantFrom('a', 'b', 'Z', '_', ',', '"', '\n', '\r\n', ' ', 'é'), maxLength: 6 })

describe('data decoders: law 2, CSV round trip', () => {
  it('a random numeric table written as CSV decodes to the same numbers', () => {
    const arbTable = fc
      .record({ k: fc.integer({ min: 1, max: 5 }), n: fc.integer({ min: 1, max: 8 }) })
      .chain(({ k, n }) =>
        fc.record({
          names: fc.array(arbName, { minLength: k + 1, maxLength: k + 1 }),
          rows: fc.array(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: k + 1, maxLength: k + 1 }), { minLength: n, maxLength: n }),
          styles: fc.array(arbStyle, { minLength: (k + 1) * n, maxLength: (k + 1) * n }),
          crlf: fc.boolean(),
          bom: fc.boolean(),
          trailing: fc.constantFrom('', '\n', '\r\n\r\n', '\n  \n'),
        }),
      )
    fc.assert(
      fc.property(arbTable, ({ names, rows, styles, crlf, bom, trailing }) => {
        const k = names.length - 1
        // Names are made unique and non-empty with a prefix; any other character may need quotes.
        const header = names.map((s, i) => `c${i}${s}`)
        const quoteName = (s: string) => `"${s.replace(/"/g, '""')}"`
        const eol = crlf ? '\r\n' : '\n'
        const lines = [
          header.map((s) => (/[",\r\n ]/.test(s) ? quoteName(s) : s)).join(','),
          ...rows.map((row, r) => row.map((v, c) => styled(show(v), styles[r * (k + 1) + c]!)).join(',')),
        ]
        const text = `${bom ? '\uFEFF' : ''}${lines.join(eol)}${trailing === '' ? '' : eol}${trailing}`
        // The decoder trims spaces and tabs around names (not line breaks, which only quotes allow).
        const trim = (s: string) => s.replace(/^[ \t]+|[ \t]+$/g, '')
        const target = trim(header[k]!)
        const r = fromCsv(text, { target, dtype: 'float64', task: 'regression' })
        if (E.isLeft(r)) throw new Error(`${r.left.message}\n${JSON.stringify(text)}`)
        expect(r.right.features).toEqual(header.slice(0, k).map(trim))
        const x = Array.from(r.right.dataset.x.data)
        const y = Array.from(r.right.dataset.y.data)
        rows.forEach((row, i) => {
          row.slice(0, k).forEach((v, j) => expect(Object.is(x[i * k + j], v)).toBe(true))
          expect(Object.is(y[i], row[k])).toBe(true)
        })
      }),
      { numRuns: 300 },
    )
  })
})

describe('data decoders: law 3, streaming CSV', () => {
  const view = (r: E.Either<{ readonly message: string }, CsvData>): unknown =>
    E.isLeft(r) ? r.left.message : {
      x: [...r.right.dataset.x.shape, ...Array.from(r.right.dataset.x.data)],
      y: [...r.right.dataset.y.shape, ...Array.from(r.right.dataset.y.data)],
      dtypes: [r.right.dataset.x.dtype, r.right.dataset.y.dtype],
      features: r.right.features, target: r.right.target, classes: r.right.classes,
    }
  it('3. csvDecoder fed pieces cut anywhere equals fromCsv on the whole text', () => {
    fc.assert(fc.property(arbCsv, fc.option(arbEdits(arbTextUnit), { nil: undefined }), arbCsvOptions, fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }), (original, edits, options, cuts) => {
      const text = edits === undefined ? original : mutateText(original, edits)
      const points = [...new Set(cuts.map((c) => Math.floor(c * (text.length + 1))))].sort((a, b) => a - b)
      const decoder = csvDecoder(options)
      let from = 0
      for (const p of [...points, text.length]) {
        if (!decoder.push(text.slice(from, p))) break
        from = p
      }
      expect(view(decoder.end())).toEqual(view(fromCsv(text, options)))
    }), {
      numRuns: 400,
      examples: [
        ['a0,y\r\n1,"x\r\ny"\r\n\r\n', undefined, { target: 'y' }, [0.3, 0.5, 0.52, 0.9]],
      ],
    })
  })
})
