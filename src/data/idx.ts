/**
 * IDX files, the format of the original MNIST downloads (`train-images-idx3-ubyte`, ...):
 * `fromIdx(bytes)` decodes one into a tensor, or a `DataError` saying what is wrong. It never
 * throws, and it validates the header before allocating anything.
 *
 * The format (big-endian throughout):
 *   bytes 0-1   zero
 *   byte  2     the element type: 0x08 unsigned byte, 0x09 signed byte, 0x0B int16,
 *               0x0C int32, 0x0D float32, 0x0E float64
 *   byte  3     the number of dimensions d (at least 1)
 *   then d      int32 dimensions
 *   then        the elements, row-major, exactly as many bytes as the dimensions declare
 *
 * Checks: the magic number, the type code, a header that fits in the buffer, non-negative
 * dimensions, a declared size no larger than `maxElements` and exactly equal to the data bytes
 * present (a short buffer is a truncated file, a long one two files glued together), and finite
 * values (float files can hold NaN; a dataset must not).
 *
 * Values: the result is a float32 tensor (float64 with `dtype: 'float64'`) of the stored values
 * multiplied by `scale` (default 1, so MNIST pixels are 0..255; `scale: 1 / 255` gives [0, 1]).
 * A value too large for float32 is an error, not an Infinity.
 */
import * as E from 'fp-ts/lib/Either.js'
import { type DType, type Tensor, alloc, fromData, showShape } from '../tensor/index.js'
import { type Dataset, dataset } from './Dataset.js'
import { type DataError, type DataSource, dataError, showValue } from './DataError.js'

/**
 * Options of `fromIdx`. @category model
 * @example
 * ```ts
 * const options: data.IdxOptions = { dtype: 'float32' }
 * ```
 */
export interface IdxOptions {
  /** Every value is multiplied by `scale` (default 1); `1 / 255` maps MNIST pixels to [0, 1]. */
  readonly scale?: number
  /** The dtype of the result (default float32). */
  readonly dtype?: DType
  /**
   * The largest number of elements accepted (default 2^28, about 1 GiB of float32), a bound on the
   * memory a hostile or corrupt header can make the decoder allocate.
   */
  readonly maxElements?: number
}

/**
 * The IDX element types, by type code. @category model
 * @example
 * ```ts
 * data.idxTypes[8].name // 'unsigned byte'
 * ```
 */
export const idxTypes = {
  0x08: { name: 'unsigned byte', bytes: 1 },
  0x09: { name: 'signed byte', bytes: 1 },
  0x0b: { name: 'int16', bytes: 2 },
  0x0c: { name: 'int32', bytes: 4 },
  0x0d: { name: 'float32', bytes: 4 },
  0x0e: { name: 'float64', bytes: 8 },
} as const

/**
 * An IDX type code. @category model
 * @example
 * ```ts
 * const code: data.IdxTypeCode = 8 // unsigned byte
 * ```
 */
export type IdxTypeCode = keyof typeof idxTypes

const DEFAULT_MAX_ELEMENTS = 2 ** 28

const hex = (b: number, digits = 2): string => `0x${b.toString(16).padStart(digits, '0').toUpperCase()}`

const isTypeCode = (c: number): c is IdxTypeCode => Object.prototype.hasOwnProperty.call(idxTypes, c)

const bytesOf = (buffer: unknown): Uint8Array | undefined => {
  if (buffer instanceof Uint8Array) return buffer
  if (buffer instanceof ArrayBuffer) return new Uint8Array(buffer)
  return undefined
}

