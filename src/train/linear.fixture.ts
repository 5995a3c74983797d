/**
 * A fixture of the train tests: a linear model y = x·w + b in float64 and plain SGD written op by
 * op, so the tests of this folder depend on nothing above train.
 */
import * as ops from '../ops/index.js'
import { type Key, normal } from '../random/index.js'
import { type Tensor, tensor } from '../tensor/index.js'
import { type Tree, map } from '../tree/index.js'
import type { Model, OptimizerLike } from './TrainState.js'

/** The parameters of `linear`. @category internals */
export type Linear = { readonly w: Tensor; readonly b: Tensor }

/** y = x·w + b with 2 inputs and 1 output, float64. @category internals */
export const linear: Model<Linear> = {
  name: 'linear(2, 1)',
  init: (k: Key) => ({ w: normal(k, [2, 1], { dtype: 'float64' }), b: tensor([0], { dtype: 'float64' }) }),
  apply: (p) => (x) => ops.add(ops.matmul(x, p.w), p.b),
}

/** Plain SGD, op by op: updates -lr·g, and a step count as its state. @category internals */
export const sgd = <P extends Tree>(lr: number): OptimizerLike<P, { readonly count: number }> => ({
  init: () => ({ count: 0 }),
  update: (g, s) => [map(g, (x) => ops.mul(x, -lr)), { count: s.count + 1 }],
})

/** The mean squared error. @category internals */
export const mse = (p: Tensor, t: Tensor): Tensor => ops.mean(ops.square(ops.sub(p, t)))
