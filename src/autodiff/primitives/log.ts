import * as K from '../../kernels/index.js'
import { unary } from '../define.js'
import { div } from './div.js'

/**
 * Natural logarithm, for x \> 0;  d log x = dx / x.  @category primitives
 * @example
 * ```ts
 * ops.log(tensor([1, Math.E])) // tensor [0, 1]
 * ```
 */
export const log = unary({
  name: 'log',
  domain: 'positive',
  kernel: K.log,
  jvp: (dx, { x }) => div(dx, x),
})
