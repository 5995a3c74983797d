/**
 * Architecture as data: every layer carries a `spec`, a plain JSON value that says what the layer
 * is (`{ kind: 'dense', inSize: 784, outSize: 128, ... }`, `{ kind: 'serial', layers: [...] }`),
 * from which `fromSpec` rebuilds it. A spec holds no functions, no tensors and no cycles, so
 * `JSON.parse(JSON.stringify(spec))` deep-equals `spec`.
 *
 * Laws (checked in properties/spec.test.ts):
 * 1. round trip: `fromSpec(l.spec)` is `Right(m)` with `m.spec` deep-equal to `l.spec`, the same
 *    name and sizes, and `m` behaves exactly like `l`: the same key gives bit-identical
 *    parameters, and the same parameters, input and context give bit-identical outputs.
 * 2. `fromSpec` never throws: anything that is not a valid spec is a `Left(DecodeError)` whose
 *    message names the path of the bad field.
 * 3. `paramLayout(l.spec)` has the structure, shapes and dtypes of `l.init(key)`, computed
 *    without allocating a tensor.
 *
 * Two kinds of layer cannot be rebuilt from data, because part of them is code: a layer made by
 * `elementwise(name, op)` (and any layer written by hand) has the spec `{ kind: 'custom', name }`,
 * and a dense layer given an initialiser function has `weights: 'custom'` (or `bias`). `fromSpec`
 * refuses both with a message that says so; a model file of such a network is loaded by passing
 * the network built in code (`io.decodeModel(text, { net })`).
 */
import type { DType } from '../tensor/index.js'
import type { TreeLayout } from '../tree/index.js'
import type { InitializerName } from './initializers.js'

/**
 * The activations a spec can name: the built-in activation layers of `nn`. @category specs
 * @example
 * ```ts
 * const kind: nn.ActivationKind = 'gelu'
 * ```
 */
export type ActivationKind =
  | 'relu' | 'sigmoid' | 'atan' | 'tanh' | 'softplus' | 'leakyRelu' | 'elu' | 'gelu' | 'geluErf' | 'identity' | 'softmax' | 'logSoftmax'

/**
 * Every activation kind, in the order the docs list them. @category specs
 * @example
 * ```ts
 * console.log(nn.activationKinds) // the kind names of the activation layers: 'relu', 'sigmoid', ...
 * ```
 */
export const activationKinds: ReadonlyArray<ActivationKind> = Object.freeze([
  'relu', 'sigmoid', 'atan', 'tanh', 'softplus', 'leakyRelu', 'elu', 'gelu', 'geluErf', 'identity', 'softmax', 'logSoftmax',
] as const)

/**
 * How a dense layer initialises a tensor: a built-in initialiser's name, or `'custom'` for a function. @category specs
 * @example
 * ```ts
 * const init: nn.InitializerSpec = 'glorotUniform'
 * ```
 */
export type InitializerSpec = InitializerName | 'custom'

/**
 * `dense(inSize, outSize, { weights, bias, dtype })`. @category specs
 * @example
 * ```ts
 * const spec: nn.DenseSpec = { kind: 'dense', inSize: 4, outSize: 3, weights: 'glorotUniform', bias: 'zeros', dtype: 'float32' }
 * nn.fromSpec(spec)
 * ```
 */
export type DenseSpec = {
  readonly kind: 'dense'
  readonly inSize: number
  readonly outSize: number
  readonly weights: InitializerSpec
  readonly bias: InitializerSpec
  readonly dtype: DType
}

/**
 * A built-in activation layer (`relu`, `tanh`, ...). @category specs
 * @example
 * ```ts
 * const spec: nn.ActivationSpec = { kind: 'relu' }
 * nn.fromSpec(spec)
 * ```
 */
export type ActivationSpec = { readonly kind: ActivationKind }

/**
 * `dropout(rate)`. @category specs
 * @example
 * ```ts
 * const spec: nn.DropoutSpec = { kind: 'dropout', rate: 0.2 }
 * ```
 */
export type DropoutSpec = { readonly kind: 'dropout'; readonly rate: number }

/**
 * `conv2d(inShape, filters, kernel, options)`: window options in their explicit form. @category specs
 * @example
 * ```ts
 * const spec = nn.conv2d([8, 8, 1], 4, 3).spec
 * if (nn.isSpecOf(spec, 'conv2d')) { const s: nn.Conv2dSpec = spec; console.log(s.filters) }
 * ```
 */
