/**
 * Threefry-2x32 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011), the
 * counter-based generator JAX uses: a keyed bijection of 64-bit counters. 20 rounds.
 * Pure: the same key and counter always give the same two words, on every machine.
 */

const ROT = [13, 15, 26, 6, 17, 29, 16, 24] as const

const rotl = (x: number, r: number): number => ((x << r) | (x >>> (32 - r))) >>> 0

/**
 * Encrypts the counter (c0, c1) under the key (k0, k1), writing the two output words to
 * `out[at]` and `out[at + 1]`.
 * @example
 * ```ts
 * const out = new Uint32Array(2)
 * random.threefry2x32(0, 0, 0, 0, out, 0) // the Threefry-2x32 block of key (0, 0) at counter (0, 0)
 * ```
 * @category generators
 */
export const threefry2x32 = (k0: number, k1: number, c0: number, c1: number, out: Uint32Array, at: number): void => {
  const ks0 = k0 >>> 0
  const ks1 = k1 >>> 0
  const ks2 = (ks0 ^ ks1 ^ 0x1bd11bda) >>> 0
  const ks = [ks0, ks1, ks2]
  let x0 = (c0 + ks0) >>> 0
  let x1 = (c1 + ks1) >>> 0
  for (let g = 0; g < 5; g++) {
    for (let r = 0; r < 4; r++) {
      x0 = (x0 + x1) >>> 0
      x1 = rotl(x1, ROT[(g % 2) * 4 + r]!)
      x1 = (x1 ^ x0) >>> 0
    }
    x0 = (x0 + ks[(g + 1) % 3]!) >>> 0
    x1 = (x1 + ks[(g + 2) % 3]! + g + 1) >>> 0
  }
  out[at] = x0
  out[at + 1] = x1
}
