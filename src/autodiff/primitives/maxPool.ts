/**
 * Max pooling as a pair of fused primitives, `maxPool` and its gradient `maxPoolBackward`, each
 * the other's rule (so they share a file). They exist for speed alone: the composite
 * `max(extractPatches(x))` lays out every window's taps, and its rule broadcasts the maxima and
 * the cotangent back over them, compares, counts ties, divides, multiplies and folds, eight
 * passes over an image-sized buffer; these kernels read the image in place (kernels/pool.ts)
 * and give the composite's values. The higher-order rules are that composite, so derivatives of
 * every order still flow.
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
import { mul } from './mul.js'
import { batchIntoImages, extractPatches, windowOptionsOf } from './patches.js'
import { reshape } from './reshape.js'
import { broadcastTo, sum } from './sumBroadcast.js'
import { where } from './where.js'

const padded = (g: T.PatchGeometry): boolean => g.padTop + g.padBottom + g.padLeft + g.padRight > 0

// The taps of every window of x, -Infinity at padding: [n, outH, outW, kh, kw, c].
const taps = (x: Tensor, g: T.PatchGeometry): Tensor => {
  const o = windowOptionsOf(g)
  const p = extractPatches(x, [g.kh, g.kw], o)
  return padded(g) ? where(extractPatches(ones([1, g.inH, g.inW, 1], { dtype: x.dtype }), [g.kh, g.kw], o), p, -Infinity) : p
}

// The derivative of the pool at x (maxima y) along dx: each window's taps of dx weighed by 1/ties
// where the tap attains the maximum (`max`'s rule), summed. Piecewise constant in x.
const tangent = (x: Tensor, y: Tensor, dx: Tensor, g: T.PatchGeometry): Tensor => {
  const t = taps(x, g)
  const [n, outH, outW, , , c] = t.shape as [number, number, number, number, number, number]
  const mask = equal(t, broadcastTo(reshape(y, [n, outH, outW, 1, 1, c]), t.shape))
  return sum(mul(extractPatches(dx, [g.kh, g.kw], windowOptionsOf(g)), div(mask, sum(mask, [3, 4], true))), [3, 4])
}

const checkImage = (op: string, x: Tensor, g: T.PatchGeometry): void => {
  if (x.shape.length !== 4 || x.shape[1] !== g.inH || x.shape[2] !== g.inW) {
    throw new ShapeError(op, [x.shape], `expects an NHWC image [n, ${g.inH}, ${g.inW}, c] for its window geometry, got ${showShape(x.shape)}; build the geometry with patchGeometry from the image's shape`)
  }
}

/**
 * y[n, oh, ow, c] = the maximum over the window of (oh, ow) of the NHWC image x, padding taps
 * excluded (geometry `g`); the same values as `max(extractPatches(x), [3, 4])` with padding at
 * -Infinity. Its VJP is `maxPoolBackward`; its JVP the composite's.
 * @category primitives
 */
export const maxPool: Primitive<(x: Tensor, g: T.PatchGeometry) => Tensor, T.PatchGeometry> = primitive({
  name: 'maxPool',
  domain: 'separated',
  call: (bind) => (x: Tensor, g: T.PatchGeometry): Tensor => {
    checkImage('maxPool', x, g)
    return bind([x], g)
  },
  impl: ([x], g: T.PatchGeometry) => K.maxPool(x!, g),
  jvp: ([dx], { args, out, params: g }) => (dx === undefined ? undefined : tangent(args[0]!, out, dx, g)),
  vjp: (ct, { args, params: g }) => [maxPoolBackward(args[0]!, ct, g)],
  batch: batchIntoImages,
})

// Both batch axes (a shared argument broadcast to one) fold into the image batch, as `batchIntoImages`.
const batchBoth = ({ args, dims, params, size, bind }: BatchInput<T.PatchGeometry>): Batched => {
  const fold = (t: Tensor): Tensor => reshape(t, [size * t.shape[1]!, ...t.shape.slice(2)])
  const x = batchedFront(args[0]!, dims[0], size)
  const y = bind([fold(x), fold(batchedFront(args[1]!, dims[1], size))], params)
  return [reshape(y, [size, x.shape[1]!, ...y.shape.slice(1)]), 0]
}

/**
 * The VJP of `maxPool` at x for the cotangent ct [n, outH, outW, c]: an image like x in which
 * every tap that attains its window's maximum gets ct · (1/ties), summed over the windows (the
 * composite's `foldPatches` of `max`'s rule, in one pass). Linear in ct, piecewise constant in x
 * (whose derivative is zero); the transpose in ct is the pool's tangent.
 * @category primitives
 */
export const maxPoolBackward: Primitive<(x: Tensor, ct: Tensor, g: T.PatchGeometry) => Tensor, T.PatchGeometry> = primitive({
  name: 'maxPoolBackward',
  domain: 'separated',
  call: (bind) => (x: Tensor, ct: Tensor, g: T.PatchGeometry): Tensor => {
    checkImage('maxPoolBackward', x, g)
    if (ct.shape.length !== 4 || ct.shape[0] !== x.shape[0] || ct.shape[1] !== g.outH || ct.shape[2] !== g.outW || ct.shape[3] !== x.shape[3]) {
      throw new ShapeError('maxPoolBackward', [x.shape, ct.shape], `expects a cotangent [${x.shape[0]}, ${g.outH}, ${g.outW}, ${x.shape[3]}], the pool's output shape`)
    }
    return bind([x, ct], g)
  },
  impl: ([x, ct], g: T.PatchGeometry) => K.maxPoolBackward(x!, ct!, g),
  jvp: ([, dct], { args, params: g }) => (dct === undefined ? undefined : maxPoolBackward(args[0]!, dct, g)),
  vjp: (u, { args, params: g }, needs) => {
    const [x, ct] = args as [Tensor, Tensor]
    if (!needs[1]) return [undefined, undefined]
    const t = tangent(x, maxPool(x, g), u, g)
    return [undefined, t.dtype === ct.dtype ? t : cast(t, ct.dtype)]
  },
  batch: batchBoth,
})
