/**
 * Editing a parameter tree without mutating it: immer's `produce` gives the recipe a draft to
 * change in place, and returns a new frozen tree that shares every untouched branch with the old
 * one (structural sharing). Tensors are values: a recipe replaces a leaf, it never writes into
 * one.
 */
import { produce, type Draft } from 'immer'
import { type Tree, leaves } from './Tree.js'

/**
 * A new tree: `recipe` edits a draft of `t` (assign leaves or whole branches); `t` is unchanged,
 * untouched branches are shared, and the result is frozen.
 *
 *   const frozen = tree.edit(params, (p) => { p[2] = nn.dense(128, 10).init(key) })
 *
 * @category combinators
 */
export const edit = <T extends Tree>(t: T, recipe: (draft: Draft<T>) => void): T => {
  const out = produce(t, (draft) => {
    recipe(draft)
  }) as T
  // a recipe may assign anything: `leaves` throws a TreeError naming the path of a non-tensor leaf
  leaves(out)
  return out
}
