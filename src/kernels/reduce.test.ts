import { describe, expect, it } from 'vitest'
import { type DType, type Shape, type Tensor, alloc, fromData, sizeOf, tensor, toArray } from '../tensor/index.js'
import * as R from './reduce.js'
import { rng } from './seeded.fixture.js'


// Small integers, so float64 sums are exact in any order and the oracle can compare with toEqual.
const randomInts = (next: () => number, shape: Shape, dtype: DType = 'float64'): Tensor => {
  const d = alloc(dtype, sizeOf(shape))
  for (let i = 0; i < d.length; i++) d[i] = Math.floor(next() * 21) - 10
  return fromData(shape, d)
}

// The oracle: visit every input element once and fold it into its output cell.
const oracle = (op: 'sum' | 'max', x: Tensor, axes: ReadonlyArray<number>, keepDims: boolean): { shape: number[]; data: number[] } => {
  const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i))
  const outCore = kept.map((i) => x.shape[i]!)
  const shape = keepDims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : outCore
  const data = new Array<number>(sizeOf(outCore)).fill(op === 'sum' ? 0 : -Infinity)
  for (let k = 0; k < x.size; k++) {
    let r = k
    const idx = new Array<number>(x.shape.length)
    for (let i = x.shape.length - 1; i >= 0; i--) {
      idx[i] = r % x.shape[i]!
      r = Math.floor(r / x.shape[i]!)
    }
    let o = 0
    for (const i of kept) o = o * x.shape[i]! + idx[i]!
    const v = x.data[k]!
    data[o] = op === 'sum' ? data[o]! + v : Number.isNaN(v) || Number.isNaN(data[o]!) ? NaN : Math.max(data[o]!, v)
  }
  return { shape, data }
}

const subsets = (rank: number): number[][] => {
  const out: number[][] = []
  for (let m = 0; m < 1 << rank; m++) out.push(Array.from({ length: rank }, (_, i) => i).filter((i) => (m >> i) & 1))
  return out
}

describe('reduce over every subset of axes', () => {
  const shapes: Shape[] = [[], [5], [3, 4], [2, 3, 4], [2, 1, 3, 2], [3, 0, 2]]
  const next = rng(3)
  for (const shape of shapes) {
    for (const axes of subsets(shape.length)) {
      for (const keepDims of [false, true]) {
        for (const op of ['sum', 'max'] as const) {
          it(`${op} of ${JSON.stringify(shape)} over ${JSON.stringify(axes)}${keepDims ? ' keepDims' : ''}`, () => {
            const x = randomInts(next, shape)
            const got = R[op](x, axes, keepDims)
            const want = oracle(op, x, axes, keepDims)
            expect(got.shape).toEqual(want.shape)
            expect(got.size).toBe(sizeOf(want.shape))
            expect(Array.from(got.data)).toEqual(want.data)
            expect(got.dtype).toBe('float64')
          })
        }
      }
    }
  }
})

describe('reduce details', () => {
  it('keeps float32 and sums float32 inputs accurately enough', () => {
    const x = fromData([3, 1000], new Float32Array(3000).fill(0.1))
    for (const axes of [[1], [0, 1], [0]]) {
      const y = R.sum(x, axes, false)
      expect(y.dtype).toBe('float32')
      const want = (3000 / y.size) * Math.fround(0.1)
      for (const v of y.data) expect(Math.abs(v - want) / want).toBeLessThan(1e-5)
    }
  })

  it('max propagates NaN, as NumPy, wherever it sits in the row', () => {
    const x = tensor([[NaN, 1, 2], [1, NaN, 2], [1, 2, NaN], [1, 2, 3]], { dtype: 'float64' })
    const byRow = R.max(x, [1], false).data
    expect(byRow[0]).toBeNaN()
    expect(byRow[1]).toBeNaN()
    expect(byRow[2]).toBeNaN()
    expect(byRow[3]).toBe(3)
    const byCol = R.max(x, [0], false).data
    for (const v of byCol) expect(v).toBeNaN()
  })

  it('max of an empty axis is -Infinity and sum is 0', () => {
    const x = fromData([2, 0], new Float64Array(0))
    expect(toArray(R.max(x, [1], false))).toEqual([-Infinity, -Infinity])
    expect(toArray(R.sum(x, [1], true))).toEqual([[0], [0]])
  })

  it('no axes copies the input', () => {
    const x = tensor([1, 2])
    const y = R.sum(x, [], false)
    expect(y.data).not.toBe(x.data)
    expect(toArray(y)).toEqual([1, 2])
  })

  it('does not write its input (also on the transposed path)', () => {
    const x = tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]]])
    const before = Array.from(x.data)
    R.sum(x, [0, 2], true)
    R.max(x, [1], false)
    expect(Array.from(x.data)).toEqual(before)
  })
})
