/**
 * The cart-pole example in quick mode: a short run must show learning, a seed must reproduce a
 * run bit for bit, and the learning curve must carry the run's numbers.
 */
import { describe, expect, it } from 'vitest'
import { run } from './cartpole.js'
import { curveData, learningCurve } from './cartpole/curve.js'
import { firstSolved } from './cartpole/reinforce.js'

const mean = (xs: ReadonlyArray<number>): number => xs.reduce((a, b) => a + b, 0) / xs.length

describe('cart-pole (quick mode)', () => {
  it('REINFORCE with a baseline learns: the last episodes last far longer than the first', () => {
    const { returns, settings } = run({ quick: true })
    expect(returns.length).toBe(200)
    expect(settings.maxSteps).toBe(200)
    for (const r of returns) expect(r >= 1 && r <= 200 && Number.isInteger(r)).toBe(true)
    const first = mean(returns.slice(0, 40))
    const last = mean(returns.slice(-40))
    // a random policy balances about 20 steps; after 25 updates the policy should at least double that
    expect(first).toBeLessThan(60)
    expect(last).toBeGreaterThan(2 * first)
  })

  it('a seed reproduces a run bit for bit, and another seed gives another run', () => {
    const a = run({ quick: true, episodes: 24, seed: 3 })
    const b = run({ quick: true, episodes: 24, seed: 3 })
    const c = run({ quick: true, episodes: 24, seed: 4 })
    expect(b.returns).toEqual(a.returns)
    expect(b.params.policy[2].w.data).toEqual(a.params.policy[2].w.data)
    expect(c.returns).not.toEqual(a.returns)
  })

  it('the solving criterion is the first window of 100 episodes with mean ≥ 195', () => {
    const returns = [...Array<number>(50).fill(10), ...Array<number>(150).fill(200)]
    // episodes n-99..n hold k = 150 - n tens, mean 200 - 1.9k ≥ 195 iff k ≤ 2: n = 148
    expect(firstSolved(returns, 100, 195)).toBe(148)
    expect(firstSolved(returns.slice(0, 147), 100, 195)).toBeUndefined()
  })

  it('the learning curve holds every return and the moving mean of the criterion', () => {
    const returns = [10, 20, 30, 40]
    expect(curveData(returns, 2).map((p) => p.movingMean)).toEqual([null, 15, 25, 35])
    const spec = learningCurve(returns, { window: 2, threshold: 195, solvedAt: 3, title: 't', details: 'd' })
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec)
    const layers = spec['layer'] as ReadonlyArray<{ readonly data: { readonly values: ReadonlyArray<Record<string, unknown>> } }>
    const values = layers[0]!.data.values
    expect(values.filter((r) => r['series'] === 'return of the episode').map((r) => r['value'])).toEqual(returns)
    expect(values.filter((r) => r['series'] === 'mean of the last 2').map((r) => r['value'])).toEqual([15, 25, 35])
    expect(layers[2]!.data.values[0]).toMatchObject({ value: 195 })
    expect(layers[3]!.data.values[0]).toMatchObject({ episode: 3 })
  })
})
