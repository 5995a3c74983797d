import { describe, expect, it } from 'vitest'
import * as WE from './elementwise.js'

// As fastMath.test.ts, for the WebAssembly maps: a dense grid over the interesting range and the
// special values, against the float32 rounding of Math.* (denormal results compared absolutely).
const grid = (lo: number, hi: number, n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1))

const maxRelError = (op: WE.WasmUnaryOp, f: (x: number) => number, xs: Float32Array): number => {
  const o = WE.unaryWasm(op, xs)
  let worst = 0
  for (let i = 0; i < xs.length; i++) {
    const want = Math.fround(f(xs[i]!))
    const err = Math.abs(o[i]! - want) / Math.max(Math.abs(want), 2 ** -126)
    if (err > worst) worst = err
  }
  return worst
}

const sigmoid = (v: number): number => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)))

describe.runIf(WE.elementwiseWasmAvailable)('WebAssembly float32 exp, tanh and sigmoid', () => {
  it('agree with Math.* to float32 precision (relative error below 4e-7)', () => {
    expect(maxRelError('exp', Math.exp, grid(-87, 88.7, 400_001))).toBeLessThan(4e-7)
    expect(maxRelError('tanh', Math.tanh, grid(-12, 12, 400_001))).toBeLessThan(4e-7)
    expect(maxRelError('tanh', Math.tanh, grid(-1e-3, 1e-3, 100_001))).toBeLessThan(4e-7)
    expect(maxRelError('sigmoid', sigmoid, grid(-100, 40, 400_001))).toBeLessThan(4e-7)
  })

  it('keep the special values', () => {
    const xs = Float32Array.from([NaN, Infinity, -Infinity, 0, -0, 200, -200])
    expect(Array.from(WE.unaryWasm('exp', xs))).toEqual([NaN, Infinity, 0, 1, 1, Infinity, 0])
    expect(Array.from(WE.unaryWasm('tanh', xs))).toEqual([NaN, 1, -1, 0, -0, 1, -1])
    expect(Array.from(WE.unaryWasm('sigmoid', xs))).toEqual([NaN, 1, 0, 0.5, 0.5, 1, 0])
    expect(Array.from(WE.unaryWasm('relu', xs))).toEqual([0, Infinity, 0, 0, 0, 200, 0])
  })
})
