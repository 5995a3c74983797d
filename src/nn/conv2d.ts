/**
 * The 2-D convolution layer on NHWC images: y = conv2d(x, w) + b, with HWIO weights
 * w [kh, kw, channels / groups, filters] and a bias b [filters].
 */
import { add, conv2d as convolve, reshape } from '../ops/index.js'
import { type Key, split } from '../random/index.js'
import { type DType, type Pair, type Padding, ShapeError, type Tensor, patchGeometry } from '../tensor/index.js'
import { initializerField, resolveInitializer } from './dense.js'
import { type ImageShape, type PaddingSpec, checkImageShape, imageShapeField, imageSize, paddingField, paddingOf, pairField, pairOf, toImages } from './images.js'
import type { Initializer, InitializerName } from './initializers.js'
import type { Layer } from './Layer.js'
import { type LayerKindDefinition, buildWith, dtypeField, isSpecSize, layerKind, sizeField, specFail } from './LayerKind.js'
import type { Conv2dSpec, InitializerSpec } from './LayerSpec.js'

/**
 * The parameters of `conv2d`: HWIO weights `w` [kh, kw, channels / groups, filters] and bias `b` [filters]. @category layers
 * @example
 * ```ts
 * const p: nn.Conv2dParams = nn.conv2d([8, 8, 1], 4, 3).init(random.key(0)) // { w: [3, 3, 1, 4], b: [4] }
 * ```
 */
export type Conv2dParams = {
  readonly w: Tensor
  readonly b: Tensor
}

/**
 * Options of the `conv2d` layer. @category layers
 * @example
 * ```ts
 * const options: nn.Conv2dLayerOptions = { padding: 'same', stride: 2 }
 * nn.conv2d([28, 28, 1], 8, 3, options)
 * ```
 */
export interface Conv2dLayerOptions {
  /** Default 1. */
  readonly stride?: Pair
  /** 'valid' (default), 'same', a number, or [[top, bottom], [left, right]]. */
  readonly padding?: Padding
  /** Default 1. */
  readonly dilation?: Pair
  /** Channel groups (default 1): each filter sees channels / groups input channels. */
  readonly groups?: number
  /** How to initialise `w` (default 'glorotUniform', drawn as the matrix [kh·kw·channels / groups, filters]); 'heNormal' for ReLU networks. */
  readonly weights?: InitializerName | Initializer
  /** How to initialise `b` (default 'zeros'). */
  readonly bias?: InitializerName | Initializer
  readonly dtype?: DType
}

/**
 * A conv2d layer: a `Layer` that also states its image shapes. @category layers
 * @example
 * ```ts
 * const c: nn.Conv2dLayer = nn.conv2d([28, 28, 1], 8, 5)
 * c.outShape // [24, 24, 8]
 * ```
 */
export type Conv2dLayer = Layer<Conv2dParams, number, number> & { readonly inShape: ImageShape; readonly outShape: ImageShape }

/**
 * A 2-D convolution layer from images of `inShape` [height, width, channels] to `filters`
 * channels, with a `kernel` window: `apply({ w, b })(x) = ops.conv2d(x, w, options) + b` on NHWC
 * batches (flat rows [batch, h·w·c] are reshaped). Its sizes are the features per example, and
 * `outShape` is the image shape it returns, for the next layer: PyTorch's
 * `nn.Conv2d(c, filters, kernel, stride, padding, dilation, groups)` in NHWC.
 * @example
 * ```ts
 * const c1 = nn.conv2d([28, 28, 1], 8, 5, { padding: 'same' }) // outShape [28, 28, 8]
 * ```
 * @category layers
 */
