/**
 * Reverse mode by a tape. A VJP trace records, for every primitive applied to one of its
 * tracers, the primitive, its primal arguments and output, and which tape entries the arguments
 * came from. The backward pass walks the tape once in reverse, calling each VJP rule and summing
 * cotangents. The tape is local to one `vjp` call: it is created there and dropped with the
 * pullback, so there is no global tape.
 */
import type { Tensor } from '../tensor/index.js'
import type { AnyRules } from './PrimitiveRules.js'
import { type Trace, type Tracer, bind, openLevel } from './trace.js'

/** A value on the tape: `node` indexes the entry that produced it. @category model */
export interface TapeTracer extends Tracer {
  readonly node: number
}

interface Entry {
  readonly prim: AnyRules | undefined // undefined for an input of the function
  readonly args: ReadonlyArray<Tensor>
  readonly out: Tensor
  readonly params: unknown
  readonly inputs: ReadonlyArray<number> // tape index per argument, -1 for constants
}

/** A reverse-mode trace and its tape. @category model */
export interface VjpTrace extends Trace {
  readonly input: (primal: Tensor) => TapeTracer
  readonly nodeOf: (t: Tensor) => number
  readonly close: () => void
  /**
   * Runs the backward pass from cotangents of tape nodes; returns the cotangents of `wanted`
   * nodes (undefined where zero). The add function sums contributions differentiably.
   */
  readonly backward: (
    seeds: ReadonlyArray<readonly [number, Tensor]>,
    wanted: ReadonlyArray<number>,
    add: (a: Tensor, b: Tensor) => Tensor,
  ) => Array<Tensor | undefined>
}

/** Opens a reverse-mode trace above every open one. @category constructors */
export const vjpTrace = (): VjpTrace => {
  let active = true
  const tape: Entry[] = []
  const push = (entry: Entry): TapeTracer => {
    const out = entry.out
    tape.push(entry)
    return { dtype: out.dtype, shape: out.shape, size: out.size, data: out.data, trace: self, primal: out, node: tape.length - 1 }
  }
  const nodeOf = (t: Tensor): number => ((t as Partial<TapeTracer>).trace === self ? (t as TapeTracer).node : -1)
  const self: VjpTrace = {
    level: openLevel(),
    isActive: () => active,
    close: () => { active = false },
    nodeOf,
    input: (primal) => push({ prim: undefined, args: [], out: primal, params: undefined, inputs: [] }),
    process: (prim, args, params) => {
      const primals = new Array<Tensor>(args.length)
      const inputs = new Array<number>(args.length)
      for (let i = 0; i < args.length; i++) {
        const a = args[i]!
        const n = nodeOf(a)
        inputs[i] = n
        primals[i] = n >= 0 ? (a as TapeTracer).primal : a
      }
      // a primitive that is not differentiated (domain 'none') gives a constant: no tape entry
      if (prim.domain === 'none') return bind(prim, primals, params)
      return push({ prim, args: primals, out: bind(prim, primals, params), params, inputs })
    },
    backward: (seeds, wanted, add) => {
      const cts = new Array<Tensor | undefined>(tape.length)
      // Only entries that lead to a wanted node need a cotangent: mark them walking forward.
      const useful = new Uint8Array(tape.length)
      for (const w of wanted) if (w >= 0) useful[w] = 1
      for (let i = 0; i < tape.length; i++) {
        const e = tape[i]!
        for (const j of e.inputs) if (j >= 0 && useful[j] === 1) { useful[i] = 1; break }
      }
      let last = -1
      for (const [n, ct] of seeds) {
        if (n < 0) continue
        cts[n] = cts[n] === undefined ? ct : add(cts[n]!, ct)
        if (n > last) last = n
      }
      for (let i = last; i >= 0; i--) {
        const ct = cts[i]
        const e = tape[i]!
        if (ct === undefined || e.prim === undefined || useful[i] === 0) continue
        const needs = e.inputs.map((j) => j >= 0 && useful[j] === 1)
        const grads = e.prim.vjp(ct, { args: e.args, out: e.out, params: e.params }, needs)
        for (let k = 0; k < e.inputs.length; k++) {
          const j = e.inputs[k]!
          const g = grads[k]
          if (j < 0 || g === undefined || !needs[k]) continue
          cts[j] = cts[j] === undefined ? g : add(cts[j]!, g)
        }
        cts[i] = undefined // free the memory as soon as it is consumed
      }
      return wanted.map((w) => (w >= 0 ? cts[w] : undefined))
    },
  }
  return self
}
