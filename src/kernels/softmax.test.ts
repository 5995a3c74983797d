import { describe, expect, it } from 'vitest'
import { type Tensor, fromData, tensor, toArray, zeros } from '../tensor/index.js'
import { logSoftmax, logSumExp, softmax } from './softmax.js'

// The naive formulas, in float64, over the last axis; fine for moderate inputs.
const rowsOf = (x: Tensor): number[][] => {
  const n = x.shape.length === 0 ? 1 : x.shape[x.shape.length - 1]!
  const out: number[][] = []
  for (let i = 0; i + n <= x.size && n > 0; i += n) out.push(Array.from(x.data.subarray(i, i + n)))
  return out
}
const naiveLse = (r: number[]): number => Math.log(r.reduce((s, v) => s + Math.exp(v), 0))

describe('softmax, logSoftmax, logSumExp against the naive formulas', () => {
  const x = tensor([[0.5, -1, 2, 0], [3, 3, 3, 3], [-2, 0.25, 1, -0.75]], { dtype: 'float64' })

  it('logSumExp keeps the last axis as size 1', () => {
    const y = logSumExp(x)
    expect(y.shape).toEqual([3, 1])
    rowsOf(x).forEach((r, i) => expect(y.data[i]).toBeCloseTo(naiveLse(r), 13))
  })

  it('softmax rows sum to 1 and match exp(x) / sum(exp(x))', () => {
    const y = softmax(x)
    expect(y.shape).toEqual([3, 4])
    rowsOf(x).forEach((r, i) => {
      const z = r.reduce((s, v) => s + Math.exp(v), 0)
      r.forEach((v, j) => expect(y.data[i * 4 + j]).toBeCloseTo(Math.exp(v) / z, 14))
    })
    for (const r of rowsOf(y)) expect(r.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 14)
  })

  it('logSoftmax is x - logSumExp(x)', () => {
    const y = logSoftmax(x)
    rowsOf(x).forEach((r, i) => r.forEach((v, j) => expect(y.data[i * 4 + j]).toBeCloseTo(v - naiveLse(r), 13)))
  })

  it('works on rank 1, rank 3 and a scalar', () => {
    expect(logSumExp(tensor([0, 0], { dtype: 'float64' })).shape).toEqual([1])
    expect(logSumExp(tensor([0, 0], { dtype: 'float64' })).data[0]).toBeCloseTo(Math.log(2), 15)
    const r3 = fromData([2, 2, 3], new Float64Array(12))
    expect(logSumExp(r3).shape).toEqual([2, 2, 1])
    expect(Array.from(softmax(r3).data)).toEqual(new Array<number>(12).fill(1 / 3))
    expect(toArray(logSumExp(tensor(2, { dtype: 'float64' })))).toBe(2)
    expect(toArray(softmax(tensor(5)))).toBe(1)
    expect(toArray(logSoftmax(tensor(5)))).toBe(0)
  })
})

describe('stability at large magnitudes', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    it(`${dtype}: 1000 and -1000 give finite, exact results`, () => {
      const x = tensor([[1000, 1000], [-1000, -1000], [1000, -1000], [1000, 0]], { dtype })
      const lse = Array.from(logSumExp(x).data)
      expect(lse[0]).toBeCloseTo(1000 + Math.log(2), 3)
      expect(lse[1]).toBeCloseTo(-1000 + Math.log(2), 3)
      expect(lse[2]).toBe(1000)
      expect(lse[3]).toBe(1000)
      const sm = Array.from(softmax(x).data)
      expect(sm).toEqual([0.5, 0.5, 0.5, 0.5, 1, 0, 1, 0])
      const ls = Array.from(logSoftmax(x).data)
      for (const v of ls) expect(Number.isNaN(v)).toBe(false)
      expect(ls[0]).toBeCloseTo(-Math.log(2), 6)
      expect(ls[2]).toBeCloseTo(-Math.log(2), 6)
      expect(ls[4]).toBe(0)
      expect(ls[5]).toBe(-2000)
      expect(ls[7]).toBe(-1000)
    })
  }

  it('a row of -Infinity has logSumExp -Infinity; a row with +Infinity has +Infinity', () => {
    const x = tensor([[-Infinity, -Infinity], [Infinity, 0]], { dtype: 'float64' })
    expect(Array.from(logSumExp(x).data)).toEqual([-Infinity, Infinity])
    // an entry of -Infinity gets probability exactly 0
    expect(Array.from(softmax(tensor([[-Infinity, 0]], { dtype: 'float64' })).data)).toEqual([0, 1])
  })
})

