/**
 * The layout of a tree of tensors: its structure, with the shape and dtype of every tensor but no
 * data (what `init` would make, or what a file must hold). `nn.paramLayout` reads one off a layer's
 * spec and io checks files against it; `unknown` stands for a part only code knows (a custom layer).
 */
import type { DType, Shape } from '../tensor/index.js'

/**
 * A tree's structure with each tensor's shape and dtype. @category layouts
 * @example
 * ```ts
 * const layout: tree.TreeLayout = io.layerLayout(nn.dense(2, 3))
 * ```
 */
export type TreeLayout =
  | { readonly node: 'tensor'; readonly shape: Shape; readonly dtype: DType }
  | { readonly node: 'array'; readonly items: ReadonlyArray<TreeLayout> }
  | { readonly node: 'record'; readonly fields: ReadonlyArray<readonly [string, TreeLayout]> }
  | { readonly node: 'unknown'; readonly name: string }

/**
 * The number of elements of a layout; `NaN` when it has an unknown part. @category layouts
 * @example
 * ```ts
 * const net = nn.dense(4, 3)
 * tree.layoutElements(io.layerLayout(net)) // 15: w is 4×3, b is 3
 * ```
 */
export const layoutElements = (layout: TreeLayout): number => {
  switch (layout.node) {
    case 'tensor':
      return layout.shape.reduce((n, d) => n * d, 1)
    case 'array':
      return layout.items.reduce((n, l) => n + layoutElements(l), 0)
    case 'record':
      return layout.fields.reduce((n, [, l]) => n + layoutElements(l), 0)
    case 'unknown':
      return NaN
  }
}
