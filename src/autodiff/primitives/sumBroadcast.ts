/**
 * `sum` and `broadcastTo`, each the other's transpose, with the two moves between an argument's
 * shape and a broadcast output's shape that every broadcasting rule uses (`unbroadcast` for a
 * cotangent, `fitTangent` for a tangent). One file, because the VJP of `broadcastTo` is a sum and
 * the VJP of `sum` is a broadcast: two files would import each other.
 */
import * as K from '../../kernels/index.js'
import { type DType, type Shape, type Tensor, ShapeError, broadcastedAxes, broadcastsTo, checkShape, fromData, normalizeAxes, shapeEquals } from '../../tensor/index.js'
import { type BatchInput, type Batched, type Primitive, primitive } from '../Primitive.js'
import { cast } from './cast.js'
import { reshape } from './reshape.js'
import { transpose } from './transpose.js'

/** Parameters of a reduction: sorted unique axes and whether reduced axes stay as size 1. @category model */
export interface ReduceParams {
  readonly axes: ReadonlyArray<number>
  readonly keepDims: boolean
}

/** The shape of a reduction's output with the reduced axes kept as 1. @category internals */
export const keptShape = (shape: ReadonlyArray<number>, axes: ReadonlyArray<number>): number[] =>
  shape.map((d, i) => (axes.includes(i) ? 1 : d))

/**
 * The sum over `axes` (all axes when omitted; negative axes count from the end);
 * d sum(x) = sum(dx); its transpose broadcasts the cotangent back over the summed axes.
 * @example
 * ```ts
 * ops.sum(tensor([[1, 2], [3, 4]])) // tensor 10
 * ops.sum(tensor([[1, 2], [3, 4]]), 1) // tensor [3, 7]
 * ops.sum(tensor([[1, 2], [3, 4]]), 0, true) // [[4, 6]]
 * ```
 * @category primitives
 */
export const sum: Primitive<(x: Tensor, axes?: number | ReadonlyArray<number>, keepDims?: boolean) => Tensor, ReduceParams> = primitive({
  name: 'sum',
  domain: 'real',
  call: (bind) => (x: Tensor, axes?: number | ReadonlyArray<number>, keepDims = false): Tensor =>
    bind([x], { axes: normalizeAxes('sum', x.shape, axes), keepDims }),
  impl: ([x], { axes, keepDims }: ReduceParams) => K.sum(x!, axes, keepDims),
  jvp: ([dx], { params: p }) => (dx === undefined ? undefined : sum(dx, p.axes, p.keepDims)),
  vjp: (ct, { args, params: p }) => {
    const x = args[0]!
    return [broadcastTo(p.keepDims ? ct : reshape(ct, keptShape(x.shape, p.axes)), x.shape)]
  },
  batch: (input) => batchReduction(input),
})

/**
 * The batching rule of a reduction over axes (`sum`, `max`): the same reduction of the batched
 * value over the example axes, shifted past the batch axis, which stays (moved left by the
 * reduced axes before it when they are dropped).
 * @category batching
 */
export const batchReduction = ({ args: [x], dims: [d], params: p, bind }: BatchInput<ReduceParams>): Batched => {
  const axes = p.axes.map((a) => (a < d! ? a : a + 1))
  return [bind([x!], { axes, keepDims: p.keepDims }), p.keepDims ? d : d! - p.axes.filter((a) => a < d!).length]
}

/**
 * Broadcasts to `shape` (NumPy rules);  d broadcastTo(x) = broadcastTo(dx); the transpose sums
 * the cotangent over the broadcast axes.
 * @example
 * ```ts
 * ops.broadcastTo(tensor([1, 2]), [3, 2]) // [[1, 2], [1, 2], [1, 2]]
 * ```
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
  // batch axis in front, leading 1s so that the example axes line up, then one broadcast
  batch: ({ args: [x], dims: [d], params: shape, bind }) => {
    const front = d === 0 ? x! : transpose(x!, [d!, ...x!.shape.map((_, i) => i).filter((i) => i !== d)])
    const [size, ...rest] = front.shape as [number, ...number[]]
    const lined = rest.length === shape.length ? front : reshape(front, [size, ...new Array<number>(shape.length - rest.length).fill(1), ...rest])
    return [bind([lined], [size, ...shape]), 0]
  },
})

/**
 * Sums a cotangent over the axes that broadcasting `shape` up to `ct.shape` expanded, and casts
 * it to `dtype`: the VJP of broadcasting.
 * @category internals
 */
export const unbroadcast = (ct: Tensor, shape: Shape, dtype: DType): Tensor => {
  let g = ct
  if (!shapeEquals(g.shape, shape)) {
    g = sum(g, broadcastedAxes(shape, g.shape))
    if (!shapeEquals(g.shape, shape)) g = reshape(g, shape)
  }
  return g.dtype === dtype ? g : cast(g, dtype)
}

/** Broadcasts and casts a tangent to the shape and dtype of the output it belongs to. @category internals */
export const fitTangent = (t: Tensor, out: Tensor): Tensor => {
  const b = shapeEquals(t.shape, out.shape) ? t : broadcastTo(t, out.shape)
  return b.dtype === out.dtype ? b : cast(b, out.dtype)
}
