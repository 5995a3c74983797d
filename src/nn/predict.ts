/**
 * Predictions from a trained network: its outputs in evaluation mode (no dropout, no key), the
 * class probabilities, and the predicted classes. Conveniences over `net.apply(params)(x, { mode:
 * 'eval' })`, so a user does not write softmax and argmax by hand.
 */
import { argmax, sigmoid, softmax } from '../ops/index.js'
import { type Tensor, ShapeError, showShape, toFlatArray } from '../tensor/index.js'
import type { ApplyContext } from './Layer.js'

/**
 * What prediction needs of a network: applying it. @category model
 * @example
 * ```ts
 * const net = nn.dense(4, 3)
 * const predictor: nn.Predictor<ReturnType<typeof net.init>> = net
 * ```
 */
export interface Predictor<P> {
  readonly name: string
  readonly apply: (params: P) => (x: Tensor, ctx?: ApplyContext) => Tensor
}

const EVAL: ApplyContext = Object.freeze({ mode: 'eval' as const })

/**
 * The network's outputs for a batch `x` [batch, inSize], in evaluation mode (dropout off): the
 * values of a regression, the logits of a classifier.
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(4, 8), nn.relu, nn.dense(8, 3))
 * const params = net.init(random.key(0))
 * const y = nn.predict(net, params, zeros([10, 4])) // [10, 3]
 * ```
 * @category prediction
 */
export const predict = <P>(net: Predictor<P>, params: NoInfer<P>, x: Tensor): Tensor => net.apply(params)(x, EVAL)

const outputsOf = <P>(op: string, net: Predictor<P>, params: P, x: Tensor): Tensor => {
  const y = predict(net, params, x)
  if (y.shape.length !== 2) throw new ShapeError(op, [x.shape, y.shape], `${net.name} gives outputs of shape ${showShape(y.shape)}; class predictions need logits [batch, classes]`)
  return y
}

/**
 * Class probabilities for a batch `x`: softmax of the logits [batch, classes] (each row sums to
 * 1), or, for a network with one output, σ(logit) = p(class 1) as [batch, 1].
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(4, 8), nn.relu, nn.dense(8, 3))
 * const p = nn.predictProba(net, net.init(random.key(0)), zeros([10, 4])) // [10, 3], rows sum to 1
 * ```
 * @category prediction
 */
export const predictProba = <P>(net: Predictor<P>, params: NoInfer<P>, x: Tensor): Tensor => {
  const y = outputsOf('predictProba', net, params, x)
  return y.shape[1] === 1 ? sigmoid(y) : softmax(y)
}

/**
 * The predicted class of every example of `x`: the index of the largest logit (the first on
 * ties), or, for a network with one output, 1 when the logit is positive (σ \> 1/2) and 0
 * otherwise. Map indices to names with your labels: `classes.map((i) => labels[i])`.
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(4, 8), nn.relu, nn.dense(8, 3))
 * const classes = nn.predictClasses(net, net.init(random.key(0)), zeros([10, 4]))
 * const labels = classes.map((i) => ['setosa', 'versicolor', 'virginica'][i])
 * ```
 * @category prediction
 */
export const predictClasses = <P>(net: Predictor<P>, params: NoInfer<P>, x: Tensor): number[] => {
  const y = outputsOf('predictClasses', net, params, x)
  return y.shape[1] === 1 ? toFlatArray(y).map((v) => (v > 0 ? 1 : 0)) : toFlatArray(argmax(y, 1))
}
