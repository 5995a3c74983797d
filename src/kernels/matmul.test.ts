import { describe, expect, it } from 'vitest'
import { type DType, type Tensor, alloc, fromData, tensor, toArray } from '../tensor/index.js'
import { matmul, matmulDims, matmulPortable } from './matmul.js'
import { rng } from './seeded.fixture.js'


// Entries with some exact zeros (zero multipliers were once special-cased by the kernels).
const random = (next: () => number, rows: number, cols: number, dtype: DType): Tensor => {
  const d = alloc(dtype, rows * cols)
  for (let i = 0; i < d.length; i++) d[i] = next() < 0.15 ? 0 : next() * 2 - 1
  return fromData([rows, cols], d)
}

// The naive triple loop on op(A) and op(B), read through index arithmetic, in float64.
const oracle = (a: Tensor, b: Tensor, ta: boolean, tb: boolean): number[] => {
  const [a0, a1] = a.shape as [number, number]
  const [b0, b1] = b.shape as [number, number]
  const m = ta ? a1 : a0
  const k = ta ? a0 : a1
  const n = tb ? b0 : b1
  const A = (i: number, p: number): number => (ta ? a.data[p * a1 + i]! : a.data[i * a1 + p]!)
  const B = (p: number, j: number): number => (tb ? b.data[j * b1 + p]! : b.data[p * b1 + j]!)
  const out: number[] = []
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0
      for (let p = 0; p < k; p++) s += A(i, p) * B(p, j)
      out.push(s)
    }
  }
  return out
}

const orientations = [[false, false], [false, true], [true, false], [true, true]] as const
const name = (ta: boolean, tb: boolean): string => `${ta ? 'T' : 'N'}${tb ? 'T' : 'N'}`

describe('matmul against a naive triple loop', () => {
  const dims = [0, 1, 2, 3, 4, 5, 7, 8, 9, 13, 17]
  for (const [ta, tb] of orientations) {
    for (const dtype of ['float64', 'float32'] as const) {
      it(`${name(ta, tb)} ${dtype}: random shapes including 0, 1, odd and non-multiples of 4`, () => {
        const next = rng(ta ? (tb ? 4 : 3) : tb ? 2 : 1)
        const pick = (): number => dims[Math.floor(next() * dims.length)]!
        for (let trial = 0; trial < 60; trial++) {
          const m = pick()
          const k = pick()
          const n = pick()
          const a = random(next, ta ? k : m, ta ? m : k, dtype)
          const b = random(next, tb ? n : k, tb ? k : n, dtype)
          expect(matmulDims(a, b, ta, tb)).toEqual({ m, k, n })
          const c = matmul(a, b, ta, tb)
          expect(c.shape).toEqual([m, n])
          expect(c.size).toBe(m * n)
          expect(c.dtype).toBe(dtype)
          const want = oracle(a, b, ta, tb)
          const tol = dtype === 'float64' ? 1e-12 : 1e-5 * Math.max(1, k)
          want.forEach((w, i) => expect(Math.abs(c.data[i]! - w)).toBeLessThanOrEqual(tol))
        }
      })
    }
  }

  it('the portable float32 kernel (the reference behind the WebAssembly one) matches too', () => {
    const next = rng(5)
    for (const [ta, tb] of orientations) {
      for (const [m, k, n] of [[1, 1, 1], [5, 7, 3], [9, 13, 17], [0, 3, 2], [4, 0, 4], [17, 9, 5]] as const) {
        const a = random(next, ta ? k : m, ta ? m : k, 'float32')
        const b = random(next, tb ? n : k, tb ? k : n, 'float32')
        const c = matmulPortable(a, b, ta, tb)
        expect(c.shape).toEqual([m, n])
        oracle(a, b, ta, tb).forEach((w, i) => expect(Math.abs(c.data[i]! - w)).toBeLessThanOrEqual(1e-5 * Math.max(1, k)))
      }
    }
  })

  it('crosses the block edges (k > 256, n > 256, m > 64) in every orientation and dtype', () => {
    const next = rng(9)
    const [m, k, n] = [67, 261, 259]
    for (const [ta, tb] of orientations) {
      for (const dtype of ['float64', 'float32'] as const) {
        const a = random(next, ta ? k : m, ta ? m : k, dtype)
        const b = random(next, tb ? n : k, tb ? k : n, dtype)
        const want = oracle(a, b, ta, tb)
        const kernels = dtype === 'float32' ? [matmul, matmulPortable] : [matmul]
        for (const kernel of kernels) {
          const c = kernel(a, b, ta, tb)
          expect(c.shape).toEqual([m, n])
          const tol = dtype === 'float64' ? 1e-11 : 1e-4
          let worst = 0
          want.forEach((w, i) => (worst = Math.max(worst, Math.abs(c.data[i]! - w))))
          expect(worst).toBeLessThanOrEqual(tol)
        }
      }
    }
  })

  it('follows IEEE arithmetic: 0 · Infinity and 0 · NaN are NaN in every orientation (no skipped zeros)', () => {
    for (const [ta, tb] of orientations) {
      for (const dtype of ['float64', 'float32'] as const) {
        for (const bad of [Infinity, NaN]) {
          // op(A) = [[0, 1]], op(B) = [[bad], [2]]
          const a = ta ? tensor([[0], [1]], { dtype }) : tensor([[0, 1]], { dtype })
          const b = tb ? tensor([[bad, 2]], { dtype }) : tensor([[bad], [2]], { dtype })
          expect(matmul(a, b, ta, tb).data[0]).toBeNaN()
          if (dtype === 'float32') expect(matmulPortable(a, b, ta, tb).data[0]).toBeNaN()
        }
      }
    }
  })

  it('a known product, and the input buffers are untouched', () => {
    const a = tensor([[1, 2], [3, 4]])
    const b = tensor([[5, 6], [7, 8]])
    expect(toArray(matmul(a, b, false, false))).toEqual([[19, 22], [43, 50]])
    expect(toArray(matmul(a, b, true, false))).toEqual([[26, 30], [38, 44]])
    expect(toArray(matmul(a, b, false, true))).toEqual([[17, 23], [39, 53]])
    expect(toArray(matmul(a, b, true, true))).toEqual([[23, 31], [34, 46]])
    expect(toArray(a)).toEqual([[1, 2], [3, 4]])
    expect(toArray(b)).toEqual([[5, 6], [7, 8]])
  })

  it('promotes mixed dtypes to float64', () => {
    const c = matmul(tensor([[0.1]], { dtype: 'float64' }), tensor([[3]]), false, false)
    expect(c.dtype).toBe('float64')
    expect(c.data[0]).toBe(0.1 * 3)
  })

  it('k = 0 gives zeros of shape [m, n]', () => {
    const c = matmul(fromData([2, 0], new Float32Array(0)), fromData([0, 3], new Float32Array(0)), false, false)
    expect(toArray(c)).toEqual([[0, 0, 0], [0, 0, 0]])
  })
})

