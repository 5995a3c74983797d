/**
 * Image patches (im2col) and their transpose (col2im), and the convolution built on them, for
 * NHWC images: `x[n, h, w, c]` row-major, channels innermost (the layout of TensorFlow and of
 * row-major dense rows, so a flattened image is a dense input as it is).
 *
 * A patch geometry says which input pixel feeds each output position: output (oh, ow), kernel tap
 * (i, j) reads input (oh·sh - padTop + i·dh, ow·sw - padLeft + j·dw), zero outside the image.
 * `im2col` lays the taps of every output position out as one row of a matrix
 * [n·outH·outW, kh·kw·c] (taps row-major, channels innermost), so a convolution is one matrix
 * product with the weights [kh·kw·c, outChannels] (the HWIO weights, read row-major), which runs
 * on the WebAssembly SIMD gemm for float32 (`matmul.ts`).
 */
import { type Data, type Shape, type Tensor, ShapeError, alloc, fromData, promote } from '../tensor/index.js'
import { matmul } from './matmul.js'

/**
 * A resolved patch geometry: kernel, stride, dilation, padding (top, bottom, left, right), and
 * the input and output spatial sizes.
 * @category kernels
 */
export interface PatchGeometry {
  readonly kh: number
  readonly kw: number
  readonly sh: number
  readonly sw: number
  readonly dh: number
  readonly dw: number
  readonly padTop: number
  readonly padBottom: number
  readonly padLeft: number
  readonly padRight: number
  readonly inH: number
  readonly inW: number
  readonly outH: number
  readonly outW: number
}

/**
 * Padding of a window op: 'valid' (none), 'same' (TensorFlow's rule: outH = ceil(inH / sh), the
 * extra pixel at the bottom/right when the total is odd), one number for every side, or
 * `[[top, bottom], [left, right]]`.
 * @category kernels
 */
export type Padding = 'valid' | 'same' | number | readonly [readonly [number, number], readonly [number, number]]

/** A size per spatial axis: one number for both, or `[height, width]`. @category kernels */
export type Pair = number | readonly [number, number]

/** The options of a window op: stride (default 1), padding (default 'valid') and dilation (default 1). @category kernels */
export interface WindowOptions {
  readonly stride?: Pair
  readonly padding?: Padding
  readonly dilation?: Pair
}

const pair = (op: string, what: string, v: Pair, min: number): readonly [number, number] => {
  const p: readonly [number, number] = typeof v === 'number' ? [v, v] : v
  if (p.length !== 2 || !p.every((d) => Number.isInteger(d) && d >= min)) {
    throw new RangeError(`${op}: ${what} must be an integer >= ${min} or a pair [height, width] of them, got ${JSON.stringify(v)}`)
  }
  return p
}

const samePad = (size: number, stride: number, extent: number): readonly [number, number] => {
  const out = Math.ceil(size / stride)
  const total = Math.max((out - 1) * stride + extent - size, 0)
  return [Math.floor(total / 2), total - Math.floor(total / 2)]
}

/**
 * Resolves a window op's options against an image of `inH` x `inW` and a kernel of `kh` x `kw`.
 * Throws a `RangeError` for a bad option and a `ShapeError` (naming `op` and the shape) when the
 * padded image is smaller than the dilated kernel.
 * @category kernels
 */
export const patchGeometry = (op: string, shape: Shape, kernel: Pair, options: WindowOptions = {}): PatchGeometry => {
  if (shape.length !== 4) throw new ShapeError(op, [shape], `expects an NHWC image batch of rank 4, [batch, height, width, channels], got rank ${shape.length}; reshape flat rows with ops.reshape(x, [batch, height, width, channels]), or convert NCHW with ops.nchwToNhwc`)
  const [, inH, inW] = shape as [number, number, number, number]
  const [kh, kw] = pair(op, 'the kernel size', kernel, 1)
  const [sh, sw] = pair(op, 'the stride', options.stride ?? 1, 1)
  const [dh, dw] = pair(op, 'the dilation', options.dilation ?? 1, 1)
  const eh = (kh - 1) * dh + 1
  const ew = (kw - 1) * dw + 1
  const padding = options.padding ?? 'valid'
  let pads: readonly [number, number, number, number]
  if (padding === 'valid') pads = [0, 0, 0, 0]
  else if (padding === 'same') pads = [...samePad(inH, sh, eh), ...samePad(inW, sw, ew)]
  else if (typeof padding === 'number') pads = [padding, padding, padding, padding]
  else if (Array.isArray(padding) && padding.length === 2) pads = [...padding[0], ...padding[1]] as unknown as readonly [number, number, number, number]
  else pads = [-1, 0, 0, 0]
  if (pads.length !== 4 || !pads.every((p) => Number.isInteger(p) && p >= 0)) {
    throw new RangeError(`${op}: padding must be 'valid', 'same', a non-negative integer or [[top, bottom], [left, right]], got ${JSON.stringify(padding)}`)
  }
  const [padTop, padBottom, padLeft, padRight] = pads
  const outH = Math.floor((inH + padTop + padBottom - eh) / sh) + 1
  const outW = Math.floor((inW + padLeft + padRight - ew) / sw) + 1
  if (outH < 1 || outW < 1) {
    throw new ShapeError(op, [shape], `the padded image (${inH + padTop + padBottom} x ${inW + padLeft + padRight}) is smaller than the dilated kernel (${eh} x ${ew}); use padding 'same', a smaller kernel, or a larger image`)
  }
  return Object.freeze({ kh, kw, sh, sw, dh, dw, padTop, padBottom, padLeft, padRight, inH, inW, outH, outW })
}

