/**
 * The cart-pole environment (Barto, Sutton & Anderson 1983) as pure functions, with the constants,
 * equations and termination rule of OpenAI Gym's CartPole: a pole hinged on a cart that moves
 * along a frictionless track; each step pushes the cart left or right with a fixed force.
 *
 * Contract:
 * 1. `reset(key)` is pure: the same key gives the same state, each of the four variables uniform
 *    in [-0.05, 0.05).
 * 2. `step(state, action)` is pure and never mutates `state`: Euler integration over `tau`
 *    seconds, reward 1 on every step (the last one included, as in Gym).
 * 3. An episode ends (`terminated`) when |x| > 2.4 or |θ| > 12°, or is cut off (`truncated`) when
 *    it reaches `maxSteps` steps (500 for CartPole-v1, 200 for v0); stepping an ended episode is
 *    an error.
 *
 * The state holds plain float64 numbers, as Gym's does internally; the observation handed to a
 * network is `[x, ẋ, θ, θ̇]`.
 */
import { random } from 'purenet'

type Key = random.Key
const { uniform } = random

/** The physical constants (Gym's values). @category model */
export const physics = Object.freeze({
  gravity: 9.8,
  cartMass: 1.0,
  poleMass: 0.1,
  /** Half the pole's length, m: the distance from the hinge to the pole's centre of mass. */
  halfLength: 0.5,
  forceMagnitude: 10.0,
  /** Seconds between steps. */
  tau: 0.02,
  xThreshold: 2.4,
  thetaThreshold: (12 * 2 * Math.PI) / 360,
})

/** The state of one episode: position, velocity, angle (0 = upright, radians), angular velocity, steps taken. @category model */
export interface CartPoleState {
  readonly x: number
  readonly xDot: number
  readonly theta: number
  readonly thetaDot: number
  /** Steps taken in this episode: the step cap makes the episode's length part of its state. */
  readonly t: number
  readonly done: boolean
}

/** An action: 0 pushes the cart left, 1 pushes it right. @category model */
export type Action = 0 | 1

/** What one step returns. @category model */
export interface Transition {
  readonly state: CartPoleState
  readonly reward: number
  /** `terminated || truncated`: the episode is over. */
  readonly done: boolean
  /** The pole fell or the cart left the track. */
  readonly terminated: boolean
  /** The step cap was reached with the pole still up. */
  readonly truncated: boolean
}

/** An environment as a pair of pure functions. @category model */
export interface Environment {
  readonly name: string
  readonly maxSteps: number
  readonly reset: (key: Key) => CartPoleState
  readonly step: (state: CartPoleState, action: Action) => Transition
}

/** The network's view of a state: `[x, ẋ, θ, θ̇]`. @category destructors */
export const observation = (s: CartPoleState): readonly [number, number, number, number] => [s.x, s.xDot, s.theta, s.thetaDot]

/**
 * The equations of motion (Florian 2007's correction of Barto et al., as Gym has them) and one
 * explicit Euler step. Exported for the unit tests, which check it against hand-computed values.
 * θ̈ = (g sin θ − cos θ · tmp) / (l (4/3 − m_p cos² θ / (m_c + m_p))),
 * tmp = (F + m_p l θ̇² sin θ) / (m_c + m_p),  ẍ = tmp − m_p l θ̈ cos θ / (m_c + m_p).
 * @category physics
 */
export const integrate = (s: CartPoleState, action: Action): CartPoleState => {
  const { gravity, cartMass, poleMass, halfLength, forceMagnitude, tau } = physics
  const totalMass = cartMass + poleMass
  const poleMassLength = poleMass * halfLength
  const force = action === 1 ? forceMagnitude : -forceMagnitude
  const cos = Math.cos(s.theta)
  const sin = Math.sin(s.theta)
  const tmp = (force + poleMassLength * s.thetaDot * s.thetaDot * sin) / totalMass
  const thetaAcc = (gravity * sin - cos * tmp) / (halfLength * (4 / 3 - (poleMass * cos * cos) / totalMass))
  const xAcc = tmp - (poleMassLength * thetaAcc * cos) / totalMass
  // Gym's default 'euler' integrator: positions move with the old velocities.
  return {
    x: s.x + tau * s.xDot,
    xDot: s.xDot + tau * xAcc,
    theta: s.theta + tau * s.thetaDot,
    thetaDot: s.thetaDot + tau * thetaAcc,
    t: s.t + 1,
    done: false,
  }
}

/** Options of `cartPole`. @category constructors */
export interface CartPoleOptions {
  /** The step cap (default 500, CartPole-v1; 200 is CartPole-v0). */
  readonly maxSteps?: number
}

/**
 * The cart-pole environment with a step cap: `reset(key)` draws the four variables uniformly in
 * [-0.05, 0.05); `step(state, action)` integrates one step and reports reward 1 and whether the
 * episode ended.
 * @example const env = cartPole({ maxSteps: 200 }); const { state, reward, done } = env.step(env.reset(key), 1)
 * @category constructors
 */
export const cartPole = (options: CartPoleOptions = {}): Environment => {
  const maxSteps = options.maxSteps ?? 500
  if (!Number.isInteger(maxSteps) || maxSteps <= 0) throw new RangeError(`cartPole: maxSteps must be a positive integer, got ${maxSteps}`)
  const reset = (key: Key): CartPoleState => {
    const u = uniform(key, [4], { dtype: 'float64', min: -0.05, max: 0.05 }).data
    return Object.freeze({ x: u[0]!, xDot: u[1]!, theta: u[2]!, thetaDot: u[3]!, t: 0, done: false })
  }
  const step = (state: CartPoleState, action: Action): Transition => {
    if (state.done) throw new RangeError(`cartPole.step: the episode ended after ${state.t} steps; call reset(key) to start a new one`)
    if (action !== 0 && action !== 1) throw new RangeError(`cartPole.step: the action must be 0 (push left) or 1 (push right), got ${String(action)}`)
    const next = integrate(state, action)
    const terminated = Math.abs(next.x) > physics.xThreshold || Math.abs(next.theta) > physics.thetaThreshold
    const truncated = !terminated && next.t >= maxSteps
    const done = terminated || truncated
    return Object.freeze({ state: Object.freeze({ ...next, done }), reward: 1, done, terminated, truncated })
  }
  return Object.freeze({ name: `cartPole(maxSteps ${maxSteps})`, maxSteps, reset, step })
}
