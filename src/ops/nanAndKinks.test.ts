/**
 * NaN and the kinks, as PyTorch: relu keeps a NaN (value and gradient) on every kernel path (the
 * float64 loop, the float32 loop, the WebAssembly SIMD map above 1,024 float32 elements, the fused
 * backward kernel), and clip passes the derivative at its bounds (clamp's convention).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { grad, jvp } from '../autodiff/index.js'
import { reluBackward } from '../kernels/activationBackward.js'
import { relu } from '../kernels/elementwise.js'
import * as WE from '../kernels/wasm/elementwise.js'
import { type DType, type Tensor, fromData, tensor, toFlatArray } from '../tensor/index.js'
import * as ops from './index.js'

// relu as PyTorch: x <= 0 gives +0, a NaN stays NaN, anything else passes.
const reluOracle = (v: number): number => (v <= 0 ? 0 : v)
// its derivative times dy: dy where x > 0, 0 where x <= 0, NaN where x is NaN
const reluGradOracle = (d: number, x: number): number => (x > 0 ? d : x <= 0 ? 0 : NaN)

const values = (n: number, seed: number): Float32Array => {
  const out = new Float32Array(n)
  let s = seed >>> 0
  const special = [NaN, 0, -0, Infinity, -Infinity, 1e-40, -1e-40]
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    const u = s / 2 ** 32
    out[i] = u < 0.1 ? special[s % special.length]! : (u * 2 - 1) * 10
  }
  return out
}

const sameAs = (got: ArrayLike<number>, want: ArrayLike<number>): void => {
  expect(got.length).toBe(want.length)
  for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) expect([i, got[i]]).toEqual([i, want[i]])
}

describe('relu keeps a NaN visible, as PyTorch', () => {
  it('relu(NaN) is NaN and its gradient is NaN (float32 and float64)', () => {
    for (const dtype of ['float32', 'float64'] as DType[]) {
      const x = tensor([NaN, -1, 0, 2], { dtype })
      expect(toFlatArray(ops.relu(x))).toEqual([NaN, 0, 0, 2])
      expect(toFlatArray(grad((t: Tensor) => ops.sum(ops.relu(t)))(x))).toEqual([NaN, 0, 0, 1])
      const [, tangent] = jvp(ops.relu, x, tensor([1, 1, 1, 1], { dtype }))
      expect(toFlatArray(tangent)).toEqual([NaN, 0, 0, 1])
    }
  })

  it('every kernel path: float64 loop, float32 loop, WebAssembly above 1,024 elements (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1000, max: 3000 })), fc.nat(), (n, seed) => {
        const a = values(n, seed)
        const want = Array.from(a, reluOracle)
        sameAs(relu(fromData([n], a)).data, want)
        sameAs(relu(fromData([n], Float64Array.from(a))).data, want)
        if (WE.elementwiseWasmAvailable) sameAs(WE.unaryWasm('relu', a), want)
      }),
      { numRuns: 40, examples: [[1025, 1], [4, 2], [1024, 3]] },
    )
  })

  it.runIf(WE.elementwiseWasmAvailable)('routes 2,048 float32 elements to WebAssembly, NaN kept', () => {
    expect(WE.unaryWorthIt('relu', 2048)).toBe(true)
    const a = new Float32Array(2048).fill(-1)
    a[5] = NaN
    a[2047] = NaN
    a[6] = 3
    const y = relu(fromData([2048], a)).data
    expect([y[5], y[2047], y[6], y[7]]).toEqual([NaN, NaN, 3, 0])
    expect(Object.is(relu(fromData([2048], new Float32Array(2048).fill(-0))).data[0], 0)).toBe(true)
  })

  it('the fused backward kernel gives NaN where x is NaN (property, both dtypes)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2000 }), fc.nat(), (n, seed) => {
        const x = values(n, seed)
        const dy = values(n, seed ^ 0x5bd1e995)
        const want = Array.from(x, (v, i) => reluGradOracle(dy[i]!, v))
        sameAs(reluBackward(fromData([n], dy), fromData([n], x)).data, want)
        sameAs(reluBackward(fromData([n], Float64Array.from(dy)), fromData([n], Float64Array.from(x))).data, want)
      }),
      { numRuns: 30 },
    )
  })
})

describe('clip follows PyTorch clamp', () => {
  it('has derivative 1 on [lo, hi], bounds included, and 0 outside', () => {
    for (const dtype of ['float32', 'float64'] as DType[]) {
      const x = tensor([-1, 0, 0.5, 1, 2], { dtype })
      expect(toFlatArray(ops.clip(x, 0, 1))).toEqual([0, 0, 0.5, 1, 1])
      expect(toFlatArray(grad((t: Tensor) => ops.sum(ops.clip(t, 0, 1)))(x))).toEqual([0, 1, 1, 1, 0])
    }
  })
  it('keeps a NaN, and a degenerate interval gives the bound with derivative 1 at it', () => {
    expect(toFlatArray(ops.clip(tensor([NaN, 3]), 0, 1))).toEqual([NaN, 1])
    expect(toFlatArray(grad((t: Tensor) => ops.sum(ops.clip(t, 2, 2)))(tensor([1, 2, 3], { dtype: 'float64' })))).toEqual([0, 1, 0])
  })
})
