import { describe, expect, it } from 'vitest'
import { exponentialMovingAverage } from './smooth.js'

describe('exponentialMovingAverage', () => {
  it('is debiased: starts at the first value and keeps a constant series constant', () => {
    const s = exponentialMovingAverage([3, 3, 3, 3], 0.9)
    s.forEach((v) => expect(v).toBeCloseTo(3, 12))
  })
  it('matches the hand computation', () => {
    // m1 = 0.5, s1 = 0.5 / 0.5 = 1; m2 = 0.25 + 1 = 1.25, s2 = 1.25 / 0.75
    const [a, b] = exponentialMovingAverage([1, 2], 0.5)
    expect(a).toBeCloseTo(1, 12)
    expect(b).toBeCloseTo(5 / 3, 12)
  })
  it('weight 0 is the identity', () => {
    expect(exponentialMovingAverage([1, 5, 2], 0)).toEqual([1, 5, 2])
  })
  it('passes non-finite values through and skips them', () => {
    const s = exponentialMovingAverage([1, NaN, 1], 0.5)
    expect(s[1]).toBeNaN()
    expect(s[2]).toBeCloseTo(1, 12)
  })
  it('rejects a weight outside [0, 1)', () => {
    expect(() => exponentialMovingAverage([1], 1)).toThrow('weight must be in [0, 1), got 1')
  })
})
