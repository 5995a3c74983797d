/**
 * Gathering rows by index: how mini-batches are cut from a shuffled dataset without copying
 * the whole dataset.
 */
import { type DType, type Tensor, ShapeError, alloc, fromData } from '../tensor/index.js'

/**
 * The rows `indices` of `x` along its first axis, in that order.
 * @category kernels
 */
export const takeRows = (x: Tensor, indices: ArrayLike<number>): Tensor => {
  if (x.shape.length === 0) throw new ShapeError('takeRows', [x.shape], 'needs at least one axis')
  const rows = x.shape[0]!
  const row = rows === 0 ? 0 : x.size / rows
  const n = indices.length
  const o = alloc(x.dtype, n * row)
  const a = x.data
  for (let i = 0; i < n; i++) {
    const r = indices[i]!
    if (!Number.isInteger(r) || r < 0 || r >= rows) {
      throw new RangeError(`takeRows: index ${r} at position ${i} is out of range for ${rows} rows`)
    }
    o.set(a.subarray(r * row, r * row + row), i * row)
  }
  return fromData([n, ...x.shape.slice(1)], o)
}

/**
 * One-hot rows for class indices (integers in [0, numClasses)).
 * @category kernels
 */
export const oneHot = (labels: ArrayLike<number>, numClasses: number, dtype: DType): Tensor => {
  if (!Number.isInteger(numClasses) || numClasses <= 0) {
    throw new RangeError(`oneHot: numClasses must be a positive integer, got ${numClasses}`)
  }
  const n = labels.length
  const o = alloc(dtype, n * numClasses)
  for (let i = 0; i < n; i++) {
    const c = labels[i]!
    if (!Number.isInteger(c) || c < 0 || c >= numClasses) {
      throw new RangeError(`oneHot: label ${c} at position ${i} is not a class index in [0, ${numClasses})`)
    }
    o[i * numClasses + c] = 1
  }
  return fromData([n, numClasses], o)
}

/** Whether every element is finite (no NaN, no ±Infinity). @category kernels */
export const allFinite = (x: Tensor): boolean => {
  const a = x.data
  for (let i = 0; i < a.length; i++) {
    // x - x is 0 for finite x and NaN for NaN and ±Infinity
    if (a[i]! - a[i]! !== 0) return false
  }
  return true
}

/** The index of the largest element of each row of a matrix (first one on ties). @category kernels */
export const argmaxRows = (x: Tensor): Int32Array => {
  const rows = x.shape.length < 2 ? 1 : x.shape[0]!
  const n = rows === 0 ? 0 : x.size / rows
  const out = new Int32Array(rows)
  const a = x.data
  for (let r = 0; r < rows; r++) {
    let best = 0
    let bv = -Infinity
    for (let j = 0; j < n; j++) {
      const v = a[r * n + j]!
      if (v > bv) { bv = v; best = j }
    }
    out[r] = best
  }
  return out
}
