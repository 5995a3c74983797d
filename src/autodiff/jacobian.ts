/**
 * Jacobians, Hessians and per-example gradients, built on `vmap`: a Jacobian is a batch of
 * Jacobian-vector products (forward mode, one per input element) or of vector-Jacobian products
 * (reverse mode, one per output element), each batch computed in one `vmap`.
 *
 * Trees in, trees out, as in JAX: for `f` from a tree `x` to a tree `y`, `jacfwd(f)(x)` and
 * `jacrev(f)(x)` have the structure of `y` with, at each output leaf, a tree of the structure of
 * `x` whose leaf has shape `[...outputLeaf.shape, ...inputLeaf.shape]`. For a tensor to a tensor
 * that is one tensor of shape `[...y.shape, ...x.shape]`.
 */
import { type Shape, type Tensor, alloc, fromData, sizeOf } from '../tensor/index.js'
import { type Tree, type TreeDef, flatten, unflatten } from '../tree/index.js'
import { reshape } from './primitives/reshape.js'
import { grad, jvp, vjp } from './transforms.js'
import { vmap } from './vmap.js'

/**
 * The Jacobian of `f` for trees: at each output leaf, a tree shaped like the input (see the module
 * comment). A tensor when both sides are tensors.
 * @example
 * ```ts
 * const j: Jacobian = jacfwd((p: { w: Tensor }) => ops.sum(p.w))({ w: tensor([1, 2]) })
 * ```
 * @category model
 */
export type Jacobian = Tree

/**
 * The type of a Jacobian: a tensor from a tensor to a tensor, a tree otherwise. @category model
 * @example
 * ```ts
 * const j: JacobianOf<Tensor, Tensor> = jacrev((x: Tensor) => ops.square(x))(tensor([1, 2])) // a Tensor of shape [2, 2]
 * ```
 */
export type JacobianOf<T extends Tree, O extends Tree> = T extends Tensor ? (O extends Tensor ? Tensor : Jacobian) : Jacobian

// The identity over the elements of a leaf of `shape`, as a batch [n, ...shape] of basis vectors.
const basis = (shape: Shape, dtype: Tensor['dtype']): Tensor => {
  const n = sizeOf(shape)
  const data = alloc(dtype, n * n)
  for (let i = 0; i < n; i++) data[i * n + i] = 1
  return fromData([n, ...shape], data)
}

// Rebuilds the output tree whose leaf j is the input-shaped tree `blocks[j]`. (The callers cast
// the result to JacobianOf: a tensor exactly when both trees are single tensors.)
const nest = (outDef: TreeDef, blocks: ReadonlyArray<Tree>): Jacobian =>
  // unflatten only places its values; here each value is a whole input-shaped tree
  unflatten(outDef, blocks as ReadonlyArray<Tensor>)

/**
 * The Jacobian by forward mode: one `jvp` per input element, all of them in one `vmap`. Cheaper
 * than `jacrev` when the input is smaller than the output.
 * @example
 * ```ts
 * jacfwd((x: Tensor) => ops.sin(x))(tensor([0, 1])) // diag(cos 0, cos 1), shape [2, 2]
 * ```
 * @category transformations
 */
export const jacfwd =
  <T extends Tree, O extends Tree>(f: (x: T) => O) =>
  (x: T): JacobianOf<T, O> => {
    const [ins, inDef] = flatten(x, 'jacfwd (input)')
    const [outs, outDef] = flatten(f(x), 'jacfwd (output)')
    // columns[i][j]: d output j / d input i, shape [...out_j, ...in_i]
    const columns = ins.map((xi, i) => {
      const tangent = (t: Tensor): T => unflatten(inDef, ins.map((xk, k) => (k === i ? t : fromData(xk.shape, alloc(xk.dtype, xk.size)))))
      const pushed = vmap((t: Tensor) => jvp(f, x, tangent(t))[1], { outAxes: -1 })(basis(xi.shape, xi.dtype))
      return flatten(pushed, 'jacfwd (output)')[0].map((c, j) => reshape(c, [...outs[j]!.shape, ...xi.shape]))
    })
    return nest(outDef, outs.map((_, j) => unflatten(inDef, columns.map((c) => c[j]!)))) as JacobianOf<T, O>
  }