const decode = (source: DataSource, buffer: Uint8Array | ArrayBuffer, options: IdxOptions): E.Either<DataError, Tensor> => {
  const fail = (detail: string, offset?: number): E.Either<DataError, never> =>
    E.left(dataError(source, detail, offset === undefined ? {} : { offset }))
  const scale = options.scale ?? 1
  if (typeof scale !== 'number' || !Number.isFinite(scale)) return fail(`options.scale: expected a finite number, got ${showValue(scale)}`)
  const dtype = options.dtype ?? 'float32'
  if (dtype !== 'float32' && dtype !== 'float64') return fail(`options.dtype: expected 'float32' or 'float64', got ${showValue(dtype)}`)
  const maxElements = options.maxElements ?? DEFAULT_MAX_ELEMENTS
  if (typeof maxElements !== 'number' || !(maxElements >= 0)) {
    return fail(`options.maxElements: expected a non-negative number, got ${showValue(maxElements)}`)
  }
  const bytes = bytesOf(buffer)
  if (bytes === undefined) return fail(`expected the file's bytes as a Uint8Array or an ArrayBuffer, got ${showValue(buffer)}`)
  // A Node Buffer is a view into a shared pool: read through its offset, never its .buffer alone.
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const length = bytes.byteLength

  if (length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    return fail('the buffer is gzip-compressed (the MNIST downloads are .gz files); decompress it first, e.g. with zlib.gunzipSync or DecompressionStream')
  }
  if (length < 4) return fail(`the buffer has ${length} byte${length === 1 ? '' : 's'}; an IDX file starts with a 4-byte magic number`)
  const magic = view.getUint32(0)
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    return fail(`magic number ${hex(magic, 8)}: an IDX file starts with two zero bytes (e.g. 0x00000803 for MNIST images); is this an IDX file?`, 0)
  }
  const code = bytes[2]!
  if (!isTypeCode(code)) {
    const known = Object.entries(idxTypes).map(([c, t]) => `${hex(Number(c))} (${t.name})`).join(', ')
    return fail(`magic number ${hex(magic, 8)}: type code ${hex(code)} is not an IDX type; expected one of ${known}`, 2)
  }
  const type = idxTypes[code]
  const rank = bytes[3]!
  if (rank === 0) return fail(`magic number ${hex(magic, 8)}: the file declares 0 dimensions; an IDX file has at least one`, 3)
  const headerBytes = 4 + 4 * rank
  if (length < headerBytes) {
    return fail(`the header declares ${rank} dimensions (a ${headerBytes}-byte header) but the buffer has only ${length} bytes; the file is truncated`, length)
  }
  const shape: number[] = []
  let size = 1
  for (let i = 0; i < rank; i++) {
    const d = view.getInt32(4 + 4 * i)
    if (d < 0) return fail(`dimension ${i} is ${d}; dimensions must be non-negative (is the file corrupt?)`, 4 + 4 * i)
    shape.push(d)
    size *= d
  }
  // `size` is a float product, exact below 2^53 and far above any limit when it is not.
  if (size > maxElements) {
    return fail(
      `the header declares ${showShape(shape)}, ${size} elements, more than the limit of ${maxElements}; the file is corrupt, or pass a larger maxElements`,
      4,
    )
  }
  const dataBytes = size * type.bytes
  const present = length - headerBytes
  if (present !== dataBytes) {
    const what = `the header declares ${showShape(shape)} ${type.name}s (${dataBytes} bytes of data after the ${headerBytes}-byte header) but the buffer has ${present}`
    return fail(
      present < dataBytes
        ? `${what}; the file is truncated`
        : `${what}, ${present - dataBytes} too many; is it two files joined, or a wrong header?`,
      headerBytes + Math.min(present, dataBytes),
    )
  }

  const out = alloc(dtype, size)
  const at = headerBytes
  switch (code) {
    case 0x08:
      for (let i = 0; i < size; i++) out[i] = bytes[at + i]! * scale
      break
    case 0x09:
      for (let i = 0; i < size; i++) out[i] = view.getInt8(at + i) * scale
      break
    case 0x0b:
      for (let i = 0; i < size; i++) out[i] = view.getInt16(at + 2 * i) * scale
      break
    case 0x0c:
      for (let i = 0; i < size; i++) out[i] = view.getInt32(at + 4 * i) * scale
      break
    case 0x0d:
      for (let i = 0; i < size; i++) out[i] = view.getFloat32(at + 4 * i) * scale
      break
    case 0x0e:
      for (let i = 0; i < size; i++) out[i] = view.getFloat64(at + 8 * i) * scale
      break
  }
  for (let i = 0; i < size; i++) {
    // v - v is 0 for finite v and NaN for NaN and ±Infinity.
    const v = out[i]!
    if (v - v !== 0) {
      const offset = at + i * type.bytes
      const stored = code === 0x0d ? view.getFloat32(offset) : code === 0x0e ? view.getFloat64(offset) : undefined
      return fail(
        stored !== undefined && !Number.isFinite(stored)
          ? `element ${i} (byte offset ${offset}) is ${stored}; a dataset needs finite values`
          : `element ${i} (byte offset ${offset}) times scale ${scale} is too large for ${dtype}; pass dtype: 'float64' or a smaller scale`,
        offset,
      )
    }
  }
  return E.right(fromData(shape, out))
}

