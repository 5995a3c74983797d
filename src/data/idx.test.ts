import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { toArray } from '../tensor/index.js'
import type { DataError } from './DataError.js'
import { type IdxOptions, type IdxTypeCode, fromIdx, idxDataset, idxTypes } from './idx.js'

/** A tiny IDX encoder, independent of the decoder: header, big-endian dimensions and values. */
const encode = (code: IdxTypeCode, shape: ReadonlyArray<number>, values: ReadonlyArray<number>): Uint8Array => {
  const width = idxTypes[code].bytes
  const bytes = new Uint8Array(4 + 4 * shape.length + width * values.length)
  const view = new DataView(bytes.buffer)
  bytes[2] = code
  bytes[3] = shape.length
  shape.forEach((d, i) => view.setInt32(4 + 4 * i, d))
  const at = 4 + 4 * shape.length
  values.forEach((v, i) => {
    const o = at + width * i
    if (code === 0x08) view.setUint8(o, v)
    else if (code === 0x09) view.setInt8(o, v)
    else if (code === 0x0b) view.setInt16(o, v)
    else if (code === 0x0c) view.setInt32(o, v)
    else if (code === 0x0d) view.setFloat32(o, v)
    else view.setFloat64(o, v)
  })
  return bytes
}

const err = (bytes: Uint8Array | ArrayBuffer, options: IdxOptions = {}): DataError => {
  const r = fromIdx(bytes, options)
  if (E.isRight(r)) throw new Error('expected Left, got Right')
  return r.left
}
const ok = (bytes: Uint8Array | ArrayBuffer, options: IdxOptions = {}) => {
  const r = fromIdx(bytes, options)
  if (E.isLeft(r)) throw new Error(`expected Right, got ${r.left.message}`)
  return r.right
}

describe('fromIdx', () => {
  it('decodes MNIST-style images: unsigned bytes, three dimensions', () => {
    const t = ok(encode(0x08, [2, 2, 3], [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]))
    expect(t.shape).toEqual([2, 2, 3])
    expect(t.dtype).toBe('float32')
    expect(toArray(t)).toEqual([[[0, 1, 2], [3, 4, 5]], [[250, 251, 252], [253, 254, 255]]])
  })
  it('scales values when asked (pixels to [0, 1])', () => {
    expect(Array.from(ok(encode(0x08, [2], [0, 255]), { scale: 1 / 255 }).data)).toEqual([0, 1])
  })
  it.each([
    [0x09, [-128, -1, 0, 127]],
    [0x0b, [-32768, -2, 300, 32767]],
    [0x0c, [-2147483648, -3, 70000, 2147483647]],
    [0x0d, [-1.5, 0, 0.25, 3e38]],
    [0x0e, [-1e300, 0.1, 2, 1e-300]],
  ] as const)('decodes type code 0x%s big-endian', (code, values) => {
    const t = ok(encode(code, [4], values), { dtype: 'float64' })
    expect(Array.from(t.data)).toEqual(code === 0x0d ? values.map(Math.fround) : values)
  })
  it('accepts an ArrayBuffer, and a Node Buffer that is a view into a larger pool', () => {
    const bytes = encode(0x08, [3], [7, 8, 9])
    expect(toArray(ok(bytes.buffer as ArrayBuffer))).toEqual([7, 8, 9])
    const pool = new Uint8Array(100)
    pool.set(bytes, 37)
    expect(toArray(ok(pool.subarray(37, 37 + bytes.length)))).toEqual([7, 8, 9])
  })
  it('decodes an empty tensor', () => expect(ok(encode(0x08, [0, 28, 28], [])).shape).toEqual([0, 28, 28]))
  it('makes a fresh buffer: the result does not alias the input', () => {
    const bytes = encode(0x0d, [1], [1])
    const t = ok(bytes)
    bytes.fill(0)
    expect(t.data[0]).toBe(1)
  })
})

