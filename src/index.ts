/**
 * purenet: a pure functional deep-learning library. Networks are values, gradients are
 * combinators, training is a fold.
 *
 * The top level holds tensors and the differentiation combinators; everything else lives in a
 * namespace: `ops`, `tree`, `random`, `check`, `nn`, `losses`, `optim`, `train`, `data`, `io`, `plot`, `landscape`.
 */
export {
  type Tensor, type DType, type Shape, type NestedArray, ShapeError,
  tensor, scalar, zeros, ones, full, arange, toArray, toFlatArray, item, isTensor, describe,
} from './tensor/index.js'
export { jvp, vjp, grad, valueAndGrad, hvp } from './autodiff/index.js'
export { stopGradient } from './autodiff/primitives/index.js'
export type { Tree } from './tree/index.js'
export { TreeError } from './tree/index.js'
export * as ops from './ops/index.js'
export * as tree from './tree/index.js'
export * as random from './random/index.js'
export * as data from './data/index.js'
export * as train from './train/index.js'
export * as optim from './optim/index.js'
export * as nn from './nn/index.js'
export * as losses from './losses/index.js'
export * as check from './check/index.js'
export * as plot from './plot/index.js'
export * as io from './io/index.js'
export * as landscape from './landscape/index.js'
