/**
 * Window ops on NHWC images composed from primitives: the pools (reductions over
 * `extractPatches`; max pooling through its fused primitive `maxPool`), the global pools, `conv1d` (a `conv2d` of height 1) and the layout
 * helpers between NCHW (PyTorch) and NHWC (purenet, TensorFlow). None has derivative code of its
 * own; the derivatives of `extractPatches`, `max` and `sum` carry them, at every order (max
 * pooling runs as the fused primitive `maxPool`, for speed, with the same values and gradients).
 */
import * as P from '../autodiff/primitives/index.js'
import { maxPool } from '../autodiff/primitives/maxPool.js'
import { type Pair, type Tensor, type WindowOptions, ShapeError, ones, patchGeometry } from '../tensor/index.js'

const rank4 = (op: string, x: Tensor, layout: string): void => {
  if (x.shape.length !== 4) throw new ShapeError(op, [x.shape], `expects a ${layout} image batch of rank 4, got rank ${x.shape.length}`)
}

/**
 * NCHW (PyTorch's layout) to NHWC (purenet's): transpose(x, [0, 2, 3, 1]). @category composites
 * @example
 * ```ts
 * ops.nchwToNhwc(zeros([8, 3, 28, 28])).shape // [8, 28, 28, 3]
 * ```
 */
export const nchwToNhwc = (x: Tensor): Tensor => {
  rank4('nchwToNhwc', x, 'NCHW')
  return P.transpose(x, [0, 2, 3, 1])
}

/**
 * NHWC (purenet's layout) to NCHW (PyTorch's): transpose(x, [0, 3, 1, 2]). @category composites
 * @example
 * ```ts
 * ops.nhwcToNchw(zeros([8, 28, 28, 3])).shape // [8, 3, 28, 28]
 * ```
 */
export const nhwcToNchw = (x: Tensor): Tensor => {
  rank4('nhwcToNchw', x, 'NHWC')
  return P.transpose(x, [0, 3, 1, 2])
}

// The pools' stride defaults to the window, as in PyTorch and TensorFlow.
const poolOptions = (window: P.Pair, options: P.WindowOptions): P.WindowOptions => ({ ...options, stride: options.stride ?? window })

const padded = (options: P.WindowOptions): boolean => options.padding !== undefined && options.padding !== 'valid' && options.padding !== 0

// 1 where a window tap lies on the image, 0 where it is padding: [1, outH, outW, kh, kw, 1], a constant.
const onImage = (x: Tensor, window: P.Pair, options: P.WindowOptions): Tensor =>
  P.extractPatches(ones([1, x.shape[1]!, x.shape[2]!, 1], { dtype: x.dtype }), window, options)

/**
 * Max pooling of an NHWC batch [n, h, w, c] over `window` (stride defaults to the window;
 * padding taps never win): y[n, oh, ow, c] = max over the window of x. The derivative flows to the
 * maximum, split evenly among ties (`max`'s rule). Runs as the fused primitive `maxPool` (the
 * values of `max` over `extractPatches`, with no patches laid out). PyTorch: `F.max_pool2d` (NCHW); TensorFlow:
 * `tf.nn.max_pool2d` (NHWC, same 'same' padding).
 * @example
 * ```ts
 * const images = zeros([8, 28, 28, 3])
 * const pooled = ops.maxPool2d(images, 2) // shape [8, 14, 14, 3]
 * ```
 * @category composites
 */
export const maxPool2d = (x: Tensor, window: Pair, options: WindowOptions = {}): Tensor => {
  return maxPool(x, patchGeometry('maxPool2d', x.shape, window, poolOptions(window, options)))
}

/**
 * Average pooling of an NHWC batch [n, h, w, c] over `window` (stride defaults to the window):
 * the mean of the taps that lie on the image, padding excluded from the count (TensorFlow's
 * rule; PyTorch's `F.avg_pool2d(..., count_include_pad=False)`).
 * @example
 * ```ts
 * const images = zeros([8, 28, 28, 3])
 * const pooled = ops.avgPool2d(images, 2) // shape [8, 14, 14, 3]
 * ```
 * @category composites
 */
export const avgPool2d = (x: Tensor, window: Pair, options: WindowOptions = {}): Tensor => {
  const o = poolOptions(window, options)
  const total = P.sum(P.extractPatches(x, window, o), [3, 4])
  if (!padded(o)) {
    const [kh, kw] = typeof window === 'number' ? [window, window] : window
    return P.mul(total, 1 / (kh * kw))
  }
  return P.div(total, P.sum(onImage(x, window, o), [3, 4]))
}

/**
 * The mean over the spatial axes of an NHWC batch: [n, h, w, c] to [n, c]. @category composites
 * @example
 * ```ts
 * ops.globalAvgPool2d(ones([8, 7, 7, 32])).shape // [8, 32]
 * ```
 */
export const globalAvgPool2d = (x: Tensor): Tensor => {
  rank4('globalAvgPool2d', x, 'NHWC')
  return P.mul(P.sum(x, [1, 2]), 1 / (x.shape[1]! * x.shape[2]!))
}

/**
 * The maximum over the spatial axes of an NHWC batch: [n, h, w, c] to [n, c] (ties split evenly). @category composites
 * @example
 * ```ts
 * ops.globalMaxPool2d(ones([8, 7, 7, 32])).shape // [8, 32]
 * ```
 */
export const globalMaxPool2d = (x: Tensor): Tensor => {
  rank4('globalMaxPool2d', x, 'NHWC')
  return P.max(x, [1, 2])
}

/**
 * Options of `conv1d`: stride, padding ('valid', 'same', a number or [left, right]), dilation, groups. @category composites
 * @example
 * ```ts
 * const options: ops.Conv1dOptions = { padding: 'same', stride: 1 }
 * ops.conv1d(zeros([1, 10, 2]), zeros([3, 2, 4]), options)
 * ```
 */
export interface Conv1dOptions {
  readonly stride?: number
  readonly padding?: 'valid' | 'same' | number | readonly [number, number]
  readonly dilation?: number
  readonly groups?: number
}

/**
 * A 1-D convolution of an NLC batch `x` [n, length, c] with weights [k, c / groups, outChannels]:
 * a `conv2d` of height 1. PyTorch's `F.conv1d` is the same op in NCL/OIL layout.
 * @example
 * ```ts
 * const sequences = zeros([4, 100, 8]) // [batch, length, channels]
 * const kernels = zeros([3, 8, 16]) // [kernel, inChannels, outChannels]
 * const y = ops.conv1d(sequences, kernels, { padding: 'same' }) // shape [4, 100, 16]
 * ```
 * @category composites
 */
export const conv1d = (x: Tensor, w: Tensor, options: Conv1dOptions = {}): Tensor => {
  if (x.shape.length !== 3 || w.shape.length !== 3) {
    throw new ShapeError('conv1d', [x.shape, w.shape], 'expects an input [batch, length, channels] and weights [kernel, inChannels / groups, outChannels]')
  }
  const p = options.padding ?? 'valid'
  const padding: P.Padding = typeof p === 'string' ? p : typeof p === 'number' ? [[0, 0], [p, p]] : [[0, 0], p]
  const y = P.conv2d(P.reshape(x, [x.shape[0]!, 1, x.shape[1]!, x.shape[2]!]), P.reshape(w, [1, ...w.shape]), {
    stride: [1, options.stride ?? 1], dilation: [1, options.dilation ?? 1], padding, groups: options.groups ?? 1,
  })
  return P.reshape(y, [y.shape[0]!, y.shape[2]!, y.shape[3]!])
}
