/**
 * `extractPatches` (im2col) and `foldPatches` (col2im): both linear, each the other's transpose,
 * so they share one file. They carry the derivatives of every window op: `conv2d`'s VJP is a
 * matrix product followed by `foldPatches`, and the pools are reductions over `extractPatches`.
 * Images are NHWC (see kernels/patches.ts).
 */
import * as K from '../../kernels/index.js'
import * as T from '../../tensor/index.js'
import { type Pair, type PatchGeometry, type Shape, type Tensor, type WindowOptions, ShapeError, showShape } from '../../tensor/index.js'
import { toFront } from '../batchRules.js'
import { type Primitive, primitive } from '../Primitive.js'
import type { BatchInput, Batched } from '../PrimitiveRules.js'
import { reshape } from './reshape.js'

export type { Padding, Pair, PatchGeometry, WindowOptions } from '../../tensor/index.js'

/** The options that rebuild a resolved geometry exactly ('same' becomes its explicit padding). @category model */
export const windowOptionsOf = (g: T.PatchGeometry): T.WindowOptions => ({
  stride: [g.sh, g.sw],
  dilation: [g.dh, g.dw],
  padding: [[g.padTop, g.padBottom], [g.padLeft, g.padRight]],
})

/**
 * The batching rule of the window primitives, whose first axis is already a batch: vmap's batch
 * axis folds into it ([B, n, ...] is [B·n, ...]), one call serves every example, and the result
 * unfolds again.
 * @category batching
 */
export const batchIntoImages = <P>({ args, dims, params, size, bind }: BatchInput<P>): Batched => {
  const x = toFront(args[0]!, dims[0]!)
  const y = bind([reshape(x, [size * x.shape[1]!, ...x.shape.slice(2)]), ...args.slice(1)], params)
  return [reshape(y, [size, x.shape[1]!, ...y.shape.slice(1)]), 0]
}

/**
 * The patches of an NHWC image `x` [n, h, w, c] under a `kernel` window: [n, outH, outW, kh, kw, c],
 * entry (n, oh, ow, i, j, c) = x[n, oh·sh - padTop + i·dh, ow·sw - padLeft + j·dw, c], zero at
 * padding. As PyTorch's `torch.nn.functional.unfold` (NCHW, taps flattened) and TensorFlow's
 * `tf.image.extract_patches` (taps flattened). Linear: d patches(x) = patches(dx); its
 * transpose is `foldPatches`.
 * @example
 * ```ts
 * ops.extractPatches(zeros([2, 8, 8, 3]), 3, { padding: 'same' }) // [2, 8, 8, 3, 3, 3]
 * ```
 * @category primitives
 */
export const extractPatches: Primitive<(x: Tensor, kernel: Pair, options?: WindowOptions) => Tensor, PatchGeometry> = primitive({
  name: 'extractPatches',
  domain: 'real',
  call: (bind) => (x: Tensor, kernel: T.Pair, options: T.WindowOptions = {}): Tensor => bind([x], T.patchGeometry('extractPatches', x.shape, kernel, options)),
  impl: ([x], g: T.PatchGeometry) => K.extractPatches(x!, g),
  jvp: ([dx], { params: g }) => (dx === undefined ? undefined : extractPatches(dx, [g.kh, g.kw], windowOptionsOf(g))),
  vjp: (ct, { args, params: g }) => [foldPatches(ct, args[0]!.shape, windowOptionsOf(g))],
  batch: batchIntoImages,
})

const checkFold = (p: Tensor, shape: Shape, options: T.WindowOptions): T.PatchGeometry => {
  if (p.shape.length !== 6) throw new ShapeError('foldPatches', [p.shape], `expects patches of rank 6, [n, outH, outW, kh, kw, c] (as extractPatches gives), got rank ${p.shape.length}`)
  const g = T.patchGeometry('foldPatches', shape, [p.shape[3]!, p.shape[4]!], options)
  const expected = [shape[0]!, g.outH, g.outW, g.kh, g.kw, shape[3]!]
  if (expected.some((d, i) => d !== p.shape[i])) {
    throw new ShapeError('foldPatches', [p.shape, shape], `patches of an image ${showShape(shape)} under these options have shape ${showShape(expected)}`)
  }
  return g
}

/**
 * col2im: sums patches [n, outH, outW, kh, kw, c] back into an NHWC image of `shape`
 * [n, h, w, c], each entry into the pixel `extractPatches` read it from (padding taps dropped).
 * As PyTorch's `torch.nn.functional.fold`. Linear: d fold(p) = fold(dp); its transpose is
 * `extractPatches`.
 * @example
 * ```ts
 * const images = ones([1, 4, 4, 1])
 * const patches = ops.extractPatches(images, 2, { stride: 2 }) // [1, 2, 2, 2, 2, 1]
 * ops.foldPatches(patches, images.shape, { stride: 2 }) // the image again: the patches do not overlap
 * ```
 * @category primitives
 */
export const foldPatches: Primitive<(p: Tensor, shape: Shape, options?: WindowOptions) => Tensor, PatchGeometry> = primitive({
  name: 'foldPatches',
  domain: 'real',
  call: (bind) => (p: Tensor, shape: Shape, options: T.WindowOptions = {}): Tensor => bind([p], checkFold(p, shape, options)),
  impl: ([p], g: T.PatchGeometry) => K.foldPatches(p!, g),
  jvp: ([dp], { out, params: g }) => (dp === undefined ? undefined : foldPatches(dp, out.shape, windowOptionsOf(g))),
  vjp: (ct, { params: g }) => [extractPatches(ct, [g.kh, g.kw], windowOptionsOf(g))],
  batch: batchIntoImages,
})
