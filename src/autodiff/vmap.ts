/**
 * `vmap(f, { inAxes, outAxes })`: automatic batching. `f` is written for one example; the mapped
 * function takes arguments with one extra axis (the batch axis, given per argument by `inAxes`)
 * and returns `f`'s outputs with a batch axis (placed by `outAxes`). It runs `f` once, on batch
 * tracers (batching.ts), so every primitive runs once for the whole batch through its batching
 * rule, not once per example.
 *
 * Laws (checked in properties/vmap.test.ts):
 * 1. slicing: example i of `vmap(f)(...xs)` is `f` applied to example i of each batched argument
 *    and to the unbatched ones, for batch axes in any position;
 * 2. nesting and composition: `vmap(vmap(f))`, `vmap(grad(f))`, `grad` of a function that calls
 *    `vmap`, `jvp(vmap(f))` obey 1 like any other function;
 * 3. per-example gradients: `vmap((p, x, y) => grad((q) => loss(q, x, y))(p), { inAxes: [undefined, 0, 0] })`
 *    equals the gradients of the examples one by one.
 */
import { ShapeError, describe, isTensor } from '../tensor/index.js'
import { type Tree, flatten, unflatten } from '../tree/index.js'
import { batchTrace } from './batching.js'
import { moveAxis } from './batchRules.js'
import { reshape } from './primitives/reshape.js'
import { broadcastTo } from './primitives/sumBroadcast.js'

/**
 * Batch axes for a tree: a number (negative counts from the end) or `undefined` (not batched)
 * for all the leaves below, or a tree of the same structure (a prefix of it: a number for a
 * whole subtree) with such axes at its leaves.
 * @example
 * ```ts
 * const axes: AxesTree = [0, undefined] // the first argument batched on axis 0, the second shared
 * vmap((x: Tensor, w: Tensor) => ops.sum(ops.mul(x, w)), { inAxes: axes })(ones([3, 2]), ones([2]))
 * ```
 * @category model
 */
export type AxesTree = number | undefined | ReadonlyArray<AxesTree> | { readonly [key: string]: AxesTree }

/**
 * Options of `vmap`. @category model
 * @example
 * ```ts
 * const options: VmapOptions = { inAxes: [0, undefined], outAxes: 0 }
 * vmap((x: Tensor, w: Tensor) => ops.mul(x, w), options)(ones([3, 2]), ones([2]))
 * ```
 */
export interface VmapOptions {
  /**
   * The batch axis of each argument: one `AxesTree` for all of them (default 0), or an array with
   * one `AxesTree` per argument (`[undefined, 0, 0]`: the first argument is shared).
   */
  readonly inAxes?: number | ReadonlyArray<AxesTree>
  /** Where the batch axis goes in each output (an `AxesTree` for the output tree; default 0). `undefined` leaves an output unbatched, which it must then be. */
  readonly outAxes?: AxesTree
  /** The batch size, needed only when no argument is batched. */
  readonly axisSize?: number
}

const isAxis = (s: AxesTree): s is number | undefined => s === undefined || typeof s === 'number'

const childPath = (path: string, k: string | number): string => (typeof k === 'number' ? `${path}[${k}]` : `${path}.${k}`)

// The axis of every leaf of `t` under the prefix tree `spec`, in `flatten`'s order, with paths.
const leafAxes = (t: Tree, spec: AxesTree, path: string, what: string): Array<readonly [number | undefined, string]> => {
  if (isAxis(spec)) return flatten(t, 'vmap')[1].paths.map((p) => [spec, path + (p.startsWith('[') || p === '' ? p : `.${p}`)] as const)
  if (isTensor(t)) throw new TypeError(`vmap: ${what} at ${path} is a tree, but the value there is a tensor; give one axis (a number or undefined) for it`)
  if (Array.isArray(spec)) {
    if (!Array.isArray(t) || t.length !== spec.length) {
      throw new TypeError(`vmap: ${what} at ${path} is an array of ${spec.length}, but the value there is ${Array.isArray(t) ? `an array of ${t.length}` : 'a record'}; make ${what} match the structure, or give one axis for the whole subtree`)
    }
    return t.flatMap((c, i) => leafAxes(c as Tree, spec[i] as AxesTree, childPath(path, i), what))
  }
  const record = spec as { readonly [key: string]: AxesTree }
  if (Array.isArray(t)) throw new TypeError(`vmap: ${what} at ${path} is a record, but the value there is an array; make ${what} match the structure`)
  const value = t as { readonly [key: string]: Tree }
  const keys = Object.keys(value)
  for (const k of Object.keys(record)) if (!keys.includes(k)) throw new TypeError(`vmap: ${what} at ${path} names '${k}', which the value there does not have (it has ${keys.map((x) => `'${x}'`).join(', ')})`)
  return keys.flatMap((k) => {
    if (!(k in record)) throw new TypeError(`vmap: ${what} at ${path} has no entry for '${k}'; give it an axis (undefined if it is shared)`)
    return leafAxes(value[k]!, record[k], childPath(path, k), what)
  })
}