// Small-integer data: every product and partial sum is exact in float32, so any summation order
// and any kernel (portable or WebAssembly) must give the oracle's bits exactly.
const integers = (rows: number, cols: number, seed: number, dtype: DType): Tensor => {
  const next = rng(seed)
  const d = alloc(dtype, rows * cols)
  for (let i = 0; i < d.length; i++) d[i] = Math.floor(next() * 17) - 8
  return fromData([rows, cols], d)
}

// Sizes that cross every cache block of both kernels (portable: KC = NC = 256, MC = 64;
// WebAssembly: KC = 256, MC = 128, NC = 512) and leave ragged edge tiles.
const BLOCK_SHAPES: ReadonlyArray<readonly [number, number, number]> = [
  [1, 1, 1], [1, 513, 2], [7, 9, 11], [65, 3, 10], [3, 300, 5], [70, 260, 261], [130, 17, 9], [5, 7, 515],
]

describe('matmul and matmulPortable exact on integer data, across cache blocks', () => {
  for (const [kernelName, kernel] of [['matmul', matmul], ['matmulPortable', matmulPortable]] as const) {
    for (const [ta, tb] of orientations) {
      it(`${kernelName} ${name(ta, tb)}`, () => {
        for (const [m, k, n] of BLOCK_SHAPES) {
          for (const dtype of ['float32', 'float64'] as const) {
            const a = integers(ta ? k : m, ta ? m : k, m * 7 + k, dtype)
            const b = integers(tb ? n : k, tb ? k : n, n * 13 + k, dtype)
            const c = kernel(a, b, ta, tb)
            expect(c.shape).toEqual([m, n])
            expect(c.dtype).toBe(dtype)
            expect(Array.from(c.data)).toEqual(oracle(a, b, ta, tb))
          }
        }
      })
    }
  }

  it('matmulPortable agrees with the oracle on random real data of every small shape', () => {
    const next = rng(11)
    const dims = [0, 1, 2, 3, 5, 8, 9]
    for (const [ta, tb] of orientations) {
      for (const m of dims) for (const k of dims) for (const n of dims) {
        const a = random(next, ta ? k : m, ta ? m : k, 'float32')
        const b = random(next, tb ? n : k, tb ? k : n, 'float32')
        const c = matmulPortable(a, b, ta, tb)
        const want = oracle(a, b, ta, tb)
        want.forEach((w, i) => expect(Math.abs(c.data[i]! - w)).toBeLessThanOrEqual(1e-6 * Math.max(1, k)))
      }
    }
  })

  it('propagates NaN from 0 · Infinity as IEEE arithmetic does (no skipped zeros)', () => {
    const a = tensor([[0, 1]])
    const b = tensor([[Infinity], [2]])
    expect(Number.isNaN(matmul(a, b, false, false).data[0])).toBe(true)
    expect(Number.isNaN(matmulPortable(a, b, false, false).data[0])).toBe(true)
  })

  it('returns a fresh buffer on every call', () => {
    const a = integers(40, 30, 1, 'float32')
    const b = integers(30, 20, 2, 'float32')
    const c1 = matmul(a, b, false, false)
    const c2 = matmul(a, b, false, false)
    expect(c1.data).not.toBe(c2.data)
    expect(Array.from(c1.data)).toEqual(Array.from(c2.data))
  })
})
