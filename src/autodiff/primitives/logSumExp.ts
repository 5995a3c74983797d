import * as K from '../../kernels/index.js'
import type { Tensor } from '../../tensor/index.js'
import { batchLastAxis } from '../batchRules.js'
import { type Primitive, primitive } from '../Primitive.js'
import { exp } from './exp.js'
import { checkRows } from './logSoftmax.js'
import { mul } from './mul.js'
import { sub } from './sub.js'
import { sum } from './sumBroadcast.js'

/**
 * log(sum(e^x)) over the last axis, keeping it as size 1; shifted by the row maximum so it is
 * exact for large inputs. Fused for stability.
 * d lse(x) = sum(softmax(x) dx);  the VJP is ct · softmax(x).
 * @category primitives
 */
export const logSumExp: Primitive<(x: Tensor) => Tensor, undefined> = primitive({
  name: 'logSumExp',
  domain: 'real',
  call: (bind) => (x: Tensor): Tensor => {
    checkRows('logSumExp', x)
    return bind([x], undefined)
  },
  impl: ([x]) => K.logSumExp(x!),
  jvp: ([dx], { args, out }) => (dx === undefined ? undefined : sum(mul(exp(sub(args[0]!, out)), dx), -1, true)),
  vjp: (ct, { args, out }) => [mul(ct, exp(sub(args[0]!, out)))],
  batch: batchLastAxis,
})
