/**
 * The WebAssembly SIMD matmul agrees with the portable TypeScript kernel (the reference) within
 * float32 rounding, on random shapes: empty, 1, odd, not multiples of the 4 x 8 tile, and sizes
 * that cross the cache blocks; in every orientation (NN, NT, TN and TT).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { matmul, matmulPortable } from '../src/kernels/matmul.js'
import * as W from '../src/kernels/wasm/matmul.js'
import { type Tensor, fromData } from '../src/tensor/index.js'

// Operand values from a seed (a 32-bit LCG): fast for big shapes, and a failure reproduces from
// the printed seed. Values are uniform in [-1, 1), with exact zeros and ones sprinkled in.
const fill = (n: number, seed: number): Float32Array => {
  const out = new Float32Array(n)
  let s = seed >>> 0
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    const u = s / 2 ** 32
    out[i] = u < 0.05 ? 0 : u > 0.97 ? 1 : u * 2 - 1
  }
  return out
}

// Mostly small dimensions (edges: 0, 1, odd, around 4 and 8), sometimes past a cache block.
const dim = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 20 }) },
  { weight: 2, arbitrary: fc.integer({ min: 21, max: 140 }) },
  { weight: 1, arbitrary: fc.constantFrom(255, 257, 513, 515) },
)

const arbCase = fc.record({
  m: dim, k: dim, n: dim,
  ta: fc.boolean(), tb: fc.boolean(),
  seed: fc.nat(),
}).filter(({ m, k, n }) => m * k * n <= 3_000_000) // keep each run quick

describe.runIf(W.wasmAvailable)('WebAssembly matmul against the portable kernel', () => {
  it('agrees within float32 rounding: |wasm - ts| <= (k + 2) · 2^-23 · sum |a·b| per entry', () => {
    fc.assert(
      fc.property(arbCase, ({ m, k, n, ta, tb, seed }) => {
        const a: Tensor = fromData(ta ? [k, m] : [m, k], fill(m * k, seed))
        const b: Tensor = fromData(tb ? [n, k] : [k, n], fill(k * n, seed ^ 0x9e3779b9))
        const got = W.gemm(a.data as Float32Array, b.data as Float32Array, m, k, n, ta, tb)
        const want = matmulPortable(a, b, ta, tb).data
        // |a|·|b| through the reference kernel gives the per-entry scale of the rounding error
        const abs = (t: Tensor): Tensor => fromData(t.shape, (t.data as Float32Array).map(Math.abs))
        const scale = matmulPortable(abs(a), abs(b), ta, tb).data
        expect(got.length).toBe(m * n)
        for (let i = 0; i < m * n; i++) {
          expect(Math.abs(got[i]! - want[i]!)).toBeLessThanOrEqual((k + 2) * 2 ** -23 * scale[i]!)
        }
      }),
      {
        numRuns: 60,
        examples: [
          [{ m: 0, k: 3, n: 4, ta: false, tb: false, seed: 1 }],
          [{ m: 3, k: 0, n: 4, ta: true, tb: false, seed: 2 }],
          [{ m: 1, k: 1, n: 1, ta: false, tb: true, seed: 3 }],
          [{ m: 5, k: 7, n: 9, ta: true, tb: true, seed: 4 }],
          [{ m: 129, k: 257, n: 515, ta: false, tb: true, seed: 5 }],
        ],
      },
    )
  })

  it('the dispatching matmul returns float32 results of the right shape on both paths', () => {
    fc.assert(
      fc.property(arbCase, ({ m, k, n, ta, tb, seed }) => {
        const a = fromData(ta ? [k, m] : [m, k], fill(m * k, seed))
        const b = fromData(tb ? [n, k] : [k, n], fill(k * n, seed + 1))
        const c = matmul(a, b, ta, tb)
        expect(c.shape).toEqual([m, n])
        expect(c.dtype).toBe('float32')
        expect(c.data.length).toBe(m * n)
      }),
      { numRuns: 30 },
    )
  })

  it('leaves its inputs unchanged and returns a fresh array each call', () => {
    const A = fill(37 * 41, 7)
    const B = fill(41 * 43, 8)
    const A0 = A.slice()
    const B0 = B.slice()
    const c1 = W.gemm(A, B, 37, 41, 43, false, false)
    const c2 = W.gemm(A, B, 37, 41, 43, false, false)
    expect(c1).not.toBe(c2)
    expect(c1).toEqual(c2)
    expect(A).toEqual(A0)
    expect(B).toEqual(B0)
  })
})

describe('WebAssembly availability', () => {
  // Node has had WebAssembly SIMD on by default since 16.4, and purenet needs Node >= 20, so a
  // false here means the module failed to build or load, not a missing engine feature.
  it('is detected in this runtime', () => {
    expect(W.wasmAvailable).toBe(true)
  })
})
