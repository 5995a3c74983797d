/**
 * Staging: `trace(f)(...exampleArgs)` runs `f` once under a staging trace and returns the
 * `Program` it performed (JAX's `make_jaxpr`). The staging trace is one more interpreter of the
 * stack in `autodiff/trace.ts`, with its own level: every primitive bound on one of its tracers
 * is recorded as an equation, whatever transformations run inside `f` (`grad`, `vjp`, `jvp`,
 * `hvp`, nested), so `trace(grad(loss))(params)` is the forward and backward program.
 *
 * How it works. The arguments' leaves become input variables typed by their shapes and dtypes.
 * Each tracer also carries the example value (the kernels run on the example arguments while the
 * equations are recorded): that gives each new variable its shape and dtype and runs every shape
 * check of the primitives. Tensors the function captured and numbers it lifted become constants.
 *
 * Contract:
 * 1. The program depends on the arguments' tree structure, shapes and dtypes only. A read of a
 *    staged value's numbers (`item`, `toArray`, `.data[i]`, `allFinite`, ...) throws a
 *    `StagingError` naming the read and the value: data-dependent control flow cannot be staged
 *    (`ops.where` selects element-wise instead).
 * 2. A value of an enclosing transformation (a tracer of a `grad` or `trace` around this call)
 *    that reaches a primitive through the function's closure is an error: the program would lose
 *    its derivative. Pass it as an argument.
 * 3. `evaluate(trace(f)(...xs))(...xs)` equals `f(...xs)` exactly (the same kernels on the same
 *    values, in the same order), checked for every primitive in properties/stage.test.ts.
 */
import type { AnyRules } from '../autodiff/PrimitiveRules.js'
import { type Trace, type Tracer, isTracer, openLevel } from '../autodiff/trace.js'
import { type Tensor, describe } from '../tensor/index.js'
import { type Tree, flatten, unflatten } from '../tree/index.js'
import { guardData } from './guard.js'
import { typeName, varName } from './names.js'
import type { Atom, Const, Equation, Program, Var } from './Program.js'
import { StagingError } from './StagingError.js'

/** A value of a staging trace: its variable, and its example value as the primal. */
interface StageTracer extends Tracer {
  readonly variable: Var
}

// The concrete value under any tracers (the example of an argument that is itself traced).
const concrete = (t: Tensor): Tensor => {
  let v = t
  while (isTracer(v)) v = v.primal
  return v
}

// A frozen copy of a primitive's static parameters (numbers, strings, arrays and records of them),
// so that a program does not change when the caller reuses an array it passed (slice's `begin`).
const frozen = (params: unknown): unknown => {
  if (Array.isArray(params)) return Object.freeze(params.map(frozen))
  if (typeof params === 'object' && params !== null && Object.getPrototypeOf(params) === Object.prototype) {
    return Object.freeze(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, frozen(v)])))
  }
  return params
}

const captured = (where: string, t: Tensor): StagingError =>
  new StagingError(
    `trace: ${where} is a value (${describe(t)}) of a transformation that encloses this trace call (a grad, jvp, vjp or ` +
      'trace around it), reached through the traced function\'s closure. The program would hold it as a constant and lose ' +
      'its derivative; pass it to the traced function as an argument instead.',
  )

/**
 * Traces `f` at example arguments: `trace(f)(...exampleArgs)` is the `Program` of `f` for
 * arguments of the same tree structure, shapes and dtypes as `exampleArgs`. `f` may take
 * several arguments, each a tree of tensors, and return a tree of tensors.
 * @example
 * ```ts
 * const [w, x] = [ones([3, 2]), ones([4, 3])]
 * console.log(show(trace((w: Tensor, x: Tensor) => ops.tanh(ops.matmul(x, w)))(w, x)))
 * ```
 * @category staging
 */
export const trace =
  <In extends ReadonlyArray<Tree>, Out extends Tree>(f: (...args: In) => Out) =>
  (...args: In): Program<In, Out> => {
    let active = true
    let vars = 0
    const equations: Equation[] = []
    const constants = new Map<Tensor, Const>()
    const defined: string[] = [] // what made each variable, for messages

    const newVar = (t: Tensor, madeBy: string): Var => {
      const v: Var = Object.freeze({ kind: 'var', id: vars++, shape: t.shape, dtype: t.dtype })
      defined.push(madeBy)
      return v
    }
    const constant = (t: Tensor): Const => {
      let c = constants.get(t)
      if (c === undefined) {
        c = Object.freeze({ kind: 'const', id: constants.size, value: t })
        constants.set(t, c)
      }
      return c
    }
    const tracer = (v: Var, value: Tensor): StageTracer =>
      Object.freeze({
        dtype: value.dtype,
        shape: value.shape,
        size: value.size,
        data: guardData(value.data, () => `the staged value ${varName(v.id)}:${typeName(v.dtype, v.shape)} (${defined[v.id]})`, () => active),
        trace: self,
        primal: value,
        variable: v,
      })
    const own = (t: Tensor): t is StageTracer => isTracer(t) && t.trace === self
    // The atom of a value at a primitive or at the output: a variable of this trace or a constant.
    const atomOf = (t: Tensor, where: string): Atom => {
      if (own(t)) return t.variable
      if (isTracer(t) && t.trace.isActive()) throw captured(where, t)
      return constant(concrete(t))
    }

    const self: Trace = {
      level: openLevel(),
      isActive: () => active,
      process: (prim: AnyRules, xs: ReadonlyArray<Tensor>, params: unknown): Tensor => {
        const inputs = xs.map((x, i) => atomOf(x, `argument ${i} of ${prim.name}`))
        const value = prim.impl(xs.map(concrete), params)
        const out = newVar(value, `the output of ${prim.name}`)
        equations.push(Object.freeze({ prim, params: frozen(params), inputs: Object.freeze(inputs), out }))
        return tracer(out, value)
      },
    }

    try {
      const [leaves, inTree] = flatten(args as In & Tree, 'trace (arguments)')
      const inputs = leaves.map((x, i) => newVar(x, `argument ${inTree.paths[i]}`))
      const result = f(...(unflatten(inTree, inputs.map((v, i) => tracer(v, concrete(leaves[i]!)))) as In))
      const [outs, outTree] = flatten(result, 'trace (output)')
      const outputs = outs.map((o, i) => atomOf(o, `the output at ${outTree.paths[i] || 'the root'}`))
      return Object.freeze({
        inputs: Object.freeze(inputs),
        inTree,
        constants: Object.freeze([...constants.values()]),
        equations: Object.freeze(equations),
        outputs: Object.freeze(outputs),
        outTree,
      })
    } finally {
      active = false
    }
  }
