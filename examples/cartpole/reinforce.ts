/**
 * REINFORCE with a learned baseline (Williams 1992; Sutton & Barto, "Reinforcement Learning",
 * section 13.4) for the cart-pole, trained with purenet's `valueAndGrad` and Adam.
 *
 * One update:
 * 1. Roll out `batchEpisodes` episodes side by side with the current policy: every step is one
 *    plain forward pass of the policy over the states of the episodes still running (no tape),
 *    and each action is sampled from the softmax with a key derived from the update's key.
 * 2. Compute the discounted returns Gₜ = Σₖ γᵏ rₜ₊ₖ of every step, scaled by (1 − γ) into [0, 1)
 *    so that the value network's targets have unit size whatever the episode length.
 * 3. Advantages Aₜ = Gₜ − V(sₜ) from the baseline, normalised over the batch to mean 0 and
 *    standard deviation 1 (the normalisation keeps the step size of the policy independent of
 *    the returns' scale, which grows a hundredfold while the agent learns).
 * 4. One `valueAndGrad` over the stacked states of the whole batch of the loss
 *    −mean(log π(aₜ|sₜ) · Aₜ) + mean((V(sₜ) − Gₜ)²); the policy and the value network are
 *    separate subtrees, so each gets the gradient of its own term, and each has its own Adam.
 *
 * Everything random comes from keys: the run's key is split into an initialisation key and a
 * training key, and update u uses `foldIn(trainingKey, u)`; a fixed seed reproduces a run bit
 * for bit.
 */
import { type Tensor, nn, ops, optim, random, rl, tensor, toFlatArray, valueAndGrad } from 'purenet'

type Key = random.Key
/** The environment the agent learns: `rl.cartPole` (CartPole-v1's equations; any step cap). @category model */
type Environment = rl.Environment<rl.CartPoleState, rl.DiscreteSpace>
type Action = 0 | 1

/** The policy: observation (4) → tanh hidden layer → logits of the two actions. @category model */
export const policyNetwork = (hidden: number) => nn.serial(nn.dense(4, hidden), nn.tanh, nn.dense(hidden, 2))

/** The baseline: observation (4) → tanh hidden layer → the expected scaled return. @category model */
export const valueNetwork = (hidden: number) => nn.serial(nn.dense(4, hidden), nn.tanh, nn.dense(hidden, 1))

type PolicyNet = ReturnType<typeof policyNetwork>
type ValueNet = ReturnType<typeof valueNetwork>

/** The agent's parameters: two independent networks. @category model */
export type AgentParams = {
  readonly policy: nn.ParamsOf<PolicyNet>
  readonly value: nn.ParamsOf<ValueNet>
}

/** A batch of finished episodes, flattened step by step, episode after episode. @category model */
export interface Rollout {
  /** `[steps, 4]` observations, row-major. */
  readonly observations: Float32Array
  readonly actions: Uint8Array
  /** Discounted returns of each step, unscaled. */
  readonly returns: Float64Array
  /** The undiscounted return (the length) of each episode, in episode order. */
  readonly episodeReturns: ReadonlyArray<number>
}

/** Options of `rollout`. @category training */
export interface RolloutOptions {
  readonly key: Key
  readonly episodes: number
  /** The discount of the returns. */
  readonly gamma: number
  /** Take the most likely action instead of sampling one (for evaluation). */
  readonly greedy: boolean
}

/**
 * Runs `episodes` episodes side by side until each has ended, sampling actions from the policy
 * (or taking the most likely action when `greedy`). With [k₁, k₂] = split(key), episode i starts
 * from `env.reset(foldIn(k₁, i))`, and step t of every episode draws its uniform number from
 * `uniform(foldIn(k₂, t), [episodes])` at index i, so an episode's randomness does not depend on
 * when the others end.
 * @category training
 */
export const rollout = (env: Environment, policy: PolicyNet, params: AgentParams['policy'], options: RolloutOptions): Rollout => {
  const { key, episodes, gamma, greedy } = options
  const [resetKey, actionKey] = random.split(key) as [Key, Key]
  let states: rl.CartPoleState[] = Array.from({ length: episodes }, (_, i) => env.reset(random.foldIn(resetKey, i)))
  const observations: number[][] = states.map(() => [])
  const actions: Action[][] = states.map(() => [])
  const apply = policy.apply(params)
  for (let t = 0; states.some((s) => !s.done); t++) {
    const running = states.flatMap((s, i) => (s.done ? [] : [i]))
    const x = tensor(running.flatMap((i) => env.observe(states[i]!)), { shape: [running.length, 4] })
    const probabilities = toFlatArray(ops.softmax(apply(x)))
    const u = random.uniform(random.foldIn(actionKey, t), [episodes], { dtype: 'float64' }).data
    const next = states.slice()
    running.forEach((i, row) => {
      const right = probabilities[2 * row + 1]!
      const action: Action = (greedy ? right > 0.5 : u[i]! < right) ? 1 : 0
      observations[i]!.push(...env.observe(states[i]!))
      actions[i]!.push(action)
      next[i] = env.step(states[i]!, action).state
    })
    states = next
  }
  // every step's reward is 1, so an episode's return is its length and Gₜ = (1 − γ^(T−t)) / (1 − γ)
  const episodeReturns = actions.map((a) => a.length)
  const returns = new Float64Array(episodeReturns.reduce((a, b) => a + b, 0))
  let offset = 0
  for (const length of episodeReturns) {
    let g = 0
    for (let t = length - 1; t >= 0; t--) {
      g = 1 + gamma * g
      returns[offset + t] = g
    }
    offset += length
  }
  return {
    observations: Float32Array.from(observations.flat()),
    actions: Uint8Array.from(actions.flat()),
    returns,
    episodeReturns,
  }
}

