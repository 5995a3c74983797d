/**
 * An environment is a value: a pair of pure functions over an immutable state, in Gymnasium's
 * shape. `reset(key)` draws a first state; `step(state, action)` returns the next state, the
 * reward, and whether the episode ended by reaching a terminal state (`terminated`) or by the
 * step cap (`truncated`, Gymnasium's `TimeLimit`). Nothing is mutated: the same state and action
 * give the same transition, so a state can be kept, compared or stepped twice.
 *
 * Contract (every environment of this folder; checked in the environment tests):
 * 1. `reset` is pure in its key and returns a state with `t = 0` and `done = false`.
 * 2. `step` is pure, never mutates its arguments, counts `t`, and sets `done = terminated || truncated`;
 *    `truncated` is true only when the step cap is reached without termination.
 * 3. Stepping an ended episode, or an action outside the action space, throws a `RangeError` naming
 *    the environment.
 * 4. `observe(state)` is the network's view of the state (Gymnasium's observation), `observationSize` long.
 */
import type { Key } from '../random/index.js'

/**
 * Discrete actions `0 .. n - 1`. @category model
 * @example
 * ```ts
 * const space: rl.DiscreteSpace = { kind: 'discrete', n: 2 }
 * ```
 */
export interface DiscreteSpace {
  readonly kind: 'discrete'
  readonly n: number
}

/**
 * Continuous actions: vectors of `size` numbers in [low, high] (element-wise). @category model
 * @example
 * ```ts
 * const space: rl.BoxSpace = rl.pendulum().actionSpace
 * ```
 */
export interface BoxSpace {
  readonly kind: 'box'
  readonly size: number
  readonly low: ReadonlyArray<number>
  readonly high: ReadonlyArray<number>
}

/**
 * The action type of a space: an integer for a discrete space, a vector for a box. @category model
 * @example
 * ```ts
 * const push: rl.ActionOf<rl.DiscreteSpace> = 1
 * const torque: rl.ActionOf<rl.BoxSpace> = [0.5]
 * ```
 */
export type ActionOf<Space> = Space extends DiscreteSpace ? number : ReadonlyArray<number>

/**
 * What every environment state carries: the steps taken in the episode and whether it ended. @category model
 * @example
 * ```ts
 * const clock: rl.EpisodeClock = rl.cartPole().reset(random.key(0)) // every state counts its steps
 * ```
 */
export interface EpisodeClock {
  /** Steps taken in this episode (the step cap makes the length part of the state). */
  readonly t: number
  readonly done: boolean
}

/**
 * One step's outcome. @category model
 * @example
 * ```ts
 * const env = rl.cartPole()
 * const t: rl.Transition<rl.CartPoleState> = env.step(env.reset(random.key(0)), 0)
 * ```
 */
export interface Transition<S> {
  readonly state: S
  readonly reward: number
  /** A terminal state was reached (the pole fell, the goal was reached). */
  readonly terminated: boolean
  /** The step cap was reached before termination. */
  readonly truncated: boolean
}

/**
 * An environment as pure functions over immutable states. @category model
 * @example
 * ```ts
 * const env: rl.Environment<rl.CartPoleState, rl.DiscreteSpace> = rl.cartPole()
 * env.observe(env.reset(random.key(0))) // four numbers
 * ```
 */
export interface Environment<S extends EpisodeClock, Space extends DiscreteSpace | BoxSpace> {
  /** Gymnasium's id, e.g. 'CartPole-v1'. */
  readonly name: string
  /** The step cap (Gymnasium's `max_episode_steps`). */
  readonly maxSteps: number
  readonly observationSize: number
  readonly actionSpace: Space
  readonly reset: (key: Key) => S
  readonly step: (state: S, action: ActionOf<Space>) => Transition<S>
  readonly observe: (state: S) => ReadonlyArray<number>
}

/**
 * Any environment with discrete actions. @category model
 * @example
 * ```ts
 * const env: rl.DiscreteEnvironment<rl.CartPoleState> = rl.cartPole()
 * ```
 */
export type DiscreteEnvironment<S extends EpisodeClock = EpisodeClock> = Environment<S, DiscreteSpace>

