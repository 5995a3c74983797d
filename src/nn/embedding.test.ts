import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { decodeModel, encodeModel } from '../ioPure.js'
import { key, normal } from '../random/index.js'
import { ShapeError, type Tensor, tensor, toArray, toFlatArray } from '../tensor/index.js'
import { dense, embedding, flatten, fromSpec, layerNorm, serial } from './index.js'

describe('embedding', () => {
  it('looks up rows of its table: [batch, length] to [batch, length, dim]', () => {
    const e = embedding(3, 2, { length: 2 })
    const table = tensor([[1, 2], [3, 4], [5, 6]])
    expect(toArray(e.apply({ table })(tensor([[2, 0], [1, 1]])))).toEqual([[[5, 6], [1, 2]], [[3, 4], [3, 4]]])
    expect(embedding(3, 2).apply({ table })(tensor([1, 2])).shape).toEqual([2, 1, 2])
    expect([e.inSize, e.outSize]).toEqual([2, 4])
  })

  it('names the layer on bad input, indices and parameters', () => {
    const e = embedding(3, 2, { length: 2 })
    const p = e.init(key(0))
    expect(() => e.apply(p)(tensor([[0, 1, 2]]))).toThrow(ShapeError)
    expect(() => e.apply(p)(tensor([[0, 1, 2]]))).toThrow(/embedding\(3, 2, length 2\): expects token indices \[batch, 2\]/)
    expect(() => e.apply(p)(tensor([[0, 7]]))).toThrow(/gather: index 7/)
    expect(() => e.apply({ table: tensor([[1]]) })).toThrow(/table of shape \[3, 2\]/)
  })

  it('rebuilds from its spec and round-trips through a model file', () => {
    const net = serial(embedding(5, 3, { length: 4 }), flatten, dense(12, 2))
    const params = net.init(key(1))
    const r = fromSpec(JSON.parse(JSON.stringify(net.spec)))
    expect(E.isRight(r) && r.right.name).toBe(net.name)
    const back = decodeModel(encodeModel({ net, params }))
    if (E.isLeft(back)) throw new Error(back.left.message)
    const x = tensor([[0, 1, 2, 4], [4, 4, 3, 0]])
    expect(toFlatArray((back.right.net.apply as (p: unknown) => (x: Tensor) => Tensor)(back.right.params)(x))).toEqual(toFlatArray(net.apply(params)(x)))
  })
})

describe('layerNorm', () => {
  it('normalises the last axis to mean 0, variance 1, then scales and shifts', () => {
    const l = layerNorm(4, { dtype: 'float64' })
    const x = normal(key(2), [3, 4], { dtype: 'float64' })
    const y = toArray(l.apply(l.init(key(3)))(x), 2)
    for (const row of y) {
      const m = row.reduce((a, b) => a + b, 0) / 4
      const v = row.reduce((a, b) => a + (b - m) ** 2, 0) / 4
      expect(Math.abs(m)).toBeLessThan(1e-12)
      expect(Math.abs(v - 1)).toBeLessThan(1e-4)
    }
    const scaled = l.apply({ scale: tensor([2, 2, 2, 2], { dtype: 'float64' }), offset: tensor([1, 1, 1, 1], { dtype: 'float64' }) })(x)
    expect(toFlatArray(scaled)[0]).toBeCloseTo(2 * y[0]![0]! + 1, 12)
  })

  it('names the layer when the feature size is wrong', () => {
    const l = layerNorm(4)
    expect(() => l.apply(l.init(key(0)))(tensor([[1, 2, 3]]))).toThrow(/layerNorm\(4\): expects 4 features on the last axis/)
  })
})
