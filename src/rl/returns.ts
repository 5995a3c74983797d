/**
 * Returns and advantages of rollouts, on plain arrays (they are computed once per rollout, outside
 * any gradient). Rollouts of `envs` environments stepped side by side are laid out time-major:
 * element t·envs + e is step t of environment e.
 */

const checkLengths = (op: string, n: number, arrays: Readonly<Record<string, ArrayLike<number | boolean>>>, envs: number): void => {
  if (!Number.isInteger(envs) || envs <= 0) throw new RangeError(`${op}: envs must be a positive integer, got ${envs}`)
  if (n % envs !== 0) throw new RangeError(`${op}: the rollout's length ${n} is not a multiple of envs = ${envs}; lay steps out time-major, [steps, envs]`)
  for (const [name, a] of Object.entries(arrays)) {
    if (a.length !== n) throw new RangeError(`${op}: ${name} has ${a.length} elements, the rewards ${n}; give one per step`)
  }
}

const checkDiscount = (op: string, name: string, x: number): void => {
  if (!(x >= 0 && x <= 1)) throw new RangeError(`${op}: ${name} must be in [0, 1], got ${x}`)
}

/**
 * Options of `discountedReturns`. @category returns
 * @example
 * ```ts
 * const options: rl.DiscountedReturnsOptions = { gamma: 0.99 }
 * rl.discountedReturns([1, 1], [false, true], options)
 * ```
 */
export interface DiscountedReturnsOptions {
  readonly gamma: number
  /** Environments stepped side by side (default 1). */
  readonly envs?: number
  /** The value of the state after the last step of each environment, for unfinished episodes (default 0s). */
  readonly bootstrap?: ArrayLike<number>
}

/**
 * Discounted returns Gₜ = rₜ + γ (1 − doneₜ) Gₜ₊₁, where doneₜ says that the episode ended at step
 * t (so returns do not leak across episodes) and G after the last step is `bootstrap`.
 * @example
 * ```ts
 * rl.discountedReturns([1, 1, 1], [false, false, true], { gamma: 0.5 }) // [1.75, 1.5, 1]
 * ```
 * @category returns
 */
export const discountedReturns = (rewards: ArrayLike<number>, dones: ArrayLike<boolean | number>, options: DiscountedReturnsOptions): Float64Array => {
  const op = 'rl.discountedReturns'
  const envs = options.envs ?? 1
  const n = rewards.length
  checkDiscount(op, 'gamma', options.gamma)
  checkLengths(op, n, { dones }, envs)
  const out = new Float64Array(n)
  const next = Float64Array.from({ length: envs }, (_, e) => options.bootstrap?.[e] ?? 0)
  for (let i = n - 1; i >= 0; i--) {
    const e = i % envs
    const g = rewards[i]! + options.gamma * (dones[i] ? 0 : next[e]!)
    out[i] = g
    next[e] = g
  }
  return out
}

/**
 * The inputs of `gae`, time-major, one element per step. @category returns
 * @example
 * ```ts
 * const input: rl.GaeInput = { rewards: [1], values: [0.5], nextValues: [0], terminated: [true], dones: [true] }
 * rl.gae(input, { gamma: 0.99, lambda: 0.95 })
 * ```
 */
export interface GaeInput {
  readonly rewards: ArrayLike<number>
  /** V(sₜ). */
  readonly values: ArrayLike<number>
  /** V(sₜ₊₁) of the state the step reached (before any reset), used where the episode did not terminate. */
  readonly nextValues: ArrayLike<number>
  /** sₜ₊₁ is terminal: no bootstrap. */
  readonly terminated: ArrayLike<boolean | number>
  /** The episode ended at step t (terminated or truncated): the advantage does not carry over. */
  readonly dones: ArrayLike<boolean | number>
}

/**
 * Options of `gae`. @category returns
 * @example
 * ```ts
 * const options: rl.GaeOptions = { gamma: 0.99, lambda: 0.95 }
 * ```
 */
export interface GaeOptions {
  readonly gamma: number
  readonly lambda: number
  /** Environments stepped side by side (default 1). */
  readonly envs?: number
}

/**
 * Generalised advantage estimation (Schulman et al. 2016):
 * δₜ = rₜ + γ (1 − terminatedₜ) V(sₜ₊₁) − V(sₜ),  Aₜ = δₜ + γλ (1 − doneₜ) Aₜ₊₁,
 * and the value targets Aₜ + V(sₜ). Truncated episodes bootstrap from V(sₜ₊₁) but do not carry
 * the advantage into the next episode. λ = 1 gives the bootstrapped discounted return minus V,
 * λ = 0 the one-step TD error.
 * @example
 * ```ts
 * rl.gae({ rewards: [1, 1], values: [0.5, 0.5], nextValues: [0.5, 0], terminated: [false, true], dones: [false, true] }, { gamma: 0.99, lambda: 0.95 })
 * ```
 * @category returns
 */
export const gae = (input: GaeInput, options: GaeOptions): { readonly advantages: Float64Array; readonly returns: Float64Array } => {
  const op = 'rl.gae'
  const envs = options.envs ?? 1
  const { rewards, values, nextValues, terminated, dones } = input
  const { gamma, lambda } = options
  checkDiscount(op, 'gamma', gamma)
  checkDiscount(op, 'lambda', lambda)
  const n = rewards.length
  checkLengths(op, n, { values, nextValues, terminated, dones }, envs)
  const advantages = new Float64Array(n)
  const returns = new Float64Array(n)
  const next = new Float64Array(envs)
  for (let i = n - 1; i >= 0; i--) {
    const e = i % envs
    const delta = rewards[i]! + (terminated[i] ? 0 : gamma * nextValues[i]!) - values[i]!
    const a = delta + (dones[i] ? 0 : gamma * lambda * next[e]!)
    advantages[i] = a
    returns[i] = a + values[i]!
    next[e] = a
  }
  return { advantages, returns }
}
