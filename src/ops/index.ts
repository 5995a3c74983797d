/**
 * The public differentiable functions: the primitives (each with its own derivative rules) and
 * the composites built from them. Numeric functions are data-first (`add(a, b)`); binary ones
 * accept a plain number for either operand, taking the other operand's dtype.
 */
export {
  abs, add, atan, broadcastTo, cast, concat, cos, div, equal, exp, greater, log, matmul, max, maximum,
  mul, neg, pad, pow, relu, reluBackward, reshape, sigmoid, sigmoidBackward, sign, sin, slice, softplus, sqrt, square, step,
  stopGradient, sub, sum, tanh, tanhBackward, transpose, where,
} from '../autodiff/primitives/index.js'
export type { MatmulOptions } from '../autodiff/primitives/index.js'
export * from './composites.js'
