/**
 * A primitive is an operation with its own derivative rules, defined once as a readonly record:
 * its kernel (`impl`), its JVP rule (forward mode), its VJP rule (reverse mode), its batching
 * rule (`vmap`), its smooth domain, and a call signature. Everything differentiable is a primitive or a composite of them.
 *
 * Contract of a primitive:
 * 1. `impl` runs on tensors whose `data` is concrete, checks shapes (throwing `ShapeError`) and
 *    returns a fresh tensor. It never sees the interpreters.
 * 2. `jvp` is linear in the tangents; `undefined` is a symbolic zero tangent (in and out).
 * 3. `vjp` is the transpose of `jvp`: `<ct, J t> = <vjp(ct), t>`. It returns one cotangent per
 *    argument (`undefined` for zero, or when `needs[i]` is false: nobody asked for it).
 * 4. `batch` maps the primitive over a batch axis: slice i of its result is the primitive applied
 *    to slice i of the arguments (unbatched arguments are shared). A primitive with no better
 *    rule names the generic fallback `batchByLoop` (batchRules.ts) explicitly.
 * 5. Rules are written with differentiable functions (other primitives), never with kernels, so
 *    the derivative of a derivative is again a derivative.
 *
 * A primitive is callable: `exp(x)` binds the primitive to its arguments through the
 * interpreter stack (see `bind` in `trace.ts`).
 */
import type { Tensor } from '../tensor/index.js'
import type { AnyRules, BatchInput, Batched, Domain, PrimitiveRules, Residuals } from './PrimitiveRules.js'
import { bind } from './trace.js'

export type { AnyRules, BatchInput, Batched, Domain, PrimitiveRules, Residuals } from './PrimitiveRules.js'


/** A callable primitive: the call signature `F` plus its rules. @category model */
export type Primitive<F extends (...args: never[]) => Tensor = (...args: never[]) => Tensor, P = unknown> = F &
  PrimitiveRules<P>

/** The definition `primitive` takes: a call signature built from `bind`, and the rules. @category constructors */
export interface PrimitiveDef<F extends (...args: never[]) => Tensor, P> {
  readonly name: string
  readonly domain: Domain
  /** Builds the public call signature from a function that binds the primitive. */
  readonly call: (bind: (args: ReadonlyArray<Tensor>, params: P) => Tensor) => F
  readonly impl: (args: ReadonlyArray<Tensor>, params: P) => Tensor
  readonly jvp: (tangents: ReadonlyArray<Tensor | undefined>, residuals: Residuals<P>) => Tensor | undefined
  readonly vjp: (ct: Tensor, residuals: Residuals<P>, needs: ReadonlyArray<boolean>) => ReadonlyArray<Tensor | undefined>
  /**
   * The batching rule of `vmap` (see PrimitiveRules.ts): required, so a new primitive states how
   * it is batched. `batch: batchByLoop` (batchRules.ts) is the generic fallback: it applies the
   * primitive to each example and stacks the results.
   */
  readonly batch: (input: BatchInput<P>) => Batched
}

/**
 * Defines a primitive from its call signature and rules. The result is the callable primitive:
 * calling it binds the primitive through the interpreter stack.
 * @category constructors
 */
export const primitive = <F extends (...args: never[]) => Tensor, P>(def: PrimitiveDef<F, P>): Primitive<F, P> => {
  const rules: Omit<PrimitiveRules<P>, 'name'> = { domain: def.domain, impl: def.impl, jvp: def.jvp, vjp: def.vjp, batch: def.batch }
  const self: Primitive<F, P> = Object.assign(
    // the interpreters hold every primitive with its params erased (AnyRules); this one's rules take P
    def.call((args, params) => bind(self as unknown as AnyRules, args, params)),
    rules,
  ) as Primitive<F, P>
  Object.defineProperty(self, 'name', { value: def.name })
  return Object.freeze(self)
}
