import * as K from '../../kernels/index.js'
import { unary } from '../define.js'
import { cos } from './cos.js'
import { mul } from './mul.js'

/** Sine;  d sin x = cos x dx.  @category primitives */
export const sin = unary({
  name: 'sin',
  domain: 'real',
  kernel: K.sin,
  jvp: (dx, { x }) => mul(dx, cos(x)),
})
