/**
 * Parameter trees: nested readonly records and arrays with tensors at the leaves, and the
 * structural functions over them. The differentiable arithmetic (add, scale, dot, norm, ...)
 * lives in `ops/treeArithmetic.ts`; the public `tree` namespace joins both.
 */
export * from './Tree.js'
export * from './edit.js'
export * from './TreeLayout.js'
