/**
 * The inner loops of the binary element-wise kernels, one set per operation. Each loop has
 * contiguous operands and no stride multiply, so V8 compiles it to a tight loop (a stride of 0 or
 * 1 multiplied in every iteration made the generic loop about 2.6x slower than a plain one).
 * Three shapes of loop cover every broadcast: both operands run along (`vv`), the right one is a
 * fixed number (`vs`), or the left one is (`sv`). `binary` in `elementwise.ts` cuts a broadcast
 * into runs of these; nothing outside the kernels imports this module.
 */
import type { Data } from '../tensor/index.js'

/** o[oi + k] = a[ai + k] (op) b[bi + k] for k < n. @category internals */
export type VectorLoop = (a: Data, ai: number, b: Data, bi: number, o: Data, oi: number, n: number) => void
/** o[oi + k] = a[ai + k] (op) s for k < n. @category internals */
export type RightScalarLoop = (a: Data, ai: number, s: number, o: Data, oi: number, n: number) => void
/** o[oi + k] = s (op) b[bi + k] for k < n. @category internals */
export type LeftScalarLoop = (s: number, b: Data, bi: number, o: Data, oi: number, n: number) => void

/** The three loops of one operation. @category internals */
export interface Loops {
  readonly vv: VectorLoop
  readonly vs: RightScalarLoop
  readonly sv: LeftScalarLoop
}

// maximum propagates a NaN from either side (x !== x tests for NaN), as NumPy does.
const maxOf = (x: number, y: number): number => (x >= y || x !== x ? x : y)

/** The loops of every binary kernel, by name. @category internals */
export const loops = {
  add: {
    vv: (a, ai, b, bi, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = a[ai + k]! + b[bi + k]! },
    vs: (a, ai, s, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = a[ai + k]! + s },
    sv: (s, b, bi, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = s + b[bi + k]! },
  },
  sub: {
    vv: (a, ai, b, bi, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = a[ai + k]! - b[bi + k]! },
    vs: (a, ai, s, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = a[ai + k]! - s },
    sv: (s, b, bi, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = s - b[bi + k]! },
  },
  mul: {
    vv: (a, ai, b, bi, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = a[ai + k]! * b[bi + k]! },
    vs: (a, ai, s, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = a[ai + k]! * s },
    sv: (s, b, bi, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = s * b[bi + k]! },
  },
  div: {
    vv: (a, ai, b, bi, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = a[ai + k]! / b[bi + k]! },
    vs: (a, ai, s, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = a[ai + k]! / s },
    sv: (s, b, bi, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = s / b[bi + k]! },
  },
  maximum: {
    vv: (a, ai, b, bi, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = maxOf(a[ai + k]!, b[bi + k]!) },
    vs: (a, ai, s, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = maxOf(a[ai + k]!, s) },
    sv: (s, b, bi, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = maxOf(s, b[bi + k]!) },
  },
  greater: {
    vv: (a, ai, b, bi, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = a[ai + k]! > b[bi + k]! ? 1 : 0 },
    vs: (a, ai, s, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = a[ai + k]! > s ? 1 : 0 },
    sv: (s, b, bi, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = s > b[bi + k]! ? 1 : 0 },
  },
  equal: {
    vv: (a, ai, b, bi, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = a[ai + k]! === b[bi + k]! ? 1 : 0 },
    vs: (a, ai, s, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = a[ai + k]! === s ? 1 : 0 },
    sv: (s, b, bi, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = s === b[bi + k]! ? 1 : 0 },
  },
} as const satisfies Readonly<Record<string, Loops>>
