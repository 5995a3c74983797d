import * as K from '../../kernels/index.js'
import { unary } from '../define.js'
import { mul } from './mul.js'

/**
 * e^x;  d e^x = e^x dx.  @category primitives
 * @example
 * ```ts
 * ops.exp(tensor([0, 1])) // tensor [1, e]
 * ```
 */
export const exp = unary({
  name: 'exp',
  domain: 'real',
  kernel: K.exp,
  jvp: (dx, { y }) => mul(dx, y),
})
