import * as K from '../../kernels/index.js'
import { binary } from '../define.js'
import { mul } from './mul.js'

/**
 * [a = b] as 0 or 1, broadcasting. Piecewise constant: not differentiated.  @category primitives
 * @example
 * ```ts
 * ops.equal(tensor([1, 2, 3]), tensor([1, 0, 3])) // tensor [1, 0, 1]
 * ```
 */
export const equal = binary({
  name: 'equal',
  domain: 'none',
  kernel: K.equal,
  da: (t) => mul(t, 0),
  db: (t) => mul(t, 0),
})
