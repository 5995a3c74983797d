import * as K from '../../kernels/index.js'
import { binary } from '../define.js'
import { mul } from './mul.js'

/**
 * a - b, broadcasting;  d(a - b) = da - db.  @category primitives
 * @example
 * ```ts
 * ops.sub(tensor([5, 7]), tensor([1, 2])) // tensor [4, 5]
 * ```
 */
export const sub = binary({
  name: 'sub',
  domain: 'real',
  kernel: K.sub,
  da: (t) => t,
  db: (t) => mul(t, -1),
})
