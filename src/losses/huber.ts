import { abs, add, mean, minimum, mul, square, sub } from '../ops/index.js'
import type { Tensor } from '../tensor/index.js'
import { checkSameShape } from './mse.js'

/**
 * The Huber loss (Huber 1964; PyTorch's `HuberLoss`, optax's `huber_loss`): the mean over every
 * element of ½ x² where |x| ≤ δ and δ (|x| − ½ δ) elsewhere, x = prediction − target. Quadratic
 * near 0 and linear in the tails, so one large error (a bootstrapped target far off, in DQN)
 * cannot dominate the gradient: |d/dx| ≤ δ. Written as ½ q² + δ (|x| − q) with q = min(|x|, δ),
 * which is the same piecewise function. Shapes must be equal. δ \> 0 (default 1).
 * @example
 * ```ts
 * losses.huber(tensor([[0.5], [3]]), tensor([[0], [0]])) // mean of 0.125 and 2.5: smooth L1 for δ = 1
 * ```
 * @category losses
 */
export const huber = (prediction: Tensor, target: Tensor, delta = 1): Tensor => {
  checkSameShape('huber', prediction, target)
  if (!(delta > 0 && Number.isFinite(delta))) throw new RangeError(`huber: delta must be a positive finite number, got ${delta}`)
  const a = abs(sub(prediction, target))
  const q = minimum(a, delta)
  return mean(add(mul(square(q), 0.5), mul(sub(a, q), delta)))
}
