/**
 * `flatten`: each example's features as one row, [batch, ...] to [batch, features], so that a
 * dense layer can follow an image layer. Size-preserving: the features per example do not change.
 */
import { reshape } from '../ops/index.js'
import { ShapeError, type Tensor } from '../tensor/index.js'
import { type NoParams, type SizePreservingLayer, anySize } from './Layer.js'
import { type LayerKindDefinition, buildWith, layerKind, noLayout } from './LayerKind.js'
import type { FlattenSpec } from './LayerSpec.js'

const noParams: NoParams = Object.freeze({})

/**
 * Reshapes a batch [batch, d1, ..., dk] to rows [batch, d1 · ... · dk] (rows stay as they are):
 * `serial(conv2d(...), relu, maxPool2d(...), flatten, dense(n, 10))`. As PyTorch's
 * `nn.Flatten()` and Keras's `Flatten`; row-major, so NHWC images flatten channels innermost.
 * @example
 * ```ts
 * const net = nn.serial(nn.conv2d([8, 8, 1], 4, 3), nn.flatten, nn.dense(144, 10)) // [6, 6, 4] images to rows of 144
 * ```
 * @category layers
 */
export const flatten: SizePreservingLayer<NoParams> = Object.freeze({
  name: 'flatten',
  inSize: anySize,
  outSize: anySize,
  spec: Object.freeze({ kind: 'flatten' as const }),
  preservesSize: true as const,
  init: (): NoParams => noParams,
  apply: () => (x: Tensor): Tensor => {
    if (x.shape.length < 1) throw new ShapeError('flatten', [x.shape], 'expects a batch with a leading batch axis, got a scalar')
    return x.shape.length === 2 ? x : reshape(x, [x.shape[0]!, x.shape.slice(1).reduce((a, b) => a * b, 1)])
  },
})

/**
 * The layer kind `flatten`: `{ kind: 'flatten' }`; no parameters. @category specs
 * @example
 * ```ts
 * nn.flattenKind.kind // 'flatten'
 * ```
 */
export const flattenKind: LayerKindDefinition<Record<string, never>, FlattenSpec> = layerKind({
  kind: 'flatten' as const,
  fields: {},
  build: (_f: Record<string, never>, context: { readonly path: string }) => buildWith(context.path, () => flatten),
  layout: () => noLayout,
})
