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
 * on the WebAssembly SIMD gemm for float32 (`matmul.ts`). The geometry itself (which padding
 * 'same' means, the output size) is a shape rule: `patchGeometry` in tensor/window.ts.
 *
 * float32 im2col, col2im and the convolution run in WebAssembly SIMD (`wasm/patches.ts`, the same
 * values bit for bit) where the engine has it; the loops below are the portable reference.
 */
import { type Data, type PatchGeometry, type Tensor, alloc, fromData, promote } from '../tensor/index.js'
import { matmul } from './matmul.js'
import * as W from './wasm/patches.js'

/**
 * Copies channels [c0, c0 + cg) of each tap of each output position into a row:
 * out[(n, oh, ow), (i, j, c)] for a [n, inH, inW, channels] image; zero where the tap is padding.
 * A kernel row that lies wholly on the image, undilated, with all channels, is one contiguous
 * run of kw · channels values in the image: copied in one loop (the common case of a stride-1
 * convolution away from the border).
 */
const fill = (a: Data, o: Data, batch: number, channels: number, g: PatchGeometry, c0: number, cg: number): void => {
  const { kh, kw, sh, sw, dh, dw, padTop, padLeft, inH, inW, outH, outW } = g
  const whole = dw === 1 && cg === channels
  const run = kw * cg
  let dst = 0
  for (let n = 0; n < batch; n++) {
    const image = n * inH * inW * channels
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++) {
        const iw0 = ow * sw - padLeft
        const inside = iw0 >= 0 && iw0 + (kw - 1) * dw < inW
        for (let i = 0; i < kh; i++) {
          const ih = oh * sh - padTop + i * dh
          if (ih < 0 || ih >= inH) {
            dst += run
            continue
          }
          const row = image + ih * inW * channels + c0
          if (whole && inside) {
            const src = row + iw0 * channels
            for (let t = 0; t < run; t++) o[dst + t] = a[src + t]!
            dst += run
            continue
          }
          for (let j = 0; j < kw; j++) {
            const iw = iw0 + j * dw
            if (iw >= 0 && iw < inW) {
              const src = row + iw * channels
              for (let c = 0; c < cg; c++) o[dst + c] = a[src + c]!
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
  const size = batch * g.outH * g.outW * g.kh * g.kw * channels
  if (x.dtype !== 'float32' || !W.patchesFit(x.data.length + size)) return extractPatchesPortable(x, g)
  return fromData([batch, g.outH, g.outW, g.kh, g.kw, channels], W.im2col(x.data as Float32Array, batch, channels, g, 0, channels))
}

/** `extractPatches` by the portable loops (the reference the WebAssembly kernel matches bit for bit). @category kernels */
export const extractPatchesPortable = (x: Tensor, g: PatchGeometry): Tensor => {
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
  if (p.dtype !== 'float32' || !W.patchesFit(p.data.length + batch * g.inH * g.inW * channels)) return foldPatchesPortable(p, g)
  return fromData([batch, g.inH, g.inW, channels], W.col2im(p.data as Float32Array, batch, channels, g))
}

/** `foldPatches` by the portable loops (the reference the WebAssembly kernel matches bit for bit). @category kernels */
export const foldPatchesPortable = (p: Tensor, g: PatchGeometry): Tensor => {
  const [batch, , , , , channels] = p.shape as [number, number, number, number, number, number]
  const { kh, kw, sh, sw, dh, dw, padTop, padLeft, inH, inW, outH, outW } = g
  const o = alloc(p.dtype, batch * inH * inW * channels)
  const a = p.data
  const run = kw * channels
  let src = 0
  for (let n = 0; n < batch; n++) {
    const image = n * inH * inW * channels
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++) {
        const iw0 = ow * sw - padLeft
        const inside = dw === 1 && iw0 >= 0 && iw0 + kw <= inW
        for (let i = 0; i < kh; i++) {
          const ih = oh * sh - padTop + i * dh
          if (ih < 0 || ih >= inH) {
            src += run
            continue
          }
          const row = image + ih * inW * channels
          if (inside) {
            // the kernel row lands on one contiguous run of the image (see `fill`)
            const dst = row + iw0 * channels
            for (let t = 0; t < run; t++) o[dst + t] = o[dst + t]! + a[src + t]!
            src += run
            continue
          }
          for (let j = 0; j < kw; j++) {
            const iw = iw0 + j * dw
            if (iw >= 0 && iw < inW) {
              const dst = row + iw * channels
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
export const conv2d = (x: Tensor, w: Tensor, g: PatchGeometry, groups: number): Tensor => convolve(x, w, g, groups, true)

/** `conv2d` by the portable im2col loops and the matmul kernel (the reference of the WebAssembly path). @category kernels */
export const conv2dPortable = (x: Tensor, w: Tensor, g: PatchGeometry, groups: number): Tensor => convolve(x, w, g, groups, false)

const convolve = (x: Tensor, w: Tensor, g: PatchGeometry, groups: number, fast: boolean): Tensor => {
  const [batch, , , channels] = x.shape as [number, number, number, number]
  const outChannels = w.shape[3]!
  const m = batch * g.outH * g.outW
  const cg = channels / groups
  const og = outChannels / groups
  const k = g.kh * g.kw * cg
  const dtype = promote(x.dtype, w.dtype)
  const shape = [batch, g.outH, g.outW, outChannels]
  const wasm = fast && x.dtype === 'float32' && w.dtype === 'float32' && W.patchesFit(x.data.length + k * og + m * og + W.blockFloats(k))
  // the patches times `b` [k, n]: in WebAssembly memory with no copy of the patches, or portably
  const product = (c0: number, b: Data, n: number): Data =>
    wasm ? W.conv2d(x.data as Float32Array, b as Float32Array, n, batch, channels, g, c0, cg) : matmul(cols(c0), fromData([k, n], b), false, false).data
  const cols = (c0: number): Tensor => {
    const o = alloc(x.dtype, m * k)
    fill(x.data, o, batch, channels, g, c0, cg)
    return fromData([m, k], o)
  }
  if (groups === 1) return fromData(shape, product(0, w.data, outChannels))
  const out = alloc(dtype, m * outChannels)
  for (let group = 0; group < groups; group++) {
    // this group's weight columns, contiguous
    const wg = alloc(w.dtype, k * og)
    for (let r = 0; r < k; r++) for (let c = 0; c < og; c++) wg[r * og + c] = w.data[r * outChannels + group * og + c]!
    const y = product(group * cg, wg, og)
    for (let r = 0; r < m; r++) for (let c = 0; c < og; c++) out[r * outChannels + group * og + c] = y[r * og + c]!
  }
  return fromData(shape, out)
}

/**
 * The gradient of a one-group convolution at its image (a transposed convolution):
 * dx = col2im(dy · Wᵀ) for the cotangent dy [n, outH, outW, co] and HWIO weights
 * w [kh, kw, c, co], an image [n, inH, inW, c]. float32 runs in WebAssembly block by block of
 * output rows (the product dy · Wᵀ, [n·outH·outW, kh·kw·c], is never laid out whole); the
 * portable path is `foldPatches` of the matrix product. The caller has checked the shapes.
 * @category kernels
 */
export const conv2dBackwardInput = (dy: Tensor, w: Tensor, g: PatchGeometry): Tensor => {
  const [batch, , , co] = dy.shape as [number, number, number, number]
  const channels = w.shape[2]!
  const size = batch * g.inH * g.inW * channels
  if (dy.dtype === 'float32' && w.dtype === 'float32' && W.patchesFit(dy.data.length + w.data.length + size + W.blockFloats(g.kh * g.kw * channels))) {
    return fromData([batch, g.inH, g.inW, channels], W.conv2dBackwardInput(dy.data as Float32Array, w.data as Float32Array, co, batch, channels, g))
  }
  return conv2dBackwardInputPortable(dy, w, g)
}

/** `conv2dBackwardInput` by the portable matmul and col2im (the reference of the WebAssembly path). @category kernels */
export const conv2dBackwardInputPortable = (dy: Tensor, w: Tensor, g: PatchGeometry): Tensor => {
  const [batch, , , co] = dy.shape as [number, number, number, number]
  const [kh, kw, channels] = w.shape as [number, number, number, number]
  const m = batch * g.outH * g.outW
  const dp = matmul(fromData([m, co], dy.data), fromData([kh * kw * channels, co], w.data), false, true)
  return foldPatchesPortable(fromData([batch, g.outH, g.outW, kh, kw, channels], dp.data), g)
}

/**
 * The gradient of a one-group convolution at its weights: dW = patches(x)ᵀ · dy for the NHWC
 * image x [n, inH, inW, c] and the cotangent dy [n, outH, outW, co], as HWIO weights
 * [kh, kw, c, co]. float32 runs in WebAssembly, the patches laid out one block of output rows at
 * a time and never whole; the portable path multiplies the whole patches matrix.
 * The caller has checked the shapes.
 * @category kernels
 */
export const conv2dBackwardFilter = (x: Tensor, dy: Tensor, g: PatchGeometry): Tensor => {
  const [batch, , , channels] = x.shape as [number, number, number, number]
  const co = dy.shape[3]!
  const k = g.kh * g.kw * channels
  if (x.dtype === 'float32' && dy.dtype === 'float32' && W.patchesFit(x.data.length + dy.data.length + k * co + W.blockFloats(k))) {
    return fromData([g.kh, g.kw, channels, co], W.conv2dBackwardFilter(x.data as Float32Array, dy.data as Float32Array, co, batch, channels, g))
  }
  return conv2dBackwardFilterPortable(x, dy, g)
}

/** `conv2dBackwardFilter` by the portable im2col and matmul (the reference of the WebAssembly path). @category kernels */
export const conv2dBackwardFilterPortable = (x: Tensor, dy: Tensor, g: PatchGeometry): Tensor => {
  const [batch, , , channels] = x.shape as [number, number, number, number]
  const co = dy.shape[3]!
  const m = batch * g.outH * g.outW
  const k = g.kh * g.kw * channels
  const o = alloc(x.dtype, m * k)
  fill(x.data, o, batch, channels, g, 0, channels)
  const dw = matmul(fromData([m, k], o), fromData([m, co], dy.data), true, false)
  return fromData([g.kh, g.kw, channels, co], dw.data)
}
