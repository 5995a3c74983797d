import * as K from '../../kernels/index.js'
import { unary } from '../define.js'
import { mul } from './mul.js'
import { sign } from './sign.js'

/**
 * |x|;  d|x| = sign(x) dx, with the one-sided choice abs'(0) = 0 (as PyTorch).  @category primitives
 * @example
 * ```ts
 * ops.abs(tensor([-2, 0, 3])) // tensor [2, 0, 3]
 * ```
 */
export const abs = unary({
  name: 'abs',
  domain: 'nonzero',
  kernel: K.abs,
  jvp: (dx, { x }) => mul(dx, sign(x)),
})
