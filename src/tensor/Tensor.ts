/**
 * The tensor: an immutable n-dimensional array of `float32` (default) or `float64` numbers,
 * stored row-major in a typed array.
 *
 * Contract:
 * 1. A tensor's data is never written after the tensor is handed out. Every operation allocates a
 *    fresh buffer; constructors copy what they are given.
 * 2. `size` is the product of `shape`; `data.length === size`.
 * 3. The tensor record itself is frozen.
 *
 * Tensors that flow through a differentiated function may carry more fields (the tracers of
 * `src/autodiff/`), but every tensor has concrete `data`: read-back works at any depth.
 */
import { alloc, type DType, type Data, isDType } from './dtype.js'
import { ShapeError, showShape } from './errors.js'
import { type Shape, checkShape, sizeOf } from './shape.js'

/**
 * An immutable n-dimensional array. @category model
 * @example
 * ```ts
 * const t: Tensor = tensor([[1, 2], [3, 4]])
 * t.shape // [2, 2]
 * t.dtype // 'float32'
 * t.data // Float32Array [1, 2, 3, 4], row-major, never written
 * ```
 */
export interface Tensor {
  readonly dtype: DType
  readonly shape: Shape
  readonly size: number
  /** Row-major elements. Never write to it: tensors share buffers. */
  readonly data: Data
}

/**
 * Nested arrays of numbers, as `tensor` accepts and `toArray` returns. @category model
 * @example
 * ```ts
 * const values: NestedArray = [[1, 2], [3, 4]]
 * tensor(values)
 * ```
 */
export type NestedArray = number | ReadonlyArray<NestedArray>

/**
 * Options of the constructors. @category constructors
 * @example
 * ```ts
 * const options: DTypeOptions = { dtype: 'float64' }
 * zeros([2, 3], options)
 * ```
 */
export interface DTypeOptions {
  readonly dtype?: DType
}

/**
 * Options of `tensor` when it is given flat data and an explicit shape. @category constructors
 * @example
 * ```ts
 * const options: FlatOptions = { shape: [2, 3] }
 * tensor([1, 2, 3, 4, 5, 6], options) // [[1, 2, 3], [4, 5, 6]]
 * ```
 */
export interface FlatOptions {
  readonly shape: Shape
  readonly dtype?: DType
}

/**
 * Wraps a fresh buffer as a tensor, without copying. Only kernels and constructors call this,
 * with a buffer nobody else holds.
 * @category constructors
 */
export const fromData = (shape: Shape, data: Data): Tensor =>
  Object.freeze({
    dtype: data instanceof Float64Array ? ('float64' as const) : ('float32' as const),
    shape: Object.freeze(shape.slice()),
    size: data.length,
    data,
  })

/**
 * Whether a value is a tensor. @category guards
 * @example
 * ```ts
 * isTensor(tensor([1])) // true
 * isTensor([1]) // false
 * ```
 */
export const isTensor = (u: unknown): u is Tensor =>
  typeof u === 'object' &&
  u !== null &&
  'data' in u &&
  (u.data instanceof Float32Array || u.data instanceof Float64Array) &&
  'shape' in u &&
  Array.isArray(u.shape)

const checkDType = (op: string, dtype: unknown): DType => {
  if (dtype === undefined) return 'float32'
  if (!isDType(dtype)) throw new TypeError(`${op}: dtype must be 'float32' or 'float64', got ${String(dtype)}`)
  return dtype
}

const inferShape = (values: NestedArray): number[] => {
  const shape: number[] = []
  let v: NestedArray = values
  while (Array.isArray(v)) {
    const arr: ReadonlyArray<NestedArray> = v
    shape.push(arr.length)
    if (arr.length === 0) break
    v = arr[0]!
  }
  return shape
}

const fill = (values: NestedArray, shape: Shape, out: Data): void => {
  let k = 0
  const walk = (v: NestedArray, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof v !== 'number') {
        throw new ShapeError('tensor', [shape], `ragged nested array: at ${path || 'the top'} expected a number, got ${Array.isArray(v) ? 'an array' : typeof v}`)
      }
      out[k++] = v
      return
    }
    if (!Array.isArray(v)) {
      throw new ShapeError('tensor', [shape], `ragged nested array: at ${path || 'the top'} expected an array of length ${shape[depth]}, got ${typeof v}`)
    }
    const arr: ReadonlyArray<NestedArray> = v
    if (arr.length !== shape[depth]) {
      throw new ShapeError('tensor', [shape], `ragged nested array: at ${path || 'the top'} expected length ${shape[depth]}, got ${arr.length}`)
    }
    for (let i = 0; i < arr.length; i++) walk(arr[i]!, depth + 1, `${path}[${i}]`)
  }
  walk(values, 0, '')
}

