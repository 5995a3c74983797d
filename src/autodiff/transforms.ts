/**
 * The differentiation combinators. Each opens its own trace for the duration of one call and
 * closes it before returning, so transformations nest (`grad(grad(f))`, `jvp` of `grad`) and
 * interleave without sharing anything.
 *
 * The argument of a differentiated function is a tree (a tensor, or nested readonly records and
 * arrays of tensors); derivatives come back in the same structure.
 *
 * Laws (1 and 2 checked for every primitive in properties/primitives.test.ts, 3 and 4 in
 * properties/autodiff.test.ts):
 * 1. jvp/vjp consistency: `<u, J v> = <Jᵀ u, v>` for every primitive.
 * 2. finite differences: `grad` and `jvp` agree with central differences in float64.
 * 3. hvp symmetry: `<u, H v> = <H u, v>`.
 * 4. no perturbation confusion: d/dx [x · (d/dy (x + y))(1)] at 1 is 1.
 */
import { type Tensor, ShapeError, describe, isTensor, ones, shapeEquals, zeros } from '../tensor/index.js'
import { type Tree, flatten, leavesLike, unflatten, zipWith } from '../tree/index.js'
import { jvpTrace } from './forward.js'
import { add } from './primitives/add.js'
import { vjpTrace } from './reverse.js'
import { primalAt } from './trace.js'

/** A tree of output values: a tensor or a structure of tensors. @category model */
export type Out = Tree

const zerosLike = (t: Tensor): Tensor => zeros(t.shape, { dtype: t.dtype })

const checkTensorOutput = (op: string, out: unknown): void => {
  if (!isTensor(out) && (typeof out !== 'object' || out === null)) {
    throw new TypeError(`${op}: the function must return a tensor or a tree of tensors, got ${typeof out}`)
  }
}

/**
 * Forward mode: evaluates `f` at `primal` and its directional derivative along `tangent`
 * (a tree of the same structure, shapes and dtypes), by dual numbers.
 * Returns `[f(primal), J·tangent]`.
 * @example
 * ```ts
 * const [y, dy] = jvp((x: Tensor) => ops.exp(x), tensor([0, 1]), tensor([1, 1])) // e^x and e^x · v
 * ```
 * @category transformations
 */
export const jvp = <T extends Tree, O extends Out>(f: (x: T) => O, primal: T, tangent: T): readonly [O, O] => {
  const trace = jvpTrace()
  try {
    const duals = zipWith(primal, tangent, (p, t, path) => {
      if (!shapeEquals(p.shape, t.shape)) throw new ShapeError(`jvp: tangent at ${path || 'the root'}`, [p.shape, t.shape], 'the tangent must have the primal\'s shape')
      // a float64 tangent on a float32 primal would silently promote every derivative downstream
      if (p.dtype !== t.dtype) throw new TypeError(`jvp: the tangent at ${path || 'the root'} is ${describe(t)} but its primal is ${describe(p)}; cast the tangent to ${p.dtype}`)
      return trace.dual(p, t)
    }, 'jvp (primal and tangent)')
    const out = f(duals)
    checkTensorOutput('jvp', out)
    const [outs, outDef] = flatten(out, 'jvp (output)')
    const primals = outs.map((o) => primalAt(trace, o))
    const tangents = outs.map((o) => trace.tangentOf(o) ?? zerosLike(o))
    return [unflatten(outDef, primals), unflatten(outDef, tangents)]
  } finally {
    trace.close()
  }
}

/**
 * Reverse mode: evaluates `f` at `primal` and returns `[f(primal), pullback]`, where
 * `pullback(ct)` is the vector-Jacobian product ctᵀ·J, a tree shaped like `primal`. The tape
 * lives in the pullback and nowhere else; the pullback may be called any number of times.
 * @example
 * ```ts
 * const [y, pullback] = vjp((x: Tensor) => ops.mul(x, x), tensor([1, 2, 3]))
 * pullback(tensor([1, 0, 1])) // Jᵀu = 2x·u = tensor [2, 0, 6]
 * ```
 * @category transformations
 */
