/**
 * The pooling layers on NHWC images, `maxPool2d` and `avgPool2d`: parameterless, with a window,
 * a stride (default the window) and padding. Both are one call of the op of the same name.
 */
import { avgPool2d as averagePool, maxPool2d as maximumPool } from '../ops/index.js'
import { type Pair, type Padding, type Tensor, type WindowOptions, patchGeometry } from '../tensor/index.js'
import { type ImageShape, type PaddingSpec, checkImageShape, imageShapeField, imageSize, paddingField, paddingOf, pairField, pairOf, toImages } from './images.js'
import type { Layer, NoParams } from './Layer.js'
import { type LayerKindDefinition, buildWith, layerKind, noLayout } from './LayerKind.js'
import type { PoolSpec } from './LayerSpec.js'

/**
 * Options of the pooling layers. @category layers
 * @example
 * ```ts
 * const options: nn.PoolOptions = { stride: 1, padding: 'same' }
 * nn.maxPool2d([28, 28, 8], 3, options)
 * ```
 */
export interface PoolOptions {
  /** Default: the window. */
  readonly stride?: Pair
  /** 'valid' (default), 'same', a number, or [[top, bottom], [left, right]]; padding never wins a max and is not counted in a mean. */
  readonly padding?: Padding
}

/**
 * A pooling layer: a parameterless `Layer` that also states its image shapes. @category layers
 * @example
 * ```ts
 * const pool: nn.PoolLayer = nn.maxPool2d([28, 28, 8], 2)
 * pool.outShape // [14, 14, 8]
 * ```
 */
export type PoolLayer = Layer<NoParams, number, number> & { readonly inShape: ImageShape; readonly outShape: ImageShape }

const noParams: NoParams = Object.freeze({})

const pool = (kind: 'maxPool2d' | 'avgPool2d', op: (x: Tensor, window: Pair, options: WindowOptions) => Tensor) =>
  (inShape: ImageShape, window: Pair, options: PoolOptions = {}): PoolLayer => {
    const win = pairOf(window)
    const name = `${kind}([${inShape.join(', ')}], ${win[0] === win[1] ? win[0] : `[${win.join(', ')}]`})`
    const shape = checkImageShape(name, inShape)
    const o = { stride: pairOf(options.stride ?? win), padding: paddingOf(options.padding ?? 'valid') }
    const g = patchGeometry(name, [1, ...shape], win, o)
    const outShape = Object.freeze([g.outH, g.outW, shape[2]]) as unknown as ImageShape
    const spec: PoolSpec = Object.freeze({ kind, inShape: shape, window: win, ...o })
    return Object.freeze({
      name,
      inSize: imageSize(shape),
      outSize: imageSize(outShape),
      inShape: shape,
      outShape,
      spec,
      init: (): NoParams => noParams,
      apply: () => (x: Tensor): Tensor => op(toImages(name, shape, x), win, o),
    })
  }

/**
 * Max pooling over `window` on images of `inShape` [h, w, c] (stride defaults to the window):
 * PyTorch's `nn.MaxPool2d(window)` in NHWC.
 * @example
 * ```ts
 * const pool = nn.maxPool2d([28, 28, 8], 2) // outShape [14, 14, 8]
 * ```
 * @category layers
 */
export const maxPool2d: (inShape: ImageShape, window: Pair, options?: PoolOptions) => PoolLayer = pool('maxPool2d', maximumPool)

/**
 * Average pooling over `window` on images of `inShape` [h, w, c] (stride defaults to the window;
 * padding is not counted): PyTorch's `nn.AvgPool2d(window, count_include_pad=False)` in NHWC.
 * @example
 * ```ts
 * const pool = nn.avgPool2d([28, 28, 8], 2) // outShape [14, 14, 8]
 * ```
 * @category layers
 */
export const avgPool2d: (inShape: ImageShape, window: Pair, options?: PoolOptions) => PoolLayer = pool('avgPool2d', averagePool)

/**
 * The fields of a pooling spec as `fromSpec` decodes them. @category specs
 * @example
 * ```ts
 * const fields: nn.PoolFields = { inShape: [28, 28, 8], window: [2, 2] }
 * ```
 */
export type PoolFields = {
  readonly inShape: ImageShape
  readonly window: readonly [number, number]
  readonly stride?: readonly [number, number]
  readonly padding?: PaddingSpec
}

const poolKind = (kind: 'maxPool2d' | 'avgPool2d', make: typeof maxPool2d): LayerKindDefinition<PoolFields, PoolSpec> => layerKind({
  kind,
  fields: { inShape: imageShapeField, window: pairField(false), stride: pairField(true), padding: paddingField },
  build: (f: PoolFields, context: { readonly path: string }) => buildWith(context.path, () =>
    make(f.inShape, f.window, { ...(f.stride === undefined ? {} : { stride: f.stride }), ...(f.padding === undefined ? {} : { padding: f.padding }) })),
  layout: () => noLayout,
})

/**
 * The layer kind `maxPool2d`: `{ kind: 'maxPool2d', inShape: [h, w, c], window: [kh, kw], stride?, padding? }`; no parameters. @category specs
 * @example
 * ```ts
 * nn.maxPool2dKind.kind // 'maxPool2d'
 * ```
 */
export const maxPool2dKind: LayerKindDefinition<PoolFields, PoolSpec> = poolKind('maxPool2d', maxPool2d)

/**
 * The layer kind `avgPool2d`: `{ kind: 'avgPool2d', inShape: [h, w, c], window: [kh, kw], stride?, padding? }`; no parameters. @category specs
 * @example
 * ```ts
 * nn.avgPool2dKind.kind // 'avgPool2d'
 * ```
 */
export const avgPool2dKind: LayerKindDefinition<PoolFields, PoolSpec> = poolKind('avgPool2d', avgPool2d)
