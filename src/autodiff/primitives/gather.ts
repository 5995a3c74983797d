/**
 * `gather` and `scatterAdd`: row lookups along axis 0 and their transpose, so they share one file.
 * The indices are data (whole numbers in a float tensor), never differentiated.
 */
import * as K from '../../kernels/index.js'
import { type Tensor, ShapeError, showShape } from '../../tensor/index.js'
import { batchByLoop } from '../batchRules.js'
import { type Primitive, primitive } from '../Primitive.js'

const checkIndices = (op: string, indices: Tensor, size: number): void => {
  const d = indices.data
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!
    if (!Number.isInteger(v) || v < 0 || v >= size) {
      throw new RangeError(`${op}: index ${v} at position ${i} of the indices ${showShape(indices.shape)} is not a whole number in [0, ${size}); indices pick rows of a table of ${size} rows`)
    }
  }
}

/**
 * The rows of `x` at `indices` (along axis 0): out[i..., :] = x[indices[i...], :], of shape
 * indices.shape ++ x.shape[1:]. PyTorch's `F.embedding(indices, x)` / `x[indices]`, JAX's
 * `jnp.take(x, indices, axis=0)`. Linear in x: d gather(x) = gather(dx); its transpose is
 * `scatterAdd`. The indices are not differentiated.
 * @example
 * ```ts
 * const table = tensor([[0, 0], [1, 1], [2, 2]])
 * ops.gather(table, tensor([2, 0, 2])) // rows 2, 0, 2
 * ```
 * @category primitives
 */
export const gather: Primitive<(x: Tensor, indices: Tensor) => Tensor, undefined> = primitive({
  name: 'gather',
  domain: 'real',
  call: (bind) => (x: Tensor, indices: Tensor): Tensor => {
    if (x.shape.length < 1) throw new ShapeError('gather', [x.shape, indices.shape], 'expects a table of rank >= 1 to take rows of')
    return bind([x, indices], undefined)
  },
  // the indices' values are checked where they are concrete (under vmap they are not, at the call)
  impl: ([x, indices]) => {
    checkIndices('gather', indices!, x!.shape[0]!)
    return K.gather(x!, indices!)
  },
  jvp: ([dx], { args }) => (dx === undefined ? undefined : gather(dx, args[1]!)),
  vjp: (ct, { args }, needs) => [needs[0] ? scatterAdd(ct, args[1]!, args[0]!.shape[0]!) : undefined, undefined],
  // batched indices into a shared table are just more indices (the output starts with the
  // indices' axes, batch axis included); a batched table goes example by example
  batch: (input) => (input.dims[0] === undefined ? [input.bind(input.args, input.params), input.dims[1]!] : batchByLoop(input)),
})

/**
 * Adds the rows of `updates` into a table of zeros with `size` rows at `indices`:
 * out[indices[i...], :] += updates[i..., :], for updates of shape indices.shape ++ rowShape;
 * repeated indices add up. PyTorch's `zeros(size, ...).index_add_(0, indices, updates)`, JAX's
 * `zeros.at[indices].add(updates)`. Linear in `updates`, its transpose is `gather`.
 * @example
 * ```ts
 * ops.scatterAdd(tensor([[1, 1], [2, 2], [3, 3]]), tensor([0, 2, 0]), 3) // rows [[4, 4], [0, 0], [2, 2]]
 * ```
 * @category primitives
 */
export const scatterAdd: Primitive<(updates: Tensor, indices: Tensor, size: number) => Tensor, number> = primitive({
  name: 'scatterAdd',
  domain: 'real',
  call: (bind) => (updates: Tensor, indices: Tensor, size: number): Tensor => {
    if (indices.shape.length > updates.shape.length || indices.shape.some((d, i) => updates.shape[i] !== d)) {
      throw new ShapeError('scatterAdd', [updates.shape, indices.shape], 'the updates must be shaped indices.shape ++ rowShape')
    }
    if (!Number.isInteger(size) || size < 0) throw new RangeError(`scatterAdd: size must be a whole number, got ${size}`)
    return bind([updates, indices], size)
  },
  impl: ([u, indices], size: number) => {
    checkIndices('scatterAdd', indices!, size)
    return K.scatterAdd(u!, indices!, size)
  },
  jvp: ([du], { args, params: size }) => (du === undefined ? undefined : scatterAdd(du, args[1]!, size)),
  vjp: (ct, { args }, needs) => [needs[0] ? gather(ct, args[1]!) : undefined, undefined],
  batch: batchByLoop,
})
