/**
 * The loss and gradient of one training step, compiled by `jit` (the default) or eager
 * (`jit: false`). The compiled function takes the parameters and the batch as arguments, so one
 * program serves every batch of a shape (a short last batch compiles a second one).
 *
 * Two things a traced program cannot hold fall back to the eager path, for the rest of the run,
 * with the same numbers: a network that draws from the step's key (dropout: its masks would be
 * constants of the program), noticed when the key is read while tracing; and a network or loss
 * that reads a value's numbers (a `StagingError` while tracing).
 */
import { valueAndGrad } from '../autodiff/index.js'
import type { Dataset } from '../data/index.js'
import type { Key } from '../random/index.js'
import { StagingError, jit } from '../stage/index.js'
import type { Tensor } from '../tensor/index.js'
import type { Tree } from '../tree/index.js'
import type { Loss, Model } from './TrainState.js'

/** The loss and gradient of a batch at a step's key. @category internals */
export type LossAndGradient<P extends Tree> = (params: P, batch: Dataset, key: Key) => readonly [Tensor, P]

/**
 * `valueAndGrad` of the batch loss in training mode, compiled unless `compile` is false.
 * @category internals
 */
export const lossAndGradient = <P extends Tree>(net: Model<P>, loss: Loss, compile: boolean): LossAndGradient<P> => {
  const eager: LossAndGradient<P> = (params, batch, key) =>
    valueAndGrad((p: P) => loss(net.apply(p)(batch.x, { mode: 'train', key }), batch.y))(params)
  if (!compile) return eager
  // The key the compiled function's network sees: it reads through to the step's key and says so.
  let current: Key | undefined
  let keyRead = false
  let staged = true
  const watched: Key = Object.freeze({
    kind: 'Key' as const,
    get words() {
      keyRead = true
      return current!.words
    },
  })
  const compiled = jit((params: P, x: Tensor, y: Tensor) =>
    valueAndGrad((p: P) => loss(net.apply(p)(x, { mode: 'train', key: watched }), y))(params))
  return (params, batch, key) => {
    if (!staged || keyRead) return eager(params, batch, key)
    current = key
    try {
      // a first call that read the key is still right: it was traced with this step's key
      return compiled(params, batch.x, batch.y)
    } catch (e) {
      if (!(e instanceof StagingError)) throw e
      staged = false
      return eager(params, batch, key)
    }
  }
}
