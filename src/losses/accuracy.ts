import { type Tensor, ShapeError, showShape } from '../tensor/index.js'

// The index of the largest element of row i (the first one on ties, as NumPy's argmax).
const argmaxRow = (data: Tensor['data'], i: number, width: number): number => {
  let best = 0
  for (let j = 1; j < width; j++) if (data[i * width + j]! > data[i * width + best]!) best = j
  return best
}

/**
 * The fraction of examples whose predicted class is the target class, as a plain number in
 * [0, 1] (a metric, not a loss: it is not differentiable, and a number is what progress reports
 * and `fit`'s metrics want).
 *
 * - Logits [batch, classes] with classes ≥ 2: the prediction is the argmax of each row; targets
 *   are class indices [batch] or one-hot rows [batch, classes] (their argmax).
 * - Logits [batch, 1] or [batch] (binary, one logit): the prediction is 1 when the logit is
 *   positive (σ(z) \> 1/2); targets are 0/1 of shape [batch, 1] or [batch], counted as 1 when
 *   above 1/2.
 * @example
 * ```ts
 * const logits = tensor([[0.1, 0.2, 3], [2, 0, 0], [0, 0, 1]])
 * losses.accuracy(logits, tensor([2, 0, 1])) // 2/3; one-hot rows [[0, 0, 1], ...] give the same
 * ```
 * @category metrics
 */
export const accuracy = (logits: Tensor, targets: Tensor): number => {
  const shapes = [logits.shape, targets.shape]
  const batch = logits.shape[0]
  if (batch === undefined || logits.shape.length > 2) {
    throw new ShapeError('accuracy', shapes, `expects logits of shape [batch, classes] or [batch], got ${showShape(logits.shape)}`)
  }
  if (batch === 0) throw new ShapeError('accuracy', shapes, 'the batch is empty, so the accuracy is undefined')
  const classes = logits.shape[1] ?? 1
  const sameBatch = targets.shape[0] === batch
  let correct = 0
  if (classes === 1) {
    if (!sameBatch || targets.size !== batch) {
      throw new ShapeError('accuracy', shapes, `binary logits ${showShape(logits.shape)} need 0/1 targets of shape [${batch}] or [${batch}, 1]`)
    }
    for (let i = 0; i < batch; i++) if (logits.data[i]! > 0 === targets.data[i]! > 0.5) correct++
  } else if (sameBatch && targets.shape.length === 1) {
    for (let i = 0; i < batch; i++) if (argmaxRow(logits.data, i, classes) === targets.data[i]) correct++
  } else if (sameBatch && targets.shape.length === 2 && targets.shape[1] === classes) {
    for (let i = 0; i < batch; i++) if (argmaxRow(logits.data, i, classes) === argmaxRow(targets.data, i, classes)) correct++
  } else {
    throw new ShapeError('accuracy', shapes, `targets must be class indices [${batch}] or one-hot rows [${batch}, ${classes}] for logits ${showShape(logits.shape)}`)
  }
  return correct / batch
}
