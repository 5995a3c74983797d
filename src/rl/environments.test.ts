/**
 * Each environment against a reference written here from Gymnasium's published equations, in
 * another form than the implementation's (Acrobot's mass matrix solved by Cramer's rule,
 * cos(θ − π/2) as sin θ, ...), over a fixed action sequence; plus steps worked out by hand, the
 * limits, termination and truncation rules.
 */
import { describe, expect, it } from 'vitest'
import { key, foldIn } from '../random/index.js'
import { acrobot } from './acrobot.js'
import { cartPole } from './cartPole.js'
import type { ActionOf, BoxSpace, DiscreteSpace, Environment, EpisodeClock } from './Environment.js'
import { mountainCar } from './mountainCar.js'
import { angleNormalize, pendulum } from './pendulum.js'

/** Steps `env` from `start` through `actions` (stopping at the end of the episode), returning the states' observations and the rewards. */
const play = <S extends EpisodeClock, Space extends DiscreteSpace | BoxSpace>(env: Environment<S, Space>, start: S, actions: ReadonlyArray<ActionOf<Space>>) => {
  let s = start
  const trajectory: { obs: ReadonlyArray<number>; reward: number; terminated: boolean; truncated: boolean }[] = []
  for (const a of actions) {
    const tr = env.step(s, a)
    trajectory.push({ obs: env.observe(tr.state), reward: tr.reward, terminated: tr.terminated, truncated: tr.truncated })
    s = tr.state
    if (s.done) break
  }
  return trajectory
}

const close = (a: ReadonlyArray<number>, b: ReadonlyArray<number>, tolerance: number): void => {
  expect(a.length).toBe(b.length)
  a.forEach((x, i) => expect(Math.abs(x - b[i]!), `element ${i}: ${x} vs ${b[i]}`).toBeLessThanOrEqual(tolerance))
}

// a deterministic action pattern that is not periodic in any short period
const pattern = (n: number, k: number): number[] => Array.from({ length: n }, (_, i) => Math.floor(i * 0.618034 * k + (i * i) % 7 / 7 * k) % k)

describe('CartPole-v1', () => {
  // Gymnasium's cartpole.py, written out in float64: semi-explicit Euler on the Florian (2007) equations
  const reference = (s0: number[], actions: number[]) => {
    let [x, v, th, w] = s0 as [number, number, number, number]
    const out: number[][] = []
    for (const a of actions) {
      const f = a === 1 ? 10 : -10
      const temp = (f + 0.05 * w * w * Math.sin(th)) / 1.1
      const thacc = (9.8 * Math.sin(th) - Math.cos(th) * temp) / (0.5 * (4 / 3 - (0.1 * Math.cos(th) ** 2) / 1.1))
      const xacc = temp - (0.05 * thacc * Math.cos(th)) / 1.1
      ;[x, v, th, w] = [x + 0.02 * v, v + 0.02 * xacc, th + 0.02 * w, w + 0.02 * thacc]
      out.push([x, v, th, w])
      if (Math.abs(x) > 2.4 || Math.abs(th) > (12 * 2 * Math.PI) / 360) break
    }
    return out
  }

  it('a push right from rest: ẍ = 400/41 and θ̈ = −600/41 by hand', () => {
    const env = cartPole()
    const start = { ...env.reset(key(0)), x: 0, xDot: 0, theta: 0, thetaDot: 0 }
    // θ = 0: tmp = 10/1.1, θ̈ = −tmp / (0.5 (4/3 − 0.1/1.1)) = −600/41, ẍ = tmp − 0.05 θ̈ / 1.1 = 400/41
    const tr = env.step(start, 1)
    close(env.observe(tr.state), [0, 0.02 * 400 / 41, 0, -0.02 * 600 / 41], 1e-15)
    expect(tr.reward).toBe(1)
  })

  it('follows the reference over a fixed action sequence until the pole falls', () => {
    const env = cartPole()
    const start = env.reset(key(7))
    const actions = pattern(200, 2)
    const got = play(env, start, actions)
    const want = reference(env.observe(start) as number[], actions)
    expect(got.length).toBe(want.length)
    got.forEach((g, i) => close(g.obs, want[i]!, 1e-12))
    expect(got.at(-1)!.terminated).toBe(true)
  })

  it('resets uniformly in [−0.05, 0.05), terminates past 12° or 2.4 m, truncates at 500 steps', () => {
    const env = cartPole()
    for (let i = 0; i < 20; i++) for (const v of env.observe(env.reset(foldIn(key(1), i)))) expect(Math.abs(v)).toBeLessThanOrEqual(0.05)
    const tilted = { ...env.reset(key(0)), x: 0, xDot: 0, theta: 0.2094, thetaDot: 0.1 }
    expect(env.step(tilted, 1).terminated).toBe(true)
    const late = { ...env.reset(key(0)), x: 0, xDot: 0, theta: 0, thetaDot: 0, t: 499 }
    const last = env.step(late, 1)
    expect([last.truncated, last.terminated, last.state.done, last.state.t]).toEqual([true, false, true, 500])
    expect(() => env.step(last.state, 0)).toThrow(/episode ended after 500 steps/)
    expect(() => env.step(env.reset(key(0)), 2)).toThrow(/CartPole-v1.step: the action must be an integer in \[0, 2\)/)
  })
})

