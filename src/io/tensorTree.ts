/**
 * Trees of tensors in a model file. A tensor is the record `{ "dtype", "shape", "data", "crc32" }`,
 * `data` being the base64 of its little-endian bytes (`bytes.ts`) and `crc32` the CRC-32 of those
 * bytes (`crc32.ts`; files of version 1 have no `crc32`). Parameters are read against the
 * layout the architecture dictates (`TreeLayout`, which the layer above reads off a spec: `nn.paramLayout`), so every structure, shape and dtype is
 * checked; an optimizer state (numbers, tensors, arrays and records) is read by its own form.
 *
 * Rules, for reading:
 * - every check that can fail happens before the tensor's buffer is allocated: the shape against
 *   the architecture, the element count against `maxElements`, the base64 length against the
 *   byte count the shape and dtype give. So `[1e9, 1e9]` is an error, never an allocation.
 * - the checksum (version 2) is checked after decoding and before the data is used.
 * - every element is finite; numbers in a state are finite too.
 * - unknown fields are errors; a record whose keys are exactly dtype, shape and data (and crc32)
 *   is a tensor.
 * - no path string is built for a value that is fine: paths are functions (`Where`), spelt out
 *   only for the error reported.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { type DType, type Shape, type Tensor, fromData, isDType, isTensor, showShape, showValue } from '../tensor/index.js'
import { base64Length, bytesPerElement, dataFromBase64, dataToBase64 } from './bytes.js'
import { crc32Hex } from './crc32.js'
import { type JsonObject, forbiddenKeys, pathIndex, pathKey } from './jsonText.js'

import type { TreeLayout } from '../tree/index.js'

export { type TreeLayout, layoutElements } from '../tree/index.js'

/**
 * A training state as a file holds it (an optimizer's state, `optim.StateTree`): numbers, tensors,
 * arrays and records.
 * @example
 * ```ts
 * const state: io.StateTree = { count: 3, mu: [tensor([0])] } // an optimizer state as a file stores it
 * ```
 * @category model
 */
export type StateTree = number | Tensor | ReadonlyArray<StateTree> | { readonly [key: string]: StateTree }

/**
 * A problem at a path of the document (what an `io.Architecture` returns for a bad architecture). @category model
 * @example
 * ```ts
 * const problem: io.TreeProblem = { path: 'layers[2].outSize', detail: 'expected a positive integer, got 0' }
 * ```
 */
export interface TreeProblem {
  readonly path: string
  readonly detail: string
}

type Result<A> = E.Either<TreeProblem, A>

const fail = (path: string, detail: string): Result<never> => E.left({ path, detail })

/** The largest rank a stored tensor may have. @category codecs */
export const maxRank = 32

/** A running count of the elements read so far in one decoding, against the limit. @category internals */
export interface Budget {
  readonly maxElements: number
  used: number
  /** Whether tensors carry a CRC-32 (files of version 2 and later). */
  readonly checksums: boolean
}

/** A short rendering of an outside value for messages (`undefined` is "nothing"). @category codecs */
export const show = (u: unknown): string => showValue(u, 'nothing')

/** Whether a value is a JSON object (not null, not an array). @category guards */
export const isObject = (u: unknown): u is Readonly<Record<string, unknown>> => typeof u === 'object' && u !== null && !Array.isArray(u)

const own = (u: Readonly<Record<string, unknown>>, key: string): unknown => (Object.hasOwn(u, key) ? u[key] : undefined)

const codec = <A>(name: string, is: (u: unknown) => u is A, describe: (u: unknown) => string): t.Type<A, A, unknown> =>
  new t.Type<A, A, unknown>(name, is, (u, c) => (is(u) ? t.success(u) : t.failure(u, c, describe(u))), t.identity)

