import * as K from '../../kernels/index.js'
import { type Tensor, ShapeError } from '../../tensor/index.js'
import { batchLastAxis } from '../batchRules.js'
import { type Primitive, primitive } from '../Primitive.js'
import { exp } from './exp.js'
import { mul } from './mul.js'
import { sub } from './sub.js'
import { sum } from './sumBroadcast.js'

/** Checks that a last-axis softmax has an axis to work on. @category internals */
export const checkRows = (op: string, x: Tensor): void => {
  if (x.shape.length === 0) throw new ShapeError(op, [x.shape], 'needs at least one axis; reshape a scalar to [1]')
}

/**
 * log softmax over the last axis, x - logSumExp(x), fused into one primitive for numerical
 * stability (no exp overflows, no log of 0) and speed.
 * With y = logSoftmax(x) and p = e^y:  dy = dx - sum(p dx);  the VJP is ct - p sum(ct).
 * @category primitives
 */
export const logSoftmax: Primitive<(x: Tensor) => Tensor, undefined> = primitive({
  name: 'logSoftmax',
  domain: 'real',
  call: (bind) => (x: Tensor): Tensor => {
    checkRows('logSoftmax', x)
    return bind([x], undefined)
  },
  impl: ([x]) => K.logSoftmax(x!),
  jvp: ([dx], { out }) => (dx === undefined ? undefined : sub(dx, sum(mul(exp(out), dx), -1, true))),
  vjp: (ct, { out }) => [sub(ct, mul(exp(out), sum(ct, -1, true)))],
  batch: batchLastAxis,
})