/**
 * Makes a tensor from a number or nested arrays (`tensor([[1, 2], [3, 4]])`), or from flat data
 * and an explicit shape (`tensor(new Float32Array(6), { shape: [2, 3] })`). The data is copied.
 * A flat typed array keeps its own dtype unless `dtype` says otherwise.
 * @example
 * ```ts
 * tensor([[1, 2], [3, 4]]) // float32, shape [2, 2]
 * tensor([1, 2, 3, 4, 5, 6], { shape: [2, 3] })
 * tensor(3.5, { dtype: 'float64' }) // a scalar
 * ```
 * @category constructors
 */
export function tensor(values: NestedArray, options?: DTypeOptions): Tensor
export function tensor(values: ArrayLike<number>, options: FlatOptions): Tensor
export function tensor(values: NestedArray | ArrayLike<number>, options: DTypeOptions | FlatOptions = {}): Tensor {
  if ('shape' in options && options.shape !== undefined) {
    const shape = checkShape('tensor', options.shape)
    const flat = values as ArrayLike<number>
    if (typeof flat !== 'object' || flat === null || typeof flat.length !== 'number') {
      throw new TypeError('tensor: with an explicit shape, values must be a flat array or typed array')
    }
    const n = sizeOf(shape)
    if (flat.length !== n) {
      throw new ShapeError('tensor', [shape], `${flat.length} values given for a shape of ${n} elements`)
    }
    const fallback: DType = flat instanceof Float64Array ? 'float64' : 'float32'
    const dtype = options.dtype === undefined ? fallback : checkDType('tensor', options.dtype)
    const out = alloc(dtype, n)
    for (let i = 0; i < n; i++) {
      const x = flat[i]
      if (typeof x !== 'number') throw new TypeError(`tensor: element ${i} is ${typeof x}, not a number`)
      out[i] = x
    }
    return fromData(shape, out)
  }
  if (ArrayBuffer.isView(values)) {
    throw new TypeError(`tensor: a typed array needs an explicit shape, e.g. tensor(data, { shape: [${(values as ArrayLike<number>).length}] })`)
  }
  const dtype = checkDType('tensor', options.dtype)
  const nested = values as NestedArray
  const shape = inferShape(nested)
  const out = alloc(dtype, sizeOf(shape))
  fill(nested, shape, out)
  return fromData(shape, out)
}

/**
 * A scalar tensor. @category constructors
 * @example
 * ```ts
 * scalar(3).shape // []
 * item(scalar(3)) // 3
 * ```
 */
export const scalar = (value: number, dtype: DType = 'float32'): Tensor => {
  const d = alloc(checkDType('scalar', dtype), 1)
  d[0] = value
  return fromData([], d)
}

// `op` is the public name the caller used, so that zeros([-1]) is reported as zeros, not full.
const filled = (op: string, shape: Shape, value: number, options: DTypeOptions): Tensor => {
  checkShape(op, shape)
  const d = alloc(checkDType(op, options.dtype), sizeOf(shape))
  // Object.is, not !==: -0 === 0, and a skipped fill would turn full(shape, -0) into +0
  if (!Object.is(value, 0)) d.fill(value)
  return fromData(shape, d)
}

/**
 * A tensor of `shape` filled with `value`. @category constructors
 * @example
 * ```ts
 * full([2, 3], 0.5) // a 2×3 tensor of 0.5
 * ```
 */
export const full = (shape: Shape, value: number, options: DTypeOptions = {}): Tensor => filled('full', shape, value, options)

/**
 * A tensor of zeros. @category constructors
 * @example
 * ```ts
 * zeros([2, 3]) // a 2×3 tensor of 0
 * zeros([4], { dtype: 'float64' })
 * ```
 */
export const zeros = (shape: Shape, options: DTypeOptions = {}): Tensor => filled('zeros', shape, 0, options)

