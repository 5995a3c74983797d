/**
 * Pendulum-v1 (as Gymnasium has it): swing a frictionless pendulum up and hold it upright with a
 * torque u ∈ [−2, 2]. Never terminates; truncated at 200 steps. With θ = 0 upright and
 * angle_normalize(θ) = ((θ + π) mod 2π) − π:
 *   reward = −(angle_normalize(θ)² + 0.1 θ̇² + 0.001 u²)        (from the state before the step)
 *   θ̇ ← clip(θ̇ + (3g/(2l) sin θ + 3/(m l²) u) dt, −8, 8),  θ ← θ + θ̇ dt   (semi-implicit Euler)
 * with g = 10, m = 1, l = 1, dt = 0.05.
 */
import { type Key, uniform } from '../random/index.js'
import { type BoxSpace, type Environment, type EpisodeClock, environment } from './Environment.js'

/**
 * Gymnasium's constants of Pendulum. @category environments
 * @example
 * ```ts
 * rl.pendulumPhysics.maxTorque // 2
 * ```
 */
export const pendulumPhysics = Object.freeze({ maxSpeed: 8, maxTorque: 2, dt: 0.05, gravity: 10, mass: 1, length: 1 })

/**
 * Angle (0 = upright, unbounded) and angular velocity. @category environments
 * @example
 * ```ts
 * const s: rl.PendulumState = rl.pendulum().reset(random.key(0))
 * ```
 */
export interface PendulumState extends EpisodeClock {
  readonly theta: number
  readonly thetaDot: number
}

type Physical = Omit<PendulumState, keyof EpisodeClock>

const clip = (x: number, lo: number, hi: number): number => Math.min(Math.max(x, lo), hi)

/**
 * ((x + π) mod 2π) − π with a floored modulo, as Python's `%`. @category environments
 * @example
 * ```ts
 * rl.angleNormalize(3 * Math.PI) // -π, the same angle in [-π, π)
 * ```
 */
export const angleNormalize = (x: number): number => {
  const m = (x + Math.PI) % (2 * Math.PI)
  return (m < 0 ? m + 2 * Math.PI : m) - Math.PI
}

/**
 * Pendulum-v1: observation [cos θ, sin θ, θ̇], one continuous action (the torque, clipped to
 * [−2, 2]), reset θ uniform in [−π, π) and θ̇ in [−1, 1).
 * @example
 * ```ts
 * const env = rl.pendulum()
 * const { state, reward } = env.step(env.reset(random.key(0)), [0.5]) // a torque of 0.5
 * ```
 * @category environments
 */
export const pendulum = (options: { readonly maxSteps?: number } = {}): Environment<PendulumState, BoxSpace> => {
  const { maxSpeed, maxTorque, dt, gravity: g, mass: m, length: l } = pendulumPhysics
  return environment<Physical, BoxSpace>({
    name: 'Pendulum-v1',
    maxSteps: options.maxSteps ?? 200,
    observationSize: 3,
    actionSpace: Object.freeze({ kind: 'box', size: 1, low: Object.freeze([-maxTorque]), high: Object.freeze([maxTorque]) }),
    reset: (key: Key) => {
      const u = uniform(key, [2], { dtype: 'float64', min: -1, max: 1 }).data
      return { theta: Math.PI * u[0]!, thetaDot: u[1]! }
    },
    step: (s, action) => {
      const u = clip(action[0]!, -maxTorque, maxTorque)
      const cost = angleNormalize(s.theta) ** 2 + 0.1 * s.thetaDot ** 2 + 0.001 * u ** 2
      const thetaDot = clip(s.thetaDot + ((3 * g) / (2 * l) * Math.sin(s.theta) + (3 / (m * l * l)) * u) * dt, -maxSpeed, maxSpeed)
      return { state: { theta: s.theta + thetaDot * dt, thetaDot }, reward: -cost, terminated: false }
    },
    observe: (s) => [Math.cos(s.theta), Math.sin(s.theta), s.thetaDot],
  })
}
