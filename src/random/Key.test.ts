import { describe, expect, it } from 'vitest'
import { ShapeError } from '../tensor/index.js'
import { bernoulli, bits, foldIn, isKey, key, normal, permutation, randint, split, uniform } from './Key.js'
import { threefry2x32 } from './threefry.js'

const tf = (k0: number, k1: number, c0: number, c1: number): [number, number] => {
  const out = new Uint32Array(2)
  threefry2x32(k0, k1, c0, c1, out, 0)
  return [out[0]!, out[1]!]
}

describe('threefry2x32, 20 rounds: the Random123 known-answer vectors', () => {
  it('key = ctr = 0', () => {
    expect(tf(0, 0, 0, 0)).toEqual([0x6b200159, 0x99ba4efe])
  })
  it('key = ctr = all ones', () => {
    expect(tf(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff)).toEqual([0x1cb996fc, 0xbb002be7])
  })
  it('key and ctr from the digits of pi', () => {
    expect(tf(0x13198a2e, 0x03707344, 0x243f6a88, 0x85a308d3)).toEqual([0xc4923a9c, 0x483df7a0])
  })
  it('writes at the offset it is given and nowhere else', () => {
    const out = new Uint32Array(4)
    threefry2x32(0, 0, 0, 0, out, 1)
    expect(Array.from(out)).toEqual([0, 0x6b200159, 0x99ba4efe, 0])
  })
  it('treats negative inputs as their unsigned 32-bit words', () => {
    expect(tf(-1, -1, -1, -1)).toEqual([0x1cb996fc, 0xbb002be7])
  })
})

describe('keys', () => {
  it('key(seed) puts the high word first; negative seeds wrap to two’s complement', () => {
    expect(key(0).words).toEqual([0, 0])
    expect(key(42).words).toEqual([0, 42])
    expect(key(2 ** 32 + 5).words).toEqual([1, 5])
    expect(key(-1).words).toEqual([0xffffffff, 0xffffffff])
    expect(key(Number.MAX_SAFE_INTEGER).words).toEqual([0x1fffff, 0xffffffff])
  })

  it('keys are frozen values', () => {
    const k = key(3)
    expect(Object.isFrozen(k)).toBe(true)
    expect(Object.isFrozen(k.words)).toBe(true)
    expect(isKey(k)).toBe(true)
    expect(isKey({ words: [0, 0] })).toBe(false)
    expect(isKey(null)).toBe(false)
  })

  it('pins split and foldIn of key(0), so a change to the derivation is noticed', () => {
    expect(split(key(0)).map((k) => k.words)).toEqual([[1351547692, 3235790642], [2473972575, 935721516]])
    expect(foldIn(key(0), 1).words).toEqual([1501760606, 801007316])
    expect(split(key(0), 0)).toEqual([])
    // split(k, n) is a prefix of split(k, n + 1)
    expect(split(key(0), 3).slice(0, 2)).toEqual(split(key(0)))
  })

  it('refuses bad seeds, counts and indices with a message naming the function', () => {
    expect(() => key(1.5)).toThrow(/random\.key: the seed must be a safe integer, got 1\.5/)
    expect(() => key(2 ** 53)).toThrow(RangeError)
    expect(() => key(NaN)).toThrow(RangeError)
    expect(() => split(key(0), -1)).toThrow(/random\.split: n must be a non-negative integer, got -1/)
    expect(() => split(key(0), 1.5)).toThrow(RangeError)
    expect(() => foldIn(key(0), -1)).toThrow(/random\.foldIn: i must be an integer in \[0, 2\^32\), got -1/)
    expect(() => foldIn(key(0), 2 ** 32)).toThrow(RangeError)
    expect(() => split(7 as never)).toThrow(/random\.split: expected a key made by random\.key\(seed\), got number/)
    expect(() => bits({ kind: 'Nope' } as never, 2)).toThrow(/random\.bits/)
  })
})

