/**
 * Fused, numerically stable softmax kernels along the last axis. Each row is shifted by its
 * maximum before exponentiating, so no exp overflows and the largest term is exactly e^0 = 1.
 */
import { type Tensor, alloc, fromData, sizeOf } from '../tensor/index.js'

// The row count comes from the leading axes, not size / n: an empty last axis ([3, 0]) still has
// 3 rows, and logSumExp must give each of them log(0) = -Infinity.
const rows = (x: Tensor): [number, number] => {
  const n = x.shape.length === 0 ? 1 : x.shape[x.shape.length - 1]!
  return [sizeOf(x.shape.slice(0, -1)), n]
}

/** log(sum(exp(x))) over the last axis, keeping it as size 1. @category kernels */
export const logSumExp = (x: Tensor): Tensor => {
  const [m, n] = rows(x)
  const a = x.data
  const o = alloc(x.dtype, m)
  for (let r = 0; r < m; r++) {
    const base = r * n
    let mx = -Infinity
    // a NaN must win the maximum, or the shortcut below would hide it behind ±Infinity
    for (let j = 0; j < n; j++) { const v = a[base + j]!; if (v > mx || v !== v) mx = v }
    if (mx === -Infinity || mx === Infinity) { o[r] = mx; continue }
    let s = 0
    for (let j = 0; j < n; j++) s += Math.exp(a[base + j]! - mx)
    o[r] = mx + Math.log(s)
  }
  const shape = x.shape.length === 0 ? [] : [...x.shape.slice(0, -1), 1]
  return fromData(shape, o)
}

/** softmax over the last axis. @category kernels */
export const softmax = (x: Tensor): Tensor => {
  const [m, n] = rows(x)
  const a = x.data
  const o = alloc(x.dtype, x.size)
  for (let r = 0; r < m; r++) {
    const base = r * n
    let mx = -Infinity
    for (let j = 0; j < n; j++) { const v = a[base + j]!; if (v > mx) mx = v }
    let s = 0
    for (let j = 0; j < n; j++) { const e = Math.exp(a[base + j]! - mx); o[base + j] = e; s += e }
    const inv = 1 / s
    for (let j = 0; j < n; j++) o[base + j] = o[base + j]! * inv
  }
  return fromData(x.shape, o)
}

/** log(softmax(x)) over the last axis, as x - logSumExp(x) in one pass per row. @category kernels */
export const logSoftmax = (x: Tensor): Tensor => {
  const [m, n] = rows(x)
  const a = x.data
  const o = alloc(x.dtype, x.size)
  for (let r = 0; r < m; r++) {
    const base = r * n
    let mx = -Infinity
    for (let j = 0; j < n; j++) { const v = a[base + j]!; if (v > mx) mx = v }
    let s = 0
    for (let j = 0; j < n; j++) s += Math.exp(a[base + j]! - mx)
    const lse = mx + Math.log(s)
    for (let j = 0; j < n; j++) o[base + j] = a[base + j]! - lse
  }
  return fromData(x.shape, o)
}