describe('NaN and empty rows', () => {
  it('logSumExp propagates NaN even beside ±Infinity (it used to return -Infinity for [NaN])', () => {
    for (const row of [[NaN], [NaN, -Infinity], [NaN, Infinity], [Infinity, NaN], [1, NaN, 2]]) {
      expect(logSumExp(tensor(row, { dtype: 'float64' })).data[0]).toBeNaN()
    }
    const mixed = logSumExp(tensor([[NaN, 0], [0, 0]], { dtype: 'float64' })).data
    expect(mixed[0]).toBeNaN()
    expect(mixed[1]).toBeCloseTo(Math.log(2), 15)
  })

  it('softmax and logSoftmax propagate NaN to the whole row only', () => {
    const x = tensor([[NaN, 1], [0, 0]], { dtype: 'float64' })
    const sm = Array.from(softmax(x).data)
    expect(sm[0]).toBeNaN()
    expect(sm[1]).toBeNaN()
    expect(sm.slice(2)).toEqual([0.5, 0.5])
    const ls = logSoftmax(x).data
    expect(ls[0]).toBeNaN()
    expect(ls[1]).toBeNaN()
  })

  it('an empty last axis: logSumExp is log(0) = -Infinity for every row, with size equal to its shape', () => {
    const y = logSumExp(zeros([3, 0]))
    expect(y.shape).toEqual([3, 1])
    expect(y.size).toBe(3)
    expect(Array.from(y.data)).toEqual([-Infinity, -Infinity, -Infinity])
    const z = logSumExp(zeros([0]))
    expect(z.shape).toEqual([1])
    expect(Array.from(z.data)).toEqual([-Infinity])
    expect(softmax(zeros([3, 0])).shape).toEqual([3, 0])
    expect(logSoftmax(zeros([0, 4])).shape).toEqual([0, 4])
    expect(logSumExp(zeros([0, 4])).shape).toEqual([0, 1])
    expect(logSumExp(zeros([0, 4])).size).toBe(0)
  })

  it('keeps float32 and does not write the input', () => {
    const x = tensor([[1, 2, 3]])
    const before = Array.from(x.data)
    expect(softmax(x).dtype).toBe('float32')
    expect(logSoftmax(x).dtype).toBe('float32')
    expect(logSumExp(x).dtype).toBe('float32')
    expect(Array.from(x.data)).toEqual(before)
  })
})

describe('float32 rows (the fast exp) against the float64 kernels on the same values', () => {
  // values from a seeded LCG in [-scale, scale), with some -Infinity entries when asked
  const data = (n: number, seed: number, scale: number): Float32Array => {
    const out = new Float32Array(n)
    let s = seed >>> 0
    for (let i = 0; i < n; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0
      out[i] = (s / 2 ** 32 * 2 - 1) * scale
    }
    return out
  }
  // The largest |got - want| / |want|, want = the float64 kernel's result rounded to float32;
  // results below the float32 normal range (2^-126) are compared absolutely at that scale.
  const worstRel = (got: ArrayLike<number>, want: ArrayLike<number>): number => {
    let worst = 0
    for (let i = 0; i < want.length; i++) {
      const w = Math.fround(want[i]!), g = got[i]!
      if (w === g) continue
      worst = Math.max(worst, Math.abs(g - w) / Math.max(Math.abs(w), 2 ** -126))
    }
    return worst
  }

  for (const [rows, n, scale] of [[7, 1, 3], [5, 33, 1], [4, 1000, 10], [3, 257, 80]] as const) {
    it(`[${rows}, ${n}] values in ±${scale}: within 1e-6 relative`, () => {
      const d = data(rows * n, rows * 7919 + n, scale)
      const x32 = fromData([rows, n], d)
      const x64 = fromData([rows, n], Float64Array.from(d))
      expect(worstRel(softmax(x32).data, softmax(x64).data)).toBeLessThan(1e-6)
      expect(worstRel(logSumExp(x32).data, logSumExp(x64).data)).toBeLessThan(1e-6)
      expect(worstRel(logSoftmax(x32).data, logSoftmax(x64).data)).toBeLessThan(1e-6)
      expect(softmax(x32).dtype).toBe('float32')
    })
  }

  it('keeps NaN and ±Infinity behaviour in float32', () => {
    expect(Array.from(logSumExp(tensor([[-Infinity, -Infinity], [Infinity, 0], [NaN, Infinity]])).data)).toEqual([-Infinity, Infinity, NaN])
    expect(Array.from(softmax(tensor([[-Infinity, 0], [200, -200]])).data)).toEqual([0, 1, 1, 0])
    const sm = Array.from(softmax(tensor([[NaN, 1], [0, 0]])).data)
    expect(sm.slice(0, 2).every(Number.isNaN)).toBe(true)
    expect(sm.slice(2)).toEqual([0.5, 0.5])
    const ls = Array.from(logSoftmax(tensor([[NaN, 1], [-Infinity, 0]])).data)
    expect(ls.slice(0, 2).every(Number.isNaN)).toBe(true)
    expect(ls.slice(2)).toEqual([-Infinity, 0])
  })
})
