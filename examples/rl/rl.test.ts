/**
 * The RL examples in quick mode: each short run must beat a random policy (which balances the
 * pole about 22 steps), and a seed must reproduce a run bit for bit.
 */
import { describe, expect, it } from 'vitest'
import { random, rl, tensor } from 'purenet'
import { evaluate, mean, parseSeeds } from './common.js'
import { runDqn } from './dqn.js'
import { runPpo } from './ppo.js'
import { summarise } from './curves.js'

describe('RL examples (quick mode)', () => {
  it('a uniformly random policy balances CartPole-v1 for about 22 steps (the baseline below)', () => {
    const env = rl.cartPole()
    let k = 0
    const returns = evaluate(env, (x) => Array.from({ length: x.shape[0]! }, () => rl.sampleCategorical(random.foldIn(random.key(99), k++), [0, 0])), random.key(1), 100)
    expect(mean(returns)).toBeGreaterThan(15)
    expect(mean(returns)).toBeLessThan(30)
    expect(evaluate(env, (x) => Array.from({ length: x.shape[0]! }, () => 0), random.key(1), 3).every((r) => r < 15)).toBe(true)
    void tensor
  })

  it('DQN: 2 000 steps learn a greedy policy far better than random', () => {
    const r = runDqn({ quick: true })
    expect(r.steps).toBe(2000)
    expect(r.gradientSteps).toBe(751) // every other step from step 500 to 2000
    expect(r.episodeReturns.length).toBeGreaterThan(10)
    expect(r.evaluations.length).toBe(1)
    expect(r.evaluations[0]!.meanReturn).toBeGreaterThan(60)
  })

  it('DQN: a seed reproduces a run bit for bit', () => {
    const options = { quick: true, steps: 700, evaluateEvery: 700, evaluationEpisodes: 3, seed: 5 }
    const a = runDqn(options)
    const b = runDqn(options)
    expect(b.episodeReturns).toEqual(a.episodeReturns)
    expect(b.evaluations).toEqual(a.evaluations)
    expect(runDqn({ ...options, seed: 6 }).episodeReturns).not.toEqual(a.episodeReturns)
  })

  it('DQN: the compiled run (jit, the default) and the eager run are the same run, bit for bit', () => {
    const options = { quick: true, steps: 900, evaluateEvery: 900, evaluationEpisodes: 3, seed: 2 }
    const a = runDqn(options)
    const b = runDqn({ ...options, compiled: false })
    expect(a.settings.compiled).toBe(true)
    expect(b.episodeReturns).toEqual(a.episodeReturns)
    expect(b.evaluations).toEqual(a.evaluations)
    expect(b.params.map((l) => ('w' in l ? [...l.w.data, ...l.b.data] : []))).toEqual(a.params.map((l) => ('w' in l ? [...l.w.data, ...l.b.data] : [])))
  })

  it('PPO on CartPole-v1: 2 048 steps learn a deterministic policy far better than random', () => {
    const r = runPpo({ task: 'cartpole', quick: true })
    expect(r.steps).toBe(2048)
    expect(r.evaluations.at(-1)!.meanReturn).toBeGreaterThan(100)
  })

  it('PPO on Pendulum-v1: a Gaussian policy runs and a seed reproduces it bit for bit', () => {
    const options = { task: 'pendulum' as const, quick: true, evaluationEpisodes: 4 }
    const a = runPpo(options)
    const b = runPpo(options)
    expect(a.steps).toBe(2048)
    expect(a.episodeReturns.length).toBe(8) // 8 environments × 256 steps = 8 episodes of 200 steps, plus unfinished ones
    for (const x of a.episodeReturns) expect(x < 0 && x > 200 * -17).toBe(true) // a step costs at most π² + 6.4 + 0.004
    expect(b.evaluations).toEqual(a.evaluations)
    expect(b.episodeReturns).toEqual(a.episodeReturns)
  })

  it('seeds flag and the curves summary', () => {
    expect(parseSeeds('0-3')).toEqual([0, 1, 2, 3])
    expect(parseSeeds('2,5')).toEqual([2, 5])
    expect(parseSeeds('3-1')).toBeUndefined()
    expect(summarise([
      { seed: 0, evaluations: [{ step: 10, meanReturn: 1 }, { step: 20, meanReturn: 5 }] },
      { seed: 1, evaluations: [{ step: 10, meanReturn: 3 }] },
    ])).toEqual([{ step: 10, mean: 2, min: 1, max: 3, seeds: 2 }, { step: 20, mean: 5, min: 5, max: 5, seeds: 1 }])
  })
})
