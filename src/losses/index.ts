/**
 * Losses and metrics. A loss maps a prediction (or logits) and a target to a scalar tensor, the
 * mean over the batch, so that one SGD step is w ← w - lr · mean over the batch of dJ/dw. Losses
 * are built from ops, so they are differentiable at every order; the ones on logits use the
 * stable fused forms (log-softmax, softplus). Shapes are checked, never broadcast: a mismatch
 * throws a `ShapeError` naming the loss. Metrics (`accuracy`) return plain numbers.
 *
 * Laws (checked in properties/losses.test.ts):
 * 1. softmaxCrossEntropy ≥ 0 and equals the mean over the batch of -log softmax(z)_target.
 * 2. one-hot and class-index targets give the same value and gradient.
 * 3. stability: for logits up to ±1e4 the cross-entropies are finite and exact.
 * 4. sigmoidBinaryCrossEntropy equals the naive -y log σ(z) - (1 - y) log(1 - σ(z)) where that
 *    is finite.
 * 5. the gradients agree with central finite differences.
 * 6. mse ≥ 0, is 0 exactly at prediction = target, and is symmetric.
 */
export { mse } from './mse.js'
export { softmaxCrossEntropy } from './softmaxCrossEntropy.js'
export { sigmoidBinaryCrossEntropy } from './sigmoidBinaryCrossEntropy.js'
export { accuracy } from './accuracy.js'
export { huber } from './huber.js'
