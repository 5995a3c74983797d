/**
 * Automatic differentiation: primitives with their rules, the interpreter stack (forward mode
 * by dual numbers, reverse mode by a tape local to each call, batching) and the combinators `jvp`,
 * `vjp`, `grad`, `valueAndGrad`, `hvp` and `vmap`. See `trace.ts` for how nesting works.
 */
export * from './transforms.js'
export { vmap, type VmapOptions, type AxesTree } from './vmap.js'
export { jacfwd, jacrev, hessian, perExampleGrads, type Jacobian, type JacobianOf } from './jacobian.js'
export { batchByLoop, batchElementwise, batchLastAxis, batchSameShape, batchUnary } from './batchRules.js'
export { primitives } from './primitives/table.js'
export type { Primitive, PrimitiveRules, Domain, Residuals, BatchInput, Batched } from './Primitive.js'
export { primitive } from './Primitive.js'
export { unary, binary } from './define.js'
export { isTracer } from './trace.js'
