/**
 * Tensor data as text: the elements' little-endian IEEE 754 bytes (4 per float32, 8 per float64),
 * in row-major order, encoded as standard base64 with padding (RFC 4648, section 4). Bit-exact
 * both ways: -0, subnormals and every last bit survive. Pure and browser-usable (no `Buffer`).
 *
 * Laws (checked in src/io/bytes.test.ts):
 * 1. `dataFromBase64(dtype, n, dataToBase64(d))` is `d`, bit for bit, for float32 and float64.
 * 2. `base64Length(bytes)` is the length of the base64 text of that many bytes, so a length can
 *    be checked before anything is allocated.
 */
import { type DType, type Data, alloc } from '../tensor/index.js'

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const ENCODE: Uint8Array = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0))
const DECODE: Int16Array = (() => {
  const table = new Int16Array(256).fill(-1)
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i
  return table
})()
const PAD = 61 // '='

/** Whether this machine stores numbers little-endian (then typed-array bytes are copied as they are). */
const hostIsLittleEndian = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1

/** The bytes per element of a dtype. @category codecs */
export const bytesPerElement = (dtype: DType): 4 | 8 => (dtype === 'float64' ? 8 : 4)

/** The length of the padded base64 text of `bytes` bytes. @category codecs */
export const base64Length = (bytes: number): number => 4 * Math.ceil(bytes / 3)

/** Standard padded base64 of bytes. @category codecs */
export const toBase64 = (bytes: Uint8Array): string => {
  const n = bytes.length
  const out = new Uint8Array(base64Length(n))
  let o = 0
  let i = 0
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!
    out[o++] = ENCODE[v >>> 18]!
    out[o++] = ENCODE[(v >>> 12) & 63]!
    out[o++] = ENCODE[(v >>> 6) & 63]!
    out[o++] = ENCODE[v & 63]!
  }
  if (i < n) {
    const v = (bytes[i]! << 16) | ((i + 1 < n ? bytes[i + 1]! : 0) << 8)
    out[o++] = ENCODE[v >>> 18]!
    out[o++] = ENCODE[(v >>> 12) & 63]!
    out[o++] = i + 1 < n ? ENCODE[(v >>> 6) & 63]! : PAD
    out[o++] = PAD
  }
  return new TextDecoder().decode(out)
}

/**
 * Decodes standard padded base64 of exactly `into.length` bytes into `into`. Returns `undefined`
 * on success, or the description of the first problem (a wrong length, a character outside the
 * alphabet and where it is, misplaced padding).
 * @category codecs
 */
export const fromBase64Into = (text: string, into: Uint8Array): string | undefined => {
  const n = into.length
  const expected = base64Length(n)
  if (text.length !== expected) {
    return `${text.length} base64 characters, expected ${expected} for ${n} bytes; the data is truncated, padded wrongly or belongs to another shape`
  }
  const pads = n % 3 === 0 ? 0 : 3 - (n % 3)
  let o = 0
  for (let i = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length
    let v = 0
    for (let j = 0; j < 4; j++) {
      const code = text.charCodeAt(i + j)
      if (last && j >= 4 - pads) {
        if (code !== PAD) return `character ${i + j} is ${JSON.stringify(text[i + j])}, expected the padding "="`
        continue
      }
      const d = code < 256 ? DECODE[code]! : -1
      if (d < 0) return `character ${i + j} is ${JSON.stringify(text[i + j])}, which is not base64 (A-Z, a-z, 0-9, +, /, and = at the end)`
      v |= d << (18 - 6 * j)
    }
    // Canonical encoding (RFC 4648, 3.5): the bits after the last byte are zero, so one text
    // spells one byte string and a changed character cannot hide in them.
    if (last && ((pads === 2 && (v & 0xffff) !== 0) || (pads === 1 && (v & 0xff) !== 0))) {
      return `character ${i + 3 - pads} is ${JSON.stringify(text[i + 3 - pads])}, whose low bits should be zero before the padding; the data was changed or is not canonical base64`
    }
    if (o < n) into[o++] = v >>> 16
    if (o < n && !(last && pads === 2)) into[o++] = (v >>> 8) & 255
    if (o < n && !(last && pads >= 1)) into[o++] = v & 255
  }
  return undefined
}

/** The little-endian bytes of a tensor's data, as base64. @category codecs */
export const dataToBase64 = (data: Data): string => {
  if (hostIsLittleEndian) return toBase64(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
  const bytes = new Uint8Array(data.byteLength)
  const view = new DataView(bytes.buffer)
  const size = data instanceof Float64Array ? 8 : 4
  for (let i = 0; i < data.length; i++) {
    if (size === 8) view.setFloat64(8 * i, data[i]!, true)
    else view.setFloat32(4 * i, data[i]!, true)
  }
  return toBase64(bytes)
}

/**
 * The `count` elements of `dtype` whose little-endian bytes `text` encodes in base64, or the
 * description of what is wrong with it. Allocates only after the length has been checked.
 * @category codecs
 */
export const dataFromBase64 = (dtype: DType, count: number, text: string): Data | string => {
  const size = bytesPerElement(dtype)
  if (text.length !== base64Length(count * size)) {
    return `${text.length} base64 characters, expected ${base64Length(count * size)} for ${count} ${dtype} elements (${count * size} bytes); the data is truncated or belongs to another shape`
  }
  const data = alloc(dtype, count)
  const bytes = hostIsLittleEndian ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data.byteLength)
  const problem = fromBase64Into(text, bytes)
  if (problem !== undefined) return problem
  if (!hostIsLittleEndian) {
    const view = new DataView(bytes.buffer)
    for (let i = 0; i < count; i++) data[i] = size === 8 ? view.getFloat64(8 * i, true) : view.getFloat32(4 * i, true)
  }
  return data
}
