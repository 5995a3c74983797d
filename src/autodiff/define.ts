/**
 * Small constructors for the common kinds of primitive. Element-wise operations have diagonal
 * Jacobians, so one linear map per argument serves both modes: the JVP applies it to the
 * tangent, the VJP to the cotangent. `binary` broadcasts tangents up to the output shape and
 * un-broadcasts cotangents back to each argument's shape, once for every binary op. Both batch
 * element-wise (`batchUnary`, `batchElementwise`): one call on the whole batch.
 */
import type { Tensor } from '../tensor/index.js'
import { batchElementwise, batchUnary } from './batchRules.js'
import { lift } from './lift.js'
import { type Domain, type Primitive, primitive } from './Primitive.js'
import { add } from './primitives/add.js'
import { fitTangent, unbroadcast } from './primitives/sumBroadcast.js'

/** Residuals of an element-wise unary primitive: input `x`, output `y`. @category model */
export interface UnaryResiduals {
  readonly x: Tensor
  readonly y: Tensor
}

/** A unary element-wise primitive. @category model */
export type UnaryPrimitive = Primitive<(x: Tensor) => Tensor, undefined>

/**
 * Defines an element-wise unary primitive. `jvp(dx, { x, y })` is the derivative applied to a
 * tangent; the VJP is the same map (the Jacobian is diagonal) unless `vjp` is given.
 * @category constructors
 */
export const unary = (def: {
  readonly name: string
  readonly domain: Domain
  readonly kernel: (x: Tensor) => Tensor
  readonly jvp: (dx: Tensor, r: UnaryResiduals) => Tensor
}): UnaryPrimitive =>
  primitive({
    name: def.name,
    domain: def.domain,
    call: (bind) => (x: Tensor) => bind([x], undefined),
    impl: ([x]) => def.kernel(x!),
    jvp: ([dx], { args, out }) => (dx === undefined ? undefined : def.jvp(dx, { x: args[0]!, y: out })),
    vjp: (ct, { args, out }) => [def.jvp(ct, { x: args[0]!, y: out })],
    batch: batchUnary,
  })

/** Residuals of an element-wise binary primitive: inputs `a`, `b`, output `out`. @category model */
export interface BinaryResiduals {
  readonly a: Tensor
  readonly b: Tensor
  readonly out: Tensor
}

/** A binary element-wise primitive; numbers are lifted to scalars of the other operand's dtype. @category model */
export type BinaryPrimitive = Primitive<(a: Tensor | number, b: Tensor | number) => Tensor, undefined>

/**
 * Defines an element-wise binary primitive with broadcasting. `da(t, r)` and `db(t, r)` are the
 * partial derivatives applied to a tangent (or cotangent) of `a` and of `b`.
 * @category constructors
 */
export const binary = (def: {
  readonly name: string
  readonly domain: Domain
  readonly kernel: (a: Tensor, b: Tensor) => Tensor
  readonly da: (t: Tensor, r: BinaryResiduals) => Tensor
  readonly db: (t: Tensor, r: BinaryResiduals) => Tensor
}): BinaryPrimitive =>
  primitive({
    name: def.name,
    domain: def.domain,
    call: (bind) => (a: Tensor | number, b: Tensor | number) => bind([lift(a, b), lift(b, a)], undefined),
    impl: ([a, b]) => def.kernel(a!, b!),
    jvp: ([ta, tb], { args, out }) => {
      const r: BinaryResiduals = { a: args[0]!, b: args[1]!, out }
      const ja = ta === undefined ? undefined : def.da(ta, r)
      const jb = tb === undefined ? undefined : def.db(tb, r)
      const t = ja === undefined ? jb! : jb === undefined ? ja : add(ja, jb)
      return fitTangent(t, out)
    },
    vjp: (ct, { args, out }, needs) => {
      const r: BinaryResiduals = { a: args[0]!, b: args[1]!, out }
      return [
        needs[0] ? unbroadcast(def.da(ct, r), r.a.shape, r.a.dtype) : undefined,
        needs[1] ? unbroadcast(def.db(ct, r), r.b.shape, r.b.dtype) : undefined,
      ]
    },
    batch: batchElementwise,
  })

