/** The Huber loss against its piecewise definition, and its bounded gradient. */
import { describe, expect, it } from 'vitest'
import { grad } from '../autodiff/index.js'
import { tensor } from '../tensor/index.js'
import { huber } from './huber.js'

describe('losses.huber', () => {
  it('is ½x² inside δ and δ(|x| − ½δ) outside, averaged', () => {
    const p = tensor([0.5, -3, 2, 0], { dtype: 'float64' })
    const y = tensor([0, 0, 0, 0], { dtype: 'float64' })
    expect(huber(p, y).data[0]).toBeCloseTo((0.125 + 2.5 + 1.5 + 0) / 4, 12)
    expect(huber(p, y, 2).data[0]).toBeCloseTo((0.125 + 4 + 2 + 0) / 4, 12)
  })

  it('its gradient is x inside δ and δ·sign(x) outside (over n)', () => {
    const y = tensor([0, 0, 0], { dtype: 'float64' })
    const g = grad((p: ReturnType<typeof tensor>) => huber(p, y))(tensor([0.5, -3, 7], { dtype: 'float64' }))
    expect(Array.from(g.data)).toEqual([expect.closeTo(0.5 / 3, 12), expect.closeTo(-1 / 3, 12), expect.closeTo(1 / 3, 12)])
  })

  it('refuses mismatched shapes and a bad δ', () => {
    expect(() => huber(tensor([[1], [2]]), tensor([1, 2]))).toThrow(/huber/)
    expect(() => huber(tensor([1]), tensor([1]), 0)).toThrow(/delta must be a positive finite number/)
  })
})
