import { type Tensor, fromData } from '../../tensor/index.js'
import { batchUnary } from '../batchRules.js'
import { type Primitive, primitive } from '../Primitive.js'

/**
 * The same values, with no derivative at any level: every transformation sees a constant.
 * @example
 * ```ts
 * grad((x: Tensor) => ops.sum(ops.mul(ops.stopGradient(x), x)))(tensor([3])) // tensor [3]: the first factor is a constant
 * ```
 * @category primitives
 */
export const stopGradient: Primitive<(x: Tensor) => Tensor, undefined> = primitive({
  name: 'stopGradient',
  domain: 'none',
  call: (bind) => (x: Tensor): Tensor => bind([x], undefined),
  impl: ([x]) => fromData(x!.shape, x!.data),
  jvp: () => undefined,
  vjp: () => [undefined],
  batch: batchUnary,
})
