/**
 * Whole-tensor checks over typed arrays. (Gathering rows and one-hot rows are tensor
 * constructions, in `src/tensor/rows.ts`, so that data can use them without the kernels.)
 */
import type { Tensor } from '../tensor/index.js'

/**
 * Whether every element is finite (no NaN, no ±Infinity).
 * @category kernels
 */
export const allFinite = (x: Tensor): boolean => {
  // v·0 is ±0 for finite v and NaN for NaN and ±Infinity, and a NaN stays in a sum: four
  // independent sums without a branch per element run about twice as fast as a test per element
  // (the whole array is read either way, since a finite array is the common case).
  const a = x.data
  const n = a.length
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0
  let i = 0
  for (; i + 3 < n; i += 4) {
    s0 += a[i]! * 0
    s1 += a[i + 1]! * 0
    s2 += a[i + 2]! * 0
    s3 += a[i + 3]! * 0
  }
  for (; i < n; i++) s0 += a[i]! * 0
  return s0 + s1 + s2 + s3 === 0
}
