/**
 * The layout layers `channelsLast` and `channelsFirst`: parameterless permutations of each
 * example's features between NCHW (PyTorch's and ONNX's image layout) and NHWC (purenet's). A
 * network imported from an ONNX file with convolutions starts with `channelsLast`, so that it
 * takes its input as the file does (NCHW), and ends an image part with `channelsFirst` where the
 * file flattens NCHW images; its convolutions and pools in between are purenet's NHWC layers.
 */
import { nchwToNhwc, nhwcToNchw, reshape } from '../ops/index.js'
import { ShapeError, type Tensor, showShape } from '../tensor/index.js'
import { type ImageShape, checkImageShape, imageShapeField, imageSize } from './images.js'
import type { Layer, NoParams } from './Layer.js'
import { type LayerKindDefinition, buildWith, layerKind, noLayout } from './LayerKind.js'
import type { ChannelsSpec } from './LayerSpec.js'

/**
 * A layout layer: a parameterless `Layer` that states the image shape it takes. @category layers
 * @example
 * ```ts
 * const layer: nn.ChannelsLayer = nn.channelsLast([3, 32, 32])
 * layer.outShape // [32, 32, 3]
 * ```
 */
export type ChannelsLayer = Layer<NoParams, number, number> & { readonly inShape: ImageShape; readonly outShape: ImageShape }

const noParams: NoParams = Object.freeze({})

// x as rank-4 images [batch, a, b, c] of `shape`, from images of that shape or flat rows
const asImages = (name: string, layout: string, shape: ImageShape, x: Tensor): Tensor => {
  const [a, b, c] = shape
  const s = x.shape
  if (s.length === 4 && s[1] === a && s[2] === b && s[3] === c) return x
  if (s.length === 2 && s[1] === a * b * c) return reshape(x, [s[0]!, a, b, c])
  throw new ShapeError(name, [s], `expects images [batch, ${a}, ${b}, ${c}] (${layout}) or rows [batch, ${a * b * c}], got ${showShape(s)}`)
}

const layout = (kind: 'channelsLast' | 'channelsFirst') => (inShape: ImageShape): ChannelsLayer => {
  const name = `${kind}([${Array.isArray(inShape) ? inShape.join(', ') : String(inShape)}])`
  const shape = checkImageShape(name, inShape)
  const [a, b, c] = shape
  const outShape = Object.freeze(kind === 'channelsLast' ? [b, c, a] : [c, a, b]) as unknown as ImageShape
  const spec: ChannelsSpec = Object.freeze({ kind, inShape: shape })
  const permute = kind === 'channelsLast' ? nchwToNhwc : nhwcToNchw
  return Object.freeze({
    name,
    inSize: imageSize(shape),
    outSize: imageSize(shape),
    inShape: shape,
    outShape,
    spec,
    init: (): NoParams => noParams,
    apply: () => (x: Tensor): Tensor => permute(asImages(name, kind === 'channelsLast' ? 'NCHW' : 'NHWC', shape, x)),
  })
}

/**
 * NCHW images of `inShape` [channels, height, width] (or their flat rows) as NHWC images
 * [batch, height, width, channels]: `ops.nchwToNhwc` as a layer.
 * @example
 * ```ts
 * nn.channelsLast([1, 28, 28]).outShape // [28, 28, 1]
 * ```
 * @category layers
 */
export const channelsLast: (inShape: ImageShape) => ChannelsLayer = layout('channelsLast')

/**
 * NHWC images of `inShape` [height, width, channels] (or their flat rows) as NCHW images
 * [batch, channels, height, width]: `ops.nhwcToNchw` as a layer; `flatten` after it gives
 * PyTorch's order of features.
 * @example
 * ```ts
 * nn.channelsFirst([14, 14, 8]).outShape // [8, 14, 14]
 * ```
 * @category layers
 */
export const channelsFirst: (inShape: ImageShape) => ChannelsLayer = layout('channelsFirst')

const channelsKind = (kind: 'channelsLast' | 'channelsFirst', make: typeof channelsLast): LayerKindDefinition<{ readonly inShape: ImageShape }, ChannelsSpec> => layerKind({
  kind,
  fields: { inShape: imageShapeField },
  build: (f: { readonly inShape: ImageShape }, context: { readonly path: string }) => buildWith(context.path, () => make(f.inShape)),
  layout: () => noLayout,
})

/**
 * The layer kind `channelsLast`: `{ kind: 'channelsLast', inShape: [c, h, w] }`; no parameters. @category specs
 * @example
 * ```ts
 * nn.channelsLastKind.kind // 'channelsLast'
 * ```
 */
export const channelsLastKind: LayerKindDefinition<{ readonly inShape: ImageShape }, ChannelsSpec> = channelsKind('channelsLast', channelsLast)

/**
 * The layer kind `channelsFirst`: `{ kind: 'channelsFirst', inShape: [h, w, c] }`; no parameters. @category specs
 * @example
 * ```ts
 * nn.channelsFirstKind.kind // 'channelsFirst'
 * ```
 */
export const channelsFirstKind: LayerKindDefinition<{ readonly inShape: ImageShape }, ChannelsSpec> = channelsKind('channelsFirst', channelsFirst)
