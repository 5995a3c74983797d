import { describe, expect, it } from 'vitest'
import { key } from '../random/index.js'
import { toFlatArray } from '../tensor/index.js'
import { glorotUniform, heNormal, zeros } from './initializers.js'

const stats = (xs: ReadonlyArray<number>) => {
  const m = xs.reduce((s, v) => s + v, 0) / xs.length
  return { mean: m, std: Math.sqrt(xs.reduce((s, v) => s + (v - m) ** 2, 0) / xs.length) }
}

describe('initializer laws (src/nn/initializers.ts)', () => {
  it('1. the same key gives bit-identical tensors', () => {
    for (const init of [glorotUniform, heNormal, zeros]) {
      expect(toFlatArray(init(key(3), [5, 4], 'float64'))).toEqual(toFlatArray(init(key(3), [5, 4], 'float64')))
    }
  })

  it('2. glorotUniform lies in [-√(6 / (fanIn + fanOut)), √(6 / (fanIn + fanOut))) and has the uniform std limit/√3', () => {
    const w = toFlatArray(glorotUniform(key(1), [400, 100], 'float64'))
    const limit = Math.sqrt(6 / 500)
    expect(w.every((v) => v >= -limit && v < limit)).toBe(true)
    expect(Math.max(...w)).toBeGreaterThan(0.99 * limit)
    expect(Math.min(...w)).toBeLessThan(-0.99 * limit)
    expect(stats(w).std / (limit / Math.sqrt(3))).toBeCloseTo(1, 1)
  })

  it('3. heNormal has mean ≈ 0 and std ≈ √(2 / fanIn)', () => {
    const w = toFlatArray(heNormal(key(2), [500, 80], 'float64'))
    const { mean, std } = stats(w)
    // 40,000 draws: the standard error of the mean is std/200
    expect(Math.abs(mean)).toBeLessThan(4 * Math.sqrt(2 / 500) / 200)
    expect(Math.abs(std / Math.sqrt(2 / 500) - 1)).toBeLessThan(0.02)
  })

  it('zeros is all zeros, in the dtype asked for', () => {
    const z = zeros(key(0), [3, 2], 'float64')
    expect(z.dtype).toBe('float64')
    expect(toFlatArray(z)).toEqual([0, 0, 0, 0, 0, 0])
  })
})