export type Conv2dSpec = {
  readonly kind: 'conv2d'
  readonly inShape: readonly [number, number, number]
  readonly filters: number
  readonly kernel: readonly [number, number]
  readonly stride: readonly [number, number]
  readonly padding: 'valid' | 'same' | readonly [readonly [number, number], readonly [number, number]]
  readonly dilation: readonly [number, number]
  readonly groups: number
  readonly weights: InitializerSpec
  readonly bias: InitializerSpec
  readonly dtype: DType
}

/**
 * `maxPool2d(inShape, window, options)` or `avgPool2d(...)`. @category specs
 * @example
 * ```ts
 * const spec = nn.maxPool2d([28, 28, 8], 2).spec
 * if (nn.isSpecOf(spec, 'maxPool2d')) { const s: nn.PoolSpec = spec; console.log(s.window) }
 * ```
 */
export type PoolSpec = {
  readonly kind: 'maxPool2d' | 'avgPool2d'
  readonly inShape: readonly [number, number, number]
  readonly window: readonly [number, number]
  readonly stride: readonly [number, number]
  readonly padding: 'valid' | 'same' | readonly [readonly [number, number], readonly [number, number]]
}

/**
 * `embedding(vocab, dim, { length, weights, dtype })`. @category specs
 * @example
 * ```ts
 * const spec = nn.embedding(65, 16).spec
 * ```
 */
export type EmbeddingSpec = {
  readonly kind: 'embedding'
  readonly vocab: number
  readonly dim: number
  readonly length: number
  readonly weights: InitializerSpec
  readonly dtype: DType
}

/**
 * `layerNorm(size, { eps, dtype })`. @category specs
 * @example
 * ```ts
 * const spec = nn.layerNorm(128).spec
 * if (nn.isSpecOf(spec, 'layerNorm')) { const s: nn.LayerNormSpec = spec; console.log(s.eps) }
 * ```
 */
export type LayerNormSpec = { readonly kind: 'layerNorm'; readonly size: number; readonly eps: number; readonly dtype: DType }

/**
 * `gru(inSize, hidden, length, { dtype })`. @category specs
 * @example
 * ```ts
 * const spec = nn.gru(16, 64, 32).spec
 * if (nn.isSpecOf(spec, 'gru')) { const s: nn.GruSpec = spec; console.log(s.hidden) } // 64
 * ```
 */
export type GruSpec = { readonly kind: 'gru'; readonly inSize: number; readonly hidden: number; readonly length: number; readonly dtype: DType }

/**
 * `batchNorm(features or [h, w, c], { momentum, eps, dtype })`; `shape` is [features] or [h, w, c]. @category specs
 * @example
 * ```ts
 * const spec = nn.batchNorm(8).spec
 * if (nn.isSpecOf(spec, 'batchNorm')) { const s: nn.BatchNormSpec = spec; console.log(s.shape) } // [8]
 * ```
 */
export type BatchNormSpec = { readonly kind: 'batchNorm'; readonly shape: ReadonlyArray<number>; readonly momentum: number; readonly eps: number; readonly dtype: DType }

/**
 * `lstm(inSize, hidden, length, { dtype })`. @category specs
 * @example
 * ```ts
 * const spec = nn.lstm(16, 64, 32).spec
 * if (nn.isSpecOf(spec, 'lstm')) { const s: nn.LstmSpec = spec; console.log(s.hidden) } // 64
 * ```
 */
export type LstmSpec = { readonly kind: 'lstm'; readonly inSize: number; readonly hidden: number; readonly length: number; readonly dtype: DType }

/**
 * `flatten`. @category specs
 * @example
 * ```ts
 * const spec: nn.FlattenSpec = { kind: 'flatten' }
 * ```
 */
export type FlattenSpec = { readonly kind: 'flatten' }

/**
 * `channelsLast(inShape)` (NCHW to NHWC) or `channelsFirst(inShape)` (NHWC to NCHW). @category specs
 * @example
 * ```ts
 * const spec: nn.ChannelsSpec = { kind: 'channelsLast', inShape: [3, 28, 28] } // NCHW images in, NHWC out
 * ```
 */
export type ChannelsSpec = { readonly kind: 'channelsLast' | 'channelsFirst'; readonly inShape: readonly [number, number, number] }

/**
 * A layer whose behaviour is code (`elementwise(name, op)`, a hand-written layer): it cannot be rebuilt from data. @category specs
 * @example
 * ```ts
 * const spec: nn.CustomSpec = nn.elementwise('swish', ops.silu).spec as nn.CustomSpec // a layer that is code
 * ```
 */
export type CustomSpec = { readonly kind: 'custom'; readonly name: string }