/**
 * Decodes an IDX file (the MNIST format) into a tensor of its declared shape, values multiplied
 * by `scale`. Never throws; see the module comment for the checks.
 *
 * ```ts
 * fromIdx(readFileSync('train-images-idx3-ubyte'), { scale: 1 / 255 })  // Right(float32[60000, 28, 28])
 * ```
 * @example
 * ```ts
 * const header = [0, 0, 8, 1, 0, 0, 0, 3] // unsigned bytes, one axis of 3
 * data.fromIdx(new Uint8Array([...header, 1, 2, 3])) // Right(tensor [1, 2, 3])
 * ```
 * @category decoders
 */
export const fromIdx = (buffer: Uint8Array | ArrayBuffer, options: IdxOptions = {}): E.Either<DataError, Tensor> =>
  decode('data.fromIdx', buffer, options)

/**
 * Options of `idxDataset`. @category model
 * @example
 * ```ts
 * const options: data.IdxDatasetOptions = { flatten: true } // images as rows
 * ```
 */
export interface IdxDatasetOptions extends IdxOptions {
  /** Flatten each example to one row, e.g. [n, 28, 28] images to [n, 784] (default true). */
  readonly flatten?: boolean
}

/**
 * A dataset from an IDX file of inputs and an IDX file of targets with the same first dimension,
 * as MNIST ships them: `idxDataset(images, labels, { scale: 1 / 255 })` gives x of shape
 * [60000, 784] and y of shape [60000] (class indices). `scale` applies to the inputs only.
 * @example
 * ```ts
 * const load = async (file: string) => new Uint8Array(await (await fetch(file)).arrayBuffer()) // or readFileSync in Node
 * const mnist = data.idxDataset(await load('train-images-idx3-ubyte'), await load('train-labels-idx1-ubyte'))
 * ```
 * @category decoders
 */
export const idxDataset = (
  inputs: Uint8Array | ArrayBuffer,
  targets: Uint8Array | ArrayBuffer,
  options: IdxDatasetOptions = {},
): E.Either<DataError, Dataset> => {
  const { flatten, ...rest } = options
  // Which file failed is the first thing to say, so the detail is re-prefixed with its role.
  const named = (role: string, e: DataError): DataError =>
    dataError('data.idxDataset', `${role}: ${e.message.slice('data.idxDataset: '.length)}`, e.offset === undefined ? {} : { offset: e.offset })
  const x = decode('data.idxDataset', inputs, rest)
  if (E.isLeft(x)) return E.left(named('inputs', x.left))
  const { scale: _ignored, ...targetOptions } = rest
  const y = decode('data.idxDataset', targets, targetOptions)
  if (E.isLeft(y)) return E.left(named('targets', y.left))
  const xs = x.right
  const ys = y.right
  if (xs.shape[0] !== ys.shape[0]) {
    return E.left(
      dataError('data.idxDataset', `the inputs have ${xs.shape[0]} examples (shape ${showShape(xs.shape)}) but the targets have ${ys.shape[0]} (shape ${showShape(ys.shape)}); are they files of the same set (train or test)?`),
    )
  }
  const n = xs.shape[0]!
  const flat = (flatten ?? true) && xs.shape.length > 2 ? fromData([n, xs.shape.slice(1).reduce((a, b) => a * b, 1)], xs.data) : xs
  return E.right(dataset(flat, ys))
}
