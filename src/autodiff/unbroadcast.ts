/**
 * Moving derivatives between an argument's shape and a broadcast output's shape. Broadcasting
 * copies an argument along some axes; its transpose sums the cotangent over those same axes.
 */
import { type Shape, type DType, type Tensor, broadcastedAxes, shapeEquals } from '../tensor/index.js'
import { broadcastTo } from './primitives/broadcastTo.js'
import { cast } from './primitives/cast.js'
import { reshape } from './primitives/reshape.js'
import { sum } from './primitives/sum.js'

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
