/**
 * `evaluate(program)(...args)` runs a program's equations in order, binding each primitive
 * through the interpreter stack exactly as the traced function did. Because it binds (rather
 * than calling kernels), an evaluated program is itself differentiable and traceable:
 * `grad(evaluate(p))`, `jvp` of it and `trace(evaluate(p))` all work, and
 * `trace(evaluate(p))(...xs)` prints as `p` does.
 */
import { bind } from '../autodiff/trace.js'
import { type Tensor, ShapeError, describe, shapeEquals } from '../tensor/index.js'
import { type Tree, leavesLike, unflatten } from '../tree/index.js'
import { typeName } from './names.js'
import type { Atom, Program } from './Program.js'

const argumentAt = (path: string): string => {
  const m = /^\[(\d+)\](.*)$/.exec(path)
  return m === null ? 'the arguments' : `argument ${m[1]}${m[2] === '' ? '' : ` at ${m[2]!.replace(/^\./, '')}`}`
}

/**
 * Runs a program on arguments of the tree structure, shapes and dtypes it was traced with (a
 * difference throws a `TreeError`, `ShapeError` or `TypeError` naming the argument's path).
 * Returns the result in the traced function's structure.
 * @example
 * ```ts
 * const f = (x: Tensor) => ops.tanh(ops.mul(x, x))
 * const x = tensor([0.5, 1])
 * evaluate(trace(f)(x))(x) // equals f(x)
 * ```
 * @category staging
 */
export const evaluate =
  <In extends ReadonlyArray<Tree>, Out extends Tree>(program: Program<In, Out>) =>
  (...args: In): Out => {
    const leaves = leavesLike(program.inTree, args, 'evaluate (arguments)')
    const env = new Map<number, Tensor>()
    program.inputs.forEach((v, i) => {
      const x = leaves[i]!
      const at = (): string => argumentAt(program.inTree.paths[i]!)
      if (!shapeEquals(x.shape, v.shape)) {
        throw new ShapeError(`evaluate: ${at()}`, [x.shape, v.shape], `the program was traced for ${typeName(v.dtype, v.shape)}; trace it again at this shape`)
      }
      if (x.dtype !== v.dtype) throw new TypeError(`evaluate: ${at()} is ${describe(x)} but the program was traced for ${v.dtype}; cast it, or trace the program again`)
      env.set(v.id, x)
    })
    const read = (a: Atom, where: string): Tensor => {
      if (a.kind === 'const') return a.value
      const x = env.get(a.id)
      if (x === undefined) throw new Error(`evaluate: ${where} reads variable ${a.id}, which no input or earlier equation defines; the program is malformed`)
      return x
    }
    program.equations.forEach((eq, k) => {
      const out = bind(eq.prim, eq.inputs.map((a, i) => read(a, `argument ${i} of equation ${k} (${eq.prim.name})`)), eq.params)
      if (!shapeEquals(out.shape, eq.out.shape) || out.dtype !== eq.out.dtype) {
        throw new ShapeError(`evaluate: equation ${k} (${eq.prim.name})`, [out.shape, eq.out.shape], `gave ${describe(out)} where the program says ${typeName(eq.out.dtype, eq.out.shape)}; the program is malformed`)
      }
      env.set(eq.out.id, out)
    })
    return unflatten(program.outTree, program.outputs.map((a, i) => read(a, `output ${i}`)))
  }
