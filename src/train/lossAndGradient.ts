/**
 * The loss and gradient of one training step, compiled by `jit` (the default) or eager
 * (`jit: false`). The compiled function takes the parameters and the batch as arguments, so one
 * program serves every batch of a shape (a short last batch compiles a second one).
 *
 * Two kinds of step cannot be one program, and run eagerly for the whole run, with the same
 * numbers: a network that draws from the step's key (dropout: its masks would be constants of the
 * program), found on the first step by tracing with two different keys and comparing the two
 * programs' constants; and a network or loss that reads a value's numbers (a `StagingError`).
 */
import { valueAndGrad } from '../autodiff/index.js'
import type { Dataset } from '../data/index.js'
import { type Key, key as makeKey } from '../random/index.js'
import { type Program, StagingError, jit, trace } from '../stage/index.js'
import type { Tensor } from '../tensor/index.js'
import type { Tree } from '../tree/index.js'
import type { Loss, Model } from './TrainState.js'

/** How a step's loss and gradient run: compiled, eager, or not known before the first step. @category internals */
export type GradientMode = 'jit' | 'eager' | 'undecided'

/** The loss and gradient of a batch at a step's key, and how it runs. @category internals */
export type LossAndGradient<P extends Tree> = ((params: P, batch: Dataset, key: Key) => readonly [Tensor, P]) & {
  readonly mode: () => GradientMode
}

// Whether two programs hold the same constants (so the key they were traced with did not matter).
const sameConstants = (a: Program, b: Program): boolean =>
  a.equations.length === b.equations.length &&
  a.constants.length === b.constants.length &&
  a.constants.every((c, i) => {
    const d = b.constants[i]!.value.data
    return c.value.data.length === d.length && c.value.data.every((v, j) => Object.is(v, d[j]))
  })

/**
 * `valueAndGrad` of the batch loss in training mode, compiled unless `compile` is false.
 * @category internals
 */
export const lossAndGradient = <P extends Tree>(net: Model<P>, loss: Loss, compile: boolean): LossAndGradient<P> => {
  const at = (key: Key) => (params: P, x: Tensor, y: Tensor): readonly [Tensor, P] =>
    valueAndGrad((p: P) => loss(net.apply(p)(x, { mode: 'train', key }), y))(params)
  const eager = (params: P, batch: Dataset, key: Key): readonly [Tensor, P] => at(key)(params, batch.x, batch.y)
  if (!compile) return Object.assign(eager, { mode: (): GradientMode => 'eager' })
  let mode: GradientMode = 'undecided'
  // the program does not depend on the key once the check below passed, so any key serves
  const compiled = jit(at(makeKey(0)))
  const decide = (params: P, batch: Dataset): GradientMode => {
    try {
      const a = trace(at(makeKey(1)))(params, batch.x, batch.y)
      const b = trace(at(makeKey(2)))(params, batch.x, batch.y)
      return sameConstants(a, b) ? 'jit' : 'eager'
    } catch (e) {
      if (e instanceof StagingError) return 'eager'
      throw e
    }
  }
  const run = (params: P, batch: Dataset, key: Key): readonly [Tensor, P] => {
    if (mode === 'undecided') mode = decide(params, batch)
    return mode === 'jit' ? compiled(params, batch.x, batch.y) : eager(params, batch, key)
  }
  return Object.assign(run, { mode: () => mode })
}
