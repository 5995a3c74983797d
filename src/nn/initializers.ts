/**
 * Weight initialisers: pure functions from a key and a shape to a tensor. For a weight matrix of
 * shape [fanIn, fanOut] (as `dense` stores it), fanIn is the first axis and fanOut the last.
 *
 * Laws (checked in src/nn/initializers.test.ts):
 * 1. The same key gives bit-identical tensors.
 * 2. glorotUniform draws lie in [-√(6 / (fanIn + fanOut)), √(6 / (fanIn + fanOut))).
 * 3. heNormal draws have mean ≈ 0 and standard deviation ≈ √(2 / fanIn).
 */
import { type Key, normal, uniform } from '../random/index.js'
import { type DType, type Shape, type Tensor, zeros as zerosTensor } from '../tensor/index.js'

/**
 * An initialiser: a key, a shape and a dtype to a fresh tensor. @category initializers
 * @example
 * ```ts
 * const small: nn.Initializer = (key, shape, dtype) => ops.mul(random.normal(key, shape, { dtype }), 0.01)
 * nn.dense(4, 3, { weights: small })
 * ```
 */
export type Initializer = (key: Key, shape: Shape, dtype: DType) => Tensor

/**
 * The built-in initialisers by name, as `dense`'s options accept them. @category initializers
 * @example
 * ```ts
 * const name: nn.InitializerName = 'heNormal'
 * nn.dense(4, 3, { weights: name })
 * ```
 */
export type InitializerName = 'glorotUniform' | 'heNormal' | 'zeros'

// A vector (a bias) has fanIn = fanOut = its length; a scalar counts as one unit.
const fans = (shape: Shape): readonly [number, number] => {
  const fanIn = shape.length === 0 ? 1 : shape[0]!
  const fanOut = shape.length === 0 ? 1 : shape[shape.length - 1]!
  return [fanIn, fanOut]
}

/**
 * Glorot/Xavier uniform: U(-limit, limit) with limit = √(6 / (fanIn + fanOut)), which keeps the
 * variance of activations and of gradients about constant through tanh/sigmoid layers
 * (Glorot and Bengio, 2010). The default of `dense`, as in Keras.
 * @example
 * ```ts
 * const layer = nn.dense(784, 128, { weights: nn.glorotUniform })
 * ```
 * @category initializers
 */
export const glorotUniform: Initializer = (key, shape, dtype) => {
  const [fanIn, fanOut] = fans(shape)
  const limit = Math.sqrt(6 / (fanIn + fanOut))
  return uniform(key, shape, { dtype, min: -limit, max: limit })
}

/**
 * He/Kaiming normal: N(0, 2 / fanIn), which keeps the variance of activations about constant
 * through ReLU layers (He et al., 2015). Untruncated, as PyTorch's `kaiming_normal_`.
 * @example
 * ```ts
 * const w = nn.heNormal(random.key(0), [784, 128], 'float32') // normal with variance 2 / 784
 * ```
 * @category initializers
 */
export const heNormal: Initializer = (key, shape, dtype) => normal(key, shape, { dtype, std: Math.sqrt(2 / fans(shape)[0]) })

/**
 * All zeros (the default for biases); ignores the key. @category initializers
 * @example
 * ```ts
 * const layer = nn.dense(4, 3, { weights: nn.zeros })
 * ```
 */
export const zeros: Initializer = (_key, shape, dtype) => zerosTensor(shape, { dtype })

/**
 * The initialisers by name. @category initializers
 * @example
 * ```ts
 * const w = nn.initializers.glorotUniform(random.key(0), [4, 3], 'float32')
 * ```
 */
export const initializers: { readonly [K in InitializerName]: Initializer } = { glorotUniform, heNormal, zeros }

