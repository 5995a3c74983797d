import { mean, square, sub } from '../ops/index.js'
import { type Tensor, ShapeError, shapeEquals } from '../tensor/index.js'

/**
 * Checks that a prediction and its target have one shape. Broadcasting is refused on purpose: a
 * prediction [batch, 1] against a target [batch] would broadcast to [batch, batch] and give a
 * wrong loss without any error.
 * @category internals
 */
export const checkSameShape = (loss: string, prediction: Tensor, target: Tensor): void => {
  if (!shapeEquals(prediction.shape, target.shape)) {
    const hint = prediction.shape.length === target.shape.length + 1 && prediction.shape[prediction.shape.length - 1] === 1
      ? `; reshape the target to [${[...target.shape, 1].join(', ')}] (ops.reshape)`
      : '; the prediction and the target must have the same shape'
    throw new ShapeError(loss, [prediction.shape, target.shape], `prediction and target shapes differ${hint}`)
  }
}

/**
 * The mean squared error: mean over every element of (prediction - target)². For a batch
 * [batch, k] this is the mean over the batch of each example's mean squared error (as PyTorch's
 * `MSELoss` and Keras's `mse`). Shapes must be equal.
 * @example
 * ```ts
 * losses.mse(tensor([[1], [3]]), tensor([[0], [3]])) // ((1 - 0)² + 0) / 2 = 0.5
 * ```
 * @category losses
 */
export const mse = (prediction: Tensor, target: Tensor): Tensor => {
  checkSameShape('mse', prediction, target)
  return mean(square(sub(prediction, target)))
}
