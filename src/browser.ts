/**
 * purenet for browsers: everything `src/index.ts` offers except what needs a disk. `io` here is
 * the pure part (encodeModel, decodeModel, checkpoint texts); saveModel, loadModel and checkpoint
 * folders need Node and live in the main entry. No module reachable from this one imports a
 * `node:` module (checked by `src/browser.test.ts`).
 *
 * Loading this entry starts compiling the larger WebAssembly module of `jit` asynchronously
 * (`ready()`; a page's main thread may refuse to compile it synchronously): `await ready()`
 * before the first training step to be sure `jit` gets it.
 */
import { ready as compileAhead } from './kernels/wasm/ready.js'

void compileAhead()

export {
  type Tensor, type DType, type Shape, type NestedArray, type Nested, type Data, type DTypeOptions, type FlatOptions, ShapeError,
  tensor, scalar, zeros, ones, full, arange, toArray, toFlatArray, item, isTensor, describe,
} from './tensor/index.js'
export { jvp, vjp, grad, valueAndGrad, hvp, vmap, jacfwd, jacrev, hessian, perExampleGrads, type VmapOptions, type AxesTree, type Jacobian, type JacobianOf } from './autodiff/index.js'
export { type KernelReport, type ModuleStatus, type FallbackReason, activeKernels } from './kernels/active.js'
export { ready } from './kernels/wasm/ready.js'
export { stopGradient } from './autodiff/primitives/index.js'
export {
  type Program, type Var, type Const, type Atom, type Equation, type ProgramStats,
  trace, evaluate, show, removeDeadCode, programStats, StagingError,
} from './stage/index.js'
export { jit, type Jitted, type JitStats } from './stage/jit.js'
export type { Tree } from './tree/index.js'
export { TreeError } from './tree/index.js'
export * as ops from './ops/index.js'
export * as tree from './ops/treeNamespace.js'
export * as random from './random/index.js'
export * as data from './data/index.js'
export * as train from './train/index.js'
export * as optim from './optim/index.js'
export * as nn from './nn/index.js'
export * as losses from './losses/index.js'
export * as check from './check/index.js'
export * as plot from './plot/index.js'
export * as io from './ioPure.js'
export * as landscape from './landscape/index.js'
export * as rl from './rl/index.js'
export * as onnx from './onnx/index.js'
export { parallel } from './parallelBrowser.js'
export { type Pool, type ParallelOptions, type DataParallelOptions, dataParallel } from './parallel/index.js'
