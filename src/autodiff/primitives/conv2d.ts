import * as K from '../../kernels/index.js'
import * as T from '../../tensor/index.js'
import { type Tensor, type WindowOptions, ShapeError } from '../../tensor/index.js'
import { batchByLoop } from '../batchRules.js'
import { type Primitive, primitive } from '../Primitive.js'
import { add } from './add.js'
import { cast } from './cast.js'
import { concat } from './concat.js'
import { matmul } from './matmul.js'
import { batchIntoImages, extractPatches, foldPatches, windowOptionsOf } from './patches.js'
import { reshape } from './reshape.js'
import { slice } from './slicePad.js'

/**
 * Options of `conv2d`: the window options and the number of channel groups (default 1). @category model
 * @example
 * ```ts
 * const options: ops.Conv2dOptions = { padding: 'same', stride: 2, dilation: 1, groups: 1 }
 * ops.conv2d(zeros([1, 8, 8, 3]), zeros([3, 3, 3, 4]), options)
 * ```
 */
export interface Conv2dOptions extends WindowOptions {
  readonly groups?: number
}

/** The parameters of a bound `conv2d`: the resolved geometry and the groups. @category model */
export interface Conv2dParams {
  readonly geometry: T.PatchGeometry
  readonly groups: number
}

const check = (x: Tensor, w: Tensor, options: Conv2dOptions): Conv2dParams => {
  if (w.shape.length !== 4) throw new ShapeError('conv2d', [x.shape, w.shape], `expects HWIO weights of rank 4, [kh, kw, inChannels / groups, outChannels], got rank ${w.shape.length}; convert OIHW (PyTorch) weights with ops.transpose(w, [2, 3, 1, 0])`)
  const [kh, kw, ci, co] = w.shape as [number, number, number, number]
  const geometry = T.patchGeometry('conv2d', x.shape, [kh, kw], options)
  const groups = options.groups ?? 1
  const c = x.shape[3]!
  if (!Number.isInteger(groups) || groups < 1 || c % groups !== 0 || co % groups !== 0) {
    throw new ShapeError('conv2d', [x.shape, w.shape], `groups (${groups}) must be a positive integer dividing both the input channels (${c}) and the output channels (${co})`)
  }
  if (ci * groups !== c) {
    throw new ShapeError('conv2d', [x.shape, w.shape], `the weights take ${ci} channels per group but the image has ${c} channels in ${groups} group(s); the weights' third axis must be ${c / groups}`)
  }
  return { geometry, groups }
}

// A cotangent in its argument's dtype: mixed float32/float64 products are float64.
const like = (g: Tensor, x: Tensor): Tensor => (g.dtype === x.dtype ? g : cast(g, x.dtype))

/**
 * A 2-D convolution (cross-correlation, as in every framework) of an NHWC image batch `x`
 * [n, h, w, c] with HWIO weights `w` [kh, kw, c / groups, outChannels]:
 * y[n, oh, ow, o] = Σ_\{i, j, c'\} x[n, oh·sh - padTop + i·dh, ow·sw - padLeft + j·dw, g·(c/groups) + c'] · w[i, j, c', o],
 * where g = floor(o / (outChannels / groups)) is o's group. Options: `stride`, `padding`
 * ('valid' default, 'same' as TensorFlow, a number, or [[top, bottom], [left, right]]),
 * `dilation`, `groups`. PyTorch's
 * `torch.nn.functional.conv2d(x, w, stride, padding, dilation, groups)` is the same op in NCHW/OIHW: `nhwcToNchw(conv2d(nchwToNhwc(x), transpose(w, [2, 3, 1, 0])))`.
 *
 * Kernel: im2col and one gemm per group (WebAssembly SIMD for float32). Rules, with
 * P = extractPatches(x) as a matrix [n·outH·outW, kh·kw·c] per group and W the weights as
 * [kh·kw·c / groups, outChannels]: conv is bilinear, so d y = conv2d(dx, w) + conv2d(x, dw);
 * the transposes are dW = Pᵀ · dY and dx = foldPatches(dY · Wᵀ), per group. With one group they
 * are the primitives `conv2dBackpropInput` and `conv2dBackpropFilter` (kernels that never lay
 * the patches or dY · Wᵀ out whole); with several, matrix products of the patches. Both are
 * written with primitives, so derivatives of every order follow.
 * @example
 * ```ts
 * const images = zeros([8, 28, 28, 3]) // NHWC
 * const kernels = zeros([3, 3, 3, 16]) // [kh, kw, in, out]
 * const y = ops.conv2d(images, kernels, { padding: 'same', stride: 2 }) // [8, 14, 14, 16]
 * ```
 * @category primitives
 */
