/**
 * Dead-code elimination on a program: the equations whose outputs no output depends on, and the
 * constants only they read, go. `trace` records everything the function computed (for example
 * the loss value that `grad` computes and drops); `removeDeadCode` keeps what the outputs need.
 */
import type { Equation, Program } from './Program.js'
import type { Tree } from '../tree/index.js'

/**
 * The program without the equations (and constants) that no output depends on. Evaluating it
 * gives the same outputs, bit for bit.
 * @example
 * ```ts
 * const program = trace((x: Tensor) => { ops.exp(x); return ops.tanh(x) })(tensor([1]))
 * show(removeDeadCode(program)) // the unused exp is gone
 * ```
 * @category staging
 */
export const removeDeadCode = <In extends ReadonlyArray<Tree>, Out extends Tree>(program: Program<In, Out>): Program<In, Out> => {
  const live = new Set<number>()
  const usedConsts = new Set<number>()
  const mark = (a: Program['outputs'][number]): void => {
    if (a.kind === 'var') live.add(a.id)
    else usedConsts.add(a.id)
  }
  program.outputs.forEach(mark)
  const kept: Equation[] = []
  for (let k = program.equations.length - 1; k >= 0; k--) {
    const eq = program.equations[k]!
    if (!live.has(eq.out.id)) continue
    kept.push(eq)
    eq.inputs.forEach(mark)
  }
  kept.reverse()
  return Object.freeze({
    ...program,
    constants: Object.freeze(program.constants.filter((c) => usedConsts.has(c.id))),
    equations: Object.freeze(kept),
  })
}
