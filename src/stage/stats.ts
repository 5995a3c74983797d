/**
 * Counts of a program: how many inputs, constants and equations, and the equations by primitive.
 */
import type { Program } from './Program.js'

/**
 * What `programStats` counts. @category model
 * @example
 * ```ts
 * const stats: ProgramStats = programStats(trace((x: Tensor) => ops.tanh(x))(tensor([1])))
 * ```
 */
export interface ProgramStats {
  readonly inputs: number
  readonly constants: number
  readonly equations: number
  /** Equations per primitive name, names in alphabetical order. */
  readonly byPrimitive: Readonly<Record<string, number>>
}

/**
 * The numbers of inputs, constants and equations of a program, and its equations counted by
 * primitive (e.g. `{ add: 3, matmul: 6, ... }`).
 * @example
 * ```ts
 * const program = trace((x: Tensor) => ops.tanh(ops.mul(x, x)))(tensor([1, 2]))
 * programStats(program) // counts of equations by primitive, and more
 * ```
 * @category staging
 */
export const programStats = (program: Program): ProgramStats => {
  const counts = new Map<string, number>()
  for (const eq of program.equations) counts.set(eq.prim.name, (counts.get(eq.prim.name) ?? 0) + 1)
  return Object.freeze({
    inputs: program.inputs.length,
    constants: program.constants.length,
    equations: program.equations.length,
    byPrimitive: Object.freeze(Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))),
  })
}