// An axis in range for a value of `rank` axes (negative counts from the end).
const normalize = (axis: number, rank: number, path: string, what: string, shape: ReadonlyArray<number>): number => {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    const hint = rank === 0 ? 'a scalar has no axis to map over; give it the axis undefined (shared) or add an axis' : `an axis of a rank-${rank} value is in ${-rank}..${rank - 1}`
    throw new ShapeError(`vmap: ${what} at ${path}`, [shape], `axis ${axis} is out of range: ${hint}`)
  }
  return axis < 0 ? axis + rank : axis
}

/**
 * Vectorizes `f` over a batch axis: `vmap(f, { inAxes, outAxes })(...xs)` is `f` applied to every
 * example of the arguments at once, stacked along `outAxes`. `inAxes` gives each argument's batch
 * axis (a number, negative from the end; `undefined` for an argument shared by every example; a
 * tree of axes for a tree argument); all batched arguments must agree on the batch size. Outputs
 * that do not depend on the batch are broadcast to it.
 *
 * Batching rules keep matrix products as matrix products, so `vmap` costs about one call of `f`
 * on the whole batch. It composes with every transformation: per-example gradients are
 * `vmap((p, x, y) => grad((q) => loss(q, x, y))(p), { inAxes: [undefined, 0, 0] })(params, xs, ys)`.
 * @example
 * ```ts
 * vmap((x: Tensor) => ops.sum(ops.square(x)))(tensor([[1, 2], [3, 4]])) // tensor [5, 25]
 * ```
 * @category transformations
 */
export const vmap =
  <A extends ReadonlyArray<Tree>, O extends Tree>(f: (...args: A) => O, options: VmapOptions = {}) =>
  (...args: A): O => {
    const inAxes = options.inAxes ?? 0
    if (Array.isArray(inAxes) && inAxes.length !== args.length) {
      throw new TypeError(`vmap: inAxes has ${inAxes.length} entries but the function was called with ${args.length} arguments; give one axis (or undefined) per argument`)
    }
    const specs: ReadonlyArray<AxesTree> = Array.isArray(inAxes) ? inAxes : args.map(() => inAxes as number)
    let size = options.axisSize
    let sizeFrom = options.axisSize === undefined ? '' : 'axisSize'
    const leaves = args.map((arg, i) => {
      const [ls] = flatten(arg, 'vmap (arguments)')
      const axes = leafAxes(arg, specs[i], `args[${i}]`, 'inAxes')
      return ls.map((x, j) => {
        const [axis, path] = axes[j]!
        if (axis === undefined) return [x, undefined] as const
        const d = normalize(axis, x.shape.length, path, 'the argument', x.shape)
        const n = x.shape[d]!
        if (size === undefined) {
          size = n
          sizeFrom = `${path} (${describe(x)}, axis ${d})`
        } else if (n !== size) {
          throw new ShapeError(`vmap: ${path}`, [x.shape], `batch sizes disagree: ${size} examples from ${sizeFrom} but ${n} along axis ${d} here; give every batched argument the same batch size, or mark the shared ones with undefined in inAxes`)
        }
        return [x, d] as const
      })
    })
    if (size === undefined) throw new TypeError('vmap: no argument is batched (every inAxes entry is undefined) and no axisSize is given; batch at least one argument or give axisSize')
    const trace = batchTrace(size)
    try {
      const wrapped = args.map((arg, i) => unflatten(flatten(arg, 'vmap (arguments)')[1], leaves[i]!.map(([x, d]) => trace.wrap(x, d))))
      const out = f(...(wrapped as unknown as A)) // one wrapped tree per argument, in order: the argument tuple A
      if (!isTensor(out) && (typeof out !== 'object' || out === null)) throw new TypeError(`vmap: the function must return a tensor or a tree of tensors, got ${typeof out}`)
      const [outs, outDef] = flatten(out, 'vmap (output)')
      const axes = leafAxes(out, options.outAxes === undefined && !('outAxes' in options) ? 0 : options.outAxes, 'output', 'outAxes')
      return unflatten(outDef, outs.map((o, j) => {
        const [axis, path] = axes[j]!
        const [value, dim] = trace.unwrap(o)
        if (axis === undefined) {
          if (dim !== undefined) throw new ShapeError(`vmap: ${path}`, [o.shape], 'outAxes says this output is not batched, but it differs from one example to the next; give it an axis')
          return value
        }
        const to = normalize(axis, o.shape.length + 1, path, 'outAxes', o.shape)
        if (dim !== undefined) return moveAxis(value, dim, to)
        // the same for every example: broadcast to the batch
        const shape = [...o.shape.slice(0, to), size!, ...o.shape.slice(to)]
        return broadcastTo(reshape(value, shape.map((d, k) => (k === to ? 1 : d))), shape)
      }))
    } finally {
      trace.close()
    }
  }