export const vjp = <T extends Tree, O extends Out>(f: (x: T) => O, primal: T): readonly [O, (ct: O) => T] => {
  const trace = vjpTrace()
  // the structures of the input and of the output, each computed once and reused by the pullback
  const [inputs, inDef] = flatten(primal, 'vjp (primal)')
  let out: O
  const tracers = inputs.map((x) => trace.input(x))
  const wanted = tracers.map((t) => t.node)
  try {
    out = f(unflatten(inDef, tracers))
    checkTensorOutput('vjp', out)
  } finally {
    trace.close()
  }
  const [outs, outDef] = flatten(out, 'vjp (output)')
  const value = unflatten(outDef, outs.map((o) => primalAt(trace, o)))
  const pullback = (ct: O): T => {
    const cs = leavesLike(outDef, ct, 'vjp (output and cotangent)')
    const seeds = outs.map((o, i): readonly [number, Tensor] => {
      const c = cs[i]!
      const at = (): string => outDef.paths[i] || 'the root'
      if (!shapeEquals(o.shape, c.shape)) throw new ShapeError(`vjp: cotangent at ${at()}`, [o.shape, c.shape], 'the cotangent must have the output\'s shape')
      if (o.dtype !== c.dtype) throw new TypeError(`vjp: the cotangent at ${at()} is ${describe(c)} but the output is ${describe(o)}; cast the cotangent to ${o.dtype}`)
      return [trace.nodeOf(o), c]
    })
    const cts = trace.backward(seeds, wanted, add)
    return unflatten(inDef, cts.map((g, i) => g ?? zerosLike(inputs[i]!)))
  }
  return [value, pullback]
}

const scalarOutput = (op: string, out: unknown): Tensor => {
  if (!isTensor(out)) throw new TypeError(`${op}: the function must return a scalar tensor, got ${typeof out === 'object' ? 'a tree' : typeof out}; use vjp for several outputs`)
  if (out.size !== 1) {
    throw new ShapeError(op, [out.shape], `the function must return a scalar (one element), got ${describe(out)}; reduce it (sum, mean) or use vjp for a non-scalar output`)
  }
  return out
}

/**
 * `valueAndGrad(f)(x)` is `[f(x), ∇f(x)]` for a scalar-valued `f`, by reverse mode. The
 * gradient has the structure of `x`. A non-scalar output is an error, not a silent sum.
 * @example
 * ```ts
 * const f = (x: Tensor) => ops.sum(ops.square(x))
 * const [value, gradient] = valueAndGrad(f)(tensor([1, 2])) // tensor 5 and tensor [2, 4]
 * ```
 * @category transformations
 */
export const valueAndGrad =
  <T extends Tree>(f: (x: T) => Tensor) =>
  (x: T): readonly [Tensor, T] => {
    const [value, pullback] = vjp(f, x)
    const v = scalarOutput('grad', value)
    return [v, pullback(ones(v.shape, { dtype: v.dtype }))]
  }

/**
 * `grad(f)(x)` is the gradient ∇f(x) of a scalar-valued `f`, shaped like `x`. @category transformations
 * @example
 * ```ts
 * const f = (x: Tensor) => ops.sum(ops.square(x)) // Σ x²
 * grad(f)(tensor([1, 2, 3])) // tensor [2, 4, 6]
 * ```
 */
export const grad =
  <T extends Tree>(f: (x: T) => Tensor) =>
  (x: T): T =>
    valueAndGrad(f)(x)[1]

/**
 * `hvp(f)(x, v)` is the Hessian-vector product H(x)·v of a scalar-valued `f`, by forward mode
 * over reverse mode (the JVP of the gradient), without forming H.
 * @example
 * ```ts
 * const f = (x: Tensor) => ops.sum(ops.mul(ops.mul(x, x), x)) // Σ x³
 * hvp(f)(tensor([1, 2]), tensor([1, 1])) // H·v = 6x·v = tensor [6, 12]
 * ```
 * @category transformations
 */
export const hvp =
  <T extends Tree>(f: (x: T) => Tensor) =>
  (x: T, v: T): T =>
    jvp(grad(f), x, v)[1]

