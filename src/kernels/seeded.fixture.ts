/**
 * Test data for the kernel tests: a small seeded generator (mulberry32), so every failure
 * reproduces and no test uses Math.random. Not exported by the kernels' index.
 */

/** A generator of numbers in [0, 1), the same sequence for the same seed. */
export const rng = (seed: number): (() => number) => {
  let s = seed >>> 0
  return (): number => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32
  }
}