export const conv2d = (inShape: ImageShape, filters: number, kernel: Pair, options: Conv2dLayerOptions = {}): Conv2dLayer => {
  const [kh, kw] = pairOf(kernel)
  const name = `conv2d([${inShape.join(', ')}], ${filters}, ${kh === kw ? kh : `[${kh}, ${kw}]`})`
  const shape = checkImageShape(name, inShape)
  if (!Number.isInteger(filters) || filters <= 0) throw new RangeError(`${name}: filters must be a positive integer, got ${filters}`)
  const groups = options.groups ?? 1
  if (!Number.isInteger(groups) || groups < 1 || shape[2] % groups !== 0 || filters % groups !== 0) {
    throw new RangeError(`${name}: groups (${groups}) must be a positive integer dividing both the channels (${shape[2]}) and the filters (${filters})`)
  }
  const window = { stride: pairOf(options.stride ?? 1), dilation: pairOf(options.dilation ?? 1), padding: paddingOf(options.padding ?? 'valid') }
  const g = patchGeometry(name, [1, ...shape], [kh, kw], window)
  const outShape: ImageShape = Object.freeze([g.outH, g.outW, filters]) as unknown as ImageShape
  const weights = resolveInitializer(name, 'weight', options.weights ?? 'glorotUniform')
  const bias = resolveInitializer(name, 'bias', options.bias ?? 'zeros')
  const dtype = options.dtype ?? 'float32'
  const fan = kh * kw * (shape[2] / groups)
  const wShape = [kh, kw, shape[2] / groups, filters]
  const specOf = (init: InitializerName | Initializer | undefined, fallback: InitializerName): InitializerSpec =>
    init === undefined ? fallback : typeof init === 'function' ? 'custom' : init
  const spec: Conv2dSpec = Object.freeze({
    kind: 'conv2d' as const, inShape: shape, filters, kernel: pairOf(kernel), ...window, groups,
    weights: specOf(options.weights, 'glorotUniform'), bias: specOf(options.bias, 'zeros'), dtype,
  })
  const opts = { ...window, groups }
  return Object.freeze({
    name,
    inSize: imageSize(shape),
    outSize: imageSize(outShape),
    inShape: shape,
    outShape,
    spec,
    init: (key: Key): Conv2dParams => {
      const [kw0, kb] = split(key, 2) as [Key, Key]
      return Object.freeze({ w: reshape(weights(kw0, [fan, filters], dtype), wShape), b: bias(kb, [filters], dtype) })
    },
    apply: (params: Conv2dParams) => {
      const { w, b } = params as Partial<Conv2dParams>
      if (w === undefined || b === undefined) throw new TypeError(`${name}: expected parameters { w, b }, got keys [${Object.keys(params).join(', ')}]; use the parameters this layer's init made`)
      if (w.shape.length !== 4 || wShape.some((d, i) => w.shape[i] !== d) || b.shape.length !== 1 || b.shape[0] !== filters) {
        throw new ShapeError(name, [w.shape, b.shape], `expected w of shape [${wShape.join(', ')}] and b of shape [${filters}]; use the parameters this layer's init made`)
      }
      return (x: Tensor): Tensor => add(convolve(toImages(name, shape, x), w, opts), b)
    },
  })
}

/**
 * The fields of a conv2d spec as `fromSpec` decodes them. @category specs
 * @example
 * ```ts
 * const fields: nn.Conv2dFields = { inShape: [28, 28, 1], filters: 8, kernel: [5, 5] }
 * ```
 */
export type Conv2dFields = {
  readonly inShape: ImageShape
  readonly filters: number
  readonly kernel: readonly [number, number]
  readonly stride?: readonly [number, number]
  readonly padding?: PaddingSpec
  readonly dilation?: readonly [number, number]
  readonly groups?: number
  readonly weights?: InitializerName
  readonly bias?: InitializerName
  readonly dtype?: DType
}

/**
 * The layer kind `conv2d`:
 * `{ kind: 'conv2d', inShape: [h, w, c], filters, kernel: [kh, kw], stride?, padding?, dilation?, groups?, weights?, bias?, dtype? }`,
 * parameters
 * `{ w: [kh, kw, c / groups, filters], b: [filters] }`.
 * @example
 * ```ts
 * const kinds = nn.layerRegistry([nn.conv2dKind, nn.flattenKind]) // a registry that knows only these
 * ```
 * @category specs
 */
export const conv2dKind: LayerKindDefinition<Conv2dFields, Conv2dSpec> = layerKind({
  kind: 'conv2d' as const,
  fields: {
    inShape: imageShapeField, filters: sizeField, kernel: pairField(false), stride: pairField(true), padding: paddingField, dilation: pairField(true),
    groups: { ...sizeField, optional: true as const }, weights: initializerField, bias: initializerField, dtype: dtypeField,
  },
  build: (f: Conv2dFields, context: { readonly path: string }) => {
    if (f.inShape[2] % (f.groups ?? 1) !== 0) return specFail(`${context.path === '' ? '' : `${context.path}.`}groups`, `${f.groups} groups do not divide the ${f.inShape[2]} input channels`)
    return buildWith(context.path, () => conv2d(f.inShape, f.filters, f.kernel, {
      ...(f.stride === undefined ? {} : { stride: f.stride }), ...(f.padding === undefined ? {} : { padding: f.padding }),
      ...(f.dilation === undefined ? {} : { dilation: f.dilation }), ...(f.groups === undefined ? {} : { groups: f.groups }),
      weights: f.weights ?? 'glorotUniform', bias: f.bias ?? 'zeros', dtype: f.dtype ?? 'float32',
    }))
  },
  layout: (spec: Conv2dSpec) => Object.freeze({
    node: 'record' as const,
    fields: Object.freeze([
      Object.freeze(['w', Object.freeze({ node: 'tensor' as const, shape: Object.freeze([spec.kernel[0], spec.kernel[1], spec.inShape[2] / spec.groups, spec.filters]), dtype: spec.dtype })] as const),
      Object.freeze(['b', Object.freeze({ node: 'tensor' as const, shape: Object.freeze([spec.filters]), dtype: spec.dtype })] as const),
    ]),
  }),
  declares: (raw: Readonly<Record<string, unknown>>) => {
    const s = raw['inShape'], f = raw['filters'], k = raw['kernel'], g = raw['groups'] ?? 1
    const ok = Array.isArray(s) && s.length === 3 && isSpecSize(s[2]) && isSpecSize(f) && Array.isArray(k) && k.length === 2 && k.every(isSpecSize) && isSpecSize(g)
    return ok ? { parameters: (k[0] as number) * (k[1] as number) * Math.ceil((s[2] as number) / g) * f + f, children: [], name: `conv2d(${f})` } : { parameters: 0, children: [] }
  },
})
