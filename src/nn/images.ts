/**
 * What the image layers (conv2d, the pools) share: an image shape per example, the input rule,
 * and the spec codecs of window options.
 *
 * Image layers work on NHWC batches [batch, height, width, channels]. Their `inSize` and
 * `outSize` are the features per example (height · width · channels), so they chain with every
 * other layer through `serial`'s size rule; each also states its `inShape` and `outShape`.
 * An image layer accepts its images as [batch, h, w, c] or flattened as [batch, h·w·c] (the rows
 * of an image dataset), and returns [batch, outH, outW, outChannels]; `flatten` turns that into
 * rows for a dense layer.
 */
import { reshape } from '../ops/index.js'
import { type Padding, type Pair, ShapeError, type Tensor, showShape, showValue } from '../tensor/index.js'
import { type SpecField, isSpecSize, specCodec } from './LayerKind.js'

/**
 * The shape of one image, [height, width, channels]. @category layers
 * @example
 * ```ts
 * const shape: nn.ImageShape = [28, 28, 1] // height, width, channels
 * nn.imageSize(shape) // 784
 * ```
 */
export type ImageShape = readonly [number, number, number]

/**
 * The features of one image: height · width · channels. @category layers
 * @example
 * ```ts
 * nn.imageSize([28, 28, 3]) // 2352
 * ```
 */
export const imageSize = (shape: ImageShape): number => shape[0] * shape[1] * shape[2]

/**
 * Checks an image shape given to the layer `name` (three positive integers). @category guards
 * @example
 * ```ts
 * nn.checkImageShape('myLayer', [28, 28, 1]) // returns the shape, or throws naming myLayer
 * ```
 */
export const checkImageShape = (name: string, shape: ImageShape): ImageShape => {
  if (!Array.isArray(shape) || shape.length !== 3 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new RangeError(`${name}: the input shape must be [height, width, channels] of positive integers, got ${JSON.stringify(shape)}`)
  }
  return Object.freeze([...shape]) as unknown as ImageShape
}

/**
 * The batch `x` as NHWC images of `shape`: as it is when it is [batch, h, w, c], reshaped when it
 * is flat rows [batch, h·w·c]; otherwise a `ShapeError` naming the layer and the likely fix.
 * @example
 * ```ts
 * nn.toImages('myLayer', [28, 28, 1], zeros([8, 784])).shape // [8, 28, 28, 1]
 * ```
 * @category guards
 */
export const toImages = (name: string, shape: ImageShape, x: Tensor): Tensor => {
  const [h, w, c] = shape
  const s = x.shape
  if (s.length === 4 && s[1] === h && s[2] === w && s[3] === c) return x
  if (s.length === 2 && s[1] === h * w * c) return reshape(x, [s[0]!, h, w, c])
  const hint = s.length === 4 && s[1] === c && s[2] === h && s[3] === w
    ? '; this looks like NCHW (PyTorch): convert it with ops.nchwToNhwc'
    : s.length === 4 ? `; check the previous layer's output shape (it gives images ${showShape(s.slice(1))})` : ''
  throw new ShapeError(name, [s], `expects images [batch, ${h}, ${w}, ${c}] (NHWC) or rows [batch, ${h * w * c}]${hint}`)
}

const isPair = (u: unknown): u is readonly [number, number] => Array.isArray(u) && u.length === 2 && u.every(isSpecSize)

/**
 * A pair as a spec stores it: [height, width]. @category layers
 * @example
 * ```ts
 * nn.pairOf(3) // [3, 3]
 * nn.pairOf([2, 1]) // [2, 1]
 * ```
 */
export const pairOf = (p: Pair): readonly [number, number] => Object.freeze(typeof p === 'number' ? [p, p] : [p[0], p[1]]) as readonly [number, number]

/**
 * Padding as a spec stores it: 'valid', 'same' or [[top, bottom], [left, right]]. @category specs
 * @example
 * ```ts
 * const padding: nn.PaddingSpec = 'same'
 * ```
 */
export type PaddingSpec = 'valid' | 'same' | readonly [readonly [number, number], readonly [number, number]]

/**
 * Padding in its spec form. @category layers
 * @example
 * ```ts
 * nn.paddingOf('same') // 'same'
 * ```
 */
export const paddingOf = (p: Padding): PaddingSpec =>
  typeof p === 'string' ? p : typeof p === 'number' ? [[p, p], [p, p]] : [[p[0][0], p[0][1]], [p[1][0], p[1][1]]]

const isPad = (u: unknown): boolean => typeof u === 'number' && Number.isInteger(u) && u >= 0 && u <= 2 ** 16
const isPadding = (u: unknown): u is PaddingSpec =>
  u === 'valid' || u === 'same' || (Array.isArray(u) && u.length === 2 && u.every((p) => Array.isArray(p) && p.length === 2 && p.every(isPad)))

/**
 * The codec of an image shape field (`inShape`). @category specs
 * @example
 * ```ts
 * nn.imageShapeField.codec.decode([28, 28, 1]) // Right([28, 28, 1])
 * ```
 */
export const imageShapeField: SpecField<ImageShape> = Object.freeze({
  codec: specCodec('an image shape', (u): u is ImageShape => Array.isArray(u) && u.length === 3 && u.every(isSpecSize),
    (u) => `expected [height, width, channels] of positive integers, got ${showValue(u)}`),
})

/**
 * The codec of a [height, width] pair field (`kernel`, `stride`, ...); `optional` for those with a default. @category specs
 * @example
 * ```ts
 * nn.pairField(false).codec.decode([3, 3]) // Right([3, 3])
 * ```
 */
export const pairField = (optional: boolean): SpecField<readonly [number, number]> => Object.freeze({
  codec: specCodec('a pair [height, width]', isPair, (u) => `expected [height, width] of positive integers, got ${showValue(u)}`),
  ...(optional ? { optional: true as const } : {}),
})

/**
 * The codec of an optional padding field. @category specs
 * @example
 * ```ts
 * nn.paddingField.codec.decode('same') // Right('same')
 * ```
 */
export const paddingField: SpecField<PaddingSpec> = Object.freeze({
  codec: specCodec('a padding', isPadding, (u) => `expected "valid", "same" or [[top, bottom], [left, right]] of non-negative integers, got ${showValue(u)}`),
  optional: true as const,
})
