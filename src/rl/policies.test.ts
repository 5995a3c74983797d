/** Sampling by key and the policies' log-densities against formulas and finite differences. */
import { describe, expect, it } from 'vitest'
import { grad } from '../autodiff/index.js'
import { sum } from '../ops/index.js'
import { foldIn, key } from '../random/index.js'
import { tensor } from '../tensor/index.js'
import { argmax, categoricalEntropy, categoricalLogProb, epsilonGreedy, gaussianLogProb, sampleCategorical } from './policies.js'

describe('rl policies', () => {
  it('sampleCategorical draws each action with its softmax probability and is pure in its key', () => {
    const logits = [Math.log(0.2), Math.log(0.5), Math.log(0.3)]
    const counts = [0, 0, 0]
    for (let i = 0; i < 4000; i++) counts[sampleCategorical(foldIn(key(0), i), logits)]!++
    expect(Math.abs(counts[0]! / 4000 - 0.2)).toBeLessThan(0.03)
    expect(Math.abs(counts[1]! / 4000 - 0.5)).toBeLessThan(0.03)
    expect(sampleCategorical(key(9), logits)).toBe(sampleCategorical(key(9), logits))
  })

  it('epsilonGreedy: ε = 0 is argmax, ε = 1 is uniform', () => {
    expect(argmax([1, 3, 3, 2])).toBe(1)
    for (let i = 0; i < 50; i++) expect(epsilonGreedy(foldIn(key(1), i), [0, 5, 1], 0)).toBe(1)
    const counts = [0, 0, 0]
    for (let i = 0; i < 3000; i++) counts[epsilonGreedy(foldIn(key(2), i), [0, 5, 1], 1)]!++
    for (const c of counts) expect(Math.abs(c / 3000 - 1 / 3)).toBeLessThan(0.04)
    expect(() => epsilonGreedy(key(0), [1], 2)).toThrow(/epsilon must be in \[0, 1\]/)
  })

  it('categorical log-probability and entropy by formula', () => {
    const logits = tensor([[0, Math.log(3)]], { dtype: 'float64' })
    expect(categoricalLogProb(logits, tensor([[0, 1]], { dtype: 'float64' })).data[0]).toBeCloseTo(Math.log(0.75), 12)
    expect(categoricalEntropy(logits).data[0]).toBeCloseTo(-(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75)), 12)
  })

  it('Gaussian log-density by formula, and its gradient in the mean is (a − μ)/σ²', () => {
    const mean = tensor([[0.5, -1]], { dtype: 'float64' })
    const logStd = tensor([Math.log(2), 0], { dtype: 'float64' })
    const actions = tensor([[1.5, 0]], { dtype: 'float64' })
    const want = -(1 / 4) / 2 - Math.log(2) - 0.5 * Math.log(2 * Math.PI) - 1 / 2 - 0.5 * Math.log(2 * Math.PI)
    expect(gaussianLogProb(mean, logStd, actions).data[0]).toBeCloseTo(want, 12)
    const g = grad((m: typeof mean) => sum(gaussianLogProb(m, logStd, actions)))(mean)
    expect(Array.from(g.data)).toEqual([expect.closeTo(1 / 4, 12), expect.closeTo(1, 12)])
  })
})