describe('Acrobot-v1', () => {
  // the two-link equations as a mass matrix M(q) q̈ = τ e₂ − h − φ, solved by Cramer's rule
  const accelerations = (q: readonly number[], torque: number): [number, number] => {
    const [t1, t2, w1, w2] = q as [number, number, number, number]
    const g = 9.8
    const m11 = 0.25 + (1 + 0.25 + Math.cos(t2)) + 2 // m1 lc1² + m2 (l1² + lc2² + 2 l1 lc2 cos θ₂) + I1 + I2
    const m12 = 0.25 + 0.5 * Math.cos(t2) + 1
    const m22 = 0.25 + 1
    const phi2 = 0.5 * g * Math.sin(t1 + t2) // cos(θ₁ + θ₂ − π/2) = sin(θ₁ + θ₂)
    const r1 = -(-0.5 * Math.sin(t2) * w2 * w2 - Math.sin(t2) * w2 * w1 + 1.5 * g * Math.sin(t1) + phi2)
    const r2 = torque - (0.5 * Math.sin(t2) * w1 * w1 + phi2)
    const det = m11 * m22 - m12 * m12
    return [(r1 * m22 - m12 * r2) / det, (m11 * r2 - m12 * r1) / det]
  }
  const derivative = (q: readonly number[], torque: number): number[] => [q[2]!, q[3]!, ...accelerations(q, torque)]
  const reference = (s0: number[], actions: number[]) => {
    let q = s0
    const out: number[][] = []
    for (const a of actions) {
      const tau = a - 1
      const h = 0.2
      const k1 = derivative(q, tau)
      const k2 = derivative(q.map((v, i) => v + (h / 2) * k1[i]!), tau)
      const k3 = derivative(q.map((v, i) => v + (h / 2) * k2[i]!), tau)
      const k4 = derivative(q.map((v, i) => v + h * k3[i]!), tau)
      const n = q.map((v, i) => v + (h / 6) * (k1[i]! + 2 * k2[i]! + 2 * k3[i]! + k4[i]!))
      const wrapped = (x: number) => x - 2 * Math.PI * Math.round(x / (2 * Math.PI))
      q = [wrapped(n[0]!), wrapped(n[1]!), Math.max(-4 * Math.PI, Math.min(4 * Math.PI, n[2]!)), Math.max(-9 * Math.PI, Math.min(9 * Math.PI, n[3]!))]
      out.push([Math.cos(q[0]!), Math.sin(q[0]!), Math.cos(q[1]!), Math.sin(q[1]!), q[2]!, q[3]!])
    }
    return out
  }

  it('follows the reference over a fixed action sequence', () => {
    const env = acrobot()
    const start = env.reset(key(3))
    const actions = pattern(120, 3)
    const got = play(env, start, actions)
    const want = reference([start.theta1, start.theta2, start.dtheta1, start.dtheta2], actions)
    got.forEach((g, i) => close(g.obs, want[i]!, 1e-9))
    expect(got.length).toBe(120)
    for (const g of got) expect(g.reward).toBe(g.terminated ? 0 : -1)
  })

  it('hanging still with no torque stays still; the tip above the bar terminates with reward 0', () => {
    const env = acrobot()
    const rest = { ...env.reset(key(0)), theta1: 0, theta2: 0, dtheta1: 0, dtheta2: 0 }
    close(env.observe(env.step(rest, 1).state), [1, 0, 1, 0, 0, 0], 1e-15)
    // the tip starts above the bar (both links nearly upright): the step ends the episode with reward 0
    const up = env.step({ ...rest, theta1: Math.PI - 0.01 }, 1)
    expect([up.terminated, up.truncated, up.reward, up.state.done]).toEqual([true, false, 0, true])
    expect(-Math.cos(up.state.theta1) - Math.cos(up.state.theta1 + up.state.theta2)).toBeGreaterThan(1)
    expect(env.maxSteps).toBe(500)
  })

  it('resets in [−0.1, 0.1) and wraps angles into [−π, π]', () => {
    const env = acrobot()
    const s = env.reset(key(9))
    for (const v of [s.theta1, s.theta2, s.dtheta1, s.dtheta2]) expect(Math.abs(v)).toBeLessThanOrEqual(0.1)
    const spinning = { ...s, theta1: 3.1, theta2: -3.1, dtheta1: 3, dtheta2: -3 }
    const next = env.step(spinning, 1).state
    for (const v of [next.theta1, next.theta2]) expect(Math.abs(v)).toBeLessThanOrEqual(Math.PI)
  })
})

