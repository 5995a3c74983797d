import * as K from '../../kernels/index.js'
import { unary } from '../define.js'
import { sigmoidBackward } from './activationBackward.js'

/**
 * The logistic function 1 / (1 + e^-x), computed without overflow for any |x|;  dσ = σ(1 - σ) dx.  @category primitives
 * @example
 * ```ts
 * ops.sigmoid(tensor([0])) // tensor [0.5]
 * ```
 */
export const sigmoid = unary({
  name: 'sigmoid',
  domain: 'real',
  kernel: K.sigmoid,
  jvp: (dx, { y }) => sigmoidBackward(dx, y),
})
