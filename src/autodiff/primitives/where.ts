import * as K from '../../kernels/index.js'
import { type Tensor, broadcastShapes, shapeEquals, zeros } from '../../tensor/index.js'
import { batchElementwise } from '../batchRules.js'
import { lift } from '../lift.js'
import { type Primitive, primitive } from '../Primitive.js'
import { broadcastTo, fitTangent, unbroadcast } from './sumBroadcast.js'

const full = (t: Tensor, shape: ReadonlyArray<number>): Tensor => (shapeEquals(t.shape, shape) ? t : broadcastTo(t, shape))

/**
 * Picks `a` where `condition` is non-zero and `b` elsewhere, broadcasting all three. The
 * condition is not differentiated; d where(c, a, b) = where(c, da, db). Batched element-wise.
 * @example
 * ```ts
 * ops.where(tensor([1, 0, 1]), tensor([1, 2, 3]), 0) // tensor [1, 0, 3]
 * ```
 * @category primitives
 */
export const where: Primitive<(condition: Tensor, a: Tensor | number, b: Tensor | number) => Tensor, undefined> = primitive({
  name: 'where',
  domain: 'real',
  call: (bind) => (condition: Tensor, a: Tensor | number, b: Tensor | number): Tensor => bind([condition, lift(a, b), lift(b, a)], undefined),
  impl: ([c, a, b]) => {
    const shape = broadcastShapes('where', broadcastShapes('where', c!.shape, a!.shape), b!.shape)
    return K.select(full(c!, shape), full(a!, shape), full(b!, shape))
  },
  jvp: ([, ta, tb], { args, out }) => {
    const [c, a, b] = args as [Tensor, Tensor, Tensor]
    return fitTangent(where(c, ta ?? zeros(a.shape, { dtype: a.dtype }), tb ?? zeros(b.shape, { dtype: b.dtype })), out)
  },
  vjp: (ct, { args }, needs) => {
    const [c, a, b] = args as [Tensor, Tensor, Tensor]
    return [
      undefined,
      needs[1] ? unbroadcast(where(c, ct, 0), a.shape, a.dtype) : undefined,
      needs[2] ? unbroadcast(where(c, 0, ct), b.shape, b.dtype) : undefined,
    ]
  },
  batch: batchElementwise,
})
