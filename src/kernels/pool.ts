/**
 * Max pooling of NHWC images read in place, with no patches laid out: the forward maximum over
 * each window and the backward pass that routes each output's cotangent to the taps that attained
 * the maximum. The window geometry is a `PatchGeometry` (tensor/window.ts); padding taps are
 * skipped, so they never win (a window wholly in padding gives -Infinity and routes nothing).
 *
 * The values are those of the composite they replace (`max` over `extractPatches`, whose rule
 * weighs each tied maximum by 1/ties, then `foldPatches`): the same maxima, each cotangent times
 * the same rounded 1/ties, added into each pixel in the same (n, oh, ow, i, j) order.
 */
import { type Data, type PatchGeometry, type Tensor, alloc, fromData, promote } from '../tensor/index.js'

// Calls f(pixel offset of tap (i, j)) for every tap of output (n, oh, ow) that lies on the image.
const eachTap = (g: PatchGeometry, channels: number, n: number, oh: number, ow: number, f: (pixel: number) => void): void => {
  for (let i = 0; i < g.kh; i++) {
    const ih = oh * g.sh - g.padTop + i * g.dh
    if (ih < 0 || ih >= g.inH) continue
    for (let j = 0; j < g.kw; j++) {
      const iw = ow * g.sw - g.padLeft + j * g.dw
      if (iw >= 0 && iw < g.inW) f(((n * g.inH + ih) * g.inW + iw) * channels)
    }
  }
}

/**
 * y[n, oh, ow, c] = the maximum of x over the window of output (oh, ow), padding excluded;
 * a NaN in the window propagates (as `max`). x is [n, inH, inW, c]; y is [n, outH, outW, c].
 * @category kernels
 */
export const maxPool = (x: Tensor, g: PatchGeometry): Tensor => {
  const [batch, , , channels] = x.shape as [number, number, number, number]
  const o = alloc(x.dtype, batch * g.outH * g.outW * channels).fill(-Infinity)
  const a = x.data
  let dst = 0
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < g.outH; oh++) {
      for (let ow = 0; ow < g.outW; ow++) {
        eachTap(g, channels, n, oh, ow, (src) => {
          for (let c = 0; c < channels; c++) {
            const v = a[src + c]!
            if (v > o[dst + c]! || v !== v) o[dst + c] = v
          }
        })
        dst += channels
      }
    }
  }
  return fromData([batch, g.outH, g.outW, channels], o)
}

/**
 * The gradient of `maxPool` at x for the cotangent dy [n, outH, outW, c]: dx [n, inH, inW, c]
 * gets dy[n, oh, ow, c] · (1/t) at every tap of the window that equals the window's maximum,
 * t the number of such taps (ties split evenly, as `max`); NaN on every tap of a window whose
 * maximum is NaN (as the composite's 0/0 weight).
 * @category kernels
 */
export const maxPoolBackward = (x: Tensor, dy: Tensor, g: PatchGeometry): Tensor => {
  const y = maxPool(x, g)
  const [batch, , , channels] = x.shape as [number, number, number, number]
  const dtype = promote(x.dtype, dy.dtype)
  const o = alloc(dtype, x.size)
  const a = x.data
  const m = y.data
  const d = dy.data
  // the weight 1/t and the product rounded as the composite's float32 buffers round them
  const round: (v: number) => number = dtype === 'float32' ? Math.fround : (v) => v
  const ties: Data = new Float64Array(channels)
  let out = 0
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < g.outH; oh++) {
      for (let ow = 0; ow < g.outW; ow++) {
        ties.fill(0)
        eachTap(g, channels, n, oh, ow, (src) => {
          for (let c = 0; c < channels; c++) if (a[src + c] === m[out + c]) ties[c]!++
        })
        // no tap equals a NaN maximum: the composite's 0/0 weight then puts NaN on every tap
        for (let c = 0; c < channels; c++) ties[c] = ties[c] === 0 ? NaN : round(d[out + c]! * round(1 / ties[c]!))
        eachTap(g, channels, n, oh, ow, (src) => {
          for (let c = 0; c < channels; c++) {
            const w = ties[c]!
            if (a[src + c] === m[out + c] || w !== w) o[src + c] = round(o[src + c]! + w)
          }
        })
        out += channels
      }
    }
  }
  return fromData(x.shape, o)
}
