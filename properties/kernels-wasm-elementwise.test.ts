/**
 * The WebAssembly SIMD element-wise maps agree with the JS float32 loops (the reference): add,
 * sub, mul and div bit for bit, same-shape and row-broadcast both ways; exp, tanh and sigmoid bit
 * for bit too (tanh is float32 arithmetic in both), relu exactly. Sizes: 0, 1, odd, not
 * multiples of 4, and around the routing threshold (1,024);
 * values include NaN, ±Infinity, ±0 and magnitudes past exp's overflow. Also checks that the
 * public kernels route large tensors to wasm without changing their results.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as E from '../src/kernels/elementwise.js'
import { expLoop, sigmoidLoop, tanhLoop } from '../src/kernels/fastMath.js'
import { loops32 } from '../src/kernels/float32Loops.js'
import * as WE from '../src/kernels/wasm/elementwise.js'
import { fromData } from '../src/tensor/index.js'

// Values from a seed (a 32-bit LCG), so a failure reproduces from the printed seed: mostly
// uniform in ±scale, with special values sprinkled in.
const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 1, -1, 200, -200, 1e-40]
const fill = (n: number, seed: number, scale: number): Float32Array => {
  const out = new Float32Array(n)
  let s = seed >>> 0
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    const u = s / 2 ** 32
    out[i] = u < 0.03 ? SPECIAL[s % SPECIAL.length]! : (u * 2 - 1) * scale
  }
  return out
}

const size = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 20 }) },
  { weight: 3, arbitrary: fc.integer({ min: 1000, max: 1050 }) },
  { weight: 2, arbitrary: fc.integer({ min: 21, max: 5000 }) },
)

const sameBits = (got: Float32Array, want: Float32Array): void => {
  expect(got.length).toBe(want.length)
  for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) expect([i, got[i]]).toEqual([i, want[i]])
}

const ops = ['add', 'sub', 'mul', 'div'] as const

describe.runIf(WE.elementwiseWasmAvailable)('WebAssembly element-wise maps against the JS float32 loops', () => {
  it('add/sub/mul/div, same shape: bit-identical', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ops), size, fc.nat(), (op, n, seed) => {
        const a = fill(n, seed, 100)
        const b = fill(n, seed ^ 0x9e3779b9, 3)
        const want = new Float32Array(n)
        loops32[op]!.vv(a, 0, b, 0, want, 0, n)
        sameBits(WE.binaryWasm(op, a, b), want)
      }),
      { numRuns: 80, examples: [['add', 0, 1], ['div', 1, 2], ['sub', 7, 3], ['mul', 1023, 4], ['div', 1025, 5]] },
    )
  })

  it('add/sub/mul/div with a repeated row on either side: bit-identical', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ops), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 70 }), fc.boolean(), fc.nat(), (op, rows, m, right, seed) => {
        const full = fill(rows * m, seed, 100)
        const row = fill(m, seed ^ 0x85ebca6b, 3)
        const want = new Float32Array(rows * m)
        if (right) loops32[op]!.vr(full, row, want, rows, m)
        else loops32[op]!.rv(row, full, want, rows, m)
        sameBits(right ? WE.binaryRowsWasm(op, full, row, rows, m, true) : WE.binaryRowsWasm(op, row, full, rows, m, false), want)
      }),
      { numRuns: 80, examples: [['add', 1, 1, true, 1], ['sub', 3, 5, false, 2], ['div', 32, 33, true, 3]] },
    )
  })

  it('exp, tanh and sigmoid bit-identical, relu exact', () => {
    // PyTorch's relu: x <= 0 gives +0, a NaN stays NaN
    const relu = (a: Float32Array, o: Float32Array, n: number): void => { for (let i = 0; i < n; i++) { const v = a[i]!; o[i] = v <= 0 ? 0 : v } }
    const js = { exp: expLoop, tanh: tanhLoop, sigmoid: sigmoidLoop, relu } as const
    fc.assert(
      fc.property(fc.constantFrom('exp', 'tanh', 'sigmoid', 'relu' as const), size, fc.constantFrom(1, 12, 120), fc.nat(), (op, n, scale, seed) => {
        const a = fill(n, seed, scale)
        const want = new Float32Array(n)
        js[op](a, want, n)
        sameBits(WE.unaryWasm(op, a), want)
      }),
      { numRuns: 80, examples: [['exp', 0, 1, 1], ['tanh', 1, 12, 2], ['sigmoid', 5, 120, 3], ['relu', 1024, 1, 4]] },
    )
  })

  it('the public kernels give the same results above the threshold as below it', () => {
    const n = 4099
    const a = fill(n, 11, 10)
    const b = fill(n, 12, 10)
    const big = (d: Float32Array): ReturnType<typeof fromData> => fromData([n], d)
    for (const op of ops) {
      const want = new Float32Array(n)
      loops32[op]!.vv(a, 0, b, 0, want, 0, n)
      sameBits(E[op](big(a), big(b)).data as Float32Array, want)
      // bias row [m] on [rows, m], both sides
      const m = 17, rows = Math.floor(n / m)
      const full = a.subarray(0, rows * m), row = b.subarray(0, m)
      const vr = new Float32Array(rows * m)
      loops32[op]!.vr(full, row, vr, rows, m)
      sameBits(E[op](fromData([rows, m], full), fromData([m], row)).data as Float32Array, vr)
      const rv = new Float32Array(rows * m)
      loops32[op]!.rv(row, full, rv, rows, m)
      sameBits(E[op](fromData([m], row), fromData([rows, m], full)).data as Float32Array, rv)
    }
    const want = new Float32Array(n)
    expLoop(a, want, n)
    sameBits(E.exp(big(a)).data as Float32Array, want)
    tanhLoop(a, want, n)
    sameBits(E.tanh(big(a)).data as Float32Array, want)
    expect(WE.binaryWorthIt(n) && WE.unaryWorthIt('exp', n)).toBe(true)
  })
})
