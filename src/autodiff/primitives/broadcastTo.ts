import * as K from '../../kernels/index.js'
import { type Shape, type Tensor, ShapeError, broadcastsTo, checkShape, fromData, shapeEquals } from '../../tensor/index.js'
import { type Primitive, primitive } from '../Primitive.js'
import { unbroadcast } from '../unbroadcast.js'

/**
 * Broadcasts to `shape` (NumPy rules);  d broadcastTo(x) = broadcastTo(dx); the transpose sums
 * the cotangent over the broadcast axes.
 * @category primitives
 */
export const broadcastTo: Primitive<(x: Tensor, shape: Shape) => Tensor, Shape> = primitive({
  name: 'broadcastTo',
  domain: 'real',
  call: (bind) => (x: Tensor, shape: Shape): Tensor => {
    checkShape('broadcastTo', shape)
    if (!broadcastsTo(x.shape, shape)) throw new ShapeError('broadcastTo', [x.shape, shape], 'the first shape does not broadcast to the second')
    return bind([x], shape)
  },
  impl: ([x], shape: Shape) => (shapeEquals(x!.shape, shape) ? fromData(shape, x!.data) : K.broadcastTo(x!, shape)),
  jvp: ([dx], { params }) => (dx === undefined ? undefined : broadcastTo(dx, params)),
  vjp: (ct, { args }) => [unbroadcast(ct, args[0]!.shape, args[0]!.dtype)],
})
