/**
 * Discounted returns and GAE against values worked out by hand, and GAE's two limits
 * (λ = 1: bootstrapped return minus V; λ = 0: the TD error).
 */
import { describe, expect, it } from 'vitest'
import { discountedReturns, gae } from './returns.js'

describe('rl.discountedReturns', () => {
  it('by hand, across an episode boundary and with a bootstrap', () => {
    expect(Array.from(discountedReturns([1, 1, 1], [false, false, true], { gamma: 0.5 }))).toEqual([1.75, 1.5, 1])
    // episode ends after step 1; the second runs on with bootstrap 8: G₃ = 1 + 0.5·8 = 5, G₂ = 2 + 2.5
    expect(Array.from(discountedReturns([1, 2, 2, 1], [false, true, false, false], { gamma: 0.5, bootstrap: [8] }))).toEqual([2, 2, 4.5, 5])
  })

  it('two environments interleaved time-major are two independent sequences', () => {
    const got = discountedReturns([1, 10, 1, 10], [false, false, true, true], { gamma: 0.5, envs: 2 })
    expect(Array.from(got)).toEqual([1.5, 15, 1, 10])
    expect(() => discountedReturns([1, 2, 3], [0, 0, 0], { gamma: 0.5, envs: 2 })).toThrow(/not a multiple of envs = 2/)
  })
})

describe('rl.gae', () => {
  const input = { rewards: [1, 0, 2, 1], values: [0.5, 1, 0.2, 0.4], nextValues: [1, 0.2, 0.4, 3], terminated: [0, 0, 0, 0], dones: [0, 0, 0, 0] }

  it('λ = 0 gives the TD errors; λ = 1 the bootstrapped discounted return minus V', () => {
    const td = gae(input, { gamma: 0.9, lambda: 0 }).advantages
    input.rewards.forEach((r, i) => expect(td[i]).toBeCloseTo(r + 0.9 * input.nextValues[i]! - input.values[i]!, 12))
    const full = gae(input, { gamma: 0.9, lambda: 1 })
    const g = discountedReturns(input.rewards, [0, 0, 0, 0], { gamma: 0.9, bootstrap: [3] })
    g.forEach((x, i) => {
      expect(full.advantages[i]).toBeCloseTo(x - input.values[i]!, 12)
      expect(full.returns[i]).toBeCloseTo(x, 12)
    })
  })

  it('by hand: termination drops the bootstrap, truncation keeps it but stops the carry', () => {
    // step 1 terminates: δ₁ = 0 − 1 = −1; step 0: δ₀ = 1 + 0.5·1 − 0.5 = 1, A₀ = 1 + 0.25·(−1) = 0.75
    const terminated = gae({ ...input, terminated: [0, 1, 0, 0], dones: [0, 1, 0, 0] }, { gamma: 0.5, lambda: 0.5 }).advantages
    expect(terminated[1]).toBeCloseTo(-1, 12)
    expect(terminated[0]).toBeCloseTo(0.75, 12)
    // step 1 truncated: δ₁ = 0 + 0.5·0.2 − 1 = −0.9 and A₁ = δ₁ (no carry from step 2)
    const truncated = gae({ ...input, dones: [0, 1, 0, 0] }, { gamma: 0.5, lambda: 0.5 }).advantages
    expect(truncated[1]).toBeCloseTo(-0.9, 12)
    expect(() => gae(input, { gamma: 0.9, lambda: 1.5 })).toThrow(/lambda must be in \[0, 1\]/)
  })
})
