import { type Tensor, scalar } from '../tensor/index.js'

/**
 * Lifts a number to a scalar tensor with the dtype of the other operand: a "weak" scalar, as in
 * JAX, so `mul(x, 2)` keeps `x`'s dtype.
 * @category internals
 */
export const lift = (x: Tensor | number, other: Tensor | number): Tensor =>
  typeof x === 'number' ? scalar(x, typeof other === 'number' ? 'float32' : other.dtype) : x
