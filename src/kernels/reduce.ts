/**
 * Reductions along axes. Reduced axes that form one contiguous block reduce in place as an
 * [outer, mid, inner] walk; any other set of axes is first transposed to the end.
 */
import { type Data, type Shape, type Tensor, alloc, fromData, sizeOf } from '../tensor/index.js'
import { transpose } from './layout.js'

// The reduction of one [outer, mid, inner] block: o[r, j] = reduce over k of a[r, k, j].
type Block = (a: Data, o: Data, outer: number, mid: number, inner: number) => void

/** A reduction kernel: `x` over `axes` (sorted, unique); reduced axes stay as size 1 when `keepDims`. @category kernels */
export type ReduceKernel = (x: Tensor, axes: ReadonlyArray<number>, keepDims: boolean) => Tensor

const reduce = (block: Block, x: Tensor, axes: ReadonlyArray<number>, keepDims: boolean): Tensor => {
  const shape = x.shape
  if (axes.length === 0) return fromData(shape, x.data.slice())
  const first = axes[0]!
  const last = axes[axes.length - 1]!
  // one block of contiguous axes (the common case: a bias gradient, a mean): no copy, one walk
  if (last - first + 1 === axes.length) {
    let outer = 1, mid = 1, inner = 1
    const outShape: number[] = []
    for (let i = 0; i < shape.length; i++) {
      const d = shape[i]!
      if (i < first) { outer *= d; outShape.push(d) }
      else if (i <= last) { mid *= d; if (keepDims) outShape.push(1) }
      else { inner *= d; outShape.push(d) }
    }
    const o = alloc(x.dtype, outer * inner)
    block(x.data, o, outer, mid, inner)
    return fromData(outShape, o)
  }
  const outShape: number[] = []
  for (let i = 0; i < shape.length; i++) {
    if (!axes.includes(i)) outShape.push(shape[i]!)
    else if (keepDims) outShape.push(1)
  }
  const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i))
  const src = transpose(x, [...kept, ...axes])
  const s: Shape = src.shape
  const outer = sizeOf(s.slice(0, kept.length))
  const mid = sizeOf(s.slice(kept.length))
  const o = alloc(x.dtype, outer)
  block(src.data, o, outer, mid, 1)
  return fromData(outShape, o)
}

const sumBlock: Block = (a, o, outer, mid, inner) => {
  if (inner === 1) {
    for (let r = 0; r < outer; r++) {
      let acc = 0
      const base = r * mid
      for (let k = 0; k < mid; k++) acc += a[base + k]!
      o[r] = acc
    }
  } else {
    // accumulate whole rows so the inner loop runs along contiguous memory
    for (let r = 0; r < outer; r++) {
      const ob = r * inner
      for (let k = 0; k < mid; k++) {
        const ab = (r * mid + k) * inner
        for (let j = 0; j < inner; j++) o[ob + j] = o[ob + j]! + a[ab + j]!
      }
    }
  }
}

const maxBlock: Block = (a, o, outer, mid, inner) => {
  for (let r = 0; r < outer; r++) {
    const ob = r * inner
    for (let j = 0; j < inner; j++) o[ob + j] = mid === 0 ? -Infinity : a[r * mid * inner + j]!
    for (let k = 1; k < mid; k++) {
      const ab = (r * mid + k) * inner
      for (let j = 0; j < inner; j++) {
        const v = a[ab + j]!
        // NaN propagates, as in NumPy
        if (v > o[ob + j]! || v !== v) o[ob + j] = v
      }
    }
  }
}

/** The sum over `axes`. @category kernels */
export const sum: ReduceKernel = (x, axes, keepDims) => reduce(sumBlock, x, axes, keepDims)

/** The maximum over `axes` (-Infinity over an empty axis; a NaN propagates, as in NumPy). @category kernels */
export const max: ReduceKernel = (x, axes, keepDims) => reduce(maxBlock, x, axes, keepDims)

/**
 * The sum of an [outer, mid, inner] block into `o` (outer · inner elements, zero on entry): the
 * loop `sum` runs for contiguous axes, for a compiled program that owns its output buffer.
 * @category kernels
 */
export const sumInto: (a: Data, o: Data, outer: number, mid: number, inner: number) => void = sumBlock

/** The maximum of an [outer, mid, inner] block into `o`: the loop of `max` for contiguous axes. @category kernels */
export const maxInto: (a: Data, o: Data, outer: number, mid: number, inner: number) => void = maxBlock
