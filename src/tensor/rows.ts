/**
 * Tensors built from rows of others: gathering rows by index (how mini-batches are cut from a
 * shuffled dataset without copying the whole dataset) and one-hot rows of class indices. Plain
 * loops over typed arrays; they live with the tensor so that data, which sits beside io at the
 * bottom of the layer table, needs nothing above it.
 */
import { type DType, alloc } from './dtype.js'
import { ShapeError } from './errors.js'
import { type Tensor, fromData } from './Tensor.js'

/**
 * The rows `indices` of `x` along its first axis, in that order.
 * @category construction
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
    // a subarray view costs an allocation: for short rows a plain copy is several times faster
    if (row < 64) for (let j = 0, src = r * row, dst = i * row; j < row; j++) o[dst + j] = a[src + j]!
    else o.set(a.subarray(r * row, r * row + row), i * row)
  }
  return fromData([n, ...x.shape.slice(1)], o)
}

/**
 * One-hot rows for class indices (integers in [0, numClasses)).
 * @category construction
 */
export const oneHotRows = (labels: ArrayLike<number>, numClasses: number, dtype: DType): Tensor => {
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
