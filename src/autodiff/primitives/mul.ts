import * as K from '../../kernels/index.js'
import { binary } from '../define.js'


/** a · b element-wise, broadcasting;  d(ab) = b da + a db.  @category primitives */
export const mul = binary({
  name: 'mul',
  domain: 'real',
  kernel: K.mul,
  da: (t, { b }) => mul(t, b),
  db: (t, { a }) => mul(a, t),
})
