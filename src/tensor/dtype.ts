/**
 * Element types. `float32` is the default, as in every deep-learning library; `float64` is there
 * for gradient checking and for users who need the precision. Mixing the two promotes to
 * `float64`, so no operation silently loses precision.
 */

/**
 * The element type of a tensor. @category model
 * @example
 * ```ts
 * const dtype: DType = 'float64'
 * zeros([2], { dtype })
 * ```
 */
export type DType = 'float32' | 'float64'

/**
 * The typed array behind a tensor of each dtype. @category model
 * @example
 * ```ts
 * const buffer: Data = tensor([1, 2]).data // a Float32Array; float64 tensors hold a Float64Array
 * ```
 */
export type Data = Float32Array | Float64Array

/** Allocates a zero-filled buffer of `size` elements for `dtype`. @category constructors */
export const alloc = (dtype: DType, size: number): Data =>
  dtype === 'float64' ? new Float64Array(size) : new Float32Array(size)

/** The dtype of a typed array. @category model */
export const dtypeOf = (data: Data): DType => (data instanceof Float64Array ? 'float64' : 'float32')

/** `float64` if either is `float64`, else `float32`. @category model */
export const promote = (a: DType, b: DType): DType => (a === 'float64' || b === 'float64' ? 'float64' : 'float32')

/** Whether a string names a dtype. @category model */
export const isDType = (s: unknown): s is DType => s === 'float32' || s === 'float64'
