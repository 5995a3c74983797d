/**
 * Editing a parameter tree without mutating it: immer's `produce` gives the recipe a draft to
 * change in place, and returns a new frozen tree that shares every untouched branch with the old
 * one (structural sharing). Tensors are values: a recipe replaces a leaf, it never writes into
 * one.
 */
import { produce } from 'immer'
import type { Tensor } from '../tensor/index.js'
import { type Tree, leaves } from './Tree.js'

/**
 * A writable view of a tree: its records and arrays can be assigned to; tensors stay whole values. @category model
 * @example
 * ```ts
 * const params = { w: tensor([1]), b: tensor([0]) }
 * const zeroBias = (draft: tree.TreeDraft<typeof params>) => { draft.b = tensor([0]) }
 * tree.edit(params, zeroBias)
 * ```
 */
export type TreeDraft<T> = T extends Tensor ? Tensor : { -readonly [K in keyof T]: TreeDraft<T[K]> }

/**
 * A new tree: `recipe` edits a draft of `t` (assign leaves or whole branches); `t` is unchanged,
 * untouched branches are shared, and the result is frozen.
 *
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(2, 3), nn.relu, nn.dense(3, 1))
 * const params = net.init(random.key(0))
 * const fresh = tree.edit(params, (p) => { p[2] = nn.dense(3, 1).init(random.key(1)) })
 * ```
 * @category combinators
 */
export const edit = <T extends Tree>(t: T, recipe: (draft: TreeDraft<T>) => void): T => {
  // immer's own Draft type would make a tensor's fields writable; a tree edit replaces tensors whole
  const out = produce(t, (draft) => {
    recipe(draft as unknown as TreeDraft<T>)
  }) as T
  // a recipe may assign anything: `leaves` throws a TreeError naming the path of a non-tensor leaf
  leaves(out)
  return out
}
