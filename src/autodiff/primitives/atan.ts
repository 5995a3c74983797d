import * as K from '../../kernels/index.js'
import { unary } from '../define.js'
import { add } from './add.js'
import { div } from './div.js'
import { mul } from './mul.js'

/**
 * Arctangent;  d atan x = dx / (1 + x²).  @category primitives
 * @example
 * ```ts
 * ops.atan(tensor([-1, 0, 1])) // tensor [-π/4, 0, π/4]
 * ```
 */
export const atan = unary({
  name: 'atan',
  domain: 'real',
  kernel: K.atan,
  jvp: (dx, { x }) => div(dx, add(1, mul(x, x))),
})
