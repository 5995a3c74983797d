/**
 * Acrobot-v1 (Sutton 1996; the dynamics of Sutton & Barto's book, as Gymnasium has them): two
 * links hanging from a fixed joint, torque applied at the joint between them. Actions 0, 1, 2
 * apply torque −1, 0, +1. Reward −1 per step, 0 on the terminal one; terminated when the free
 * end rises above the bar, −cos θ₁ − cos(θ₁ + θ₂) > 1; truncated at 500 steps. One step
 * integrates the equations over dt = 0.2 s with one classical Runge-Kutta (RK4) step, then wraps
 * the angles into [−π, π] and clips the velocities to ±4π and ±9π.
 */
import { type Key, uniform } from '../random/index.js'
import { type DiscreteSpace, type Environment, type EpisodeClock, environment } from './Environment.js'

/**
 * Gymnasium's constants of Acrobot. @category environments
 * @example
 * ```ts
 * rl.acrobotPhysics.dt // 0.2 s a step
 * ```
 */
export const acrobotPhysics = Object.freeze({
  dt: 0.2,
  linkLength1: 1.0,
  linkMass1: 1.0,
  linkMass2: 1.0,
  linkCenterOfMass1: 0.5,
  linkCenterOfMass2: 0.5,
  linkMomentOfInertia: 1.0,
  maxVelocity1: 4 * Math.PI,
  maxVelocity2: 9 * Math.PI,
  torques: Object.freeze([-1, 0, 1]),
  gravity: 9.8,
})

/**
 * The two joint angles (0 = hanging down) and their velocities. @category environments
 * @example
 * ```ts
 * const s: rl.AcrobotState = rl.acrobot().reset(random.key(0))
 * ```
 */
export interface AcrobotState extends EpisodeClock {
  readonly theta1: number
  readonly theta2: number
  readonly dtheta1: number
  readonly dtheta2: number
}

type Physical = Omit<AcrobotState, keyof EpisodeClock>
type Vector = readonly [number, number, number, number]

/** The time derivative of [θ₁, θ₂, θ̇₁, θ̇₂] under torque `a` (the book's equations). */
const derivative = (s: Vector, a: number): Vector => {
  const { linkMass1: m1, linkMass2: m2, linkLength1: l1, linkCenterOfMass1: lc1, linkCenterOfMass2: lc2, linkMomentOfInertia: inertia, gravity: g } = acrobotPhysics
  const [theta1, theta2, dtheta1, dtheta2] = s
  const d1 = m1 * lc1 ** 2 + m2 * (l1 ** 2 + lc2 ** 2 + 2 * l1 * lc2 * Math.cos(theta2)) + 2 * inertia
  const d2 = m2 * (lc2 ** 2 + l1 * lc2 * Math.cos(theta2)) + inertia
  const phi2 = m2 * lc2 * g * Math.cos(theta1 + theta2 - Math.PI / 2)
  const phi1 = -m2 * l1 * lc2 * dtheta2 ** 2 * Math.sin(theta2) - 2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * Math.sin(theta2)
    + (m1 * lc1 + m2 * l1) * g * Math.cos(theta1 - Math.PI / 2) + phi2
  const ddtheta2 = (a + (d2 / d1) * phi1 - m2 * l1 * lc2 * dtheta1 ** 2 * Math.sin(theta2) - phi2) / (m2 * lc2 ** 2 + inertia - d2 ** 2 / d1)
  const ddtheta1 = -(d2 * ddtheta2 + phi1) / d1
  return [dtheta1, dtheta2, ddtheta1, ddtheta2]
}

const axpy = (y: Vector, h: number, k: Vector): Vector => [y[0] + h * k[0], y[1] + h * k[1], y[2] + h * k[2], y[3] + h * k[3]]

/** Wraps x into [lo, hi] by whole periods, as Gymnasium's `wrap`. */
const wrap = (x: number, lo: number, hi: number): number => {
  const period = hi - lo
  let y = x
  while (y > hi) y -= period
  while (y < lo) y += period
  return y
}

const clip = (x: number, lo: number, hi: number): number => Math.min(Math.max(x, lo), hi)

/**
 * Acrobot-v1: observation [cos θ₁, sin θ₁, cos θ₂, sin θ₂, θ̇₁, θ̇₂], reset with each of the four
 * variables uniform in [−0.1, 0.1).
 * @example
 * ```ts
 * const env = rl.acrobot()
 * const s = env.reset(random.key(0))
 * ```
 * @category environments
 */
export const acrobot = (options: { readonly maxSteps?: number } = {}): Environment<AcrobotState, DiscreteSpace> => {
  const { dt, torques, maxVelocity1, maxVelocity2 } = acrobotPhysics
  return environment<Physical, DiscreteSpace>({
    name: 'Acrobot-v1',
    maxSteps: options.maxSteps ?? 500,
    observationSize: 6,
    actionSpace: Object.freeze({ kind: 'discrete', n: 3 }),
    reset: (key: Key) => {
      const u = uniform(key, [4], { dtype: 'float64', min: -0.1, max: 0.1 }).data
      return { theta1: u[0]!, theta2: u[1]!, dtheta1: u[2]!, dtheta2: u[3]! }
    },
    step: (s, action) => {
      const a = torques[action]!
      const y: Vector = [s.theta1, s.theta2, s.dtheta1, s.dtheta2]
      const k1 = derivative(y, a)
      const k2 = derivative(axpy(y, dt / 2, k1), a)
      const k3 = derivative(axpy(y, dt / 2, k2), a)
      const k4 = derivative(axpy(y, dt, k3), a)
      const n = y.map((v, i) => v + (dt / 6) * (k1[i]! + 2 * k2[i]! + 2 * k3[i]! + k4[i]!))
      const state = {
        theta1: wrap(n[0]!, -Math.PI, Math.PI),
        theta2: wrap(n[1]!, -Math.PI, Math.PI),
        dtheta1: clip(n[2]!, -maxVelocity1, maxVelocity1),
        dtheta2: clip(n[3]!, -maxVelocity2, maxVelocity2),
      }
      const terminated = -Math.cos(state.theta1) - Math.cos(state.theta2 + state.theta1) > 1
      return { state, reward: terminated ? 0 : -1, terminated }
    },
    observe: (s) => [Math.cos(s.theta1), Math.sin(s.theta1), Math.cos(s.theta2), Math.sin(s.theta2), s.dtheta1, s.dtheta2],
  })
}
