import * as K from '../../kernels/index.js'
import { unary } from '../define.js'
import { mul } from './mul.js'
import { neg } from './neg.js'
import { sin } from './sin.js'

/** Cosine;  d cos x = -sin x dx.  @category primitives */
export const cos = unary({
  name: 'cos',
  domain: 'real',
  kernel: K.cos,
  jvp: (dx, { x }) => neg(mul(dx, sin(x))),
})
