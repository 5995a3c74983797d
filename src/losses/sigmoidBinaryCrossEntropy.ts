import { mean, mul, softplus, sub } from '../ops/index.js'
import type { Tensor } from '../tensor/index.js'
import { checkSameShape } from './mse.js'

/**
 * Binary cross-entropy of logits z against targets y in [0, 1], the mean over every element of
 * -y·log σ(z) - (1 - y)·log(1 - σ(z)). Computed in the stable form
 * max(z, 0) - z·y + log(1 + e^-|z|) = softplus(z) - z·y, which is exact for logits of any size
 * (the naive form overflows to log 0 once |z| exceeds about 17 in float32). Its gradient with
 * respect to z is (σ(z) - y) / count. Shapes must be equal (e.g. [batch, 1] and [batch, 1]).
 * @example
 * ```ts
 * losses.sigmoidBinaryCrossEntropy(tensor([[0], [2]]), tensor([[1], [1]])) // mean of -log σ(0) and -log σ(2)
 * ```
 * @category losses
 */
export const sigmoidBinaryCrossEntropy = (logits: Tensor, targets: Tensor): Tensor => {
  checkSameShape('sigmoidBinaryCrossEntropy', logits, targets)
  return mean(sub(softplus(logits), mul(logits, targets)))
}
