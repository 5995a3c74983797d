/**
 * Batching (`vmap`) as one more interpreter. A batching trace pairs each value with a batch axis:
 * a batch tracer looks like one example to the function (its `shape` lacks the batch axis) while
 * it holds the whole batch (`value`, with the batch axis at `dim`). Every primitive applied to a
 * batch tracer runs its batching rule (`batch`, in the primitive's own file) once on the batched
 * values, one level down; a value that is not a tracer of this trace is shared by every example.
 *
 * The trace has a level like the derivative traces (trace.ts), so `vmap` nests inside and around
 * `grad`, `jvp`, `vjp`, `hvp` and itself: a tracer of an outer trace is a constant here.
 *
 * A batch tracer has no values of its own (they differ per example): reading its `data` throws an
 * error that says so, and a tracer that escapes its `vmap` (kept in a closure and used later)
 * throws when it is used.
 */
import type { DType, Tensor } from '../tensor/index.js'
import type { AnyRules } from './PrimitiveRules.js'
import { type Trace, type Tracer, bind, openLevel } from './trace.js'

/** A value inside `vmap`: one example to the function, the whole batch underneath. @category model */
export interface BatchTracer extends Tracer {
  /** The batched value: the example's shape with the batch axis inserted at `dim`. */
  readonly value: Tensor
  readonly dim: number
}

/** A batching trace for one `vmap` call. @category model */
export interface BatchTrace extends Trace {
  readonly size: number
  /** A tracer for `value` with its batch axis at `dim`; `value` itself when `dim` is undefined. */
  readonly wrap: (value: Tensor, dim: number | undefined) => Tensor
  /** The batched value and batch axis of `t` (`[t, undefined]` when it is not batched here). */
  readonly unwrap: (t: Tensor) => readonly [Tensor, number | undefined]
  readonly close: () => void
}

const unreadable = (dtype: DType): Tensor['data'] =>
  // a typed array so that `isTensor` recognises the tracer; every element read throws
  new Proxy(dtype === 'float64' ? new Float64Array(0) : new Float32Array(0), {
    get: (target, prop) => {
      if (typeof prop === 'symbol' || prop === 'constructor' || prop === 'BYTES_PER_ELEMENT') return Reflect.get(target, prop)
      throw new TypeError(`vmap: the values of a batched tensor cannot be read inside vmap (they differ from one example to the next); compute with ops (where, greater, ...) instead, or read them outside vmap`)
    },
  })
// one per dtype: the proxies hold nothing and never change
const UNREADABLE: Readonly<Record<DType, Tensor['data']>> = { float32: unreadable('float32'), float64: unreadable('float64') }

/** Opens a batching trace over `size` examples, above every open trace. @category constructors */
export const batchTrace = (size: number): BatchTrace => {
  let active = true
  const wrap = (value: Tensor, dim: number | undefined): Tensor => {
    if (dim === undefined) return value
    const shape = value.shape.filter((_, i) => i !== dim)
    const t: BatchTracer = {
      dtype: value.dtype, shape, size: shape.reduce((n, d) => n * d, 1), data: UNREADABLE[value.dtype],
      trace: self, primal: value, value, dim,
    }
    return t
  }
  const unwrap = (t: Tensor): readonly [Tensor, number | undefined] =>
    (t as Partial<BatchTracer>).trace === self ? [(t as BatchTracer).value, (t as BatchTracer).dim] : [t, undefined]
  const self: BatchTrace = {
    level: openLevel(),
    size,
    isActive: () => active,
    close: () => { active = false },
    stale: (t) => {
      throw new Error(`vmap: a batched value of shape [${t.shape.join(', ')}] escaped its vmap (it was kept, e.g. in a closure, and used after vmap returned); return it from the mapped function instead`)
    },
    wrap,
    unwrap,
    process: (prim: AnyRules, args: ReadonlyArray<Tensor>, params: unknown): Tensor => {
      const values = new Array<Tensor>(args.length)
      const dims = new Array<number | undefined>(args.length)
      let any = false
      for (let i = 0; i < args.length; i++) {
        const [v, d] = unwrap(args[i]!)
        values[i] = v
        dims[i] = d
        any ||= d !== undefined
      }
      if (!any) return bind(prim, values, params)
      const [out, dim] = prim.batch({ args: values, dims, params, size, bind: (xs, p) => bind(prim, xs, p) })
      return wrap(out, dim)
    },
  }
  return self
}