/**
 * A tensor of ones. @category constructors
 * @example
 * ```ts
 * ones([2, 3]) // a 2×3 tensor of 1
 * ones([3], { dtype: 'float64' })
 * ```
 */
export const ones = (shape: Shape, options: DTypeOptions = {}): Tensor => filled('ones', shape, 1, options)

/**
 * `arange(stop)` is `[0, 1, ..., stop - 1]`; `arange(start, stop, step)` counts from `start`
 * by `step` while below `stop` (above it for a negative step), as NumPy's `arange`.
 * @example
 * ```ts
 * arange(4) // tensor [0, 1, 2, 3]
 * arange(1, 2, 0.25) // tensor [1, 1.25, 1.5, 1.75]
 * ```
 * @category constructors
 */
export const arange = (start: number, stop?: number, step = 1, options: DTypeOptions = {}): Tensor => {
  const [lo, hi] = stop === undefined ? [0, start] : [start, stop]
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || !Number.isFinite(step) || step === 0) {
    throw new RangeError(`arange: start, stop and step must be finite and step non-zero, got ${lo}, ${hi}, ${step}`)
  }
  const n = Math.max(0, Math.ceil((hi - lo) / step))
  const d = alloc(checkDType('arange', options.dtype), n)
  for (let i = 0; i < n; i++) d[i] = lo + i * step
  return fromData([n], d)
}

/**
 * Nested arrays of numbers of a known depth: `Nested<2>` is `number[][]`. @category destructors
 * @example
 * ```ts
 * const rows: Nested<2> = toArray(tensor([[1, 2]]), 2) // number[][]
 * ```
 */
export type Nested<R extends 0 | 1 | 2 | 3 | 4> = [number, number[], number[][], number[][][], number[][][][]][R]

/**
 * The elements as nested arrays (a number for a scalar). Given the rank the caller expects,
 * `toArray(t, 2)` is typed `number[][]` and can be indexed without a cast (`rows[i]![j]`); it
 * throws a `ShapeError` when `t` has another rank. Without it, the type is `NestedArray`, the
 * rank being known only at run time.
 * @example
 * ```ts
 * const rows = toArray(ops.softmax(tensor([[1, 2, 3]])), 2) // number[][]
 * ```
 * @category destructors
 */
export function toArray<R extends 0 | 1 | 2 | 3 | 4>(t: Tensor, rank: R): Nested<R>
export function toArray(t: Tensor): NestedArray
export function toArray(t: Tensor, rank?: number): NestedArray {
  const { shape, data } = t
  if (rank !== undefined && rank !== shape.length) {
    throw new ShapeError('toArray', [shape], `expected a tensor of rank ${rank}, got rank ${shape.length}; call toArray(t) for any rank, or reshape first`)
  }
  if (shape.length === 0) return data[0]!
  let k = 0
  const build = (depth: number): NestedArray => {
    const n = shape[depth]!
    const out: NestedArray[] = new Array<NestedArray>(n)
    if (depth === shape.length - 1) {
      for (let i = 0; i < n; i++) out[i] = data[k++]!
    } else {
      for (let i = 0; i < n; i++) out[i] = build(depth + 1)
    }
    return out
  }
  return build(0)
}

/**
 * The elements as a flat array of numbers, row-major. @category destructors
 * @example
 * ```ts
 * toFlatArray(tensor([[1, 2], [3, 4]])) // [1, 2, 3, 4]
 * ```
 */
export const toFlatArray = (t: Tensor): number[] => Array.from(t.data)

/**
 * The number held by a one-element tensor. @category destructors
 * @example
 * ```ts
 * item(ops.sum(tensor([1, 2, 3]))) // 6
 * ```
 */
export const item = (t: Tensor): number => {
  if (t.size !== 1) throw new ShapeError('item', [t.shape], `item needs a tensor of one element, this one has ${t.size}; reduce it first (e.g. with sum or mean)`)
  return t.data[0]!
}

/**
 * A short description for messages: `float32[2, 3]`. @category destructors
 * @example
 * ```ts
 * describe(tensor([[1, 2], [3, 4]])) // 'float32[2, 2]'
 * ```
 */
export const describe = (t: Tensor): string => `${t.dtype}${showShape(t.shape)}`
