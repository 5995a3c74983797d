/**
 * purenet: a pure functional deep-learning library. Networks are values, gradients are
 * combinators, training is a fold.
 *
 * The top level holds tensors and the differentiation combinators; everything else lives in a
 * namespace: `ops`, `tree`, `random`, `check`, `nn`, `losses`, `optim`, `train`, `data`, `io`, `plot`, `landscape`, `onnx`.
 * This entry is `src/browser.ts` with the whole of `io`: model files and checkpoint folders on
 * disk as well as their pure text forms. (A local export wins over the same name from `export *`.)
 */
export * from './browser.js'
export * as io from './ioNamespace.js'
export { parallel } from './parallelNode.js'
