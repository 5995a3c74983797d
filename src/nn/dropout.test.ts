import { describe, expect, it } from 'vitest'
import { grad } from '../autodiff/index.js'
import { sum } from '../ops/index.js'
import { foldIn, key } from '../random/index.js'
import { type Tensor, ones, toFlatArray } from '../tensor/index.js'
import { dropout } from './index.js'

describe('dropout', () => {
  const x = ones([200, 50])
  const train = (seed: number) => ({ mode: 'train' as const, key: key(seed) })

  it('drops a fraction `rate` of the elements and scales the rest by 1 / (1 - rate)', () => {
    for (const rate of [0.1, 0.3, 0.5]) {
      const y = toFlatArray(dropout(rate).apply({})(x, train(3)))
      const dropped = y.filter((v) => v === 0).length / y.length
      // 10,000 Bernoulli draws: the standard error is at most 0.005, allow 4 of them
      expect(Math.abs(dropped - rate)).toBeLessThan(0.02)
      const kept = y.filter((v) => v !== 0)
      kept.forEach((v) => expect(v).toBeCloseTo(1 / (1 - rate), 6))
      // inverted scaling keeps the mean about 1
      expect(Math.abs(y.reduce((s, v) => s + v, 0) / y.length - 1)).toBeLessThan(0.05)
    }
  })

  it('is the identity in eval mode, with no context, and at rate 0', () => {
    expect(dropout(0.5).apply({})(x, { mode: 'eval' })).toBe(x)
    expect(dropout(0.5).apply({})(x)).toBe(x)
    expect(dropout(0).apply({})(x, train(0))).toBe(x)
  })

  it('takes its randomness from the key: same key same mask, other key other mask', () => {
    const layer = dropout(0.5)
    expect(toFlatArray(layer.apply({})(x, train(1)))).toEqual(toFlatArray(layer.apply({})(x, train(1))))
    expect(toFlatArray(layer.apply({})(x, train(1)))).not.toEqual(toFlatArray(layer.apply({})(x, { mode: 'train', key: foldIn(key(1), 0) })))
  })

  it('passes gradients through the kept elements only, scaled', () => {
    const ctx = train(5)
    const f = (t: Tensor) => sum(dropout(0.25).apply({})(t, ctx))
    const mask = toFlatArray(dropout(0.25).apply({})(ones([4, 8], { dtype: 'float64' }), ctx))
    expect(toFlatArray(grad(f)(ones([4, 8], { dtype: 'float64' })))).toEqual(mask)
  })

  it('rejects a rate outside [0, 1)', () => {
    expect(() => dropout(1)).toThrow('dropout(1): the rate is the probability of dropping an element and must be in [0, 1), got 1')
    expect(() => dropout(-0.1)).toThrow(RangeError)
    expect(() => dropout(Number.NaN)).toThrow(RangeError)
  })
})