export const conv2d: Primitive<(x: Tensor, w: Tensor, options?: Conv2dOptions) => Tensor, Conv2dParams> = primitive({
  name: 'conv2d',
  domain: 'real',
  call: (bind) => (x: Tensor, w: Tensor, options: Conv2dOptions = {}): Tensor => bind([x, w], check(x, w, options)),
  impl: ([x, w], { geometry, groups }: Conv2dParams) => K.conv2d(x!, w!, geometry, groups),
  jvp: ([dx, dw], { args, params: { geometry, groups } }) => {
    const [x, w] = args as [Tensor, Tensor]
    const o = { ...windowOptionsOf(geometry), groups }
    const left = dx === undefined ? undefined : conv2d(dx, w, o)
    const right = dw === undefined ? undefined : conv2d(x, dw, o)
    return left === undefined ? right : right === undefined ? left : add(left, right)
  },
  vjp: (ct, { args, params: { geometry: g, groups } }, needs) => {
    const [x, w] = args as [Tensor, Tensor]
    const [n, , , c] = x.shape as [number, number, number, number]
    const [kh, kw, cg, co] = w.shape as [number, number, number, number]
    const m = n * g.outH * g.outW
    const taps = kh * kw
    const og = co / groups
    const ct2 = reshape(ct, [m, co])
    const w2 = reshape(w, [taps * cg, co])
    const ctOf = (j: number): Tensor => (groups === 1 ? ct2 : slice(ct2, [0, j * og], [m, og]))
    const wOf = (j: number): Tensor => (groups === 1 ? w2 : slice(w2, [0, j * og], [taps * cg, og]))
    const group = Array.from({ length: groups }, (_, j) => j)
    if (groups === 1) return [needs[0] ? like(conv2dBackpropInput(ct, w, g), x) : undefined, needs[1] ? like(conv2dBackpropFilter(x, ct, g), w) : undefined]
    let dx: Tensor | undefined
    if (needs[0]) {
      // dP = dY · Wᵀ per group, channels of the groups side by side, then folded back
      const parts = group.map((j) => reshape(matmul(ctOf(j), wOf(j), { transposeB: true }), [m, taps, 1, cg]))
      const dp = reshape(groups === 1 ? parts[0]! : concat(parts, 2), [n, g.outH, g.outW, kh, kw, c])
      dx = like(foldPatches(dp, x.shape, windowOptionsOf(g)), x)
    }
    let dw: Tensor | undefined
    if (needs[1]) {
      const p = reshape(extractPatches(x, [kh, kw], windowOptionsOf(g)), [m, taps, groups, cg])
      const pOf = (j: number): Tensor => reshape(groups === 1 ? p : slice(p, [0, 0, j, 0], [m, taps, 1, cg]), [m, taps * cg])
      const parts = group.map((j) => matmul(pOf(j), ctOf(j), { transposeA: true }))
      dw = like(reshape(groups === 1 ? parts[0]! : concat(parts, 1), w.shape), w)
    }
    return [dx, dw]
  },
  // images batched over shared weights fold into the image batch (one im2col and gemm); batched
  // weights (per-example filters) go example by example
  batch: (input) => (input.dims[1] === undefined ? batchIntoImages(input) : batchByLoop(input)),
})

const checkGradient = (op: string, image: T.Shape, ct: T.Shape, w: T.Shape, g: T.PatchGeometry): T.PatchGeometry => {
  const [n, h, wd, c] = image as [number, number, number, number]
  const [kh, kw, ci, co] = w as [number, number, number, number]
  const ok = image.length === 4 && ct.length === 4 && w.length === 4 && ct[0] === n && h === g.inH && wd === g.inW && ci === c && kh === g.kh && kw === g.kw &&
    ct[1] === g.outH && ct[2] === g.outW && ct[3] === co
  if (!ok) {
    throw new ShapeError(op, [image, ct, w], `expects an image [n, ${g.inH}, ${g.inW}, c], a cotangent [n, ${g.outH}, ${g.outW}, co] and weights [${g.kh}, ${g.kw}, c, co] of one convolution geometry; build the geometry with patchGeometry from the image's shape`)
  }
  return g
}

