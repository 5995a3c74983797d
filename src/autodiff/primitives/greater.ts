import * as K from '../../kernels/index.js'
import { binary } from '../define.js'
import { mul } from './mul.js'

/**
 * [a \> b] as 0 or 1, broadcasting. Piecewise constant: not differentiated.  @category primitives
 * @example
 * ```ts
 * ops.greater(tensor([1, 2, 3]), 2) // tensor [0, 0, 1]
 * ```
 */
export const greater = binary({
  name: 'greater',
  domain: 'none',
  kernel: K.greater,
  da: (t) => mul(t, 0),
  db: (t) => mul(t, 0),
})
