import { type Shape, type Tensor, ShapeError, checkShape, fromData, sizeOf } from '../../tensor/index.js'
import { type Primitive, primitive } from '../Primitive.js'
import { transpose } from './transpose.js'

const resolve = (x: Tensor, shape: Shape): Shape => {
  const free = shape.filter((d) => d === -1).length
  if (free > 1) throw new ShapeError('reshape', [x.shape, shape], 'at most one dimension may be -1')
  if (free === 1) {
    const known = sizeOf(shape.filter((d) => d !== -1))
    if (known === 0 || x.size % known !== 0) throw new ShapeError('reshape', [x.shape, shape], `cannot infer the -1 dimension for ${x.size} elements`)
    return checkShape('reshape', shape.map((d) => (d === -1 ? x.size / known : d)))
  }
  checkShape('reshape', shape)
  if (sizeOf(shape) !== x.size) throw new ShapeError('reshape', [x.shape, shape], `cannot reshape ${x.size} elements into ${sizeOf(shape)}`)
  return shape
}

/**
 * The same elements in a new shape (one dimension may be -1, inferred). Shares the buffer: tensors
 * are immutable, so no copy is needed.  d reshape(x) = reshape(dx).
 * @example
 * ```ts
 * ops.reshape(arange(6), [2, 3]) // [[0, 1, 2], [3, 4, 5]]
 * ```
 * @category primitives
 */
export const reshape: Primitive<(x: Tensor, shape: Shape) => Tensor, Shape> = primitive({
  name: 'reshape',
  domain: 'real',
  call: (bind) => (x: Tensor, shape: Shape): Tensor => bind([x], resolve(x, shape)),
  impl: ([x], shape: Shape) => fromData(shape, x!.data),
  jvp: ([dx], { params }) => (dx === undefined ? undefined : reshape(dx, params)),
  vjp: (ct, { args }) => [reshape(ct, args[0]!.shape)],
  // the batch axis goes in front (a copy only when it is not there yet), then each example is reshaped
  batch: ({ args: [x], dims: [d], params, bind }) => {
    const front = d === 0 ? x! : transpose(x!, [d!, ...x!.shape.map((_, i) => i).filter((i) => i !== d)])
    return [bind([front], [front.shape[0]!, ...params]), 0]
  },
})
