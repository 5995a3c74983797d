/**
 * Forward mode by dual numbers. A JVP trace pairs each value with its tangent; every primitive
 * maps (primals, tangents) to (primal out, tangent out) with its JVP rule. A tangent of
 * `undefined` is a symbolic zero: constants cost nothing.
 */
import type { Tensor } from '../tensor/index.js'
import type { AnyRules } from './PrimitiveRules.js'
import { type Trace, type Tracer, bind, openLevel } from './trace.js'

/** A dual number: a primal and its tangent, at one trace. @category model */
export interface Dual extends Tracer {
  readonly tangent: Tensor | undefined
}

/** A forward-mode trace. @category model */
export interface JvpTrace extends Trace {
  readonly dual: (primal: Tensor, tangent: Tensor | undefined) => Tensor
  readonly tangentOf: (t: Tensor) => Tensor | undefined
  readonly close: () => void
}

/** Opens a forward-mode trace above every open one. @category constructors */
export const jvpTrace = (): JvpTrace => {
  let active = true
  const self: JvpTrace = {
    level: openLevel(),
    isActive: () => active,
    close: () => { active = false },
    dual: (primal, tangent) => {
      if (tangent === undefined) return primal
      const d: Dual = { dtype: primal.dtype, shape: primal.shape, size: primal.size, data: primal.data, trace: self, primal, tangent }
      return d
    },
    tangentOf: (t) => ((t as Partial<Dual>).trace === self ? (t as Dual).tangent : undefined),
    process: (prim: AnyRules, args: ReadonlyArray<Tensor>, params: unknown): Tensor => {
      const primals = new Array<Tensor>(args.length)
      const tangents = new Array<Tensor | undefined>(args.length)
      let any = false
      for (let i = 0; i < args.length; i++) {
        const a = args[i]!
        if ((a as Partial<Dual>).trace === self) {
          primals[i] = (a as Dual).primal
          tangents[i] = (a as Dual).tangent
          any ||= tangents[i] !== undefined
        } else {
          primals[i] = a
          tangents[i] = undefined
        }
      }
      const out = bind(prim, primals, params)
      // a primitive that is not differentiated (domain 'none') has a zero tangent
      if (!any || prim.domain === 'none') return out
      return self.dual(out, prim.jvp(tangents, { args: primals, out, params }))
    },
  }
  return self
}
