import * as K from '../../kernels/index.js'
import { unary } from '../define.js'
import { mul } from './mul.js'
import { sigmoid } from './sigmoid.js'

/**
 * log(1 + e^x), computed as max(x, 0) + log1p(e^-|x|) so it is exact for large |x|;  d softplus = σ(x) dx.  @category primitives
 * @example
 * ```ts
 * ops.softplus(tensor([0])) // tensor [log 2]
 * ```
 */
export const softplus = unary({
  name: 'softplus',
  domain: 'real',
  kernel: K.softplus,
  jvp: (dx, { x }) => mul(dx, sigmoid(x)),
})
