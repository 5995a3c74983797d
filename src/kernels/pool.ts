/**
 * Max pooling of NHWC images read in place, with no patches laid out: the forward maximum over
 * each window and the backward pass that routes each output's cotangent to the taps that attained
 * the maximum. The window geometry is a `PatchGeometry` (tensor/window.ts); padding taps are
 * skipped, so they never win (a window wholly in padding gives -Infinity and routes nothing).
 *
 * The values are those of the composite they replace (`max` over `extractPatches`, whose rule
 * weighs each tied maximum by 1/ties, then `foldPatches`): the same maxima, each cotangent times
 * the same rounded 1/ties, added into each pixel in the same (n, oh, ow, i, j) order. float32
 * runs in WebAssembly SIMD (wasm/patches.ts), 4 channels at a time, with the loops' values bit for
 * bit; the loops below are the reference.
 */
import { type Data, type PatchGeometry, type Tensor, alloc, fromData, promote } from '../tensor/index.js'
import * as W from './wasm/patches.js'

/**
 * y[n, oh, ow, c] = the maximum of x over the window of output (oh, ow), padding excluded;
 * a NaN in the window propagates (as `max`). x is [n, inH, inW, c]; y is [n, outH, outW, c].
 * @category kernels
 */
export const maxPool = (x: Tensor, g: PatchGeometry): Tensor => {
  const [batch, , , channels] = x.shape as [number, number, number, number]
  if (x.dtype === 'float32' && W.patchesFit(x.size + batch * g.outH * g.outW * channels)) {
    return fromData([batch, g.outH, g.outW, channels], W.maxPool(x.data as Float32Array, batch, channels, g))
  }
  return maxPoolPortable(x, g)
}

/** `maxPool` by portable loops (the reference of the WebAssembly path). @category kernels */
export const maxPoolPortable = (x: Tensor, g: PatchGeometry): Tensor => {
  const [batch, , , channels] = x.shape as [number, number, number, number]
  const { kh, kw, sh, sw, dh, dw, padTop, padLeft, inH, inW, outH, outW } = g
  const o = alloc(x.dtype, batch * outH * outW * channels).fill(-Infinity)
  const a = x.data
  let dst = 0
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++) {
        for (let i = 0; i < kh; i++) {
          const ih = oh * sh - padTop + i * dh
          if (ih < 0 || ih >= inH) continue
          for (let j = 0; j < kw; j++) {
            const iw = ow * sw - padLeft + j * dw
            if (iw < 0 || iw >= inW) continue
            const src = ((n * inH + ih) * inW + iw) * channels
            for (let c = 0; c < channels; c++) {
              const v = a[src + c]!
              if (v > o[dst + c]! || v !== v) o[dst + c] = v
            }
          }
        }
        dst += channels
      }
    }
  }
  return fromData([batch, outH, outW, channels], o)
}

/**
 * The gradient of `maxPool` at x for the cotangent dy [n, outH, outW, c]: dx [n, inH, inW, c]
 * gets dy[n, oh, ow, c] · (1/t) at every tap of the window that equals the window's maximum,
 * t the number of such taps (ties split evenly, as `max`); NaN on every tap of a window whose
 * maximum is NaN (as the composite's 0/0 weight).
 * @category kernels
 */
export const maxPoolBackward = (x: Tensor, dy: Tensor, g: PatchGeometry): Tensor => {
  const [batch, , , channels] = x.shape as [number, number, number, number]
  if (x.dtype === 'float32' && dy.dtype === 'float32' && W.patchesFit(2 * x.size + dy.size + 3 * channels)) {
    return fromData(x.shape, W.maxPoolBackward(x.data as Float32Array, dy.data as Float32Array, batch, channels, g))
  }
  return maxPoolBackwardPortable(x, dy, g)
}

/** `maxPoolBackward` by portable loops (the reference of the WebAssembly path). @category kernels */
export const maxPoolBackwardPortable = (x: Tensor, dy: Tensor, g: PatchGeometry): Tensor => {
  const [batch, , , channels] = x.shape as [number, number, number, number]
  const { kh, kw, sh, sw, dh, dw, padTop, padLeft, inH, inW, outH, outW } = g
  const dtype = promote(x.dtype, dy.dtype)
  const single = dtype === 'float32'
  // in the output's dtype, so that the weight and each sum round as the composite's buffers do
  const o = alloc(dtype, x.size)
  const weight: Data = alloc(dtype, channels)
  const best = new Float64Array(channels)
  const ties = new Float64Array(channels)
  const a = x.data
  const d = dy.data
  let out = 0
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++) {
        // one scan for the maximum (as `maxPool`: a NaN sticks) and the number of taps attaining it
        best.fill(-Infinity)
        ties.fill(0)
        for (let i = 0; i < kh; i++) {
          const ih = oh * sh - padTop + i * dh
          if (ih < 0 || ih >= inH) continue
          for (let j = 0; j < kw; j++) {
            const iw = ow * sw - padLeft + j * dw
            if (iw < 0 || iw >= inW) continue
            const src = ((n * inH + ih) * inW + iw) * channels
            for (let c = 0; c < channels; c++) {
              const v = a[src + c]!
              const b = best[c]!
              if (v > b) {
                best[c] = v
                ties[c] = 1
              } else if (v === b) ties[c]!++
              else if (v !== v && b === b) {
                best[c] = NaN
                ties[c] = 0
              }
            }
          }
        }
        // no tap equals a NaN maximum: the composite's 0/0 weight then puts NaN on every tap
        for (let c = 0; c < channels; c++) {
          const t = ties[c]!
          weight[c] = t === 0 ? NaN : d[out + c]! * (single ? Math.fround(1 / t) : 1 / t)
        }
        for (let i = 0; i < kh; i++) {
          const ih = oh * sh - padTop + i * dh
          if (ih < 0 || ih >= inH) continue
          for (let j = 0; j < kw; j++) {
            const iw = ow * sw - padLeft + j * dw
            if (iw < 0 || iw >= inW) continue
            const src = ((n * inH + ih) * inW + iw) * channels
            for (let c = 0; c < channels; c++) {
              const w = weight[c]!
              if (a[src + c] === best[c] || w !== w) o[src + c] = o[src + c]! + w
            }
          }
        }
        out += channels
      }
    }
  }
  return fromData(x.shape, o)
}
