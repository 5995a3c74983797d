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

/** The activations a spec can name: the built-in activation layers of `nn`. @category specs */
export type ActivationKind =
  | 'relu' | 'sigmoid' | 'atan' | 'tanh' | 'softplus' | 'leakyRelu' | 'elu' | 'gelu' | 'geluErf' | 'identity' | 'softmax' | 'logSoftmax'

/** Every activation kind, in the order the docs list them. @category specs */
export const activationKinds: ReadonlyArray<ActivationKind> = Object.freeze([
  'relu', 'sigmoid', 'atan', 'tanh', 'softplus', 'leakyRelu', 'elu', 'gelu', 'geluErf', 'identity', 'softmax', 'logSoftmax',
] as const)

/** How a dense layer initialises a tensor: a built-in initialiser's name, or `'custom'` for a function. @category specs */
export type InitializerSpec = InitializerName | 'custom'

/** `dense(inSize, outSize, { weights, bias, dtype })`. @category specs */
export type DenseSpec = {
  readonly kind: 'dense'
  readonly inSize: number
  readonly outSize: number
  readonly weights: InitializerSpec
  readonly bias: InitializerSpec
  readonly dtype: DType
}

/** A built-in activation layer (`relu`, `tanh`, ...). @category specs */
export type ActivationSpec = { readonly kind: ActivationKind }

/** `dropout(rate)`. @category specs */
export type DropoutSpec = { readonly kind: 'dropout'; readonly rate: number }

/** `conv2d(inShape, filters, kernel, options)`: window options in their explicit form. @category specs */
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

/** `maxPool2d(inShape, window, options)` or `avgPool2d(...)`. @category specs */
export type PoolSpec = {
  readonly kind: 'maxPool2d' | 'avgPool2d'
  readonly inShape: readonly [number, number, number]
  readonly window: readonly [number, number]
  readonly stride: readonly [number, number]
  readonly padding: 'valid' | 'same' | readonly [readonly [number, number], readonly [number, number]]
}

/** `embedding(vocab, dim, { length, weights, dtype })`. @category specs */
export type EmbeddingSpec = {
  readonly kind: 'embedding'
  readonly vocab: number
  readonly dim: number
  readonly length: number
  readonly weights: InitializerSpec
  readonly dtype: DType
}

/** `layerNorm(size, { eps, dtype })`. @category specs */
export type LayerNormSpec = { readonly kind: 'layerNorm'; readonly size: number; readonly eps: number; readonly dtype: DType }

/** `gru(inSize, hidden, length, { dtype })`. @category specs */
export type GruSpec = { readonly kind: 'gru'; readonly inSize: number; readonly hidden: number; readonly length: number; readonly dtype: DType }

/** `flatten`. @category specs */
export type FlattenSpec = { readonly kind: 'flatten' }

/** `channelsLast(inShape)` (NCHW to NHWC) or `channelsFirst(inShape)` (NHWC to NCHW). @category specs */
export type ChannelsSpec = { readonly kind: 'channelsLast' | 'channelsFirst'; readonly inShape: readonly [number, number, number] }

/** A layer whose behaviour is code (`elementwise(name, op)`, a hand-written layer): it cannot be rebuilt from data. @category specs */
export type CustomSpec = { readonly kind: 'custom'; readonly name: string }

/** `serial(...layers)`. @category specs */
export type SerialSpec = { readonly kind: 'serial'; readonly layers: ReadonlyArray<LayerSpec> }

/** `fanOut(...layers)`. @category specs */
export type FanOutSpec = { readonly kind: 'fanOut'; readonly layers: ReadonlyArray<LayerSpec> }

/** `parallel(...layers)`. @category specs */
export type ParallelSpec = { readonly kind: 'parallel'; readonly layers: ReadonlyArray<LayerSpec> }

/** `residual(layer)`. @category specs */
export type ResidualSpec = { readonly kind: 'residual'; readonly layer: LayerSpec }

/**
 * The spec of a layer of a kind a user added to a registry (`registry.with(myKind)`): its `kind`
 * and fields of plain JSON data. Code that reads a built-in spec's fields checks its kind with a
 * guard (`isSpecOf(spec, 'serial')`), since a user's kind could have any name.
 * @category specs
 */
export type ExtensionSpec = { readonly kind: string; readonly [field: string]: unknown }

/** The spec of a built-in layer, a discriminated union on `kind`. @category specs */
export type BuiltinSpec = DenseSpec | ActivationSpec | DropoutSpec | CustomSpec | SerialSpec | FanOutSpec | ParallelSpec | ResidualSpec
  | Conv2dSpec | PoolSpec | FlattenSpec | EmbeddingSpec | LayerNormSpec | GruSpec | ChannelsSpec

/**
 * The serialisable description of a layer: a plain JSON value, with a `kind` that a registry of
 * layer kinds knows (the built-ins' or a user's), or `custom` for a layer that is code.
 * @category specs
 */
export type LayerSpec = BuiltinSpec | ExtensionSpec

/** Every `kind` a spec of a built-in layer may have (a registry may know more: `LayerKind.ts`). @category specs */
export type BuiltinKind = BuiltinSpec['kind']

/** Every `kind` a spec may have (built-in kinds, and any kind a registry adds). @category specs */
export type LayerKind = LayerSpec['kind']

/** Whether a spec is the built-in spec of kind `kind` (and so has its fields). @category specs */
export const isSpecOf = <K extends BuiltinKind>(spec: LayerSpec, kind: K): spec is Extract<BuiltinSpec, { readonly kind: K }> => spec.kind === kind

/**
 * The layout of a layer's parameters, read off its spec: the tree `init` makes, with the shape and
 * dtype of every tensor but no data. `unknown` stands for the parameters of a custom layer, which
 * only its code knows.
 * @category specs
 */
export type ParamLayout = TreeLayout
