import { isTracer } from '../autodiff/index.js'
import { equal, logSoftmax, mean, mul, neg, reshape, sum, where } from '../ops/index.js'
import { type Tensor, ShapeError, arange, ones, showShape, zeros } from '../tensor/index.js'

/**
 * One-hot rows for class indices, built with ops (row i is equal(index_i, arange(classes))), so
 * that class indices work under every transformation: vmap (per-example losses), trace and jit
 * (indices as a staged argument), grad. The indices are data, not a function of the parameters:
 * nothing here is differentiated. Where the indices are concrete (not a traced value), an index
 * that is not an integer in [0, classes) throws; under a transformation such an index gives a row
 * of zeros (it picks no class).
 * @category internals
 */
export const oneHotTargets = (loss: string, indices: Tensor, classes: number, dtype: Tensor['dtype']): Tensor => {
  if (!isTracer(indices)) {
    for (let i = 0; i < indices.size; i++) {
      const c = indices.data[i]!
      if (!Number.isInteger(c) || c < 0 || c >= classes) {
        throw new RangeError(`${loss}: target ${i} is ${c}, not a class index in [0, ${classes}); give class indices as integers, or one-hot rows of shape [batch, ${classes}]`)
      }
    }
  }
  const hit = equal(reshape(indices, [indices.size, 1]), arange(0, classes, 1, { dtype: indices.dtype }))
  return where(hit, ones([], { dtype }), zeros([], { dtype }))
}

/**
 * Checks logits [batch, classes] against targets [batch, classes] (one-hot or probabilities) or
 * [batch] (class indices), and returns the targets as rows of shape [batch, classes].
 * @category internals
 */
export const targetRows = (loss: string, logits: Tensor, targets: Tensor): Tensor => {
  if (logits.shape.length !== 2) {
    throw new ShapeError(loss, [logits.shape, targets.shape], `expects logits of shape [batch, classes], got rank ${logits.shape.length}`)
  }
  const [batch, classes] = logits.shape as readonly [number, number]
  if (targets.shape.length === 1 && targets.shape[0] === batch) return oneHotTargets(loss, targets, classes, logits.dtype)
  if (targets.shape.length === 2 && targets.shape[0] === batch && targets.shape[1] === classes) return targets
  throw new ShapeError(loss, [logits.shape, targets.shape],
    `targets must be one-hot rows [${batch}, ${classes}] or class indices [${batch}] for logits ${showShape(logits.shape)}`)
}

/**
 * Softmax cross-entropy between logits [batch, classes] and targets, the mean over the batch of
 * -Σ_c t_c · log softmax(z)_c. Targets are one-hot rows (or any probability rows) of shape
 * [batch, classes], or class indices of shape [batch] (equivalent to their one-hot rows).
 *
 * Computed through the fused, stable `logSoftmax` (z - max z - log Σ e^(z - max z)), so it is
 * finite for logits of any size; its gradient with respect to the logits is
 * (softmax(z) - t) / batch. A logit of -Infinity (a masked class) whose target weight is 0 adds
 * nothing, as in PyTorch: [[0, -Infinity, 1]] with class 0 gives 1.3133, gradient 0 there.
 * @example
 * ```ts
 * const logits = tensor([[2, 1, 0.1]])
 * losses.softmaxCrossEntropy(logits, tensor([[1, 0, 0]])) // -log softmax(logits)[0] = 0.417
 * ```
 * @category losses
 */
export const softmaxCrossEntropy = (logits: Tensor, targets: Tensor): Tensor => {
  const t = targetRows('softmaxCrossEntropy', logits, targets)
  const logp = logSoftmax(logits)
  // A class with zero target weight contributes nothing, even where its logit is -Infinity (a
  // masked class, log p = -Infinity): 0 · -Infinity would be NaN. The same `where` keeps the
  // gradient finite there. Class indices give one-hot rows, so the product with t is skipped.
  const picked = where(t, logp, 0)
  return neg(mean(sum(t === targets ? mul(t, picked) : picked, 1)))
}
