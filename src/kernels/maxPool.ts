/**
 * Max pooling in one pass over an NHWC batch: the forward (the maximum of each window) and the
 * backward (the cotangent of each window routed to its maxima) without the [n, outH, outW, kh,
 * kw, c] patches the composite `max(extractPatches(x))` builds, and without its backward's
 * equal, sum, div, mul and fold passes over them.
 *
 * Both reproduce that composite bit for bit, so they can replace it anywhere: a tap in the padding
 * is -Infinity; the maximum runs over the taps in (i, j) order and a NaN propagates (`max`'s
 * kernel); the weight of a tap is mask / count with count the number of taps equal to the maximum
 * (0 / 0 = NaN when none is, as with a NaN maximum), rounded to the dtype; a tap's contribution is
 * ct · weight, rounded to the dtype; and the contributions are added into a zeroed image in the
 * order `foldPatches` adds them (window by window, in (n, oh, ow) order).
 */
import { type Data, type Tensor, type PatchGeometry, alloc, fromData } from '../tensor/index.js'

// The loops run over whole channel rows (NHWC keeps a pixel's channels together): per window,
// tap by tap in (i, j) order, each channel's running maximum; so every channel sees its taps in
// the order max's kernel reduces them.

// The maxima of the windows at (n, oh, ·) into o from `at`: tap by tap in (i, j) order over a
// window's whole channel row. A padding tap is -Infinity, which changes a running maximum only as
// the first tap.
const windowMaxima = (a: Data, o: Data, image: number, oh: number, ow: number, at: number, channels: number, inH: number, inW: number, g: PatchGeometry): void => {
  const { kh, kw, sh, sw, dh, dw, padTop, padLeft } = g
  let first = true
  for (let i = 0; i < kh; i++) {
    const ih = oh * sh - padTop + i * dh
    for (let j = 0; j < kw; j++) {
      const iw = ow * sw - padLeft + j * dw
      if (ih < 0 || ih >= inH || iw < 0 || iw >= inW) {
        if (first) for (let c = 0; c < channels; c++) o[at + c] = -Infinity
        first = false
        continue
      }
      const src = image + (ih * inW + iw) * channels
      if (first) {
        for (let c = 0; c < channels; c++) o[at + c] = a[src + c]!
        first = false
        continue
      }
      for (let c = 0; c < channels; c++) {
        const v = a[src + c]!
        // NaN propagates, as in max's kernel
        if (v > o[at + c]! || v !== v) o[at + c] = v
      }
    }
  }
}

/** The maximum of every window of an NHWC batch x: [n, outH, outW, c]. @category kernels */
export const maxPool = (x: Tensor, g: PatchGeometry): Tensor => {
  const [batch, inH, inW, channels] = x.shape as [number, number, number, number]
  const { outH, outW } = g
  const o = alloc(x.dtype, batch * outH * outW * channels)
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++) windowMaxima(x.data, o, n * inH * inW * channels, oh, ow, ((n * outH + oh) * outW + ow) * channels, channels, inH, inW, g)
    }
  }
  return fromData([batch, outH, outW, channels], o)
}

/**
 * The VJP of `maxPool` at x for the cotangent ct [n, outH, outW, c]: each window's ct split evenly
 * among the taps equal to its maximum and added into an image of x's shape. @category kernels
 */
export const maxPoolBackward = (ct: Tensor, x: Tensor, g: PatchGeometry): Tensor => {
  const [batch, inH, inW, channels] = x.shape as [number, number, number, number]
  const { kh, kw, sh, sw, dh, dw, padTop, padLeft, outH, outW } = g
  const a = x.data
  const d = ct.data
  const o = alloc(ct.dtype, batch * inH * inW * channels)
  const f32 = ct.dtype === 'float32'
  const m = alloc(x.dtype, channels)
  const count = new Int32Array(channels)
  for (let n = 0; n < batch; n++) {
    const image = n * inH * inW * channels
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++) {
        const at = ((n * outH + oh) * outW + ow) * channels
        // each channel's maximum (as windowMaxima finds it) and its ties, the taps equal to it, in
        // one pass: a padding tap is -Infinity; once the maximum is NaN, nothing equals it
        let first = true
        for (let i = 0; i < kh; i++) {
          const ih = oh * sh - padTop + i * dh
          for (let j = 0; j < kw; j++) {
            const iw = ow * sw - padLeft + j * dw
            const inside = ih >= 0 && ih < inH && iw >= 0 && iw < inW
            const src = image + (ih * inW + iw) * channels
            for (let c = 0; c < channels; c++) {
              const v = inside ? a[src + c]! : -Infinity
              if (first) {
                m[c] = v
                count[c] = v === v ? 1 : 0
              } else if (v > m[c]! || v !== v) {
                m[c] = v
                count[c] = v === v ? 1 : 0
              } else if (v === m[c]) {
                count[c]!++
              }
            }
            first = false
          }
        }
        // a tap's contribution is ct · (mask / count), each rounded to the dtype: ct · 1/count at a
        // maximum, ct · 0 elsewhere (±0, which leaves a sum unchanged, unless ct is not finite),
        // and NaN everywhere when count is 0
        for (let i = 0; i < kh; i++) {
          const ih = oh * sh - padTop + i * dh
          if (ih < 0 || ih >= inH) continue
          for (let j = 0; j < kw; j++) {
            const iw = ow * sw - padLeft + j * dw
            if (iw < 0 || iw >= inW) continue
            const src = image + (ih * inW + iw) * channels
            for (let c = 0; c < channels; c++) {
              const k = count[c]!
              const dy = d[at + c]!
              if (a[src + c] === m[c]) {
                if (k === 1) o[src + c] = o[src + c]! + dy
                else {
                  const share = f32 ? Math.fround(1 / k) : 1 / k
                  o[src + c] = o[src + c]! + (f32 ? Math.fround(dy * share) : dy * share)
                }
              } else if (k === 0 || dy - dy !== 0) {
                o[src + c] = o[src + c]! + dy * (k === 0 ? NaN : 0)
              }
            }
          }
        }
      }
    }
  }
  return fromData([batch, inH, inW, channels], o)
}
