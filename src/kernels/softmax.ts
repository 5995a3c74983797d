/**
 * Fused, numerically stable softmax kernels along the last axis. Each row is shifted by its
 * maximum before exponentiating, so no exp overflows and the largest term is exactly e^0 = 1.
 * Float32 rows take the float32-accurate exp of `fastMath.ts` (`Math.exp` made softmax on
 * [256, 1024] run at 0.07 Gelem/s, a tenth of tfjs-wasm); float64 keeps `Math.exp` for gradient
 * checks. Both paths share the structure below, so NaN and ±Infinity behave alike.
 */
import { type Data, type Tensor, alloc, fromData, sizeOf } from '../tensor/index.js'
import { expShiftedLoop, expShiftedSum } from './fastMath.js'

// The row count comes from the leading axes, not size / n: an empty last axis ([3, 0]) still has
// 3 rows, and logSumExp must give each of them log(0) = -Infinity.
const rows = (x: Tensor): [number, number] => {
  const n = x.shape.length === 0 ? 1 : x.shape[x.shape.length - 1]!
  return [sizeOf(x.shape.slice(0, -1)), n]
}

/** log(sum(exp(x))) over the last axis, keeping it as size 1. @category kernels */
export const logSumExp = (x: Tensor): Tensor => {
  const [m, n] = rows(x)
  const o = alloc(x.dtype, m)
  logSumExpInto(x.data, o, m, n)
  const shape = x.shape.length === 0 ? [] : [...x.shape.slice(0, -1), 1]
  return fromData(shape, o)
}

/**
 * `logSumExp` of m rows of n into `o` (m elements): the loops `logSumExp` runs, for a compiled
 * program that owns its output buffer.
 * @category kernels
 */
export const logSumExpInto = (a: Data, o: Data, m: number, n: number): void => {
  if (a instanceof Float32Array) { logSumExp32(a, o, m, n); return }
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
}

/** softmax over the last axis. @category kernels */
export const softmax = (x: Tensor): Tensor => {
  const [m, n] = rows(x)
  const o = alloc(x.dtype, x.size)
  softmaxInto(x.data, o, m, n)
  return fromData(x.shape, o)
}

/** `softmax` of m rows of n into `o`: the loops `softmax` runs. @category kernels */
export const softmaxInto = (a: Data, o: Data, m: number, n: number): void => {
  if (a instanceof Float32Array && o instanceof Float32Array) { softmax32(a, o, m, n); return }
  for (let r = 0; r < m; r++) {
    const base = r * n
    let mx = -Infinity
    for (let j = 0; j < n; j++) { const v = a[base + j]!; if (v > mx) mx = v }
    let s = 0
    for (let j = 0; j < n; j++) { const e = Math.exp(a[base + j]! - mx); o[base + j] = e; s += e }
    const inv = 1 / s
    for (let j = 0; j < n; j++) o[base + j] = o[base + j]! * inv
  }
}

/** log(softmax(x)) over the last axis, as x - logSumExp(x) in one pass per row. @category kernels */
export const logSoftmax = (x: Tensor): Tensor => {
  const [m, n] = rows(x)
  const o = alloc(x.dtype, x.size)
  logSoftmaxInto(x.data, o, m, n)
  return fromData(x.shape, o)
}

/** `logSoftmax` of m rows of n into `o`: the loops `logSoftmax` runs. @category kernels */
export const logSoftmaxInto = (a: Data, o: Data, m: number, n: number): void => {
  if (a instanceof Float32Array && o instanceof Float32Array) { logSoftmax32(a, o, m, n); return }
  for (let r = 0; r < m; r++) {
    const base = r * n
    let mx = -Infinity
    for (let j = 0; j < n; j++) { const v = a[base + j]!; if (v > mx) mx = v }
    let s = 0
    for (let j = 0; j < n; j++) s += Math.exp(a[base + j]! - mx)
    const lse = mx + Math.log(s)
    for (let j = 0; j < n; j++) o[base + j] = a[base + j]! - lse
  }
}

// The float32 rows: the same steps as the loops above with the exp of fastMath.ts, in functions
// of their own so that V8 specialises every loop to Float32Array (a loop that has also seen
// Float64Array runs about 1.7x slower, see float32Loops.ts).
const logSumExp32 = (a: Float32Array, o: Data, m: number, n: number): void => {
  for (let r = 0; r < m; r++) {
    const base = r * n
    let mx = -Infinity
    for (let j = 0; j < n; j++) { const v = a[base + j]!; if (v > mx || v !== v) mx = v }
    if (mx === -Infinity || mx === Infinity) { o[r] = mx; continue }
    o[r] = mx + Math.log(expShiftedSum(a, base, n, mx))
  }
}

const softmax32 = (a: Float32Array, o: Float32Array, m: number, n: number): void => {
  for (let r = 0; r < m; r++) {
    const base = r * n
    let mx = -Infinity
    for (let j = 0; j < n; j++) { const v = a[base + j]!; if (v > mx) mx = v }
    const inv = 1 / expShiftedLoop(a, base, n, mx, o)
    for (let j = base, end = base + n; j < end; j++) o[j] = o[j]! * inv
  }
}

const logSoftmax32 = (a: Float32Array, o: Float32Array, m: number, n: number): void => {
  for (let r = 0; r < m; r++) {
    const base = r * n
    let mx = -Infinity
    for (let j = 0; j < n; j++) { const v = a[base + j]!; if (v > mx) mx = v }
    const lse = mx + Math.log(expShiftedSum(a, base, n, mx))
    for (let j = base, end = base + n; j < end; j++) o[j] = a[j]! - lse
  }
}
