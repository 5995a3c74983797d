/**
 * The state a run starts from, made from its key alone: the parameters from `split(key)[0]`,
 * the step key from `split(key)[1]`.
 */
import { type Key, split } from '../random/index.js'
import type { Tree } from '../tree/index.js'
import type { Model, OptimizerLike, TrainState } from './TrainState.js'

/**
 * The state a run starts from: parameters from `split(key)[0]`, the step key `split(key)[1]`. @category training
 * @example
 * ```ts
 * const net = nn.dense(2, 1)
 * const state = train.initialState({ net, optimizer: optim.adam(0.01), key: random.key(0) }) // step 0
 * ```
 */
export const initialState = <P extends Tree, S>(options: {
  readonly net: Model<P>
  readonly optimizer: OptimizerLike<NoInfer<P>, S>
  readonly key: Key
}): TrainState<P, S> => {
  const [initKey, stepKey] = split(options.key, 2) as [Key, Key]
  const params = options.net.init(initKey)
  return Object.freeze({ params, optState: options.optimizer.init(params), step: 0, key: stepKey })
}
