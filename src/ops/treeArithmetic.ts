/**
 * Arithmetic on whole trees, leaf by leaf: the vector-space structure that optimizers use.
 * Every function is differentiable (it is built from primitives), so it may appear inside
 * `grad`; that is why it lives here, above autodiff, and not in `tree` (which stays at the
 * bottom of the layers). The public `tree` namespace joins both (see treeNamespace.ts).
 */
import * as P from '../autodiff/primitives/index.js'
import { type Tensor, scalar } from '../tensor/index.js'
import { type Tree, map, zipWith } from '../tree/index.js'

/**
 * a + b, leaf by leaf. @category arithmetic
 * @example
 * ```ts
 * const a = { w: tensor([1, 2]), b: tensor(1) }
 * tree.add(a, a) // { w: [2, 4], b: 2 }
 * ```
 */
export const add = <T extends Tree>(a: T, b: T): T => zipWith(a, b, (x, y) => P.add(x, y), 'tree.add')

/**
 * a - b, leaf by leaf. @category arithmetic
 * @example
 * ```ts
 * tree.sub({ w: tensor([3]) }, { w: tensor([1]) }) // { w: [2] }
 * ```
 */
export const sub = <T extends Tree>(a: T, b: T): T => zipWith(a, b, (x, y) => P.sub(x, y), 'tree.sub')

/**
 * s · a for a number s. @category arithmetic
 * @example
 * ```ts
 * tree.scale({ w: tensor([1, 2]) }, 3) // { w: [3, 6] }
 * ```
 */
export const scale = <T extends Tree>(a: T, s: number): T => map(a, (x) => P.mul(x, s))

/**
 * a + s · b (the "axpy" of BLAS), leaf by leaf. @category arithmetic
 * @example
 * ```ts
 * const params = { w: tensor([1, 2]) }
 * const grads = { w: tensor([0.5, 0.5]) }
 * tree.addScaled(params, grads, -0.1) // params - 0.1·grads = { w: [0.95, 1.95] }
 * ```
 */
export const addScaled = <T extends Tree>(a: T, b: T, s: number): T => zipWith(a, b, (x, y) => P.add(x, P.mul(y, s)), 'tree.addScaled')

/**
 * The inner product: the sum over all leaves of sum(a · b). A scalar tensor. @category arithmetic
 * @example
 * ```ts
 * const a = { w: tensor([1, 2]), b: tensor(3) }
 * tree.dot(a, a) // tensor 14: Σ over every leaf
 * ```
 */
export const dot = <T extends Tree>(a: T, b: T): Tensor => {
  const prods: Tensor[] = []
  zipWith(a, b, (x, y) => {
    prods.push(P.sum(P.mul(x, y)))
    return x
  }, 'tree.dot')
  return prods.reduce((s, p) => P.add(s, p), scalar(0, prods[0]?.dtype ?? 'float32'))
}

/**
 * The Euclidean norm of all leaves taken together. A scalar tensor. @category arithmetic
 * @example
 * ```ts
 * tree.norm({ w: tensor([3]), b: tensor([4]) }) // tensor 5, the global L2 norm
 * ```
 */
export const norm = <T extends Tree>(a: T): Tensor => P.sqrt(dot(a, a))
