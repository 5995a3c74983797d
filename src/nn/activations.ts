/**
 * Activation layers: parameterless, size-preserving layers that apply a differentiable function
 * element by element (or, for `softmax` and `logSoftmax`, along the feature axis). Each is one
 * line over an op; their derivatives are the ops'. The built-ins have the spec `{ kind: name }`;
 * `elementwise` makes new ones, whose spec is `custom` (their op is code).
 */
import * as O from '../ops/index.js'
import type { Tensor } from '../tensor/index.js'
import { type NoParams, type SizePreservingLayer, anySize } from './Layer.js'
import * as E from 'fp-ts/lib/Either.js'
import { type LayerKindDefinition, noLayout } from './LayerKind.js'
import type { ActivationKind, LayerSpec } from './LayerSpec.js'

const noParams: NoParams = Object.freeze({})

const layerOf = (name: string, spec: LayerSpec, op: (x: Tensor) => Tensor): SizePreservingLayer<NoParams> =>
  Object.freeze({
    name,
    inSize: anySize,
    outSize: anySize,
    spec,
    preservesSize: true as const,
    init: (): NoParams => noParams,
    apply: () => (x: Tensor): Tensor => op(x),
  })

/**
 * A parameterless, size-preserving layer from any differentiable function of a tensor: params
 * `{}`, `apply({})(x) = op(x)`. `op` should return a tensor of `x`'s shape.
 *
 * Its spec is `{ kind: 'custom', name }`: `op` is code, which a spec cannot carry, so `fromSpec`
 * refuses it (even when `name` is a built-in's, since `op` may differ). Save such a network's
 * parameters and rebuild it in code (`io.decodeModel(text, { net })`).
 * @example
 * ```ts
 * const swish = nn.elementwise('swish', ops.silu)
 * const net = nn.serial(nn.dense(4, 8), swish, nn.dense(8, 1))
 * ```
 * @category activations
 */
export const elementwise = (name: string, op: (x: Tensor) => Tensor): SizePreservingLayer<NoParams> =>
  layerOf(name, Object.freeze({ kind: 'custom' as const, name }), op)

// A built-in activation: `elementwise` with a spec that fromSpec can rebuild.
const activation = (kind: ActivationKind, op: (x: Tensor) => Tensor): SizePreservingLayer<NoParams> =>
  layerOf(kind, Object.freeze({ kind }), op)

/**
 * ReLU: max(0, z), with relu'(0) = 0. @category activations
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(784, 128), nn.relu, nn.dense(128, 10))
 * ```
 */
export const relu = activation('relu', O.relu)

/**
 * The logistic function: 1 / (1 + e^-z). @category activations
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(2, 4), nn.sigmoid, nn.dense(4, 1))
 * ```
 */
export const sigmoid = activation('sigmoid', O.sigmoid)

/**
 * arctan(z), in (-π/2, π/2). @category activations
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(2, 8), nn.atan, nn.dense(8, 1))
 * ```
 */
export const atan = activation('atan', O.atan)

/**
 * tanh(z), in (-1, 1). @category activations
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(1, 16), nn.tanh, nn.dense(16, 1))
 * ```
 */
export const tanh = activation('tanh', O.tanh)

/**
 * softplus(z) = log(1 + e^z), a smooth ReLU. @category activations
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(2, 4), nn.softplus, nn.dense(4, 1))
 * ```
 */
export const softplus = activation('softplus', O.softplus)

/**
 * Leaky ReLU with slope 0.01 for z \< 0: max(z, 0.01·z). Another slope: `elementwise('leakyRelu(0.2)', (x) => ops.leakyRelu(x, 0.2))`. @category activations
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(2, 8), nn.leakyRelu, nn.dense(8, 1))
 * ```
 */
export const leakyRelu = activation('leakyRelu', (x) => O.leakyRelu(x))

/**
 * ELU with alpha = 1: z for z \> 0, e^z - 1 otherwise. @category activations
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(2, 8), nn.elu, nn.dense(8, 1))
 * ```
 */
export const elu = activation('elu', (x) => O.elu(x))

/**
 * GELU, the tanh approximation z/2 · (1 + tanh(√(2/π) (z + 0.044715 z³))). @category activations
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(16, 64), nn.gelu, nn.dense(64, 16))
 * ```
 */
export const gelu = activation('gelu', O.gelu)

/**
 * GELU by the Gaussian CDF, z/2 · (1 + erf(z/√2)): PyTorch's default `GELU()` (`ops.geluErf`). @category activations
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(16, 64), nn.geluErf, nn.dense(64, 16)) // PyTorch's default GELU
 * ```
 */
export const geluErf = activation('geluErf', O.geluErf)

/**
 * The identity: returns its input unchanged. The unit of `serial`. @category activations
 * @example
 * ```ts
 * const net = nn.fanOut(nn.identity, nn.dense(4, 4)) // [x, dense(x)]
 * ```
 */
export const identity = activation('identity', (x) => x)

/**
 * softmax along the feature (last) axis: e^z_i / Σ_j e^z_j; each row sums to 1. @category activations
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(4, 3), nn.softmax) // probabilities (train on logits with losses.softmaxCrossEntropy instead)
 * ```
 */
export const softmax = activation('softmax', (x) => O.softmax(x))

/**
 * log softmax along the feature (last) axis: z_i - log Σ_j e^z_j, computed stably. @category activations
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(4, 3), nn.logSoftmax) // log-probabilities
 * ```
 */
export const logSoftmax = activation('logSoftmax', (x) => O.logSoftmax(x))

// The layer kind of a built-in activation: no fields, no parameters, the very value back.
const kindOf = (layer: SizePreservingLayer<NoParams>): LayerKindDefinition<Readonly<Record<string, never>>> =>
  Object.freeze({ kind: layer.spec.kind, fields: {}, build: () => E.right(layer), layout: () => noLayout })

/**
 * The layer kinds of the built-in activations (`{ kind: 'relu' }`, ...): `fromSpec` gives back the
 * very values `relu`, `tanh`, ...
 * @example
 * ```ts
 * nn.activationLayerKinds.map((k) => k.kind) // 'relu', 'sigmoid', ...
 * ```
 * @category specs
 */
export const activationLayerKinds: ReadonlyArray<LayerKindDefinition<Readonly<Record<string, never>>>> = Object.freeze(
  [relu, sigmoid, atan, tanh, softplus, leakyRelu, elu, gelu, geluErf, identity, softmax, logSoftmax].map(kindOf))
