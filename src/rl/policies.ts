/**
 * Action selection from network outputs, by key: sampling a categorical distribution from logits,
 * ε-greedy choice from action values, and the log-densities the policy-gradient losses need.
 * The samplers work on plain numbers (one decision per environment step, outside any gradient);
 * the log-densities are differentiable ops.
 */
import { logSoftmax, mul, sub, square, sum, neg, add, exp, div } from '../ops/index.js'
import { type Key, uniform } from '../random/index.js'
import { type Tensor, ShapeError } from '../tensor/index.js'

/**
 * The index of the largest value (the first on ties). @category policies
 * @example
 * ```ts
 * rl.argmax([0.1, 0.7, 0.2]) // 1
 * ```
 */
export const argmax = (values: ArrayLike<number>): number => {
  let best = 0
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i
  return best
}

/**
 * A sample of the categorical distribution softmax(logits), by inverse transform of one uniform
 * number drawn from `key`.
 * @example
 * ```ts
 * rl.sampleCategorical(random.key(0), [0, 0, 5]) // most likely 2
 * ```
 * @category policies
 */
export const sampleCategorical = (key: Key, logits: ArrayLike<number>): number => {
  if (logits.length === 0) throw new RangeError('rl.sampleCategorical: logits must not be empty')
  const top = logits[argmax(logits)]!
  let total = 0
  for (let i = 0; i < logits.length; i++) total += Math.exp(logits[i]! - top)
  let u = uniform(key, [1], { dtype: 'float64' }).data[0]! * total
  for (let i = 0; i < logits.length - 1; i++) {
    u -= Math.exp(logits[i]! - top)
    if (u < 0) return i
  }
  return logits.length - 1
}

/**
 * ε-greedy: with probability ε a uniformly random action, otherwise argmax of the action values
 * (Watkins 1989; Mnih et al. 2015). ε usually comes from a schedule (`optim.schedules.linear`).
 * @example
 * ```ts
 * rl.epsilonGreedy(random.key(0), [0.1, 0.9], 0.1) // 1, except with probability 0.1 a random action
 * ```
 * @category policies
 */
export const epsilonGreedy = (key: Key, values: ArrayLike<number>, epsilon: number): number => {
  if (!(epsilon >= 0 && epsilon <= 1)) throw new RangeError(`rl.epsilonGreedy: epsilon must be in [0, 1], got ${epsilon}`)
  const u = uniform(key, [2], { dtype: 'float64' }).data
  return u[0]! < epsilon ? Math.min(values.length - 1, Math.floor(u[1]! * values.length)) : argmax(values)
}

/**
 * log π(a|s) of a categorical policy for a batch: logits [batch, n], actions one-hot [batch, n];
 * returns [batch]. Differentiable in the logits.
 * @example
 * ```ts
 * rl.categoricalLogProb(tensor([[0, 0]]), tensor([[1, 0]])) // tensor [log 0.5]
 * ```
 * @category policies
 */
export const categoricalLogProb = (logits: Tensor, actionsOneHot: Tensor): Tensor => {
  if (logits.shape.length !== 2 || logits.shape.join() !== actionsOneHot.shape.join()) {
    throw new ShapeError('rl.categoricalLogProb', [logits.shape, actionsOneHot.shape], 'expected logits [batch, n] and one-hot actions of the same shape')
  }
  return sum(mul(logSoftmax(logits), actionsOneHot), 1)
}

/**
 * The entropy −Σ p log p of each row of softmax(logits), [batch]. @category policies
 * @example
 * ```ts
 * rl.categoricalEntropy(tensor([[0, 0]])) // tensor [log 2]
 * ```
 */
export const categoricalEntropy = (logits: Tensor): Tensor => {
  const logP = logSoftmax(logits)
  return neg(sum(mul(exp(logP), logP), 1))
}

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI)

/**
 * log N(a; μ, σ²) of a diagonal Gaussian policy for a batch, summed over the action's dimensions:
 * Σᵢ −(aᵢ − μᵢ)² / (2σᵢ²) − log σᵢ − ½ log 2π. mean and actions [batch, d], logStd [d] (broadcast);
 * returns [batch]. Differentiable in the mean and the log standard deviation.
 * @example
 * ```ts
 * rl.gaussianLogProb(tensor([[0]]), tensor([0]), tensor([[0]])) // tensor [-log √(2π)]
 * ```
 * @category policies
 */
export const gaussianLogProb = (mean: Tensor, logStd: Tensor, actions: Tensor): Tensor => {
  if (mean.shape.length !== 2 || mean.shape.join() !== actions.shape.join() || logStd.shape.join() !== String(mean.shape[1])) {
    throw new ShapeError('rl.gaussianLogProb', [mean.shape, logStd.shape, actions.shape], 'expected mean [batch, d], logStd [d] and actions [batch, d]')
  }
  const z = div(sub(actions, mean), exp(logStd))
  const d = mean.shape[1]!
  return sub(neg(sum(add(mul(square(z), 0.5), logStd), 1)), d * HALF_LOG_TWO_PI)
}

/**
 * A sample μ + σ·ε, ε ~ N(0, 1), of a diagonal Gaussian, on plain numbers. @category policies
 * @example
 * ```ts
 * rl.sampleGaussian([0.5], [1], [0]) // [1.5]: mean + e^logStd · noise
 * ```
 */
export const sampleGaussian = (noise: ArrayLike<number>, mean: ArrayLike<number>, logStd: ArrayLike<number>): number[] =>
  Array.from(mean, (m, i) => m + Math.exp(logStd[i]!) * noise[i]!)