describe('MountainCar-v0', () => {
  it('steps by hand: v ← v + (a − 1)·0.001 − 0.0025 cos 3x, x ← x + v', () => {
    const env = mountainCar()
    const start = { ...env.reset(key(0)), position: -0.5, velocity: 0 }
    const tr = env.step(start, 2)
    const v = 0.001 - 0.0025 * Math.cos(-1.5)
    close(env.observe(tr.state), [-0.5 + v, v], 1e-17)
    expect([tr.reward, tr.terminated]).toEqual([-1, false])
  })

  it('follows the reference over a fixed action sequence, truncated at 200 steps', () => {
    const env = mountainCar()
    const start = env.reset(key(11))
    const actions = pattern(250, 3)
    const got = play(env, start, actions)
    let [x, v] = [start.position, start.velocity]
    const want = actions.slice(0, 200).map((a) => {
      v = Math.max(-0.07, Math.min(0.07, v + (a - 1) * 0.001 + Math.cos(3 * x) * -0.0025))
      x = Math.max(-1.2, Math.min(0.6, x + v))
      if (x === -1.2 && v < 0) v = 0
      return [x, v]
    })
    expect(got.length).toBe(200)
    got.forEach((g, i) => close(g.obs, want[i]!, 0))
    expect([got[199]!.truncated, got[199]!.terminated]).toEqual([true, false])
    expect(start.position >= -0.6 && start.position < -0.4 && start.velocity === 0).toBe(true)
  })

  it('stops at the left wall and terminates at the flag', () => {
    const env = mountainCar()
    const base = env.reset(key(0))
    const wall = env.step({ ...base, position: -1.19, velocity: -0.05 }, 0).state
    expect([wall.position, wall.velocity]).toEqual([-1.2, 0])
    const goal = env.step({ ...base, position: 0.49, velocity: 0.05 }, 2)
    expect([goal.terminated, goal.truncated, goal.reward]).toEqual([true, false, -1])
  })
})

describe('Pendulum-v1', () => {
  it('steps by hand: cost from the old state, semi-implicit Euler', () => {
    const env = pendulum()
    const start = { ...env.reset(key(0)), theta: Math.PI / 2, thetaDot: 1 }
    const tr = env.step(start, [1])
    // θ̇' = 1 + (15 sin(π/2) + 3·1)·0.05 = 1.9, θ' = π/2 + 1.9·0.05; reward −((π/2)² + 0.1 + 0.001)
    close(env.observe(tr.state), [Math.cos(Math.PI / 2 + 0.095), Math.sin(Math.PI / 2 + 0.095), 1.9], 1e-15)
    expect(tr.reward).toBeCloseTo(-((Math.PI / 2) ** 2 + 0.1 + 0.001), 14)
  })

  it('follows the reference over a fixed action sequence, clips torque and speed, truncates at 200 steps', () => {
    const env = pendulum()
    const start = env.reset(key(13))
    const actions = pattern(200, 9).map((a) => [a - 4]) // torques −4..4: beyond the limits on both sides
    const got = play(env, start, actions)
    let [th, w] = [start.theta, start.thetaDot]
    const want = actions.map(([a]) => {
      const u = Math.max(-2, Math.min(2, a!))
      let norm = th
      while (norm >= Math.PI) norm -= 2 * Math.PI
      while (norm < -Math.PI) norm += 2 * Math.PI
      const reward = -(norm * norm + 0.1 * w * w + 0.001 * u * u)
      w = Math.max(-8, Math.min(8, w + (15 * Math.sin(th) + 3 * u) * 0.05))
      th += w * 0.05
      return { obs: [Math.cos(th), Math.sin(th), w], reward }
    })
    expect(got.length).toBe(200)
    got.forEach((g, i) => {
      close(g.obs, want[i]!.obs, 1e-12)
      expect(Math.abs(g.reward - want[i]!.reward)).toBeLessThan(1e-12)
    })
    expect(got.slice(0, 199).every((g) => !g.terminated && !g.truncated)).toBe(true)
    expect(got[199]!.truncated).toBe(true)
    expect(Math.abs(start.theta) <= Math.PI && Math.abs(start.thetaDot) <= 1).toBe(true)
  })

  it('angleNormalize is the floored modulo into [−π, π)', () => {
    expect(angleNormalize(Math.PI)).toBeCloseTo(-Math.PI, 15)
    expect(angleNormalize(-3 * Math.PI / 2)).toBeCloseTo(Math.PI / 2, 15)
    expect(angleNormalize(0.5)).toBeCloseTo(0.5, 15)
    expect(() => pendulum().step(pendulum().reset(key(0)), [Number.NaN])).toThrow(/Pendulum-v1.step: the action must be 1 finite number/)
  })
})
