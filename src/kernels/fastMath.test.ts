import { describe, expect, it } from 'vitest'
import { tensor } from '../tensor/index.js'
import { exp, tanh } from './elementwise.js'
import { grid, maxRelError, sigmoidReference } from './accuracy.fixture.js'
import { expLoop, scalar32, sigmoidLoop, tanhLoop } from './fastMath.js'
import { elementwiseWasmAvailable, unaryWasm } from './wasm/elementwise.js'

// The loops write into a buffer of the grid's length; the accuracy is measured on it.
const maxLoopError = (loop: (a: Float32Array, o: Float32Array, n: number) => void, f: (x: number) => number, xs: Float32Array): number => {
  const o = new Float32Array(xs.length)
  loop(xs, o, xs.length)
  return maxRelError(o, f, xs)
}

describe('float32 exp, tanh and sigmoid', () => {
  it('agree with Math.* to float32 precision (relative error below 4e-7, tanh 4.2e-7)', () => {
    expect(maxLoopError(expLoop, Math.exp, grid(-87, 88.7, 400_001))).toBeLessThan(4e-7)
    expect(maxLoopError(tanhLoop, Math.tanh, grid(-12, 12, 400_001))).toBeLessThan(4.2e-7)
    expect(maxLoopError(tanhLoop, Math.tanh, grid(-1e-3, 1e-3, 100_001))).toBeLessThan(4.2e-7)
    expect(maxLoopError(tanhLoop, Math.tanh, grid(5.6, 5.9, 100_001))).toBeLessThan(4.2e-7)
    expect(maxLoopError(sigmoidLoop, sigmoidReference, grid(-100, 40, 400_001))).toBeLessThan(4e-7)
  })

  it('keep the special values', () => {
    const xs = Float32Array.from([NaN, Infinity, -Infinity, 0, -0, 200, -200])
    const run = (loop: (a: Float32Array, o: Float32Array, n: number) => void): number[] => {
      const o = new Float32Array(xs.length)
      loop(xs, o, xs.length)
      return Array.from(o)
    }
    expect(run(expLoop)).toEqual([NaN, Infinity, 0, 1, 1, Infinity, 0])
    expect(run(tanhLoop)).toEqual([NaN, 1, -1, 0, -0, 1, -1])
    expect(run(sigmoidLoop)).toEqual([NaN, 1, 0, 0.5, 0.5, 1, 0])
  })

  it('are what float32 unary kernels use; float64 keeps Math.*', () => {
    const x = tensor([0.3, -2])
    expect(Array.from(tanh(x).data)).toEqual(Array.from(Float32Array.from([0.3, -2]), (v) => {
      const o = new Float32Array(1)
      tanhLoop(Float32Array.of(v), o, 1)
      return o[0]
    }))
    const y = tensor([0.3, -2], { dtype: 'float64' })
    expect(Array.from(tanh(y).data)).toEqual([Math.tanh(0.3), Math.tanh(-2)])
    expect(Array.from(exp(y).data)).toEqual([Math.exp(0.3), Math.exp(-2)])
  })
})

describe('scalar32', () => {
  it('gives the loops\' float32 values bit for bit, one element at a time (and tanh the wasm map\'s)', () => {
    const xs = Float32Array.from([...grid(-120, 95, 20_001), NaN, Infinity, -Infinity, 0, -0, 7.9, 7.91, -7.91, 1e-30])
    const each = (f: (x: number) => number): Float32Array => Float32Array.from(xs, f)
    const loop = (l: (a: Float32Array, o: Float32Array, n: number) => void): Float32Array => {
      const o = new Float32Array(xs.length)
      l(xs, o, xs.length)
      return o
    }
    expect(each(scalar32.exp)).toEqual(loop(expLoop))
    expect(each(scalar32.tanh)).toEqual(loop(tanhLoop))
    expect(each(scalar32.sigmoid)).toEqual(loop(sigmoidLoop))
    if (elementwiseWasmAvailable) expect(each(scalar32.tanh)).toEqual(unaryWasm('tanh', xs))
  })
})
