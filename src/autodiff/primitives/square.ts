import * as K from '../../kernels/index.js'
import { unary } from '../define.js'
import { mul } from './mul.js'

/**
 * x²;  d x² = 2x dx.  @category primitives
 * @example
 * ```ts
 * ops.square(tensor([-2, 3])) // tensor [4, 9]
 * ```
 */
export const square = unary({
  name: 'square',
  domain: 'real',
  kernel: K.square,
  jvp: (dx, { x }) => mul(dx, mul(x, 2)),
})