/**
 * Any environment with continuous actions. @category model
 * @example
 * ```ts
 * const env: rl.BoxEnvironment<rl.PendulumState> = rl.pendulum()
 * ```
 */
export type BoxEnvironment<S extends EpisodeClock = EpisodeClock> = Environment<S, BoxSpace>

/**
 * The dynamics of an environment without the clock: what `environment` wraps. @category constructors
 * @example
 * ```ts
 * const dynamics: rl.Dynamics<{ readonly x: number }, rl.DiscreteSpace> = {
 *   name: 'walk', maxSteps: 20, observationSize: 1, actionSpace: { kind: 'discrete', n: 2 },
 *   reset: () => ({ x: 0 }),
 *   step: (s, action) => ({ state: { x: s.x + (action === 1 ? 1 : -1) }, reward: 0, terminated: false }),
 *   observe: (s) => [s.x],
 * }
 * const walk = rl.environment(dynamics)
 * ```
 */
export interface Dynamics<P, Space extends DiscreteSpace | BoxSpace> {
  readonly name: string
  readonly maxSteps: number
  readonly observationSize: number
  readonly actionSpace: Space
  readonly reset: (key: Key) => P
  /** The next physical state, the reward and whether it is terminal; `action` is already checked. */
  readonly step: (state: P, action: ActionOf<Space>) => { readonly state: P; readonly reward: number; readonly terminated: boolean }
  readonly observe: (state: P) => ReadonlyArray<number>
}

const checkAction = (name: string, space: DiscreteSpace | BoxSpace, action: unknown): void => {
  if (space.kind === 'discrete') {
    if (!(Number.isInteger(action) && (action as number) >= 0 && (action as number) < space.n)) {
      throw new RangeError(`${name}.step: the action must be an integer in [0, ${space.n}), got ${String(action)}`)
    }
  } else if (!(Array.isArray(action) || ArrayBuffer.isView(action)) || (action as ArrayLike<number>).length !== space.size
    || Array.from(action as ArrayLike<number>).some((a) => !Number.isFinite(a))) {
    throw new RangeError(`${name}.step: the action must be ${space.size} finite number(s), got ${String(action)}`)
  }
}

/**
 * Adds the clock to a set of dynamics: counts steps, truncates at `maxSteps` (as Gymnasium's
 * `TimeLimit`), refuses to step an ended episode, checks actions, freezes states.
 * @example
 * ```ts
 * // a coin: action 1 is rewarded, an episode lasts 10 steps
 * const coin = rl.environment({
 *   name: 'coin', maxSteps: 10, observationSize: 1, actionSpace: { kind: 'discrete', n: 2 },
 *   reset: () => ({}),
 *   step: (state, action) => ({ state, reward: action === 1 ? 1 : 0, terminated: false }),
 *   observe: () => [0],
 * })
 * const s = coin.reset(random.key(0))
 * ```
 * @category constructors
 */
export const environment = <P extends object, Space extends DiscreteSpace | BoxSpace>(
  dynamics: Dynamics<P, Space>,
): Environment<P & EpisodeClock, Space> => {
  const { name, maxSteps } = dynamics
  if (!Number.isInteger(maxSteps) || maxSteps <= 0) throw new RangeError(`${name}: maxSteps must be a positive integer, got ${maxSteps}`)
  return Object.freeze({
    name,
    maxSteps,
    observationSize: dynamics.observationSize,
    actionSpace: dynamics.actionSpace,
    reset: (key: Key) => Object.freeze({ ...dynamics.reset(key), t: 0, done: false }),
    step: (state: P & EpisodeClock, action: ActionOf<Space>) => {
      if (state.done) throw new RangeError(`${name}.step: the episode ended after ${state.t} steps; call reset(key) to start a new one`)
      checkAction(name, dynamics.actionSpace, action)
      const next = dynamics.step(state, action)
      const t = state.t + 1
      const truncated = !next.terminated && t >= maxSteps
      const done = next.terminated || truncated
      return Object.freeze({ state: Object.freeze({ ...next.state, t, done }), reward: next.reward, terminated: next.terminated, truncated })
    },
    observe: dynamics.observe,
  })
}
