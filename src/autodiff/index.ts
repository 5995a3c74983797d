/**
 * Automatic differentiation: primitives with their rules, the interpreter stack (forward mode
 * by dual numbers, reverse mode by a tape local to each call) and the combinators `jvp`, `vjp`,
 * `grad`, `valueAndGrad` and `hvp`. See `trace.ts` for how nesting works.
 */
export * from './transforms.js'
export { primitives } from './primitives/table.js'
export type { Primitive, PrimitiveRules, Domain, Residuals } from './Primitive.js'
export { primitive } from './Primitive.js'
export { unary, binary } from './define.js'
export { isTracer } from './trace.js'
