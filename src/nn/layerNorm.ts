/**
 * Layer normalisation (Ba, Kiros and Hinton, 2016): each example's features normalised to mean 0
 * and variance 1 over the last axis, then scaled and shifted by learned vectors. No batch
 * statistics, so no state: training and evaluation compute the same function.
 */
import { add, div, mean, mul, sqrt, square, sub } from '../ops/index.js'
import { type DType, ShapeError, type Tensor, ones, showValue, zeros } from '../tensor/index.js'
import type { Layer } from './Layer.js'
import { type LayerKindDefinition, buildWith, dtypeField, layerKind, sizeField, specCodec } from './LayerKind.js'
import type { LayerNormSpec } from './LayerSpec.js'

/**
 * The parameters of `layerNorm`: `scale` (ones) and `offset` (zeros), both [size]. @category layers
 * @example
 * ```ts
 * const p: nn.LayerNormParams = nn.layerNorm(4).init(random.key(0)) // { scale: ones, offset: zeros }
 * ```
 */
export type LayerNormParams = {
  readonly scale: Tensor
  readonly offset: Tensor
}

/**
 * Options of `layerNorm`. @category layers
 * @example
 * ```ts
 * const options: nn.LayerNormOptions = { eps: 1e-6 }
 * nn.layerNorm(128, options)
 * ```
 */
export interface LayerNormOptions {
  /** Added to the variance (default 1e-5, as PyTorch). */
  readonly eps?: number
  readonly dtype?: DType
}

/**
 * Layer normalisation over the last axis, of size `size`:
 * y = (x - mean(x)) / sqrt(var(x) + eps) · scale + offset, mean and (biased) variance over the
 * last axis of each example. PyTorch's `nn.LayerNorm(size, eps)`, Flax's `nn.LayerNorm`.
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(784, 128), nn.layerNorm(128), nn.relu, nn.dense(128, 10))
 * ```
 * @category layers
 */
export const layerNorm = <N extends number>(size: N, options: LayerNormOptions = {}): Layer<LayerNormParams, N, N> => {
  const eps = options.eps ?? 1e-5
  const name = `layerNorm(${size})`
  if (!Number.isInteger(size) || size <= 0) throw new RangeError(`${name}: size must be a positive integer, got ${size}`)
  if (!(eps > 0)) throw new RangeError(`${name}: eps must be positive, got ${eps}`)
  const dtype = options.dtype ?? 'float32'
  return Object.freeze({
    name,
    inSize: size,
    outSize: size,
    spec: Object.freeze({ kind: 'layerNorm' as const, size, eps, dtype }),
    init: (): LayerNormParams => Object.freeze({ scale: ones([size], { dtype }), offset: zeros([size], { dtype }) }),
    apply: (params: LayerNormParams) => {
      const { scale, offset } = params as Partial<LayerNormParams>
      if (scale === undefined || offset === undefined || scale.shape.length !== 1 || scale.shape[0] !== size || offset.shape.length !== 1 || offset.shape[0] !== size) {
        throw new ShapeError(name, [], `expected parameters { scale, offset } of shape [${size}]; use the parameters this layer's init made`)
      }
      return (x: Tensor): Tensor => {
        if (x.shape.length < 1 || x.shape[x.shape.length - 1] !== size) throw new ShapeError(name, [x.shape], `expects ${size} features on the last axis`)
        const centred = sub(x, mean(x, -1, true))
        const normalised = div(centred, sqrt(add(mean(square(centred), -1, true), eps)))
        return add(mul(normalised, scale), offset)
      }
    },
  })
}

/**
 * The fields of a layerNorm spec as `fromSpec` decodes them. @category specs
 * @example
 * ```ts
 * const fields: nn.LayerNormFields = { size: 128, eps: 1e-5 }
 * ```
 */
export type LayerNormFields = { readonly size: number; readonly eps?: number; readonly dtype?: DType }

/**
 * The layer kind `layerNorm`: `{ kind: 'layerNorm', size, eps?, dtype? }`, parameters `{ scale: [size], offset: [size] }`. @category specs
 * @example
 * ```ts
 * nn.layerNormKind.kind // 'layerNorm'
 * ```
 */
export const layerNormKind: LayerKindDefinition<LayerNormFields, LayerNormSpec> = layerKind({
  kind: 'layerNorm' as const,
  fields: {
    size: sizeField,
    eps: { codec: specCodec('a positive number', (u): u is number => typeof u === 'number' && u > 0 && Number.isFinite(u), (u) => `expected a positive number, got ${showValue(u)}`), optional: true as const },
    dtype: dtypeField,
  },
  build: (f: LayerNormFields, context: { readonly path: string }) => buildWith(context.path, () => layerNorm(f.size, { eps: f.eps ?? 1e-5, dtype: f.dtype ?? 'float32' })),
  layout: (spec: LayerNormSpec) => Object.freeze({
    node: 'record' as const,
    fields: Object.freeze([
      Object.freeze(['scale', Object.freeze({ node: 'tensor' as const, shape: Object.freeze([spec.size]), dtype: spec.dtype })] as const),
      Object.freeze(['offset', Object.freeze({ node: 'tensor' as const, shape: Object.freeze([spec.size]), dtype: spec.dtype })] as const),
    ]),
  }),
  declares: (raw: Readonly<Record<string, unknown>>) => ({ parameters: typeof raw['size'] === 'number' ? 2 * raw['size'] : 0, children: [] }),
})
