/**
 * Row lookups and their transpose, the kernels of embeddings: `gather` reads rows of a table at
 * integer indices, `scatterAdd` adds rows into a table of zeros at integer indices. Indices are
 * tensors of whole numbers (float32 or float64, as every tensor); the caller has checked them.
 */
import { type Tensor, alloc, fromData } from '../tensor/index.js'

/** out[i, ...] = x[indices[i], ...]: rows of `x` (along axis 0) at the flat `indices`, shaped indices.shape ++ x.shape[1:]. @category kernels */
export const gather = (x: Tensor, indices: Tensor): Tensor => {
  const row = x.size / x.shape[0]!
  const o = alloc(x.dtype, indices.size * row)
  const idx = indices.data
  for (let i = 0; i < idx.length; i++) o.set(x.data.subarray(idx[i]! * row, idx[i]! * row + row), i * row)
  return fromData([...indices.shape, ...x.shape.slice(1)], o)
}

/** out = zeros [size, ...]; out[indices[i], ...] += updates[i, ...] (repeated indices add up). @category kernels */
export const scatterAdd = (updates: Tensor, indices: Tensor, size: number): Tensor => {
  const rowShape = updates.shape.slice(indices.shape.length)
  const row = rowShape.reduce((a, b) => a * b, 1)
  const o = alloc(updates.dtype, size * row)
  const u = updates.data
  const idx = indices.data
  for (let i = 0; i < idx.length; i++) {
    const dst = idx[i]! * row
    const src = i * row
    for (let c = 0; c < row; c++) o[dst + c] = o[dst + c]! + u[src + c]!
  }
  return fromData([size, ...rowShape], o)
}
