/**
 * The interpreter stack. A value flowing through a differentiated function is either a concrete
 * tensor or a tracer: a tensor that also belongs to one trace (one `jvp` or `vjp` call) and
 * knows its `primal`, the value one level down. Every tracer carries the concrete `data` of its
 * innermost primal, so a kernel reads any tensor directly and read-back works at any depth.
 *
 * `bind(prim, args, params)` finds the innermost trace among the arguments (the highest level)
 * and lets it process the primitive; that trace computes its output by binding the same
 * primitive on the primals, one level down, until no tracer is left and the kernel runs.
 *
 * Levels order nested transformations: a trace opened inside another has a higher level, so a
 * tracer of the outer trace is a constant to the inner one. This is what makes
 * `grad(x => mul(x, grad(y => add(x, y))(1)))` correct (no perturbation confusion). Levels
 * come from `openLevel()`, a monotonic counter: the one piece of module state in purenet. It is
 * used only to compare the age of two traces; no result depends on its value, so interleaved
 * gradient computations (e.g. in generators) cannot disturb each other.
 */
import type { Tensor } from '../tensor/index.js'
import type { AnyRules } from './PrimitiveRules.js'

/** One transformation in progress. @category model */
export interface Trace {
  readonly level: number
  /** False once the transformation has returned; its tracers then act as their primals. */
  readonly isActive: () => boolean
  /**
   * What a tracer of this trace stands for once the trace has returned: its primal when omitted.
   * A batching trace throws instead (a batched value that escaped its `vmap` has no meaning).
   */
  readonly stale?: (t: Tracer) => Tensor
  process(prim: AnyRules, args: ReadonlyArray<Tensor>, params: unknown): Tensor
}

/** A tensor that belongs to a trace. @category model */
export interface Tracer extends Tensor {
  readonly trace: Trace
  readonly primal: Tensor
}

/** Whether a tensor is a tracer. @category guards */
export const isTracer = (t: Tensor): t is Tracer => (t as Partial<Tracer>).trace !== undefined

let levels = 0
/** A level above every trace opened so far. @category internals */
export const openLevel = (): number => ++levels

// A tracer of a finished transformation is a constant: its value one level down.
const live = (t: Tensor): Tensor => {
  let v = t
  while (isTracer(v) && !v.trace.isActive()) v = v.trace.stale === undefined ? v.primal : v.trace.stale(v)
  return v
}

/**
 * Applies a primitive through the interpreter stack: the innermost trace among the arguments
 * processes it; with no tracer, the kernel runs. A primitive of domain 'none' goes through the
 * stack too (the derivative traces pass it down as a constant; a batching trace batches it).
 * @category internals
 */
export const bind = (prim: AnyRules, args: ReadonlyArray<Tensor>, params: unknown): Tensor => {
  let top: Trace | undefined
  let stale = false
  for (const a of args) {
    if (isTracer(a)) {
      if (!a.trace.isActive()) { stale = true; continue }
      if (top === undefined || a.trace.level > top.level) top = a.trace
    }
  }
  const xs = stale ? args.map(live) : args
  if (stale) {
    top = undefined
    for (const a of xs) if (isTracer(a) && (top === undefined || a.trace.level > top.level)) top = a.trace
  }
  if (top === undefined) return prim.impl(xs, params)
  return top.process(prim, xs, params)
}

/** The value of `t` as seen one level below `trace` (its primal if it belongs to it). @category internals */
export const primalAt = (trace: Trace, t: Tensor): Tensor => (isTracer(t) && t.trace === trace ? t.primal : t)
