/**
 * The public `tree` namespace (`import { tree } from 'purenet'`): the structure of trees from
 * `src/tree` (flatten, map, zipWith, edit, ...) and the differentiable arithmetic over them from
 * `treeArithmetic.ts` (add, sub, scale, addScaled, dot, norm).
 */
export * from '../tree/index.js'
export * from './treeArithmetic.js'