const DTypeCodec = codec('a dtype', (u): u is DType => isDType(u), (u) => `expected "float32" or "float64", got ${show(u)}`)
const isDim = (u: unknown): u is number => typeof u === 'number' && Number.isSafeInteger(u) && u >= 0
const Dim = codec('a non-negative integer', isDim, (u) => `expected a non-negative integer, got ${show(u)}`)
const ShapeCodec = codec('a shape', (u): u is ReadonlyArray<unknown> => Array.isArray(u) && u.length <= maxRank, (u) =>
  Array.isArray(u) ? `rank ${u.length} is more than ${maxRank}; no model has tensors of that rank` : `expected a shape, an array of non-negative integers, got ${show(u)}`)
const DataCodec = codec('a base64 string', (u): u is string => typeof u === 'string', (u) => `expected the base64 text of the tensor's bytes, got ${show(u)}`)

/** Runs an io-ts codec on one field, the problem at `path`. */
const field = <A>(c: t.Type<A, A, unknown>, u: unknown, path: Where): Result<A> => {
  if (u === undefined) return fail(path(), `missing; expected ${c.name}`)
  const r = c.decode(u)
  return E.isLeft(r) ? fail(path(), r.left[0]?.message ?? `expected ${c.name}, got ${show(u)}`) : E.right(r.right)
}

/**
 * Where a value is in the document, spelt out only when a problem is reported: decoding a tree of
 * millions of values builds no path string for the values that are fine.
 * @category internals
 */
export type Where = () => string

const whereOf = (path: string | Where): Where => (typeof path === 'string' ? () => path : path)
const atKey = (path: Where, key: string): Where => () => pathKey(path(), key)
const atIndex = (path: Where, i: number): Where => () => pathIndex(path(), i)

const TENSOR_KEYS: ReadonlyArray<string> = ['dtype', 'shape', 'data']
const CHECKED_TENSOR_KEYS: ReadonlyArray<string> = ['dtype', 'shape', 'data', 'crc32']

/**
 * Whether a record has the keys of a stored tensor: exactly dtype, shape and data, and, from
 * version 2 of the format on, crc32.
 * @category guards
 */
export const isTensorRecord = (u: Readonly<Record<string, unknown>>): boolean => {
  const keys = Object.keys(u)
  return (keys.length === 3 && TENSOR_KEYS.every((k) => keys.includes(k))) || (keys.length === 4 && CHECKED_TENSOR_KEYS.every((k) => keys.includes(k)))
}

/** The little-endian bytes of a tensor's data (a view when the host is little-endian). */
const bytesOf = (data: Tensor['data']): Uint8Array => {
  if (new Uint8Array(Uint16Array.of(1).buffer)[0] === 1) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
  const out = new Uint8Array(data.byteLength)
  const view = new DataView(out.buffer)
  for (let i = 0; i < data.length; i++) {
    if (data instanceof Float64Array) view.setFloat64(8 * i, data[i]!, true)
    else view.setFloat32(4 * i, data[i]!, true)
  }
  return out
}

/** The JSON record of a tensor, with the CRC-32 of its bytes (version 2 of the format). @category codecs */
export const encodeTensor = (x: Tensor): JsonObject => ({ dtype: x.dtype, shape: [...x.shape], data: dataToBase64(x.data), crc32: crc32Hex(bytesOf(x.data)) })

const firstNonFinite = (data: ArrayLike<number>): number => {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i]!)) return i
  return -1
}

const HEX8 = /^[0-9a-f]{8}$/

/**
 * A tensor from its JSON record, checked against the expected shape and dtype when given, the
 * element budget, the data's length, its checksum (version 2) and finiteness, in that order.
 * @category codecs
 */
