import * as K from '../../kernels/index.js'
import { unary } from '../define.js'


/** -x;  d(-x) = -dx.  @category primitives */
export const neg = unary({
  name: 'neg',
  domain: 'real',
  kernel: (x) => K.unary('neg', x),
  jvp: (dx) => neg(dx),
})