/** Mean 0 and standard deviation 1 (or just mean 0 when all values are equal). */
const standardise = (v: Float64Array): Float64Array => {
  const mean = v.reduce((a, b) => a + b, 0) / v.length
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length)
  return v.map((x) => (x - mean) / (std > 1e-8 ? std : 1))
}

/**
 * The loss of one batch as a function of the agent's parameters: the policy-gradient surrogate
 * −mean(log π(aₜ|sₜ) · Aₜ) plus the baseline's squared error mean((V(sₜ) − Gₜ)²). The advantages
 * are computed before (from the baseline's current values) and enter as constants.
 * @category training
 */
export const batchLoss = (policy: PolicyNet, value: ValueNet, x: Tensor, actionMask: Tensor, advantages: Tensor, targets: Tensor) =>
  (params: AgentParams): Tensor => {
    const logProbabilities = ops.sum(ops.mul(ops.logSoftmax(policy.apply(params.policy)(x)), actionMask), 1)
    const surrogate = ops.neg(ops.mean(ops.mul(logProbabilities, advantages)))
    const valueError = ops.mean(ops.square(ops.sub(value.apply(params.value)(x), targets)))
    return ops.add(surrogate, valueError)
  }

/** Hyperparameters and budget of a training run. @category training */
export interface TrainOptions {
  readonly env: Environment
  readonly seed: number
  /** Stop after this many episodes at the latest. */
  readonly episodes: number
  /** Episodes rolled out side by side per update. */
  readonly batchEpisodes: number
  readonly hidden: number
  readonly gamma: number
  readonly learningRate: number
  readonly valueLearningRate: number
  /** Stop as soon as the criterion is met (`window` episodes with mean return ≥ `threshold`). */
  readonly stopWhenSolved: boolean
  readonly window: number
  readonly threshold: number
}

/** What a training run returns. @category training */
export interface TrainResult {
  /** The return of every training episode, in order (the learning curve). */
  readonly returns: ReadonlyArray<number>
  /**
   * The number of episodes after which the mean return of the last `window` episodes first
   * reached `threshold` (so the solving window is episodes solvedAt − window + 1 … solvedAt),
   * or undefined if it never did.
   */
  readonly solvedAt: number | undefined
  readonly updates: number
  readonly params: AgentParams
}

/**
 * The solving criterion: the first n ≥ window with mean(returns[n − window .. n)) ≥ threshold,
 * i.e. the number of episodes after which the last `window` episodes first averaged `threshold`.
 * @category training
 */
export const firstSolved = (returns: ReadonlyArray<number>, window: number, threshold: number): number | undefined => {
  let sum = 0
  for (let n = 1; n <= returns.length; n++) {
    sum += returns[n - 1]!
    if (n > window) sum -= returns[n - 1 - window]!
    if (n >= window && sum / window >= threshold) return n
  }
  return undefined
}

/**
 * Trains the agent: updates of `batchEpisodes` episodes each until `episodes` episodes have run
 * (or, with `stopWhenSolved`, until the criterion is met). Pure: the result depends only on the
 * options. `onUpdate` (for progress output) sees the returns so far after every update.
 * @category training
 */
export const train = (options: TrainOptions, onUpdate?: (returns: ReadonlyArray<number>, update: number) => void): TrainResult => {
  const { env, gamma, hidden, batchEpisodes } = options
  const policy = policyNetwork(hidden)
  const value = valueNetwork(hidden)
  const [initKey, trainKey] = random.split(random.key(options.seed)) as [Key, Key]
  const [policyKey, valueKey] = random.split(initKey) as [Key, Key]
  let params: AgentParams = { policy: policy.init(policyKey), value: value.init(valueKey) }
  const policyOptimizer = optim.adam(options.learningRate)
  const valueOptimizer = optim.adam(options.valueLearningRate)
  let policyState = policyOptimizer.init(params.policy)
  let valueState = valueOptimizer.init(params.value)
  const returns: number[] = []
  let solvedAt: number | undefined
  let update = 0
  while (returns.length < options.episodes && !(options.stopWhenSolved && solvedAt !== undefined)) {
    const count = Math.min(batchEpisodes, options.episodes - returns.length)
    const batch = rollout(env, policy, params.policy, { key: random.foldIn(trainKey, update), episodes: count, gamma, greedy: false })
    returns.push(...batch.episodeReturns)
    solvedAt ??= firstSolved(returns, options.window, options.threshold)
    const steps = batch.actions.length
    const x = tensor(batch.observations, { shape: [steps, 4] })
    const targets = batch.returns.map((g) => (1 - gamma) * g)
    const baseline = value.apply(params.value)(x).data
    const advantages = standardise(targets.map((g, t) => g - baseline[t]!))
    const mask = new Float32Array(2 * steps)
    batch.actions.forEach((a, t) => { mask[2 * t + a] = 1 })
    const loss = batchLoss(policy, value, x, tensor(mask, { shape: [steps, 2] }), tensor(advantages, { shape: [steps], dtype: 'float32' }), tensor(targets, { shape: [steps, 1], dtype: 'float32' }))
    const [, grads] = valueAndGrad(loss)(params)
    const [policyUpdates, nextPolicyState] = policyOptimizer.update(grads.policy, policyState, params.policy)
    const [valueUpdates, nextValueState] = valueOptimizer.update(grads.value, valueState, params.value)
    params = { policy: optim.applyUpdates(params.policy, policyUpdates), value: optim.applyUpdates(params.value, valueUpdates) }
    policyState = nextPolicyState
    valueState = nextValueState
    update++
    onUpdate?.(returns, update)
  }
  return { returns, solvedAt, updates: update, params }
}
