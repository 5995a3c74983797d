/**
 * The public differentiable functions: the primitives (each with its own derivative rules, from
 * the one list in autodiff/primitives/index.ts) and the composites built from them. Numeric
 * functions are data-first (`add(a, b)`); binary ones accept a plain number for either operand,
 * taking the other operand's dtype. Where a composite generalises a primitive of the same name
 * to any axis (`softmax`, `logSoftmax`, `logSumExp`), the composite is exported.
 */
export * from '../autodiff/primitives/index.js'
export * from './composites.js'
export { logSoftmax, logSumExp, softmax } from './composites.js'
export { scan } from './scan.js'