/**
 * `serial(...layers)`. @category specs
 * @example
 * ```ts
 * const spec: nn.SerialSpec = { kind: 'serial', layers: [{ kind: 'dense', inSize: 4, outSize: 3 }, { kind: 'relu' }] }
 * nn.fromSpec(spec)
 * ```
 */
export type SerialSpec = { readonly kind: 'serial'; readonly layers: ReadonlyArray<LayerSpec> }

/**
 * `fanOut(...layers)`. @category specs
 * @example
 * ```ts
 * const spec: nn.FanOutSpec = { kind: 'fanOut', layers: [{ kind: 'identity' }, { kind: 'dense', inSize: 4, outSize: 3 }] }
 * ```
 */
export type FanOutSpec = { readonly kind: 'fanOut'; readonly layers: ReadonlyArray<LayerSpec> }

/**
 * `parallel(...layers)`. @category specs
 * @example
 * ```ts
 * const spec: nn.ParallelSpec = { kind: 'parallel', layers: [{ kind: 'dense', inSize: 2, outSize: 1 }, { kind: 'relu' }] }
 * ```
 */
export type ParallelSpec = { readonly kind: 'parallel'; readonly layers: ReadonlyArray<LayerSpec> }

/**
 * `residual(layer)`. @category specs
 * @example
 * ```ts
 * const spec: nn.ResidualSpec = { kind: 'residual', layer: { kind: 'dense', inSize: 4, outSize: 4 } }
 * ```
 */
export type ResidualSpec = { readonly kind: 'residual'; readonly layer: LayerSpec }

/**
 * The spec of a layer of a kind a user added to a registry (`registry.with(myKind)`): its `kind`
 * and fields of plain JSON data. Code that reads a built-in spec's fields checks its kind with a
 * guard (`isSpecOf(spec, 'serial')`), since a user's kind could have any name.
 * @example
 * ```ts
 * const spec: nn.ExtensionSpec = { kind: 'scale', size: 3 } // a kind added with nn.registry.with
 * ```
 * @category specs
 */
export type ExtensionSpec = { readonly kind: string; readonly [field: string]: unknown }

/**
 * The spec of a built-in layer, a discriminated union on `kind`. @category specs
 * @example
 * ```ts
 * const spec: nn.BuiltinSpec = { kind: 'dropout', rate: 0.1 }
 * ```
 */
export type BuiltinSpec = DenseSpec | ActivationSpec | DropoutSpec | CustomSpec | SerialSpec | FanOutSpec | ParallelSpec | ResidualSpec
  | Conv2dSpec | PoolSpec | FlattenSpec | EmbeddingSpec | LayerNormSpec | GruSpec | LstmSpec | BatchNormSpec | ChannelsSpec

/**
 * The serialisable description of a layer: a plain JSON value, with a `kind` that a registry of
 * layer kinds knows (the built-ins' or a user's), or `custom` for a layer that is code.
 * @example
 * ```ts
 * const spec: nn.LayerSpec = nn.serial(nn.dense(4, 3), nn.relu).spec
 * JSON.stringify(spec) // what a model file stores as its architecture
 * ```
 * @category specs
 */
export type LayerSpec = BuiltinSpec | ExtensionSpec

/**
 * Every `kind` a spec of a built-in layer may have (a registry may know more: `LayerKind.ts`). @category specs
 * @example
 * ```ts
 * const kind: nn.BuiltinKind = 'conv2d'
 * ```
 */
export type BuiltinKind = BuiltinSpec['kind']

/**
 * Every `kind` a spec may have (built-in kinds, and any kind a registry adds). @category specs
 * @example
 * ```ts
 * const kind: nn.LayerKind = 'dense'
 * ```
 */
export type LayerKind = LayerSpec['kind']

/**
 * Whether a spec is the built-in spec of kind `kind` (and so has its fields). @category specs
 * @example
 * ```ts
 * const spec = nn.dense(2, 3).spec
 * if (nn.isSpecOf(spec, 'dense')) console.log(spec.inSize, spec.outSize) // 2 3
 * ```
 */
export const isSpecOf = <K extends BuiltinKind>(spec: LayerSpec, kind: K): spec is Extract<BuiltinSpec, { readonly kind: K }> => spec.kind === kind

/**
 * The layout of a layer's parameters, read off its spec: the tree `init` makes, with the shape and
 * dtype of every tensor but no data. `unknown` stands for the parameters of a custom layer, which
 * only its code knows.
 * @example
 * ```ts
 * const layout: nn.ParamLayout = nn.paramLayout(nn.dense(2, 3).spec)
 * ```
 * @category specs
 */
export type ParamLayout = TreeLayout
