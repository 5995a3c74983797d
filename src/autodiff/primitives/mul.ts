import * as K from '../../kernels/index.js'
import { binary } from '../define.js'


/**
 * a · b element-wise, broadcasting;  d(ab) = b da + a db.  @category primitives
 * @example
 * ```ts
 * ops.mul(tensor([1, 2, 3]), tensor([2, 2, 2])) // tensor [2, 4, 6]
 * ops.mul(tensor([[1, 2], [3, 4]]), tensor([10, 100])) // broadcast over rows
 * ```
 */
export const mul = binary({
  name: 'mul',
  domain: 'real',
  kernel: K.mul,
  da: (t, { b }) => mul(t, b),
  db: (t, { a }) => mul(a, t),
})
