/**
 * The cart-pole the REINFORCE example learns (`rl.cartPole`, with the example's step cap of 200):
 * one step against values worked out by hand, and the termination rules.
 */
import { describe, expect, it } from 'vitest'
import { random, rl } from 'purenet'

type Key = random.Key
const { foldIn, key, split, uniform } = random
type CartPoleState = rl.CartPoleState
const physics = rl.cartPolePhysics

const at = (x: number, xDot: number, theta: number, thetaDot: number, t = 0): CartPoleState => ({ x, xDot, theta, thetaDot, t, done: false })
// one Euler step of the equations of motion (no cap reached from t = 0)
const integrate = (s: CartPoleState, action: 0 | 1): CartPoleState => rl.cartPole().step(s, action).state
const cartPole = rl.cartPole

describe('cart-pole physics', () => {
  it('one push right from rest: by hand, ẍ = 400/41 and θ̈ = -600/41', () => {
    // θ = 0: sin θ = 0, cos θ = 1. tmp = F / (m_c + m_p) = 10 / 1.1 = 100/11.
    // θ̈ = (0 − 100/11) / (0.5 · (4/3 − 0.1/1.1)) = −(100/11) / (41/66) = −600/41.
    // ẍ = 100/11 − 0.05 · (−600/41) / 1.1 = 100/11 + 300/451 = 400/41.
    // Euler with τ = 0.02: x and θ keep their old value plus τ·(old velocity) = 0,
    // ẋ = 0.02 · 400/41 = 8/41, θ̇ = 0.02 · (−600/41) = −12/41 (Gym prints [0, 0.19512, 0, −0.29268]).
    const s = integrate(at(0, 0, 0, 0), 1)
    expect(s.x).toBe(0)
    expect(s.xDot).toBeCloseTo(8 / 41, 14)
    expect(s.theta).toBe(0)
    expect(s.thetaDot).toBeCloseTo(-12 / 41, 14)
    expect(s.t).toBe(1)
    const left = integrate(at(0, 0, 0, 0), 0)
    expect(left.xDot).toBeCloseTo(-8 / 41, 14)
    expect(left.thetaDot).toBeCloseTo(12 / 41, 14)
  })

  it('a horizontal pole pushed left: by hand, θ̈ = 1.5 g and ẍ = −100/11', () => {
    // θ = π/2: cos θ = 0, sin θ = 1, θ̇ = 0. tmp = −10 / 1.1 = −100/11.
    // θ̈ = (9.8 · 1 − 0) / (0.5 · (4/3 − 0)) = 9.8 · 1.5 = 14.7; ẍ = tmp − 0 = −100/11.
    // Euler: x = 1 + 0.02 · 0.5 = 1.01, ẋ = 0.5 − 0.02 · 100/11 = 0.5 − 2/11, θ̇ = 0.294.
    const s = integrate(at(1, 0.5, Math.PI / 2, 0), 0)
    expect(s.x).toBeCloseTo(1.01, 14)
    expect(s.xDot).toBeCloseTo(0.5 - 2 / 11, 14)
    expect(s.theta).toBeCloseTo(Math.PI / 2, 14)
    expect(s.thetaDot).toBeCloseTo(0.294, 14)
  })

  it('a general state agrees with Gym’s formulas evaluated independently (Python, float64)', () => {
    const s = integrate(at(0.1, 0.5, -0.15, -0.8), 1)
    expect(s.x).toBeCloseTo(0.11, 14)
    expect(s.xDot).toBeCloseTo(0.6968261196649532, 14)
    expect(s.theta).toBeCloseTo(-0.166, 14)
    expect(s.thetaDot).toBeCloseTo(-1.1358587727078644, 14)
  })
})

describe('cart-pole episodes', () => {
  const env = cartPole({ maxSteps: 200 })

  it('reset draws each variable in [-0.05, 0.05), the same for the same key', () => {
    const [k1, k2] = split(key(7)) as [Key, Key]
    const s = env.reset(k1)
    for (const v of env.observe(s)) expect(Math.abs(v)).toBeLessThanOrEqual(0.05)
    expect(s.t).toBe(0)
    expect(env.reset(k1)).toEqual(s)
    expect(env.reset(k2)).not.toEqual(s)
  })

  it('gives reward 1 per step and ends when the pole passes 12 degrees', () => {
    const limit = physics.thetaThreshold
    // θ̇ = 1 rad/s moves θ by τ · 1 = 0.02 this step, so this start crosses the limit now.
    const over = env.step(at(0, 0, limit - 0.01, 1), 1)
    expect(over).toMatchObject({ reward: 1, terminated: true, truncated: false })
    expect(over.state.done).toBe(true)
    const under = env.step(at(0, 0, limit - 0.03, 1), 1)
    expect(under).toMatchObject({ reward: 1, terminated: false })
    expect(under.state.done).toBe(false)
  })

  it('ends when the cart leaves the track (|x| > 2.4)', () => {
    expect(env.step(at(-2.39, -1, 0, 0), 0).terminated).toBe(true)
    expect(env.step(at(-2.37, -1, 0, 0), 0).terminated).toBe(false)
  })

  it('is cut off at the step cap, and stepping an ended episode is an error', () => {
    const last = env.step(at(0, 0, 0, 0, 199), 1)
    expect(last).toMatchObject({ terminated: false, truncated: true })
    expect(last.state.done).toBe(true)
    expect(last.state.t).toBe(200)
    expect(() => env.step(last.state, 0)).toThrow(/ended after 200 steps/)
    expect(cartPole().maxSteps).toBe(500)
  })

  it('does not mutate the state it is given', () => {
    const s = Object.freeze(at(0.01, 0.02, 0.03, 0.04))
    env.step(s, 0)
    expect(s).toEqual(at(0.01, 0.02, 0.03, 0.04))
  })

  it('a uniformly random policy balances about 22 steps, as in Gym', () => {
    // an independent check of the dynamics and the thresholds taken together: Gym's CartPole
    // under uniformly random actions averages about 22 steps per episode
    const v1 = cartPole()
    const lengths = Array.from({ length: 500 }, (_, e) => {
      const [resetKey, actionKey] = split(foldIn(key(1), e)) as [Key, Key]
      const u = uniform(actionKey, [v1.maxSteps]).data
      let s = v1.reset(resetKey)
      while (!s.done) s = v1.step(s, u[s.t]! < 0.5 ? 0 : 1).state
      return s.t
    })
    const mean = lengths.reduce((a, b) => a + b, 0) / lengths.length
    expect(mean).toBeGreaterThan(19)
    expect(mean).toBeLessThan(25)
  })
})
