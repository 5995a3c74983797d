/**
 * CartPole-v1 (Barto, Sutton & Anderson 1983, as Gymnasium has it): a pole hinged on a cart that
 * moves along a frictionless track; each step pushes the cart left (action 0) or right (1) with a
 * force of 10 N. Reward 1 on every step, the last included. Terminated when |x| > 2.4 or
 * |θ| > 12°; truncated at 500 steps (CartPole-v0: 200). Explicit Euler integration with
 * τ = 0.02 s, positions moved with the old velocities (Gymnasium's default 'euler').
 */
import { type Key, uniform } from '../random/index.js'
import { type DiscreteSpace, type Environment, type EpisodeClock, environment } from './Environment.js'

/**
 * Gymnasium's constants of CartPole. @category environments
 * @example
 * ```ts
 * rl.cartPolePhysics.tau // 0.02 s a step
 * ```
 */
export const cartPolePhysics = Object.freeze({
  gravity: 9.8,
  cartMass: 1.0,
  poleMass: 0.1,
  /** Half the pole's length, m. */
  halfLength: 0.5,
  forceMagnitude: 10.0,
  tau: 0.02,
  xThreshold: 2.4,
  thetaThreshold: (12 * 2 * Math.PI) / 360,
})

/**
 * Cart position, velocity, pole angle (0 = upright), angular velocity. @category environments
 * @example
 * ```ts
 * const s: rl.CartPoleState = rl.cartPole().reset(random.key(0))
 * ```
 */
export interface CartPoleState extends EpisodeClock {
  readonly x: number
  readonly xDot: number
  readonly theta: number
  readonly thetaDot: number
}

type Physical = Omit<CartPoleState, keyof EpisodeClock>

/**
 * θ̈ = (g sin θ − cos θ · tmp) / (l (4/3 − m_p cos² θ / (m_c + m_p))),
 * tmp = (F + m_p l θ̇² sin θ) / (m_c + m_p),  ẍ = tmp − m_p l θ̈ cos θ / (m_c + m_p).
 */
const integrate = (s: Physical, action: number): Physical => {
  const { gravity, cartMass, poleMass, halfLength, forceMagnitude, tau } = cartPolePhysics
  const totalMass = cartMass + poleMass
  const poleMassLength = poleMass * halfLength
  const force = action === 1 ? forceMagnitude : -forceMagnitude
  const cos = Math.cos(s.theta)
  const sin = Math.sin(s.theta)
  const tmp = (force + poleMassLength * s.thetaDot * s.thetaDot * sin) / totalMass
  const thetaAcc = (gravity * sin - cos * tmp) / (halfLength * (4 / 3 - (poleMass * cos * cos) / totalMass))
  const xAcc = tmp - (poleMassLength * thetaAcc * cos) / totalMass
  return { x: s.x + tau * s.xDot, xDot: s.xDot + tau * xAcc, theta: s.theta + tau * s.thetaDot, thetaDot: s.thetaDot + tau * thetaAcc }
}

/**
 * Options of `cartPole`. @category environments
 * @example
 * ```ts
 * const options: rl.CartPoleOptions = { maxSteps: 200 }
 * rl.cartPole(options)
 * ```
 */
export interface CartPoleOptions {
  /** The step cap (default 500, CartPole-v1; 200 is CartPole-v0). */
  readonly maxSteps?: number
}

/**
 * CartPole-v1: observation [x, ẋ, θ, θ̇], actions 0 (push left) and 1 (push right), reset uniform
 * in [-0.05, 0.05) for each variable.
 * @example
 * ```ts
 * const env = rl.cartPole()
 * const { state, reward } = env.step(env.reset(random.key(0)), 1)
 * ```
 * @category environments
 */
export const cartPole = (options: CartPoleOptions = {}): Environment<CartPoleState, DiscreteSpace> => {
  const maxSteps = options.maxSteps ?? 500
  const { xThreshold, thetaThreshold } = cartPolePhysics
  return environment<Physical, DiscreteSpace>({
    name: maxSteps === 500 ? 'CartPole-v1' : `CartPole(maxSteps ${maxSteps})`,
    maxSteps,
    observationSize: 4,
    actionSpace: Object.freeze({ kind: 'discrete', n: 2 }),
    reset: (key: Key) => {
      const u = uniform(key, [4], { dtype: 'float64', min: -0.05, max: 0.05 }).data
      return { x: u[0]!, xDot: u[1]!, theta: u[2]!, thetaDot: u[3]! }
    },
    step: (s, action) => {
      const state = integrate(s, action)
      const terminated = Math.abs(state.x) > xThreshold || Math.abs(state.theta) > thetaThreshold
      return { state, reward: 1, terminated }
    },
    observe: (s) => [s.x, s.xDot, s.theta, s.thetaDot],
  })
}
