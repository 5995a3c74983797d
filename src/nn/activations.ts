/**
 * Activation layers: parameterless, size-preserving layers that apply a differentiable function
 * element by element (or, for `softmax` and `logSoftmax`, along the feature axis). Each is one
 * line over `elementwise`; their derivatives are the ops'.
 */
import * as O from '../ops/index.js'
import type { Tensor } from '../tensor/index.js'
import { type NoParams, type SizePreservingLayer, anySize } from './Layer.js'

const noParams: NoParams = Object.freeze({})

/**
 * A parameterless, size-preserving layer from any differentiable function of a tensor: params
 * `{}`, `apply({})(x) = op(x)`. `op` should return a tensor of `x`'s shape.
 * @example const swish = elementwise('swish', ops.silu)
 * @category activations
 */
export const elementwise = (name: string, op: (x: Tensor) => Tensor): SizePreservingLayer<NoParams> =>
  Object.freeze({
    name,
    inSize: anySize,
    outSize: anySize,
    preservesSize: true as const,
    init: (): NoParams => noParams,
    apply: () => (x: Tensor): Tensor => op(x),
  })

/** ReLU: max(0, z), with relu'(0) = 0. @category activations */
export const relu = elementwise('relu', O.relu)

/** The logistic function: 1 / (1 + e^-z). @category activations */
export const sigmoid = elementwise('sigmoid', O.sigmoid)

/** arctan(z), in (-π/2, π/2). @category activations */
export const atan = elementwise('atan', O.atan)

/** tanh(z), in (-1, 1). @category activations */
export const tanh = elementwise('tanh', O.tanh)

/** softplus(z) = log(1 + e^z), a smooth ReLU. @category activations */
export const softplus = elementwise('softplus', O.softplus)

/** Leaky ReLU with slope 0.01 for z < 0: max(z, 0.01·z). Another slope: `elementwise('leakyRelu(0.2)', (x) => ops.leakyRelu(x, 0.2))`. @category activations */
export const leakyRelu = elementwise('leakyRelu', (x) => O.leakyRelu(x))

/** ELU with alpha = 1: z for z > 0, e^z - 1 otherwise. @category activations */
export const elu = elementwise('elu', (x) => O.elu(x))

/** GELU, the tanh approximation z/2 · (1 + tanh(√(2/π) (z + 0.044715 z³))). @category activations */
export const gelu = elementwise('gelu', O.gelu)

/** The identity: returns its input unchanged. The unit of `serial`. @category activations */
export const identity = elementwise('identity', (x) => x)

/** softmax along the feature (last) axis: e^z_i / Σ_j e^z_j; each row sums to 1. @category activations */
export const softmax = elementwise('softmax', (x) => O.softmax(x))

/** log softmax along the feature (last) axis: z_i - log Σ_j e^z_j, computed stably. @category activations */
export const logSoftmax = elementwise('logSoftmax', (x) => O.logSoftmax(x))
