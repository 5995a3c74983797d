/**
 * `paramLayout(spec)`: the layout of a layer's parameters read off its spec, through the registry
 * of layer kinds (each kind's `layout`), without allocating a tensor.
 */
import type { LayerRegistry } from './LayerKind.js'
import { type LayerSpec, type ParamLayout, isSpecOf } from './LayerSpec.js'
import { layoutElements } from '../tree/index.js'
import { registry as builtins } from './registry.js'

/**
 * The parameter layout of a spec: `{ w: [inSize, outSize], b: [outSize] }` for dense, `{}` for
 * activations and dropout, an array of the children's layouts for serial, fanOut and parallel,
 * the inner layer's for residual; what a kind's `layout` says for a kind of `kinds`; `unknown` for
 * a custom layer (and a kind the registry does not know). Allocates nothing, so it is safe on a
 * spec of absurd sizes.
 * @example
 * ```ts
 * const layout = nn.paramLayout(nn.dense(2, 3).spec) // record { w: tensor [2, 3], b: tensor [3] }
 * ```
 * @category specs
 */
export const paramLayout = (spec: LayerSpec, kinds: LayerRegistry = builtins): ParamLayout => {
  const kind = isSpecOf(spec, 'custom') ? undefined : kinds.get(spec.kind)
  if (kind === undefined) return Object.freeze({ node: 'unknown' as const, name: isSpecOf(spec, 'custom') ? spec.name : spec.kind })
  return kind.layout(spec, (child) => paramLayout(child, kinds))
}

/**
 * The number of parameters (tensor elements) of a layout; `NaN` when it has an unknown part. @category specs
 * @example
 * ```ts
 * nn.layoutSize(nn.paramLayout(nn.dense(2, 3).spec)) // 9
 * ```
 */
export const layoutSize = (layout: ParamLayout): number => layoutElements(layout)

/**
 * Whether a layout has no part only code knows (a custom layer). @category specs
 * @example
 * ```ts
 * nn.isLayoutKnown(nn.paramLayout(nn.dense(2, 3).spec)) // true
 * ```
 */
export const isLayoutKnown = (layout: ParamLayout): boolean => !Number.isNaN(layoutElements(layout))