/**
 * The gradient of a one-group `conv2d` at its image (the transposed convolution):
 * dx[n, h, w, c] = Σ_\{oh, ow, i, j, o\} ct[n, oh, ow, o] · w[i, j, c, o] over the taps (i, j) of
 * output (oh, ow) that read pixel (h, w), i.e. foldPatches(ct · Wᵀ) for the convolution of
 * geometry `g`. One primitive rather than the composite so that its kernel folds dY · Wᵀ block
 * by block instead of laying out n·outH·outW·kh·kw·c entries. Bilinear; its transpose in ct
 * is `conv2d` by w, in w `conv2dBackpropFilter`. As TensorFlow's `Conv2DBackpropInput`.
 * @category primitives
 */
export const conv2dBackpropInput: Primitive<(ct: Tensor, w: Tensor, g: T.PatchGeometry) => Tensor, T.PatchGeometry> = primitive({
  name: 'conv2dBackpropInput',
  domain: 'real',
  call: (bind) => (ct: Tensor, w: Tensor, g: T.PatchGeometry): Tensor =>
    bind([ct, w], checkGradient('conv2dBackpropInput', [ct.shape[0]!, g.inH, g.inW, w.shape[2]!], ct.shape, w.shape, g)),
  impl: ([ct, w], g: T.PatchGeometry) => K.conv2dBackwardInput(ct!, w!, g),
  jvp: ([dct, dw], { args, params: g }) => {
    const [ct, w] = args as [Tensor, Tensor]
    const left = dct === undefined ? undefined : conv2dBackpropInput(dct, w, g)
    const right = dw === undefined ? undefined : conv2dBackpropInput(ct, dw, g)
    return left === undefined ? right : right === undefined ? left : add(left, right)
  },
  vjp: (u, { args, params: g }, needs) => {
    const [ct, w] = args as [Tensor, Tensor]
    return [needs[0] ? like(conv2d(u, w, windowOptionsOf(g)), ct) : undefined, needs[1] ? like(conv2dBackpropFilter(u, ct, g), w) : undefined]
  },
  // cotangents batched over shared weights fold into the image batch, as conv2d's images
  batch: (input) => (input.dims[1] === undefined ? batchIntoImages(input) : batchByLoop(input)),
})

/**
 * The gradient of a one-group `conv2d` at its weights: dW[i, j, c, o] =
 * Σ_\{n, oh, ow\} x[n, oh·sh - padTop + i·dh, ow·sw - padLeft + j·dw, c] · ct[n, oh, ow, o], i.e.
 * Pᵀ · dY with P = extractPatches(x) for the convolution of geometry `g`, as HWIO weights
 * [kh, kw, c, co]. One primitive rather than the composite so that its kernel lays the patches
 * out one block at a time instead of whole. Bilinear; its transpose in x is
 * `conv2dBackpropInput`, in ct `conv2d` of x. As TensorFlow's `Conv2DBackpropFilter`.
 * @category primitives
 */
export const conv2dBackpropFilter: Primitive<(x: Tensor, ct: Tensor, g: T.PatchGeometry) => Tensor, T.PatchGeometry> = primitive({
  name: 'conv2dBackpropFilter',
  domain: 'real',
  call: (bind) => (x: Tensor, ct: Tensor, g: T.PatchGeometry): Tensor =>
    bind([x, ct], checkGradient('conv2dBackpropFilter', x.shape, ct.shape, [g.kh, g.kw, x.shape[3]!, ct.shape[3]!], g)),
  impl: ([x, ct], g: T.PatchGeometry) => K.conv2dBackwardFilter(x!, ct!, g),
  jvp: ([dx, dct], { args, params: g }) => {
    const [x, ct] = args as [Tensor, Tensor]
    const left = dx === undefined ? undefined : conv2dBackpropFilter(dx, ct, g)
    const right = dct === undefined ? undefined : conv2dBackpropFilter(x, dct, g)
    return left === undefined ? right : right === undefined ? left : add(left, right)
  },
  vjp: (v, { args, params: g }, needs) => {
    const [x, ct] = args as [Tensor, Tensor]
    return [needs[0] ? like(conv2dBackpropInput(ct, v, g), x) : undefined, needs[1] ? like(conv2d(x, v, windowOptionsOf(g)), ct) : undefined]
  },
  // a sum over the examples: one call per example of the batch
  batch: batchByLoop,
})
