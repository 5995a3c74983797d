import * as K from '../../kernels/index.js'
import { unary } from '../define.js'


/** -x;  d(-x) = -dx.  @category primitives */
export const neg = unary({
  name: 'neg',
  domain: 'real',
  kernel: K.neg,
  jvp: (dx) => neg(dx),
})
