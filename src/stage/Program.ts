/**
 * A staged program: what `trace(f)(...exampleArgs)` returns, a typed, first-order, immutable
 * description of the computation `f` performs (JAX's jaxpr). It is the value that the staging
 * tools share: `show` prints it, `evaluate` runs it, `plot.program` draws it and `jit` lowers it
 * to planned buffers and fused loops.
 *
 * Contract:
 * 1. Variables are typed (shape and dtype) and numbered; each is defined once, either as an input
 *    or as the output of exactly one equation, before any equation that reads it (the equations
 *    are in a valid evaluation order).
 * 2. An equation applies one primitive (the primitive record itself, never its name) with its
 *    static parameters to atoms: variables or constants. Constants are tensors the traced
 *    function captured from its closure (or numbers it lifted); they are part of the program.
 * 3. `inputs` are the leaves of the argument list flattened in order (`inTree` rebuilds the
 *    arguments); `outputs` are the leaves of the result (`outTree` rebuilds it). An output may be
 *    an input or a constant when `f` returns one unchanged.
 * 4. A program is a plain frozen value: it holds no tracer, no interpreter and no mutable state,
 *    so it can be kept, compared by its printout and evaluated any number of times.
 */
import type { AnyRules } from '../autodiff/PrimitiveRules.js'
import type { DType, Shape, Tensor } from '../tensor/index.js'
import type { Tree, TreeDef } from '../tree/index.js'

/**
 * A typed variable of a program, defined once (by an input or by one equation). @category model
 * @example
 * ```ts
 * const program = trace((x: Tensor) => ops.tanh(ops.mul(x, 2)))(tensor([1, 2]))
 * const [x]: ReadonlyArray<Var> = program.inputs
 * x?.shape // [2]
 * ```
 */
export interface Var {
  readonly kind: 'var'
  /** Unique within its program; printed as a short name by `show`. */
  readonly id: number
  readonly shape: Shape
  readonly dtype: DType
}

/**
 * A constant of a program: a tensor the traced function captured, or a number it lifted. @category model
 * @example
 * ```ts
 * const program = trace((x: Tensor) => ops.tanh(ops.mul(x, 2)))(tensor([1, 2]))
 * const constants: ReadonlyArray<Const> = program.constants // the 2, as a constant of the program
 * ```
 */
export interface Const {
  readonly kind: 'const'
  /** Unique within its program's constants. */
  readonly id: number
  readonly value: Tensor
}

/**
 * What an equation reads: a variable or a constant. @category model
 * @example
 * ```ts
 * const program = trace((x: Tensor) => ops.tanh(ops.mul(x, 2)))(tensor([1, 2]))
 * const outputs: ReadonlyArray<Atom> = program.outputs // variables or constants
 * ```
 */
export type Atom = Var | Const

/**
 * One primitive application: `out = prim[params](...inputs)`. @category model
 * @example
 * ```ts
 * const program = trace((x: Tensor) => ops.tanh(ops.mul(x, 2)))(tensor([1, 2]))
 * const [first]: ReadonlyArray<Equation> = program.equations
 * first?.prim.name // 'mul'
 * ```
 */
export interface Equation {
  readonly prim: AnyRules
  readonly params: unknown
  readonly inputs: ReadonlyArray<Atom>
  readonly out: Var
}

/**
 * A staged program. `In` is the tuple of the traced function's arguments and `Out` its result,
 * kept in the type so that `evaluate(program)` has the traced function's signature.
 * @example
 * ```ts
 * const program: Program = trace((x: Tensor) => ops.tanh(x))(tensor([1, 2]))
 * program.equations.length // 1
 * ```
 * @category model
 */
export interface Program<In extends ReadonlyArray<Tree> = ReadonlyArray<Tree>, Out extends Tree = Tree> {
  /** The argument leaves, in the order of `inTree`. */
  readonly inputs: ReadonlyArray<Var>
  /** The structure of the argument list. */
  readonly inTree: TreeDef<In & Tree>
  readonly constants: ReadonlyArray<Const>
  readonly equations: ReadonlyArray<Equation>
  /** The result leaves, in the order of `outTree`. */
  readonly outputs: ReadonlyArray<Atom>
  /** The structure of the result. */
  readonly outTree: TreeDef<Out>
}
