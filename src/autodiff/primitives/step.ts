import * as K from '../../kernels/index.js'
import { unary } from '../define.js'
import { mul } from './mul.js'

/** The Heaviside step [x > 0] (0 at 0). Piecewise constant: not differentiated.  @category primitives */
export const step = unary({
  name: 'step',
  domain: 'none',
  kernel: K.step,
  jvp: (dx) => mul(dx, 0),
})