export const decodeTensor = (u: unknown, path: string | Where, budget: Budget, expected?: { readonly shape: Shape; readonly dtype: DType }): Result<Tensor> => {
  const at = whereOf(path)
  const want = expected === undefined ? '' : ` of shape ${showShape(expected.shape)} and dtype ${expected.dtype}`
  const keys = budget.checksums ? CHECKED_TENSOR_KEYS : TENSOR_KEYS
  const described = budget.checksums ? '"dtype", "shape", "data" and "crc32"' : '"dtype", "shape" and "data"'
  if (!isObject(u)) return fail(at(), `expected a tensor${want}, a record { ${described} }, got ${show(u)}`)
  for (const key of Object.keys(u)) {
    if (!keys.includes(key)) return fail(pathKey(at(), key), `unknown field; a tensor has ${described}${key === 'crc32' ? ' in a file of version 1' : ''}`)
  }
  const dtype = field(DTypeCodec, own(u, 'dtype'), atKey(at, 'dtype'))
  if (E.isLeft(dtype)) return dtype
  const rawShape = field(ShapeCodec, own(u, 'shape'), atKey(at, 'shape'))
  if (E.isLeft(rawShape)) return rawShape
  const dims: number[] = []
  for (let i = 0; i < rawShape.right.length; i++) {
    const d = field(Dim, rawShape.right[i], atIndex(atKey(at, 'shape'), i))
    if (E.isLeft(d)) return d
    dims.push(d.right)
  }
  if (expected !== undefined) {
    if (dims.length !== expected.shape.length || dims.some((d, i) => d !== expected.shape[i])) {
      return fail(at(), `shape ${showShape(dims)}, expected ${showShape(expected.shape)}; the parameters do not fit the architecture`)
    }
    if (dtype.right !== expected.dtype) return fail(at(), `dtype ${dtype.right}, expected ${expected.dtype} (the architecture's dtype)`)
  }
  const count = dims.reduce((n, d) => n * d, 1)
  if (count > budget.maxElements - budget.used) {
    return fail(at(), `shape ${showShape(dims)} has ${count} elements, ${budget.used === 0 ? '' : `which with the ${budget.used} read before is `}more than the limit of ${budget.maxElements} (options.maxElements); refused before allocating`)
  }
  const text = field(DataCodec, own(u, 'data'), atKey(at, 'data'))
  if (E.isLeft(text)) return text
  let checksum: string | undefined
  if (budget.checksums) {
    const c = own(u, 'crc32')
    if (typeof c !== 'string' || !HEX8.test(c)) {
      return fail(pathKey(at(), 'crc32'), c === undefined ? 'missing; a tensor of a version 2 file carries the CRC-32 of its bytes' : `expected eight lowercase hexadecimal digits (the CRC-32 of the tensor's bytes), got ${show(c)}`)
    }
    checksum = c
  }
  const bytes = count * bytesPerElement(dtype.right)
  if (text.right.length !== base64Length(bytes)) {
    return fail(pathKey(at(), 'data'), `${text.right.length} base64 characters, expected ${base64Length(bytes)} for ${count} ${dtype.right} elements (${bytes} bytes); the data is truncated or belongs to another shape`)
  }
  const data = dataFromBase64(dtype.right, count, text.right)
  if (typeof data === 'string') return fail(pathKey(at(), 'data'), data)
  if (checksum !== undefined) {
    const actual = crc32Hex(bytesOf(data))
    if (actual !== checksum) {
      return fail(pathKey(at(), 'data'), `the data's CRC-32 is ${actual}, the file says ${checksum}: the file is corrupted (a changed character); use an older copy or checkpoint`)
    }
  }
  const bad = firstNonFinite(data)
  if (bad >= 0) return fail(at(), `element ${bad} is ${data[bad]}; a model's values must be finite (the training probably diverged before it was saved)`)
  budget.used += count
  return E.right(fromData(dims, data))
}

const describeLayout = (layout: TreeLayout): string =>
  layout.node === 'tensor' ? `a tensor of shape ${showShape(layout.shape)}`
    : layout.node === 'array' ? `an array of ${layout.items.length} parameter sets`
    : layout.node === 'record' ? (layout.fields.length === 0 ? 'the empty record {} (the layer has no parameters)' : `a record { ${layout.fields.map(([k]) => `"${k}"`).join(', ')} }`)
    : 'parameters'

