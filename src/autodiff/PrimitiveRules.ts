/**
 * What the interpreters see of a primitive: its name, its smooth domain, its kernel, its two
 * derivative rules and its batching rule. The callable `Primitive` (Primitive.ts) adds a call signature on top; the
 * interpreter stack (trace.ts) needs only these records, so both import this file and not
 * each other.
 */
import type { Tensor } from '../tensor/index.js'

/**
 * Where a primitive is smooth, used by the property suite to draw inputs:
 * `real` anywhere, `positive` on (0, inf), `nonzero` away from a kink at 0, `unit` inside (-1, 1),
 * `separated` where no two arguments or elements are tied (`max`, `maximum`), `none` for
 * primitives that are not differentiable (their derivative is zero).
 * @example
 * ```ts
 * const domain: check.Domain = 'positive'
 * const xs = check.arbitraryTensor({ shape: [3], domain }) // values kept above 0.1, as ops.log needs
 * ```
 * @category model
 */
export type Domain = 'real' | 'positive' | 'nonzero' | 'unit' | 'separated' | 'none'

/** What a rule receives: the primal arguments, the primal output and the static parameters. @category model */
export interface Residuals<P> {
  readonly args: ReadonlyArray<Tensor>
  readonly out: Tensor
  readonly params: P
}

/**
 * What a batching rule receives (see `batch` below). Each argument is a value with one extra
 * axis, its batch axis `dims[i]` (`undefined`: the argument is the same for every example and
 * has no batch axis); `size` is the batch size. `bind` applies this very primitive to values with
 * new parameters, one level down (outside the batching trace), so a rule never needs to import
 * its own primitive.
 * @category model
 */
export interface BatchInput<P> {
  readonly args: ReadonlyArray<Tensor>
  readonly dims: ReadonlyArray<number | undefined>
  readonly params: P
  readonly size: number
  readonly bind: (args: ReadonlyArray<Tensor>, params: P) => Tensor
}

/** A batching rule's result: the output value and its batch axis (undefined: not batched). @category model */
export type Batched = readonly [Tensor, number | undefined]

/** The derivative rules and kernel of a primitive, as the interpreters see them. @category model */
export interface PrimitiveRules<P> {
  readonly name: string
  readonly domain: Domain
  /** The kernel, with shape checks. */
  impl(args: ReadonlyArray<Tensor>, params: P): Tensor
  /** The output tangent from input tangents (undefined = zero). */
  jvp(tangents: ReadonlyArray<Tensor | undefined>, residuals: Residuals<P>): Tensor | undefined
  /** The input cotangents from the output cotangent. */
  vjp(ct: Tensor, residuals: Residuals<P>, needs: ReadonlyArray<boolean>): ReadonlyArray<Tensor | undefined>
  /**
   * The batching rule (`vmap`): the primitive applied to every example of batched arguments at
   * once, as one call on the batched values when possible (moving batch axes), or with
   * `batchByLoop` (batchRules.ts) where nothing better exists. Law: slicing example i of the
   * result gives the primitive applied to example i of the arguments. At least one `dims[i]` is
   * defined. Written with primitives (through `bind` or other ops), never kernels.
   */
  batch(input: BatchInput<P>): Batched
}

/** The rules of some primitive, with its parameter type forgotten (for interpreters). @category model */
export type AnyRules = PrimitiveRules<unknown>