/**
 * Copies channels [c0, c0 + cg) of each tap of each output position into a row:
 * out[(n, oh, ow), (i, j, c)] for a [n, inH, inW, channels] image; zero where the tap is padding.
 */
const fill = (a: Data, o: Data, batch: number, channels: number, g: PatchGeometry, c0: number, cg: number): void => {
  const { kh, kw, sh, sw, dh, dw, padTop, padLeft, inH, inW, outH, outW } = g
  let dst = 0
  for (let n = 0; n < batch; n++) {
    const image = n * inH * inW * channels
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++) {
        for (let i = 0; i < kh; i++) {
          const ih = oh * sh - padTop + i * dh
          for (let j = 0; j < kw; j++) {
            const iw = ow * sw - padLeft + j * dw
            if (ih >= 0 && ih < inH && iw >= 0 && iw < inW) {
              const src = image + (ih * inW + iw) * channels + c0
              if (cg === 1) o[dst] = a[src]!
              else for (let c = 0; c < cg; c++) o[dst + c] = a[src + c]!
            }
            dst += cg
          }
        }
      }
    }
  }
}

/**
 * im2col: the patches of an NHWC image as [n, outH, outW, kh, kw, channels] (zero at padding),
 * in a fresh buffer. The caller has resolved `g` against `x`'s shape.
 * @category kernels
 */
export const extractPatches = (x: Tensor, g: PatchGeometry): Tensor => {
  const [batch, , , channels] = x.shape as [number, number, number, number]
  const o = alloc(x.dtype, batch * g.outH * g.outW * g.kh * g.kw * channels)
  fill(x.data, o, batch, channels, g, 0, channels)
  return fromData([batch, g.outH, g.outW, g.kh, g.kw, channels], o)
}

/**
 * col2im, the transpose of `extractPatches`: sums every patch entry back into the pixel it was
 * read from, giving an image [n, inH, inW, channels]; padding taps are dropped.
 * @category kernels
 */
export const foldPatches = (p: Tensor, g: PatchGeometry): Tensor => {
  const [batch, , , , , channels] = p.shape as [number, number, number, number, number, number]
  const { kh, kw, sh, sw, dh, dw, padTop, padLeft, inH, inW, outH, outW } = g
  const o = alloc(p.dtype, batch * inH * inW * channels)
  const a = p.data
  let src = 0
  for (let n = 0; n < batch; n++) {
    const image = n * inH * inW * channels
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++) {
        for (let i = 0; i < kh; i++) {
          const ih = oh * sh - padTop + i * dh
          for (let j = 0; j < kw; j++) {
            const iw = ow * sw - padLeft + j * dw
            if (ih >= 0 && ih < inH && iw >= 0 && iw < inW) {
              const dst = image + (ih * inW + iw) * channels
              for (let c = 0; c < channels; c++) o[dst + c] = o[dst + c]! + a[src + c]!
            }
            src += channels
          }
        }
      }
    }
  }
  return fromData([batch, inH, inW, channels], o)
}

/**
 * A 2-D convolution (cross-correlation, as every framework's "conv") of an NHWC image
 * [n, inH, inW, c] with HWIO weights [kh, kw, c / groups, outChannels] in `groups` groups:
 * out[n, oh, ow, o] = Σ_{i, j, c} x[n, oh·sh - padTop + i·dh, ow·sw - padLeft + j·dw, g·cg + c] · w[i, j, c, o],
 * with g = o's group. im2col then one gemm per group (float32 on the WebAssembly SIMD kernel).
 * The caller has checked the shapes.
 * @category kernels
 */
export const conv2d = (x: Tensor, w: Tensor, g: PatchGeometry, groups: number): Tensor => {
  const [batch, , , channels] = x.shape as [number, number, number, number]
  const outChannels = w.shape[3]!
  const m = batch * g.outH * g.outW
  const cg = channels / groups
  const og = outChannels / groups
  const k = g.kh * g.kw * cg
  const dtype = promote(x.dtype, w.dtype)
  const shape = [batch, g.outH, g.outW, outChannels]
  const cols = (c0: number): Tensor => {
    const o = alloc(x.dtype, m * k)
    fill(x.data, o, batch, channels, g, c0, cg)
    return fromData([m, k], o)
  }
  if (groups === 1) return fromData(shape, matmul(cols(0), fromData([k, outChannels], w.data), false, false).data)
  const out = alloc(dtype, m * outChannels)
  for (let group = 0; group < groups; group++) {
    // this group's weight columns, contiguous
    const wg = alloc(w.dtype, k * og)
    for (let r = 0; r < k; r++) for (let c = 0; c < og; c++) wg[r * og + c] = w.data[r * outChannels + group * og + c]!
    const y = matmul(cols(group * cg), fromData([k, og], wg), false, false).data
    for (let r = 0; r < m; r++) for (let c = 0; c < og; c++) out[r * outChannels + group * og + c] = y[r * og + c]!
  }
  return fromData(shape, out)
}
