/**
 * MountainCar-v0 (Moore 1990, as Gymnasium has it): an under-powered car in a valley must rock
 * back and forth to reach the flag at x = 0.5 on the right hill. Actions 0 (accelerate left),
 * 1 (none), 2 (right); reward −1 on every step; terminated when x ≥ 0.5 (and v ≥ 0); truncated at
 * 200 steps.
 *   v ← clip(v + (a − 1)·0.001 − 0.0025·cos(3x), −0.07, 0.07),  x ← clip(x + v, −1.2, 0.6),
 *   and v ← 0 when x hits −1.2 moving left (the inelastic left wall).
 */
import { type Key, uniform } from '../random/index.js'
import { type DiscreteSpace, type Environment, type EpisodeClock, environment } from './Environment.js'

/**
 * Gymnasium's constants of MountainCar. @category environments
 * @example
 * ```ts
 * rl.mountainCarPhysics.goalPosition // 0.5
 * ```
 */
export const mountainCarPhysics = Object.freeze({
  minPosition: -1.2,
  maxPosition: 0.6,
  maxSpeed: 0.07,
  goalPosition: 0.5,
  goalVelocity: 0,
  force: 0.001,
  gravity: 0.0025,
})

/**
 * Position and velocity of the car. @category environments
 * @example
 * ```ts
 * const s: rl.MountainCarState = rl.mountainCar().reset(random.key(0))
 * ```
 */
export interface MountainCarState extends EpisodeClock {
  readonly position: number
  readonly velocity: number
}

type Physical = Omit<MountainCarState, keyof EpisodeClock>

const clip = (x: number, lo: number, hi: number): number => Math.min(Math.max(x, lo), hi)

/**
 * MountainCar-v0: observation [position, velocity], reset with position uniform in [−0.6, −0.4)
 * and velocity 0.
 * @example
 * ```ts
 * const env = rl.mountainCar()
 * const { state } = env.step(env.reset(random.key(0)), 2) // push right
 * ```
 * @category environments
 */
export const mountainCar = (options: { readonly maxSteps?: number } = {}): Environment<MountainCarState, DiscreteSpace> => {
  const { minPosition, maxPosition, maxSpeed, goalPosition, goalVelocity, force, gravity } = mountainCarPhysics
  return environment<Physical, DiscreteSpace>({
    name: 'MountainCar-v0',
    maxSteps: options.maxSteps ?? 200,
    observationSize: 2,
    actionSpace: Object.freeze({ kind: 'discrete', n: 3 }),
    reset: (key: Key) => ({ position: uniform(key, [1], { dtype: 'float64', min: -0.6, max: -0.4 }).data[0]!, velocity: 0 }),
    step: (s, action) => {
      let velocity = clip(s.velocity + (action - 1) * force + Math.cos(3 * s.position) * -gravity, -maxSpeed, maxSpeed)
      const position = clip(s.position + velocity, minPosition, maxPosition)
      if (position === minPosition && velocity < 0) velocity = 0
      return { state: { position, velocity }, reward: -1, terminated: position >= goalPosition && velocity >= goalVelocity }
    },
    observe: (s) => [s.position, s.velocity],
  })
}
