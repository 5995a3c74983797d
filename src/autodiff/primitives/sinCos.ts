/**
 * Sine and cosine. Each is (up to sign) the other's derivative, so they share one file: two
 * files would import each other.
 */
import * as K from '../../kernels/index.js'
import { unary } from '../define.js'
import { mul } from './mul.js'

/**
 * Sine;  d sin x = cos x dx.  @category primitives
 * @example
 * ```ts
 * ops.sin(tensor([0, Math.PI / 2])) // tensor [0, 1]
 * ```
 */
export const sin = unary({
  name: 'sin',
  domain: 'real',
  kernel: K.sin,
  jvp: (dx, { x }) => mul(dx, cos(x)),
})

/**
 * Cosine;  d cos x = -sin x dx.  @category primitives
 * @example
 * ```ts
 * ops.cos(tensor([0, Math.PI])) // tensor [1, -1]
 * ```
 */
export const cos = unary({
  name: 'cos',
  domain: 'real',
  kernel: K.cos,
  jvp: (dx, { x }) => mul(mul(dx, sin(x)), -1),
})
