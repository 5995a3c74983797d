/**
 * Batching rules that many primitives share, and the one generic fallback. A batching rule (the
 * `batch` field of a primitive, see PrimitiveRules.ts) receives values that carry one extra axis,
 * the batch axis (`dims[i]`, `undefined` for an argument shared by every example), and returns
 * the batched output and its batch axis. The law every rule obeys: slice i of the output is the
 * primitive applied to slice i of each batched argument and to the shared ones.
 *
 * Most rules do one call of the primitive on the whole batch, after moving batch axes where the
 * primitive needs them (element-wise ops broadcast, reductions shift their axes, matmul folds the
 * batch into rows or columns). `batchByLoop` is the fallback for a primitive with no such rule:
 * it applies the primitive to each example and stacks the results, correct for any primitive
 * but `size` calls instead of one. A primitive names it explicitly (`batch: batchByLoop`).
 */
import type { Tensor } from '../tensor/index.js'
import type { BatchInput, Batched } from './PrimitiveRules.js'
import { concat } from './primitives/concat.js'
import { reshape } from './primitives/reshape.js'
import { slice } from './primitives/slicePad.js'
import { broadcastTo } from './primitives/sumBroadcast.js'
import { transpose } from './primitives/transpose.js'

/**
 * Permutes the axes of `x` (output axis i is input axis perm[i]); a reshape, which shares the
 * buffer, when only axes of size 1 change places.
 * @category internals
 */
export const permute = (x: Tensor, perm: ReadonlyArray<number>): Tensor => {
  if (perm.every((p, i) => p === i)) return x
  const moved = perm.filter((p) => x.shape[p] !== 1)
  const sorted = moved.every((p, i) => i === 0 || p > moved[i - 1]!)
  return sorted ? reshape(x, perm.map((p) => x.shape[p]!)) : transpose(x, perm)
}

/** Moves axis `from` of `x` to position `to`, keeping the others in order. @category internals */
export const moveAxis = (x: Tensor, from: number, to: number): Tensor => {
  if (from === to) return x
  const perm = x.shape.map((_, i) => i).filter((i) => i !== from)
  perm.splice(to, 0, from)
  return permute(x, perm)
}

/** `x` with its batch axis `dim` moved to the front. @category internals */
export const toFront = (x: Tensor, dim: number): Tensor => moveAxis(x, dim, 0)

/**
 * A batched value with its batch axis in front, or a shared value broadcast to `size` examples
 * (a new front axis): every argument of a rule that needs all of them batched.
 * @category internals
 */
export const batchedFront = (x: Tensor, dim: number | undefined, size: number): Tensor =>
  dim === undefined ? broadcastTo(x, [size, ...x.shape]) : toFront(x, dim)

/** Slice `i` of `x` along axis `dim`, that axis removed. @category internals */
export const example = (x: Tensor, dim: number, i: number): Tensor => {
  const begin = x.shape.map((_, j) => (j === dim ? i : 0))
  const size = x.shape.map((d, j) => (j === dim ? 1 : d))
  return reshape(slice(x, begin, size), x.shape.filter((_, j) => j !== dim))
}

/**
 * The batching rule of element-wise primitives with NumPy broadcasting (add, mul, where, ...):
 * one call on the batched values. When every batched argument has the output's rank and the same
 * batch axis, and the shared ones broadcast from the right of it, the values go in as they are;
 * otherwise batch axes move to the front and batched arguments get leading axes of size 1 so that
 * broadcasting lines up their example axes.
 * @category batching
 */
export const batchElementwise = <P>({ args, dims, params, bind }: BatchInput<P>): Batched => {
  const rank = Math.max(...args.map((a, i) => a.shape.length - (dims[i] === undefined ? 0 : 1)))
  const d = dims.find((x) => x !== undefined)!
  const aligned = args.every((a, i) => (dims[i] === undefined ? a.shape.length <= rank - d : dims[i] === d && a.shape.length === rank + 1))
  if (aligned) return [bind(args, params), d]
  const xs = args.map((a, i) => {
    const dim = dims[i]
    if (dim === undefined) return a
    const front = toFront(a, dim)
    const missing = rank + 1 - front.shape.length
    return missing === 0 ? front : reshape(front, [front.shape[0]!, ...new Array<number>(missing).fill(1), ...front.shape.slice(1)])
  })
  return [bind(xs, params), 0]
}

/**
 * The batching rule of element-wise primitives whose arguments must share one shape (the fused
 * backward rules): batch axes go in front and shared arguments are broadcast to the batch.
 * @category batching
 */
export const batchSameShape = <P>({ args, dims, params, size, bind }: BatchInput<P>): Batched => {
  const d = dims[0]
  if (d !== undefined && dims.every((x) => x === d)) return [bind(args, params), d]
  return [bind(args.map((a, i) => batchedFront(a, dims[i], size)), params), 0]
}

/**
 * The batching rule of a primitive that works on the last axis of its one argument (softmax,
 * logSoftmax, logSumExp): any batch axis but the last stays where it is.
 * @category batching
 */
export const batchLastAxis = <P>({ args: [x], dims: [d], params, bind }: BatchInput<P>): Batched => {
  const last = x!.shape.length - 1
  return d === last ? [bind([toFront(x!, d)], params), 0] : [bind([x!], params), d]
}

/**
 * The batching rule of a primitive that maps each element on its own, or otherwise leaves the
 * shape alone, with one argument (exp, cast, pow, ...): the same call on the batched value.
 * @category batching
 */
export const batchUnary = <P>({ args: [x], dims: [d], params, bind }: BatchInput<P>): Batched => [bind([x!], params), d]

/**
 * The generic fallback rule: applies the primitive to each example (slicing the batched
 * arguments, sharing the others) and stacks the results along a new front axis. Correct for any
 * primitive, at the cost of one call per example; name it explicitly (`batch: batchByLoop`) where
 * no rule that keeps the batch in one call exists.
 * @category batching
 */
export const batchByLoop = <P>({ args, dims, params, size, bind }: BatchInput<P>): Batched => {
  const outs: Tensor[] = []
  for (let i = 0; i < size; i++) {
    const y = bind(args.map((a, j) => (dims[j] === undefined ? a : example(a, dims[j]!, i))), params)
    outs.push(reshape(y, [1, ...y.shape]))
  }
  if (outs.length === 0) throw new RangeError('batchByLoop: a batch of 0 examples has no output shape to infer; give vmap at least one example')
  return [concat(outs, 0), 0]
}
