import { describe, expect, it } from 'vitest'
import { grid, maxRelError, sigmoidReference } from '../accuracy.fixture.js'
import * as WE from './elementwise.js'

// As fastMath.test.ts, for the WebAssembly maps.
const maxOpError = (op: WE.WasmUnaryOp, f: (x: number) => number, xs: Float32Array): number => maxRelError(WE.unaryWasm(op, xs), f, xs)

describe.runIf(WE.elementwiseWasmAvailable)('WebAssembly float32 exp, tanh and sigmoid', () => {
  it('agree with Math.* to float32 precision (relative error below 4e-7, tanh 4.2e-7)', () => {
    expect(maxOpError('exp', Math.exp, grid(-87, 88.7, 400_001))).toBeLessThan(4e-7)
    // float32 arithmetic: 7 ulp (4.1e-7 relative) at most, near x = 5.7 (fastMath.ts's tanh32)
    expect(maxOpError('tanh', Math.tanh, grid(-12, 12, 400_001))).toBeLessThan(4.2e-7)
    expect(maxOpError('tanh', Math.tanh, grid(-1e-3, 1e-3, 100_001))).toBeLessThan(4.2e-7)
    expect(maxOpError('sigmoid', sigmoidReference, grid(-100, 40, 400_001))).toBeLessThan(4e-7)
  })

  it('keep the special values', () => {
    const xs = Float32Array.from([NaN, Infinity, -Infinity, 0, -0, 200, -200])
    expect(Array.from(WE.unaryWasm('exp', xs))).toEqual([NaN, Infinity, 0, 1, 1, Infinity, 0])
    expect(Array.from(WE.unaryWasm('tanh', xs))).toEqual([NaN, 1, -1, 0, -0, 1, -1])
    expect(Array.from(WE.unaryWasm('sigmoid', xs))).toEqual([NaN, 1, 0, 0.5, 0.5, 1, 0])
    expect(Array.from(WE.unaryWasm('relu', xs))).toEqual([NaN, Infinity, 0, 0, 0, 200, 0])
  })
})