describe('pinned streams of key(0)', () => {
  it('bits are threefry of the counters (0, i)', () => {
    expect(Array.from(bits(key(0), 4))).toEqual([0x6b200159, 0x99ba4efe, 928981903, 3453687069])
    expect(Array.from(bits(key(0), 3))).toEqual([0x6b200159, 0x99ba4efe, 928981903])
    expect(bits(key(0), 0).length).toBe(0)
  })

  it('uniform float32 and float64', () => {
    expect(Array.from(uniform(key(0), [4]).data)).toEqual([0.4184570908546448, 0.6004990339279175, 0.21629542112350464, 0.8041241765022278])
    expect(Array.from(uniform(key(0), [2], { dtype: 'float64' }).data)).toEqual([0.41845711022987275, 0.216295456917019])
    expect(Array.from(uniform(key(1), [2]).data)).toEqual([0.11815023422241211, 0.4314746856689453])
  })

  it('normal float32 and float64 (the same stream, rounded)', () => {
    expect(Array.from(normal(key(0), [4]).data)).toEqual([0.21885687112808228, 1.0179600715637207, -2.313997268676758, -1.169908046722412])
    expect(Array.from(normal(key(0), [3], { dtype: 'float64' }).data)).toEqual([0.21885687463774975, 1.0179601041562518, -2.313997381422953])
  })

  it('permutation, bernoulli and randint', () => {
    expect(Array.from(permutation(key(0), 8))).toEqual([1, 5, 3, 7, 0, 4, 6, 2])
    expect(Array.from(bernoulli(key(0), 0.5, [8]).data)).toEqual([1, 1, 0, 0, 0, 1, 0, 0])
    expect(Array.from(randint(key(0), 10, [6]).data)).toEqual([4, 2, 9, 5, 5, 3])
  })
})

describe('generators', () => {
  it('give the requested shape and dtype, float32 by default', () => {
    const u = uniform(key(1), [2, 3])
    expect(u.shape).toEqual([2, 3])
    expect(u.dtype).toBe('float32')
    expect(normal(key(1), [5], { dtype: 'float64' }).dtype).toBe('float64')
    expect(normal(key(1), []).shape).toEqual([])
    expect(normal(key(1), [0]).size).toBe(0)
    expect(bernoulli(key(1), 0.3, [2], { dtype: 'float64' }).dtype).toBe('float64')
    expect(permutation(key(1), 0).length).toBe(0)
    expect(Array.from(permutation(key(1), 1))).toEqual([0])
  })

  it('an odd-sized normal is the prefix of the next even size', () => {
    expect(Array.from(normal(key(2), [5]).data)).toEqual(Array.from(normal(key(2), [6]).data.subarray(0, 5)))
  })

  it('uniform honours min and max; normal honours mean and std', () => {
    const u = uniform(key(4), [1000], { min: -3, max: -2, dtype: 'float64' })
    for (const v of u.data) {
      expect(v).toBeGreaterThanOrEqual(-3)
      expect(v).toBeLessThan(-2)
    }
    const base = normal(key(5), [10], { dtype: 'float64' }).data
    const moved = normal(key(5), [10], { dtype: 'float64', mean: 3, std: 2 }).data
    base.forEach((v, i) => expect(moved[i]).toBeCloseTo(3 + 2 * v, 12))
  })

  it('bernoulli with p = 0 and p = 1 is constant', () => {
    expect(Array.from(bernoulli(key(6), 0, [50]).data).every((v) => v === 0)).toBe(true)
    expect(Array.from(bernoulli(key(6), 1, [50]).data).every((v) => v === 1)).toBe(true)
  })

  it('refuse bad arguments with a message naming the function', () => {
    expect(() => uniform(key(0), [2], { min: 1, max: 1 })).toThrow(/random\.uniform: max \(1\) must be greater than min \(1\)/)
    expect(() => uniform(key(0), [2], { min: NaN })).toThrow(RangeError)
    expect(() => uniform(key(0), [2], { min: -Infinity, max: 0 })).toThrow(/random\.uniform: .*finite/)
    expect(() => uniform(key(0), [2], { min: -1e308, max: 1e308, dtype: 'float64' })).toThrow(/must not overflow/)
    expect(() => uniform(key(0), [-1])).toThrow(ShapeError)
    expect(() => uniform(key(0), [-1])).toThrow(/random\.uniform: dimension 0 of \[-1\] is -1/)
    expect(() => normal(key(0), [1.5])).toThrow(/random\.normal: dimension 0/)
    expect(() => bernoulli(key(0), 1.5, [2])).toThrow(/random\.bernoulli: p must be in \[0, 1\], got 1\.5/)
    expect(() => bernoulli(key(0), NaN, [2])).toThrow(RangeError)
    expect(() => permutation(key(0), -2)).toThrow(/random\.permutation: n must be a non-negative integer, got -2/)
    expect(() => randint(key(0), 0, [2])).toThrow(/random\.randint: n must be a positive integer, got 0/)
  })
})
