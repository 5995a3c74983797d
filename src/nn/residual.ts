/**
 * Residual connections (He et al., 2016): `residual(f)` computes x + f(x), so a deep stack of
 * them starts near the identity and gradients reach early layers through the skip path.
 */
import { add } from '../ops/index.js'
import { ShapeError, type Tensor, pathKey } from '../tensor/index.js'
import * as E from 'fp-ts/lib/Either.js'
import { type AnyLayer, type ApplyContext, type InSizeOf, type Layer, type OutSizeOf, type ParamsOf, type SizePreserving, preservesSize } from './Layer.js'
import { type LayerKindDefinition, layerKind, type SpecContext, buildWith, layerField, sizePath, specFail } from './LayerKind.js'
import type { ResidualSpec } from './LayerSpec.js'

/**
 * The layers `residual` accepts: size-preserving ones, and sized ones whose input and output
 * sizes agree (a mismatch is reported with the size the output should have).
 * @category combinators
 * @example
 * ```ts
 * const block = nn.dense(8, 8)
 * const ok: nn.ResidualCheck<typeof block> = block // what residual checks its argument against
 * // nn.residual(nn.dense(8, 4)) does not compile: the output should have 8 features
 * ```
 */
export type ResidualCheck<L extends AnyLayer> = [L] extends [SizePreserving]
  ? L
  : number extends InSizeOf<L> ? L : number extends OutSizeOf<L> ? L : [InSizeOf<L>] extends [OutSizeOf<L>] ? L : Layer<ParamsOf<L>, InSizeOf<L>, InSizeOf<L>>

/**
 * The type of `residual(L)`: L's parameters and sizes (size-preserving if L is). @category combinators
 * @example
 * ```ts
 * const block = nn.residual(nn.dense(8, 8))
 * const size: 8 = block.inSize // nn.Residual keeps the size
 * ```
 */
export type Residual<L extends AnyLayer> = [L] extends [SizePreserving]
  ? Layer<ParamsOf<L>, number, number> & SizePreserving
  : Layer<ParamsOf<L>, InSizeOf<L>, InSizeOf<L>>

/**
 * The residual block x ↦ x + layer(x). The layer's input and output sizes must agree; the
 * parameters are the layer's own (no extra nesting), and the context is passed on unchanged.
 * @example
 * ```ts
 * const block = nn.residual(nn.serial(nn.dense(64, 64), nn.relu, nn.dense(64, 64)))
 * ```
 * @category combinators
 */
export const residual = <const L extends AnyLayer>(layer: ResidualCheck<L>): Residual<L> => {
  const inner: AnyLayer = layer
  const name = `residual(${inner.name})`
  const preserving = preservesSize(inner)
  if (!preserving && inner.inSize !== inner.outSize) {
    throw new ShapeError('residual', [], `x + f(x) needs f to keep the size, but ${inner.name} maps ${inner.inSize} features to ${inner.outSize}; use a layer from ${inner.inSize} to ${inner.inSize} features`)
  }
  const apply = inner.apply as (p: unknown) => (x: Tensor, ctx?: ApplyContext) => Tensor
  const result = {
    name,
    inSize: inner.inSize,
    outSize: inner.inSize,
    spec: Object.freeze({ kind: 'residual' as const, layer: inner.spec }),
    init: inner.init,
    apply: (params: unknown) => {
      const f = apply(params)
      return (x: Tensor, ctx?: ApplyContext): Tensor => {
        const y = f(x, ctx)
        if (y.shape.length !== x.shape.length || y.shape.some((d, i) => d !== x.shape[i])) {
          throw new ShapeError(name, [x.shape, y.shape], `the block's output must have its input's shape to be added to it`)
        }
        return add(x, y)
      }
    },
    ...(preserving ? { preservesSize: true as const } : {}),
  }
  // The value is built from AnyLayer parts; its precise type is computed from the arguments' types.
  return Object.freeze(result) as unknown as Residual<L>
}

/**
 * The layer kind `residual`: `{ kind: 'residual', layer }`; the size rule is that the inner layer
 * keeps the size (checked before building); the parameters are the inner layer's.
 * @example
 * ```ts
 * nn.residualKind.kind // 'residual'
 * ```
 * @category specs
 */
export const residualKind: LayerKindDefinition<{ readonly layer: unknown }, ResidualSpec> = layerKind({
  kind: 'residual' as const,
  fields: { layer: layerField },
  build: (f: { readonly layer: unknown }, context: SpecContext) => {
    const at = pathKey(context.path, 'layer')
    const child = context.child(f.layer, at)
    if (E.isLeft(child)) return child
    const inner = child.right
    if (!preservesSize(inner) && inner.inSize !== inner.outSize) {
      return specFail(sizePath(at, inner, 'outSize'), `x + f(x) needs f to keep the size, but ${inner.name} maps ${inner.inSize} features to ${inner.outSize}; use a layer from ${inner.inSize} to ${inner.inSize} features`)
    }
    return buildWith(context.path, () => residual(inner))
  },
  layout: (spec: ResidualSpec, child) => child(spec.layer),
  declares: (raw: Readonly<Record<string, unknown>>) => ({ parameters: 0, children: Object.hasOwn(raw, 'layer') ? [raw['layer']] : [] }),
})
