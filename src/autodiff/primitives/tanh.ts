import * as K from '../../kernels/index.js'
import { unary } from '../define.js'
import { tanhBackward } from './activationBackward.js'

/**
 * Hyperbolic tangent;  d tanh x = (1 - tanh² x) dx.  @category primitives
 * @example
 * ```ts
 * ops.tanh(tensor([0])) // tensor [0]
 * ```
 */
export const tanh = unary({
  name: 'tanh',
  domain: 'real',
  kernel: K.tanh,
  jvp: (dx, { y }) => tanhBackward(dx, y),
})