/**
 * The Jacobian by reverse mode: one vector-Jacobian product per output element, all of them in
 * one `vmap` over the pullback of a single `vjp`. Cheaper than `jacfwd` when the output is smaller
 * than the input (a gradient is the Jacobian of a scalar).
 * @example
 * ```ts
 * jacrev((x: Tensor) => ops.mul(x, x))(tensor([1, 2])) // diag(2x) = [[2, 0], [0, 4]]
 * ```
 * @category transformations
 */
export const jacrev =
  <T extends Tree, O extends Tree>(f: (x: T) => O) =>
  (x: T): JacobianOf<T, O> => {
    const [y, pullback] = vjp(f, x)
    const [outs, outDef] = flatten(y, 'jacrev (output)')
    const [ins] = flatten(x, 'jacrev (input)')
    const rows = outs.map((yj, j) => {
      const cotangent = (c: Tensor): O => unflatten(outDef, outs.map((yk, k) => (k === j ? c : fromData(yk.shape, alloc(yk.dtype, yk.size)))))
      const pulled = vmap((c: Tensor) => pullback(cotangent(c)))(basis(yj.shape, yj.dtype))
      const [leaves, inDef] = flatten(pulled, 'jacrev (input)')
      return unflatten(inDef, leaves.map((g, i) => reshape(g, [...yj.shape, ...ins[i]!.shape])))
    })
    return nest(outDef, rows) as JacobianOf<T, O>
  }

/**
 * The Hessian of a scalar-valued `f`, as `jacfwd(jacrev(f))` (forward over reverse, as JAX). For
 * a tree input, `hessian(f)(x)` at path `a` then `b` is the block d²f / (d a d b), of shape
 * `[...a.shape, ...b.shape]`; for a tensor of shape s it is one tensor of shape `[...s, ...s]`.
 * @example
 * ```ts
 * const f = (x: Tensor) => ops.sum(ops.mul(ops.mul(x, x), x)) // Σ x³
 * hessian(f)(tensor([1, 2])) // [[6, 0], [0, 12]]
 * ```
 * @category transformations
 */
export const hessian =
  <T extends Tree>(f: (x: T) => Tensor) =>
  (x: T): JacobianOf<T, Tensor> =>
    jacfwd((z: T): Tree => jacrev(f)(z))(x) as JacobianOf<T, Tensor>

/**
 * Per-example gradients: `perExampleGrads(loss)(params, ...batch)` is, for every example i of the
 * batched arguments (batch axis 0 of each leaf), the gradient of `loss(params, ...example_i)` with
 * respect to `params`, stacked along a new first axis of every parameter leaf. The same as
 * `vmap((p, ...xs) => grad((q) => loss(q, ...xs))(p), { inAxes: [undefined, 0, ...] })`: one
 * batched computation, not a loop. `loss` sees one example at a time (no batch axis: reshape it to
 * `[1, features]` for layers that expect rows).
 * @example
 * ```ts
 * const w = tensor([1, -1])
 * const loss = (p: Tensor, x: Tensor) => ops.square(ops.sum(ops.mul(p, x)))
 * perExampleGrads(loss)(w, tensor([[1, 2], [3, 4]])) // one gradient row per example: [[-2, -4], [-6, -8]]
 * ```
 * @category transformations
 */
export const perExampleGrads =
  <P extends Tree, D extends ReadonlyArray<Tree>>(loss: (params: P, ...example: D) => Tensor) =>
  (params: P, ...batch: D): P =>
    vmap((p: P, ...xs: D) => grad((q: P) => loss(q, ...xs))(p), { inAxes: [undefined, ...batch.map(() => 0)] })(params, ...batch)
