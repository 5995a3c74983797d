import * as K from '../../kernels/index.js'
import { unary } from '../define.js'
import { mul } from './mul.js'

/**
 * The sign of x (-1, 0 or 1). Piecewise constant: its derivative is zero, so it is not differentiated.  @category primitives
 * @example
 * ```ts
 * ops.sign(tensor([-3, 0, 2])) // tensor [-1, 0, 1]
 * ```
 */
export const sign = unary({
  name: 'sign',
  domain: 'none',
  kernel: K.sign,
  jvp: (dx) => mul(dx, 0),
})
