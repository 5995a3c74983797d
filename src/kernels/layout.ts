/**
 * Kernels that move elements without arithmetic: transpose, broadcast, slice, concatenate.
 * Reshape needs no kernel: tensors are immutable, so a reshaped tensor shares its buffer.
 */
import { type Shape, type Tensor, alloc, fromData, sizeOf, strides } from '../tensor/index.js'

/** Permutes the axes: output axis i is input axis `perm[i]`. @category kernels */
export const transpose = (x: Tensor, perm: ReadonlyArray<number>): Tensor => {
  const rank = x.shape.length
  const shape = perm.map((p) => x.shape[p]!)
  const o = alloc(x.dtype, x.size)
  const a = x.data
  if (rank === 2 && perm[0] === 1) {
    const m = x.shape[0]!, n = x.shape[1]!
    // blocked so both the reads and the writes stay within a few cache lines
    const B = 32
    for (let i0 = 0; i0 < m; i0 += B) {
      const i1 = Math.min(m, i0 + B)
      for (let j0 = 0; j0 < n; j0 += B) {
        const j1 = Math.min(n, j0 + B)
        for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) o[j * m + i] = a[i * n + j]!
      }
    }
    return fromData(shape, o)
  }
  const inStrides = strides(x.shape)
  const st = perm.map((p) => inStrides[p]!)
  walk(shape, st, a, o)
  return fromData(shape, o)
}

// Writes o[k] = a[offset(k)] for k in row-major order over `shape`, offsets given by strides `st`.
const walk = (shape: Shape, st: ReadonlyArray<number>, a: ArrayLike<number>, o: { [i: number]: number; length: number }): void => {
  const rank = shape.length
  if (o.length === 0) return
  if (rank === 0) { o[0] = a[0]!; return }
  const inner = shape[rank - 1]!
  const is = st[rank - 1]!
  const idx = new Array<number>(rank).fill(0)
  let src = 0
  for (let k = 0; k < o.length; k += inner) {
    for (let j = 0; j < inner; j++) o[k + j] = a[src + j * is]!
    for (let d = rank - 2; d >= 0; d--) {
      idx[d]!++
      src += st[d]!
      if (idx[d]! < shape[d]!) break
      src -= st[d]! * shape[d]!
      idx[d] = 0
    }
  }
}

/** Broadcasts to `shape` (which the caller has checked), materialising the copy. @category kernels */
export const broadcastTo = (x: Tensor, shape: Shape): Tensor => {
  const o = alloc(x.dtype, sizeOf(shape))
  const lead = shape.length - x.shape.length
  const xs = strides(x.shape)
  const st = shape.map((_, i) => (i < lead || x.shape[i - lead] === 1 ? 0 : xs[i - lead]!))
  walk(shape, st, x.data, o)
  return fromData(shape, o)
}

/** The block starting at `begin` of extent `size` (both checked by the caller). @category kernels */
export const slice = (x: Tensor, begin: ReadonlyArray<number>, size: ReadonlyArray<number>): Tensor => {
  const o = alloc(x.dtype, sizeOf(size))
  const xs = strides(x.shape)
  let offset = 0
  for (let i = 0; i < begin.length; i++) offset += begin[i]! * xs[i]!
  if (!copyRuns(x.shape, size, xs, x.data, offset, o, 'gather')) walk(size, xs, x.data.subarray(offset), o)
  return fromData(size, o)
}

/** Writes `x` into a zero tensor of `shape` at `begin`: the transpose of `slice`. @category kernels */
export const pad = (x: Tensor, begin: ReadonlyArray<number>, shape: Shape): Tensor => {
  const o = alloc(x.dtype, sizeOf(shape))
  const os = strides(shape)
  let offset = 0
  for (let i = 0; i < begin.length; i++) offset += begin[i]! * os[i]!
  // walk the input in order and scatter into the output window
  const rank = x.shape.length
  if (x.size === 0) return fromData(shape, o)
  if (rank === 0) { o[offset] = x.data[0]!; return fromData(shape, o) }
  if (copyRuns(shape, x.shape, os, o, offset, x.data, 'scatter')) return fromData(shape, o)
  const inner = x.shape[rank - 1]!
  const idx = new Array<number>(rank).fill(0)
  let dst = offset
  const a = x.data
  for (let k = 0; k < x.size; k += inner) {
    for (let j = 0; j < inner; j++) o[dst + j] = a[k + j]!
    for (let d = rank - 2; d >= 0; d--) {
      idx[d]!++
      dst += os[d]!
      if (idx[d]! < x.shape[d]!) break
      dst -= os[d]! * x.shape[d]!
      idx[d] = 0
    }
  }
  return fromData(shape, o)
}

// The shortest run worth a TypedArray.set (a call and a view) instead of an element loop.
const MIN_RUN = 16

/**
 * A block of extent `block` inside a tensor of shape `whole` (strides `ws`, the block at
 * `offset`) is a sequence of contiguous runs: the trailing axes the block takes whole, with the
 * axis before them. Copies each run with TypedArray.set (a memcpy), between the block of `big`
 * and the dense `small` ('gather': small = big's block, as slice; 'scatter': big's block =
 * small, as pad), and returns true; returns false (nothing copied) when the runs are too short
 * to gain from it or the dtypes differ.
 */
const copyRuns = (whole: Shape, block: ReadonlyArray<number>, ws: ReadonlyArray<number>, big: Float32Array | Float64Array, offset: number, small: Float32Array | Float64Array, direction: 'gather' | 'scatter'): boolean => {
  const rank = block.length
  if (rank === 0 || small.length === 0 || big.constructor !== small.constructor) return false
  let d = rank - 1
  while (d > 0 && block[d] === whole[d]) d--
  let run = 1
  for (let i = d; i < rank; i++) run *= block[i]!
  if (run < MIN_RUN) return false
  const idx = new Array<number>(d).fill(0)
  let at = offset
  for (let k = 0; k < small.length; k += run) {
    if (direction === 'gather') small.set(big.subarray(at, at + run), k)
    else big.set(small.subarray(k, k + run), at)
    for (let a = d - 1; a >= 0; a--) {
      idx[a]!++
      at += ws[a]!
      if (idx[a]! < block[a]!) break
      at -= ws[a]! * block[a]!
      idx[a] = 0
    }
  }
  return true
}

/** Concatenates along `axis` (shapes checked by the caller). @category kernels */
export const concat = (xs: ReadonlyArray<Tensor>, axis: number, dtype: 'float32' | 'float64'): Tensor => {
  const first = xs[0]!
  const shape = first.shape.slice()
  shape[axis] = xs.reduce((s, x) => s + x.shape[axis]!, 0)
  const o = alloc(dtype, sizeOf(shape))
  const outer = sizeOf(shape.slice(0, axis))
  const rowOut = sizeOf(shape.slice(axis))
  let col = 0
  for (const x of xs) {
    const row = sizeOf(x.shape.slice(axis))
    const a = x.data
    if (a instanceof o.constructor) {
      // one dtype: each block is a contiguous copy (a memcpy), much faster than element by element
      for (let r = 0; r < outer; r++) o.set(a.subarray(r * row, (r + 1) * row), r * rowOut + col)
    } else {
      for (let r = 0; r < outer; r++) {
        const src = r * row
        const dst = r * rowOut + col
        for (let j = 0; j < row; j++) o[dst + j] = a[src + j]!
      }
    }
    col += row
  }
  return fromData(shape, o)
}
