/**
 * Checking a layer's derivatives in one call: the gradient with respect to its parameters and to
 * its input, against central finite differences in float64. This is the check the property suite
 * runs on purenet's own layers, packaged for layers users write themselves.
 */
import type { ApplyContext, Layer } from '../nn/Layer.js'
import * as P from '../autodiff/primitives/index.js'
import { type Key, key as makeKey, normal, split } from '../random/index.js'
import { type Tensor, ShapeError } from '../tensor/index.js'
import type { Tree } from '../tree/index.js'
import { type CheckGradOptions, type GradReport, checkGrad } from './checkGrad.js'
import { treeToFloat64 } from './finiteDifferences.js'

/**
 * Options of `checkLayer`: those of `checkGrad`, and how to make the input. @category checks
 * @example
 * ```ts
 * const options: check.CheckLayerOptions = { batch: 5, key: random.key(1) }
 * check.checkLayer(nn.dense(3, 2), options)
 * ```
 */
export interface CheckLayerOptions extends CheckGradOptions {
  /** Examples in the random input batch (default 3). */
  readonly batch?: number
  /** The input's feature size, for a layer that takes any size (an activation); default `layer.inSize`. */
  readonly inSize?: number
  /** The context `apply` is called with (default none: evaluation mode). A training-mode key is reused at every evaluation, so dropout masks stay fixed. */
  readonly context?: ApplyContext
}

/**
 * Checks `layer`'s gradient with respect to its parameters and its input at random parameters
 * (from `options.key`) and a random input batch, converted to float64: the scalar checked is
 * `sum(u · layer(params)(x))` for a random `u`, so every output contributes. Returns `checkGrad`'s
 * report, whose paths read `params[0].w[3]` or `x[5]`.
 *
 *   expect(check.checkLayer(myLayer).ok).toBe(true)
 *
 * @example
 * ```ts
 * const report = check.checkLayer(nn.serial(nn.dense(3, 4), nn.tanh))
 * if (!report.ok) throw new Error(report.message)
 * ```
 * @category checks
 */
export const checkLayer = <P extends Tree>(layer: Layer<P>, options: CheckLayerOptions = {}): GradReport => {
  const inSize = options.inSize ?? layer.inSize
  if (!Number.isInteger(inSize) || inSize <= 0) {
    throw new ShapeError(`checkLayer: ${layer.name}`, [], `the layer takes inputs of any size; say which with options.inSize`)
  }
  const batch = options.batch ?? 3
  const [kp, kx, ku] = split(options.key ?? makeKey(0), 3) as [Key, Key, Key]
  const params = treeToFloat64(layer.init(kp))
  const x = normal(kx, [batch, inSize], { dtype: 'float64' })
  const probe = layer.apply(params)(x, options.context)
  const u = normal(ku, probe.shape, { dtype: 'float64' })
  const f = (v: { readonly params: P; readonly x: Tensor }): Tensor => P.sum(P.mul(u, layer.apply(v.params)(v.x, options.context)))
  return checkGrad(f, { params, x }, options)
}
