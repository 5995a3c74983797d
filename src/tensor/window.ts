/**
 * The shape rule of window ops (convolutions, pools, patches) on NHWC images: which input pixel
 * feeds each output position, and how large the output is. Output (oh, ow), kernel tap (i, j)
 * reads input (oh·sh - padTop + i·dh, ow·sw - padLeft + j·dw); taps outside the image are padding.
 */
import { ShapeError } from './errors.js'
import type { Shape } from './shape.js'

/**
 * A resolved patch geometry: kernel, stride, dilation, padding (top, bottom, left, right), and
 * the input and output spatial sizes.
 * @category shape
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
 * @example
 * ```ts
 * const padding: ops.Padding = [[1, 1], [2, 2]] // explicit [top, bottom], [left, right]
 * ```
 * @category shape
 */
export type Padding = 'valid' | 'same' | number | readonly [readonly [number, number], readonly [number, number]]

/**
 * A size per spatial axis: one number for both, or `[height, width]`. @category shape
 * @example
 * ```ts
 * const kernel: ops.Pair = [3, 5] // or 3 for 3×3
 * ```
 */
export type Pair = number | readonly [number, number]

/**
 * The options of a window op: stride (default 1), padding (default 'valid') and dilation (default 1). @category shape
 * @example
 * ```ts
 * const options: ops.WindowOptions = { stride: 2, padding: 'same' }
 * ops.extractPatches(zeros([1, 8, 8, 1]), 3, options)
 * ```
 */
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
 * @category shape
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