/**
 * A parameter tree read against the layout the architecture gives: arrays of the right length,
 * records with exactly the right keys, tensors of the right shape and dtype. The result is frozen.
 * Recursion follows the layout, which `nn.fromSpec` bounds (nesting at most `nn.maxSpecDepth`).
 * @category codecs
 */
export const decodeParams = (layout: TreeLayout, u: unknown, path: string | Where, budget: Budget): Result<unknown> => {
  const at = whereOf(path)
  switch (layout.node) {
    case 'tensor':
      return decodeTensor(u, at, budget, layout)
    case 'array': {
      if (!Array.isArray(u)) return fail(at(), `expected ${describeLayout(layout)}, got ${show(u)}`)
      if (u.length !== layout.items.length) return fail(at(), `expected ${describeLayout(layout)} (one per layer), got an array of ${u.length}`)
      const out: unknown[] = new Array(u.length)
      for (let i = 0; i < u.length; i++) {
        const r = decodeParams(layout.items[i]!, u[i], atIndex(at, i), budget)
        if (E.isLeft(r)) return r
        out[i] = r.right
      }
      return E.right(Object.freeze(out))
    }
    case 'record': {
      if (!isObject(u)) return fail(at(), `expected ${describeLayout(layout)}, got ${show(u)}`)
      const names = layout.fields.map(([k]) => k)
      for (const key of Object.keys(u)) {
        if (!names.includes(key)) return fail(pathKey(at(), key), `unknown field; expected ${describeLayout(layout)}`)
      }
      if (layout.fields.length === 0) return E.right(EMPTY)
      const out: Record<string, unknown> = {}
      for (const [key, sub] of layout.fields) {
        if (!Object.hasOwn(u, key)) return fail(pathKey(at(), key), `missing; expected ${describeLayout(sub)}`)
        const r = decodeParams(sub, u[key], atKey(at, key), budget)
        if (E.isLeft(r)) return r
        out[key] = r.right
      }
      return E.right(Object.freeze(out))
    }
    case 'unknown':
      return decodeState(u, at, budget)
  }
}

// One frozen empty record for every parameterless layer, instead of one each.
const EMPTY: Readonly<Record<string, never>> = Object.freeze({})

/**
 * An optimizer state (or any tree of numbers and tensors) read by its own form: a finite number,
 * a tensor record, an array or a record of states. The result is frozen. Recursion is bounded by
 * the nesting `scanJson` allowed (`maxJsonDepth`); no path is built unless a problem is reported.
 * @category codecs
 */
export const decodeState = (u: unknown, path: string | Where, budget: Budget): Result<StateTree> => {
  const at = whereOf(path)
  if (typeof u === 'number') return Number.isFinite(u) ? E.right(u) : fail(at(), `expected a finite number, got ${u}`)
  if (Array.isArray(u)) {
    const out: StateTree[] = new Array(u.length)
    for (let i = 0; i < u.length; i++) {
      const v: unknown = u[i]
      if (typeof v === 'number' && Number.isFinite(v)) {
        out[i] = v
        continue
      }
      const r = decodeState(v, atIndex(at, i), budget)
      if (E.isLeft(r)) return r
      out[i] = r.right
    }
    return E.right(Object.freeze(out))
  }
  if (isObject(u)) {
    if (isTensorRecord(u) || (budget.checksums && Object.hasOwn(u, 'crc32'))) return decodeTensor(u, at, budget)
    const out: Record<string, StateTree> = {}
    for (const key of Object.keys(u)) {
      if (forbiddenKeys.includes(key)) return fail(pathKey(at(), key), `the key "${key}" is not allowed (it could reach an object's prototype)`)
      const r = decodeState(u[key], atKey(at, key), budget)
      if (E.isLeft(r)) return r
      out[key] = r.right
    }
    return E.right(Object.freeze(out))
  }
  return fail(at(), `expected a number, a tensor { "dtype", "shape", "data"${budget.checksums ? ', "crc32"' : ''} }, an array or a record, got ${show(u)}`)
}

