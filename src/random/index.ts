/**
 * Pure random numbers from explicit keys: `key(seed)`, `split`, `foldIn`, and the generators.
 * No global RNG exists; all randomness flows from keys the caller holds.
 */
export * from './Key.js'
export { threefry2x32 } from './threefry.js'
