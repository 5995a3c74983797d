import * as K from '../../kernels/index.js'
import { type Tensor, normalizeAxes } from '../../tensor/index.js'
import { type Primitive, primitive } from '../Primitive.js'
import { div } from './div.js'
import { equal } from './equal.js'
import { mul } from './mul.js'
import { reshape } from './reshape.js'
import { type ReduceParams, batchReduction, broadcastTo, keptShape, sum } from './sumBroadcast.js'

// Where the maximum was attained, each place weighted 1/(number of ties): a constant.
const weights = (x: Tensor, out: Tensor, p: ReduceParams): Tensor => {
  const mask = equal(x, broadcastTo(reshape(out, keptShape(x.shape, p.axes)), x.shape))
  return div(mask, sum(mask, p.axes, true))
}

/**
 * The maximum over `axes` (all when omitted). The derivative flows to the maximal element,
 * split evenly among ties (as PyTorch's amax).
 * @example
 * ```ts
 * ops.max(tensor([[1, 5], [7, 2]]), 1) // tensor [5, 7]
 * ops.max(tensor([[1, 5], [7, 2]])) // tensor 7
 * ```
 * @category primitives
 */
export const max: Primitive<(x: Tensor, axes?: number | ReadonlyArray<number>, keepDims?: boolean) => Tensor, ReduceParams> = primitive({
  name: 'max',
  domain: 'separated',
  call: (bind) => (x: Tensor, axes?: number | ReadonlyArray<number>, keepDims = false): Tensor => {
    const ax = normalizeAxes('max', x.shape, axes)
    for (const a of ax) {
      if (x.shape[a] === 0) throw new RangeError(`max: cannot reduce over axis ${a} of size 0 (shape [${x.shape.join(', ')}])`)
    }
    return bind([x], { axes: ax, keepDims })
  },
  impl: ([x], { axes, keepDims }: ReduceParams) => K.max(x!, axes, keepDims),
  jvp: ([dx], { args, out, params: p }) => (dx === undefined ? undefined : sum(mul(dx, weights(args[0]!, out, p)), p.axes, p.keepDims)),
  vjp: (ct, { args, out, params: p }) => {
    const x = args[0]!
    return [mul(broadcastTo(p.keepDims ? ct : reshape(ct, keptShape(x.shape, p.axes)), x.shape), weights(x, out, p))]
  },
  batch: batchReduction,
})
