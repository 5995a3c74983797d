/**
 * Batch normalisation (Ioffe and Szegedy, 2015) with running statistics as explicit state: in
 * training, each feature (each channel of NHWC images) is normalised by the batch's mean and
 * variance and the training step stores the updated running mean and variance in the parameters'
 * `state` field; in evaluation the running statistics are used. The design, beside Flax's, Equinox's
 * and stax's, is stated once at `StateRules` (Layer.ts).
 */
import { add, div, mean, mul, sqrt, square, stopGradient, sub } from '../ops/index.js'
import type { Key } from '../random/index.js'
import { type DType, ShapeError, type Tensor, ones, showValue, zeros } from '../tensor/index.js'
import { type ImageShape, checkImageShape, imageSize, toImages } from './images.js'
import type { ApplyContext, Layer } from './Layer.js'
import { type LayerKindDefinition, buildWith, dtypeField, layerKind, specCodec } from './LayerKind.js'
import type { BatchNormSpec } from './LayerSpec.js'

/**
 * The running statistics of `batchNorm`, per feature: `mean` (zeros at init) and `variance` (ones). @category layers
 * @example
 * ```ts
 * const s: nn.BatchNormState = nn.batchNorm(8).init(random.key(0)).state
 * s.variance.shape // [8]
 * ```
 */
export type BatchNormState = {
  readonly mean: Tensor
  readonly variance: Tensor
}

/**
 * The parameters of `batchNorm`: `scale` (ones) and `offset` (zeros), trained by gradients, and
 * `state`, the running statistics, which the training step replaces and gradients leave alone.
 * @example
 * ```ts
 * const p: nn.BatchNormParams = nn.batchNorm([24, 24, 16]).init(random.key(0))
 * p.scale.shape // [16], one per channel
 * ```
 * @category layers
 */
export type BatchNormParams = {
  readonly scale: Tensor
  readonly offset: Tensor
  readonly state: BatchNormState
}

/**
 * Options of `batchNorm`. @category layers
 * @example
 * ```ts
 * const options: nn.BatchNormOptions = { momentum: 0.01, eps: 1e-3 } // Keras' defaults (momentum 0.99 there)
 * const bn = nn.batchNorm(64, options)
 * ```
 */
export interface BatchNormOptions {
  /** The weight of the batch in the running statistics, running = (1 - momentum)·running + momentum·batch (default 0.1, PyTorch's convention; Keras' momentum is 1 minus this). */
  readonly momentum?: number
  /** Added to the variance (default 1e-5, as PyTorch). */
  readonly eps?: number
  readonly dtype?: DType
}

/**
 * A batchNorm layer; `outShape` is its input's image shape (for the next image layer) when it normalises images. @category layers
 * @example
 * ```ts
 * const bn: nn.BatchNormLayer = nn.batchNorm([24, 24, 16])
 * bn.outShape // [24, 24, 16]
 * ```
 */
export type BatchNormLayer = Layer<BatchNormParams, number, number> & { readonly outShape?: ImageShape }

/**
 * Batch normalisation of `features` rows [batch, features] (PyTorch's `nn.BatchNorm1d`) or of
 * NHWC images of `shape` [h, w, c], per channel (`nn.BatchNorm2d`; images may come flat, as for
 * conv2d). Training mode: y = (x - μ_B) / sqrt(σ²_B + eps) · scale + offset with the batch's
 * mean μ_B and biased variance σ²_B over the batch (and the image axes), and the new state
 * mean' = (1 - momentum)·mean + momentum·μ_B, variance' = (1 - momentum)·variance + momentum·σ²_B·m/(m - 1)
 * (the unbiased variance over the m values per feature, as PyTorch). Evaluation mode, and no
 * context: the running mean and variance take the batch's place. Train it with `train.fit` or
 * `train.step`, which thread the state (`StateRules`); a hand-written loop calls `layer.state.train`.
 * @example
 * ```ts
 * const net = nn.serial(nn.conv2d([28, 28, 1], 16, 5), nn.batchNorm([24, 24, 16]), nn.relu, nn.flatten, nn.dense(9216, 10))
 * ```
 * @category layers
 */
