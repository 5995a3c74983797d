/**
 * Max pooling as a fused primitive, for speed alone: `ops.maxPool2d` was the composite
 * `max(extractPatches(x), [3, 4])` (padding taps -Infinity), whose backward builds the patches,
 * compares them with the maxima, counts the ties, divides, multiplies and folds, six passes over
 * a tensor kh·kw times the output. `maxPool` and its backward `maxPoolBackward` each run one loop
 * (kernels/maxPool.ts) and give that composite's values and gradients bit for bit. Their rules
 * are written in ops (the composite's own formulas), so derivatives of any order still flow:
 * the pooled value's tangent is Σ_taps dx·w, and the backward is linear in its cotangent with
 * w the tie-split weights (piecewise constant in x, so x's derivative is zero). Internal: listed
 * in table.ts, not exported by `ops` (whose `maxPool2d` is the public face).
 */
import * as K from '../../kernels/index.js'
import * as T from '../../tensor/index.js'
import { type Tensor, ShapeError, ones, showShape } from '../../tensor/index.js'
import { batchedFront } from '../batchRules.js'
import { type Primitive, primitive } from '../Primitive.js'
import type { BatchInput, Batched } from '../PrimitiveRules.js'
import { cast } from './cast.js'
import { div } from './div.js'
import { equal } from './equal.js'
import { max } from './max.js'
import { mul } from './mul.js'
import { batchIntoImages, extractPatches, windowOptionsOf } from './patches.js'
import { reshape } from './reshape.js'
import { broadcastTo, sum } from './sumBroadcast.js'
import { where } from './where.js'

const padded = (g: T.PatchGeometry): boolean => g.padTop + g.padBottom + g.padLeft + g.padRight > 0

// The taps of every window of x, [n, outH, outW, kh, kw, c], -Infinity in the padding.
const taps = (x: Tensor, g: T.PatchGeometry): Tensor => {
  const p = extractPatches(x, [g.kh, g.kw], windowOptionsOf(g))
  if (!padded(g)) return p
  const onImage = extractPatches(ones([1, x.shape[1]!, x.shape[2]!, 1], { dtype: x.dtype }), [g.kh, g.kw], windowOptionsOf(g))
  return where(onImage, p, -Infinity)
}

// Where each window's maximum was attained, each place weighted 1/(number of ties): a constant.
const weights = (x: Tensor, g: T.PatchGeometry): Tensor => {
  const t = taps(x, g)
  const [n, oh, ow, , , c] = t.shape as [number, number, number, number, number, number]
  const mask = equal(t, broadcastTo(reshape(max(t, [3, 4]), [n, oh, ow, 1, 1, c]), t.shape))
  return div(mask, sum(mask, [3, 4], true))
}

// Σ over each window's taps of d·w: the tangent of the pooled value, and the backward's transpose.
const throughMaxima = (d: Tensor, x: Tensor, g: T.PatchGeometry): Tensor =>
  sum(mul(extractPatches(d, [g.kh, g.kw], windowOptionsOf(g)), weights(x, g)), [3, 4])

/**
 * The maximum of every window of an NHWC batch x [n, h, w, c] under the geometry of `window` and
 * `options` (padding taps never win): [n, outH, outW, c]. The derivative flows to the maximum,
 * split evenly among ties. Internal; `ops.maxPool2d` calls it with the pools' default stride.
 * @category primitives
 */
export const maxPool: Primitive<(x: Tensor, window: T.Pair, options?: T.WindowOptions) => Tensor, T.PatchGeometry> = primitive({
  name: 'maxPool',
  domain: 'separated',
  call: (bind) => (x: Tensor, window: T.Pair, options: T.WindowOptions = {}): Tensor => bind([x], T.patchGeometry('maxPool2d', x.shape, window, options)),
  impl: ([x], g: T.PatchGeometry) => K.maxPool(x!, g),
  jvp: ([dx], { args, params: g }) => (dx === undefined ? undefined : throughMaxima(dx, args[0]!, g)),
  vjp: (ct, { args, params: g }) => [maxPoolBackward(ct, args[0]!, g)],
  batch: batchIntoImages,
})

// vmap: both arguments to the front (a shared one broadcast), the batch folded into the images.
const batchBackward = ({ args, dims, params, size, bind }: BatchInput<T.PatchGeometry>): Batched => {
  const [ct, x] = args.map((a, i) => batchedFront(a, dims[i], size)) as [Tensor, Tensor]
  const y = bind([reshape(ct, [size * ct.shape[1]!, ...ct.shape.slice(2)]), reshape(x, [size * x.shape[1]!, ...x.shape.slice(2)])], params)
  return [reshape(y, [size, x.shape[1]!, ...y.shape.slice(1)]), 0]
}

/**
 * The VJP of `maxPool` at x: the cotangent ct [n, outH, outW, c] of each window split evenly
 * among the taps equal to its maximum, added into an image of x's shape. Linear in ct (its
 * transpose is Σ_taps ct'·w); piecewise constant in x, whose derivative is zero.
 * @category primitives
 */
export const maxPoolBackward: Primitive<(ct: Tensor, x: Tensor, geometry: T.PatchGeometry) => Tensor, T.PatchGeometry> = primitive({
  name: 'maxPoolBackward',
  domain: 'separated',
  call: (bind) => (ct: Tensor, x: Tensor, g: T.PatchGeometry): Tensor => {
    const expected = [x.shape[0]!, g.outH, g.outW, x.shape[3]!]
    if (x.shape.length !== 4 || ct.shape.length !== 4 || expected.some((d, i) => d !== ct.shape[i])) {
      throw new ShapeError('maxPoolBackward', [ct.shape, x.shape], `the cotangent of pooling ${showShape(x.shape)} has shape ${showShape(expected)}`)
    }
    return bind([ct, x.dtype === ct.dtype ? x : cast(x, ct.dtype)], g)
  },
  impl: ([ct, x], g: T.PatchGeometry) => K.maxPoolBackward(ct!, x!, g),
  jvp: ([dct], { args, params: g }) => (dct === undefined ? undefined : maxPoolBackward(dct, args[1]!, g)),
  vjp: (c, { args, params: g }, needs) => [needs[0] ? throughMaxima(c, args[1]!, g) : undefined, undefined],
  batch: batchBackward,
})
