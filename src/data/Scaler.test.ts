import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import * as io from '../ioPure.js'
import { dense } from '../nn/index.js'
import { key } from '../random/index.js'
import { tensor, toArray } from '../tensor/index.js'
import { decodeScaler, minMax, scale, standardize, unscale } from './Scaler.js'

// Columns on very different scales: square metres, rooms, a price.
const x = tensor([[50, 2, 150_000], [120, 4, 420_000], [80, 3, 260_000], [200, 6, 700_000]], { dtype: 'float64' })

const column = (rows: number[][], j: number): number[] => rows.map((r) => r[j]!)
const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length

describe('data.standardize and data.minMax', () => {
  it('1. standardize gives every column mean 0 and standard deviation 1', () => {
    const { data, scaler } = standardize(x)
    const rows = toArray(data, 2)
    for (let j = 0; j < 3; j++) {
      const c = column(rows, j)
      expect(mean(c)).toBeCloseTo(0, 12)
      expect(Math.sqrt(mean(c.map((v) => v * v)))).toBeCloseTo(1, 12)
    }
    expect(scaler.kind).toBe('standardize')
    expect(scaler.shift).toEqual([112.5, 3.75, 382_500])
  })
  it('1. minMax maps every column onto [0, 1]', () => {
    const rows = toArray(minMax(x).data, 2)
    for (let j = 0; j < 3; j++) expect([Math.min(...column(rows, j)), Math.max(...column(rows, j))]).toEqual([0, 1])
    expect(toArray(minMax(tensor([3, 5, 4])).data, 1)).toEqual([0, 1, 0.5])
  })
  it('2. scale applies the fitted transform to new data; unscale undoes it', () => {
    const { data, scaler } = standardize(x)
    expect(toArray(scale(scaler, x), 2)).toEqual(toArray(data, 2))
    const back = toArray(unscale(scaler, data), 2)
    toArray(x, 2).forEach((r, i) => r.forEach((v, j) => expect(back[i]![j]!).toBeCloseTo(v, 6)))
    const fresh = toArray(scale(scaler, tensor([[112.5, 3.75, 382_500]], { dtype: 'float64' })), 2)
    expect(fresh).toEqual([[0, 0, 0]])
    expect(scale(scaler, tensor([[1, 2, 3]])).dtype).toBe('float32')
  })
  it('a constant column becomes 0, not NaN; wrong columns and non-finite data are refused', () => {
    const { data, scaler } = standardize(tensor([[1, 7], [2, 7], [3, 7]]))
    expect(column(toArray(data, 2), 1)).toEqual([0, 0, 0])
    expect(scaler.scale[1]).toBe(1)
    expect(() => scale(scaler, tensor([[1, 2, 3]]))).toThrow(/data.scale.*fitted on 2 columns, the data has 3/)
    expect(() => standardize(tensor([[1], [NaN]]))).toThrow(/data.standardize: row 1, column 0 is NaN/)
    expect(() => standardize(tensor([[[1]]]))).toThrow(/data.standardize.*\[n, columns\]/)
  })
})

describe('a scaler in a model file', () => {
  it('3. round-trips through io.encodeModel / decodeModel in extra.scaler, exactly', () => {
    const { scaler } = standardize(x)
    const net = dense(3, 1)
    const text = io.encodeModel({ net, params: net.init(key(0)), extra: { scaler } })
    const model = io.decodeModel(text)
    if (E.isLeft(model)) throw new Error(model.left.message)
    const back = decodeScaler(model.right.extra?.['scaler'], 'extra.scaler')
    expect(back).toEqual(E.right(scaler))
    if (E.isRight(back)) expect(toArray(scale(back.right, x), 2)).toEqual(toArray(scale(scaler, x), 2))
  })
  it('a bad scaler is refused with the path of the bad field', () => {
    const bad = (u: unknown): string => {
      const r = decodeScaler(u, 'extra.scaler')
      return E.isLeft(r) ? r.left.message : 'decoded'
    }
    expect(bad({ kind: 'standardize', shift: [0, 1], scale: [1, 0] })).toMatch(/^data.decodeScaler: extra.scaler.scale\[1\]: expected a positive finite number, got 0/)
    expect(bad({ kind: 'zscore', shift: [], scale: [] })).toMatch(/^data.decodeScaler: extra.scaler.kind: expected 'standardize' or 'minMax', got "zscore"/)
    expect(bad({ kind: 'minMax', shift: [0], scale: [1, 2] })).toBe('data.decodeScaler: extra.scaler: 1 shifts but 2 scales; a scaler has one of each per column')
    expect(bad(undefined)).toMatch(/^data.decodeScaler: extra.scaler: expected Scaler, missing/)
  })
})
