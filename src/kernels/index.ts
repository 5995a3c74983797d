/**
 * Kernels: the hot loops, and the only code that reads or writes typed arrays. A kernel takes
 * tensors, allocates a fresh output buffer, and returns a new tensor; it never writes its inputs.
 * Shapes are checked by the callers (the primitives), so kernels trust their arguments.
 */
export * from './elementwise.js'
export * from './layout.js'
export * from './reduce.js'
export * from './matmul.js'
export * from './softmax.js'
export * from './finite.js'
export * from './activationBackward.js'
export * from './patches.js'
export * from './pool.js'
export * from './gather.js'
export * from './active.js'
export * from './batchedMatmul.js'
