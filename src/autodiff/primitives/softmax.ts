import * as K from '../../kernels/index.js'
import type { Tensor } from '../../tensor/index.js'
import { batchLastAxis } from '../batchRules.js'
import { type Primitive, primitive } from '../Primitive.js'
import { checkRows } from './logSoftmax.js'
import { mul } from './mul.js'
import { sub } from './sub.js'
import { sum } from './sumBroadcast.js'

/**
 * softmax over the last axis, e^x / sum(e^x), computed after subtracting each row's maximum so it
 * never overflows. Fused into one primitive for stability and speed.
 * With p = softmax(x):  dp = p (dx - sum(p dx));  the VJP is p (ct - sum(ct p)).
 * @category primitives
 */
export const softmax: Primitive<(x: Tensor) => Tensor, undefined> = primitive({
  name: 'softmax',
  domain: 'real',
  call: (bind) => (x: Tensor): Tensor => {
    checkRows('softmax', x)
    return bind([x], undefined)
  },
  impl: ([x]) => K.softmax(x!),
  jvp: ([dx], { out }) => (dx === undefined ? undefined : mul(out, sub(dx, sum(mul(out, dx), -1, true)))),
  vjp: (ct, { out }) => [mul(out, sub(ct, sum(mul(ct, out), -1, true)))],
  batch: batchLastAxis,
})
