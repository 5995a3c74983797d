/**
 * Dropout (Srivastava et al., 2014), inverted: in training, each element is zeroed with
 * probability `rate` and the survivors are scaled by 1 / (1 - rate), so the expected output equals
 * the input and evaluation needs no rescaling.
 */
import { mul } from '../ops/index.js'
import { bernoulli } from '../random/index.js'
import { type Tensor, fromData, showValue } from '../tensor/index.js'
import { type ApplyContext, type NoParams, type SizePreservingLayer, anySize } from './Layer.js'
import { type LayerKindDefinition, layerKind, buildWith, noLayout, specCodec } from './LayerKind.js'
import type { DropoutSpec } from './LayerSpec.js'

const noParams: NoParams = Object.freeze({})

/**
 * A dropout layer that drops each element with probability `rate` (in [0, 1)) and scales the
 * rest by 1 / (1 - rate). It draws its mask from `ctx.key` when `ctx.mode` is 'train'; in 'eval'
 * mode, or with no context, it is the identity. The mask is a constant: gradients flow through
 * the kept elements, scaled, and are zero at the dropped ones.
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(784, 128), nn.relu, nn.dropout(0.5), nn.dense(128, 10))
 * ```
 * @category layers
 */
export const dropout = (rate: number): SizePreservingLayer<NoParams> => {
  const name = `dropout(${rate})`
  if (!(rate >= 0 && rate < 1)) {
    throw new RangeError(`${name}: the rate is the probability of dropping an element and must be in [0, 1), got ${rate}`)
  }
  const scale = 1 / (1 - rate)
  return Object.freeze({
    name,
    inSize: anySize,
    outSize: anySize,
    spec: Object.freeze({ kind: 'dropout' as const, rate }),
    preservesSize: true as const,
    init: (): NoParams => noParams,
    apply: () => (x: Tensor, ctx?: ApplyContext): Tensor => {
      if (ctx === undefined || ctx.mode === 'eval' || rate === 0) return x
      const keep = bernoulli(ctx.key, 1 - rate, x.shape, { dtype: x.dtype })
      const mask = keep.data.map((k) => k * scale)
      return mul(x, fromData(x.shape, mask))
    },
  })
}

/**
 * The layer kind `dropout`: `{ kind: 'dropout', rate }` with `rate` in [0, 1); no parameters. @category specs
 * @example
 * ```ts
 * const small = nn.registry.kinds.includes(nn.dropoutKind.kind) // true
 * ```
 */
export const dropoutKind: LayerKindDefinition<{ readonly rate: number }, DropoutSpec> = layerKind({
  kind: 'dropout' as const,
  fields: {
    rate: {
      codec: specCodec('a number in [0, 1)', (u): u is number => typeof u === 'number' && u >= 0 && u < 1,
        (u) => `expected a number in [0, 1) (the probability of dropping an element), got ${showValue(u)}`),
    },
  },
  build: (f: { readonly rate: number }, context: { readonly path: string }) => buildWith(context.path, () => dropout(f.rate)),
  layout: () => noLayout,
})
