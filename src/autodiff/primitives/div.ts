import * as K from '../../kernels/index.js'
import { binary } from '../define.js'
import { mul } from './mul.js'

/**
 * a / b element-wise, broadcasting (b away from 0);  d(a/b) = da / b - (a/b²) db.  @category primitives
 * @example
 * ```ts
 * ops.div(tensor([1, 2, 3]), 2) // tensor [0.5, 1, 1.5]
 * ```
 */
export const div = binary({
  name: 'div',
  domain: 'real',
  kernel: K.div,
  da: (t, { b }) => div(t, b),
  db: (t, { b, out }) => mul(mul(t, div(out, b)), -1),
})