export const batchNorm = (shape: number | ImageShape, options: BatchNormOptions = {}): BatchNormLayer => {
  const momentum = options.momentum ?? 0.1
  const eps = options.eps ?? 1e-5
  const images = typeof shape !== 'number'
  const name = `batchNorm(${images ? `[${shape.join(', ')}]` : shape})`
  const image = images ? checkImageShape(name, shape) : undefined
  if (!images && (!Number.isInteger(shape) || shape <= 0)) throw new RangeError(`${name}: features must be a positive integer, got ${shape}`)
  if (!(momentum >= 0 && momentum <= 1)) throw new RangeError(`${name}: momentum must be in [0, 1], got ${momentum}`)
  if (!(eps > 0)) throw new RangeError(`${name}: eps must be positive, got ${eps}`)
  const dtype = options.dtype ?? 'float32'
  const features = image === undefined ? (shape as number) : image[2]
  const size = image === undefined ? features : imageSize(image)
  const axes = image === undefined ? [0] : [0, 1, 2]

  const check = (params: BatchNormParams): void => {
    const p = params as Partial<BatchNormParams>
    const ok = (t: Tensor | undefined): boolean => t !== undefined && t.shape.length === 1 && t.shape[0] === features
    if (!ok(p.scale) || !ok(p.offset) || !ok(p.state?.mean) || !ok(p.state?.variance)) {
      throw new ShapeError(name, [], `expected parameters { scale, offset, state: { mean, variance } } of shape [${features}]; use the parameters this layer's init made (a model saved before batchNorm kept its state has no 'state')`)
    }
  }
  const input = (x: Tensor): Tensor => {
    if (image !== undefined) return toImages(name, image, x)
    if (x.shape.length !== 2 || x.shape[1] !== features) throw new ShapeError(name, [x.shape], `expects rows [batch, ${features}]`)
    return x
  }
  const normalise = (p: BatchNormParams, x: Tensor, mu: Tensor, variance: Tensor): Tensor =>
    add(mul(div(sub(x, mu), sqrt(add(variance, eps))), p.scale), p.offset)
  // the batch's statistics, the output and the new state
  const training = (p: BatchNormParams, x0: Tensor): readonly [Tensor, BatchNormParams] => {
    const x = input(x0)
    const m = x.size / features
    if (m < 2) throw new ShapeError(name, [x0.shape], `needs more than one value per feature in training mode to estimate a variance (PyTorch refuses it too); use a batch of 2 or more, or eval mode`)
    const mu = mean(x, axes)
    const variance = mean(square(sub(x, mu)), axes)
    const y = normalise(p, x, mu, variance)
    // the running statistics are data, not a function of the parameters: no gradient flows into them
    const [bm, bv] = [stopGradient(mu), stopGradient(variance)]
    const state = Object.freeze({
      mean: add(mul(p.state.mean, 1 - momentum), mul(bm, momentum)),
      variance: add(mul(p.state.variance, 1 - momentum), mul(bv, (momentum * m) / (m - 1))),
    })
    return [y, Object.freeze({ ...p, state })]
  }
  return Object.freeze({
    name,
    inSize: size,
    outSize: size,
    ...(image === undefined ? {} : { outShape: image }),
    spec: Object.freeze({ kind: 'batchNorm' as const, shape: image === undefined ? Object.freeze([features]) : image, momentum, eps, dtype }),
    init: (_key: Key): BatchNormParams => Object.freeze({
      scale: ones([features], { dtype }),
      offset: zeros([features], { dtype }),
      state: Object.freeze({ mean: zeros([features], { dtype }), variance: ones([features], { dtype }) }),
    }),
    apply: (params: BatchNormParams) => {
      check(params)
      return (x: Tensor, ctx?: ApplyContext): Tensor =>
        ctx?.mode === 'train' ? training(params, x)[0] : normalise(params, input(x), params.state.mean, params.state.variance)
    },
    state: Object.freeze({
      train: (params: BatchNormParams) => {
        check(params)
        return (x: Tensor): readonly [Tensor, BatchNormParams] => training(params, x)
      },
      keep: (updated: BatchNormParams, next: BatchNormParams): BatchNormParams => Object.freeze({ ...updated, state: next.state }),
    }),
  })
}

/**
 * The fields of a batchNorm spec as `fromSpec` decodes them. @category specs
 * @example
 * ```ts
 * const fields: nn.BatchNormFields = { shape: [24, 24, 16], momentum: 0.1 }
 * ```
 */
export type BatchNormFields = { readonly shape: ReadonlyArray<number>; readonly momentum?: number; readonly eps?: number; readonly dtype?: DType }

const isShape = (u: unknown): u is ReadonlyArray<number> =>
  Array.isArray(u) && (u.length === 1 || u.length === 3) && u.every((d) => typeof d === 'number' && Number.isInteger(d) && d > 0)
const inUnit = (u: unknown): u is number => typeof u === 'number' && u >= 0 && u <= 1

/**
 * The layer kind `batchNorm`: `{ kind: 'batchNorm', shape: [features] or [h, w, c], momentum?, eps?, dtype? }`,
 * parameters `{ scale, offset, state: { mean, variance } }`, each [features] (channels for images).
 * @example
 * ```ts
 * nn.batchNormKind.kind // 'batchNorm'
 * ```
 * @category specs
 */
export const batchNormKind: LayerKindDefinition<BatchNormFields, BatchNormSpec> = layerKind({
  kind: 'batchNorm' as const,
  fields: {
    shape: { codec: specCodec('[features] or [height, width, channels]', isShape, (u) => `expected [features] or [height, width, channels] of positive integers, got ${showValue(u)}`) },
    momentum: { codec: specCodec('a number in [0, 1]', inUnit, (u) => `expected a number in [0, 1], got ${showValue(u)}`), optional: true as const },
    eps: { codec: specCodec('a positive number', (u): u is number => typeof u === 'number' && u > 0 && Number.isFinite(u), (u) => `expected a positive number, got ${showValue(u)}`), optional: true as const },
    dtype: dtypeField,
  },
  build: (f: BatchNormFields, context: { readonly path: string }) => buildWith(context.path, () =>
    batchNorm(f.shape.length === 1 ? f.shape[0]! : (f.shape as unknown as ImageShape), { momentum: f.momentum ?? 0.1, eps: f.eps ?? 1e-5, dtype: f.dtype ?? 'float32' })),
  layout: (spec: BatchNormSpec) => {
    const t = Object.freeze({ node: 'tensor' as const, shape: Object.freeze([spec.shape[spec.shape.length - 1]!]), dtype: spec.dtype })
    return Object.freeze({
      node: 'record' as const,
      fields: Object.freeze([
        Object.freeze(['scale', t] as const),
        Object.freeze(['offset', t] as const),
        Object.freeze(['state', Object.freeze({ node: 'record' as const, fields: Object.freeze([Object.freeze(['mean', t] as const), Object.freeze(['variance', t] as const)]) })] as const),
      ]),
    })
  },
  declares: (raw: Readonly<Record<string, unknown>>) => {
    const s = raw['shape']
    return { parameters: isShape(s) ? 2 * s[s.length - 1]! : 0, children: [] }
  },
})

