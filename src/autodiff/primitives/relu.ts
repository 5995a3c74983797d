import * as K from '../../kernels/index.js'
import { unary } from '../define.js'
import { mul } from './mul.js'
import { step } from './step.js'

/** max(0, x);  d relu(x) = [x > 0] dx, so relu'(0) = 0 (PyTorch's choice at the kink).  @category primitives */
export const relu = unary({
  name: 'relu',
  domain: 'nonzero',
  kernel: (x) => K.unary('relu', x),
  jvp: (dx, { x }) => mul(dx, step(x)),
})