const corpus: ReadonlyArray<readonly [string, Uint8Array, IdxOptions, string]> = [
  ['an empty buffer', new Uint8Array(0), {}, 'the buffer has 0 bytes; an IDX file starts with a 4-byte magic number'],
  ['a 3-byte buffer', new Uint8Array([0, 0, 8]), {}, 'the buffer has 3 bytes; an IDX file starts with a 4-byte magic number'],
  ['a wrong magic number (a PNG)', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), {}, 'magic number 0x89504E47: an IDX file starts with two zero bytes (e.g. 0x00000803 for MNIST images); is this an IDX file?'],
  ['a gzip file', new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0]), {}, 'the buffer is gzip-compressed (the MNIST downloads are .gz files); decompress it first, e.g. with zlib.gunzipSync or DecompressionStream'],
  ['an unknown type code', encode(0x0d, [1], [0]).map((b, i) => (i === 2 ? 0x0a : b)), {}, 'magic number 0x00000A01: type code 0x0A is not an IDX type; expected one of 0x08 (unsigned byte), 0x09 (signed byte), 0x0B (int16), 0x0C (int32), 0x0D (float32), 0x0E (float64)'],
  ['zero dimensions', new Uint8Array([0, 0, 8, 0, 42]), {}, 'magic number 0x00000800: the file declares 0 dimensions; an IDX file has at least one'],
  ['a truncated header', encode(0x08, [60000, 28, 28], []).subarray(0, 10), {}, 'the header declares 3 dimensions (a 16-byte header) but the buffer has only 10 bytes; the file is truncated'],
  ['a negative dimension', encode(0x08, [2, -1], []), {}, 'dimension 1 is -1; dimensions must be non-negative (is the file corrupt?)'],
  ['huge declared dimensions', encode(0x08, [2147483647, 2147483647, 2147483647], [1, 2, 3]), {}, 'the header declares [2147483647, 2147483647, 2147483647], 9.903520300447984e+27 elements, more than the limit of 268435456; the file is corrupt, or pass a larger maxElements'],
  ['more elements than maxElements', encode(0x08, [10, 10], new Array<number>(100).fill(0)), { maxElements: 99 }, 'the header declares [10, 10], 100 elements, more than the limit of 99; the file is corrupt, or pass a larger maxElements'],
  ['truncated data (MNIST labels cut short)', encode(0x08, [60000], [1, 2, 3]), {}, 'the header declares [60000] unsigned bytes (60000 bytes of data after the 8-byte header) but the buffer has 3; the file is truncated'],
  ['a truncated float', encode(0x0d, [2], [1, 2]).subarray(0, 15), {}, 'the header declares [2] float32s (8 bytes of data after the 8-byte header) but the buffer has 7; the file is truncated'],
  ['trailing bytes', new Uint8Array([...encode(0x08, [2], [1, 2]), 0, 0, 0]), {}, 'the header declares [2] unsigned bytes (2 bytes of data after the 8-byte header) but the buffer has 5, 3 too many; is it two files joined, or a wrong header?'],
  ['a NaN in float data', encode(0x0d, [3], [1, Number.NaN, 2]), {}, 'element 1 (byte offset 12) is NaN; a dataset needs finite values'],
  ['an Infinity in double data', encode(0x0e, [1], [-Infinity]), {}, 'element 0 (byte offset 8) is -Infinity; a dataset needs finite values'],
  ['a double too large for float32', encode(0x0e, [1], [1e300]), {}, "element 0 (byte offset 8) times scale 1 is too large for float32; pass dtype: 'float64' or a smaller scale"],
  ['a non-finite scale', encode(0x08, [1], [1]), { scale: Number.NaN }, 'options.scale: expected a finite number, got NaN'],
]

describe('fromIdx: the corpus of bad inputs', () => {
  it.each(corpus)('%s', (_, bytes, options, message) => {
    expect(err(bytes, options).message).toBe(`data.fromIdx: ${message}`)
  })
  it('refuses huge dimensions before allocating', () => {
    // the header's size is checked against maxElements before any buffer of that size exists (no
    // timing here: a test must pass on a busy machine; allocating 17 GB would throw instead)
    expect(err(encode(0x0e, [65535, 65535], [])).message).toMatch(/the header declares \[65535, 65535\], 4294836225 elements, more than the limit/)
  })
  it('gives the byte offset of the problem', () => {
    expect(err(encode(0x0d, [3], [1, Number.NaN, 2])).offset).toBe(12)
  })
  it('refuses what is not bytes', () => {
    expect(err('abc' as unknown as Uint8Array).message).toBe('data.fromIdx: expected the file\'s bytes as a Uint8Array or an ArrayBuffer, got "abc"')
  })
})

describe('idxDataset', () => {
  const images = encode(0x08, [3, 2, 2], [0, 255, 0, 255, 1, 1, 1, 1, 2, 2, 2, 2])
  const labels = encode(0x08, [3], [7, 1, 0])
  it('pairs images and labels, flattening each image to a row and scaling the images only', () => {
    const r = idxDataset(images, labels, { scale: 1 / 255 })
    if (E.isLeft(r)) throw new Error(r.left.message)
    expect(r.right.x.shape).toEqual([3, 4])
    expect(toArray(r.right.x)).toEqual([[0, 1, 0, 1], [1, 1, 1, 1].map((v) => Math.fround(v / 255)), [2, 2, 2, 2].map((v) => Math.fround(v / 255))])
    expect(toArray(r.right.y)).toEqual([7, 1, 0])
  })
  it('keeps the image shape when asked', () => {
    const r = idxDataset(images, labels, { flatten: false })
    expect(E.isRight(r) && r.right.x.shape).toEqual([3, 2, 2])
  })
  it('names the file that failed, and refuses files of different lengths', () => {
    expect(idxDataset(images, labels.subarray(0, 10))).toEqual(
      E.left(expect.objectContaining({ message: 'data.idxDataset: targets: the header declares [3] unsigned bytes (3 bytes of data after the 8-byte header) but the buffer has 2; the file is truncated' })),
    )
    expect(idxDataset(images, encode(0x08, [2], [0, 1]))).toEqual(
      E.left(expect.objectContaining({ message: 'data.idxDataset: the inputs have 3 examples (shape [3, 2, 2]) but the targets have 2 (shape [2]); are they files of the same set (train or test)?' })),
    )
  })
})