const checkFinite = (x: Tensor, path: string): Result<void> => {
  const bad = firstNonFinite(x.data)
  return bad < 0 ? E.right(undefined) : fail(path, `element ${bad} is ${x.data[bad]}; only finite values can be saved (a file with them could not be loaded)`)
}

/**
 * The JSON of a parameter tree, checked against the layout: the file written is one
 * `decodeParams` accepts.
 * @category codecs
 */
export const encodeParams = (layout: TreeLayout, u: unknown, path: string): Result<unknown> => {
  switch (layout.node) {
    case 'tensor': {
      if (!isTensor(u)) return fail(path, `expected a tensor of shape ${showShape(layout.shape)}, got ${show(u)}`)
      if (u.shape.length !== layout.shape.length || u.shape.some((d, i) => d !== layout.shape[i])) {
        return fail(path, `shape ${showShape(u.shape)}, expected ${showShape(layout.shape)}; save the parameters this network's init made (or trained)`)
      }
      if (u.dtype !== layout.dtype) return fail(path, `dtype ${u.dtype}, expected ${layout.dtype} (the architecture's dtype)`)
      return E.map(() => encodeTensor(u))(checkFinite(u, path))
    }
    case 'array': {
      if (!Array.isArray(u) || u.length !== layout.items.length) return fail(path, `expected ${describeLayout(layout)}, got ${show(u)}`)
      const out: unknown[] = []
      for (let i = 0; i < u.length; i++) {
        const r = encodeParams(layout.items[i]!, u[i], pathIndex(path, i))
        if (E.isLeft(r)) return r
        out.push(r.right)
      }
      return E.right(out)
    }
    case 'record': {
      if (!isObject(u) || isTensor(u)) return fail(path, `expected ${describeLayout(layout)}, got ${show(u)}`)
      const names = layout.fields.map(([k]) => k)
      const extra = Object.keys(u).find((k) => !names.includes(k))
      if (extra !== undefined) return fail(pathKey(path, extra), `unexpected field; expected ${describeLayout(layout)}`)
      const out: Record<string, unknown> = {}
      for (const [key, sub] of layout.fields) {
        const r = encodeParams(sub, own(u, key), pathKey(path, key))
        if (E.isLeft(r)) return r
        out[key] = r.right
      }
      return E.right(out)
    }
    case 'unknown':
      return encodeState(u, path)
  }
}

/**
 * The JSON of an optimizer state (or any tree of finite numbers and tensors). A record whose keys
 * are exactly dtype, shape and data would read back as a tensor, so it is refused.
 * @category codecs
 */
export const encodeState = (u: unknown, path: string): Result<unknown> => {
  if (typeof u === 'number') return Number.isFinite(u) ? E.right(u) : fail(path, `the number ${u} is not finite; only finite values can be saved`)
  if (isTensor(u)) return E.map(() => encodeTensor(u))(checkFinite(u, path))
  if (Array.isArray(u)) {
    const out: unknown[] = []
    for (let i = 0; i < u.length; i++) {
      const r = encodeState(u[i], pathIndex(path, i))
      if (E.isLeft(r)) return r
      out.push(r.right)
    }
    return E.right(out)
  }
  if (isObject(u)) {
    if (isTensorRecord(u) || Object.hasOwn(u, 'crc32')) return fail(path, 'a record with the keys dtype, shape and data (and crc32) would read back as a tensor; rename a key')
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(u)) {
      if (forbiddenKeys.includes(key)) return fail(pathKey(path, key), `the key "${key}" cannot be saved (files with it are refused as hostile); rename it`)
      const r = encodeState(u[key], pathKey(path, key))
      if (E.isLeft(r)) return r
      out[key] = r.right
    }
    return E.right(out)
  }
  return fail(path, `expected a number, a tensor, an array or a record, got ${show(u)}`)
}
