import * as K from '../../kernels/index.js'
import { unary } from '../define.js'
import { div } from './div.js'
import { mul } from './mul.js'

/**
 * Square root, for x \>= 0;  d sqrt(x) = dx / (2 sqrt(x)).  @category primitives
 * @example
 * ```ts
 * ops.sqrt(tensor([4, 9])) // tensor [2, 3]
 * ```
 */
export const sqrt = unary({
  name: 'sqrt',
  domain: 'positive',
  kernel: K.sqrt,
  jvp: (dx, { y }) => div(dx, mul(y, 2)),
})
