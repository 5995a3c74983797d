/**
 * Checking derivatives, for the property suite and for users testing their own layers:
 * `checkGrad` (gradient and JVP against central finite differences in float64), `checkHvp`
 * (second derivatives against differences of the gradient), `checkJvpVjp` (the transpose law
 * `<u, J v> = <Jᵀ u, v>`), the finite differences themselves, and fast-check arbitraries for
 * shapes, tensors, trees and keys. Randomness comes from explicit keys or from fast-check,
 * never from `Math.random`.
 */
export * from './checkGrad.js'
export * from './finiteDifferences.js'
export * from './arbitraries.js'
export type { Domain } from '../autodiff/index.js'
export * from './checkLayer.js'
