/**
 * The random-key laws numbered in src/random/Key.ts.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type Key, bernoulli, bits, foldIn, key, normal, permutation, split, uniform } from '../src/random/index.js'
import type { Shape } from '../src/tensor/index.js'

const arbSeed = fc.integer({ min: -(2 ** 40), max: 2 ** 40 })
const arbKey: fc.Arbitrary<Key> = fc.oneof(
  arbSeed.map(key),
  // keys deep in the derivation tree, not only fresh ones
  fc.tuple(arbSeed, fc.nat({ max: 20 })).map(([s, i]) => foldIn(key(s), i)),
)
const arbShape: fc.Arbitrary<Shape> = fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 3 })
const words = (k: Key): string => `${k.words[0]},${k.words[1]}`
// Ordered pairs min < max drawn from `arb`.
const arbRange = (arb: fc.Arbitrary<number>): fc.Arbitrary<readonly [number, number]> =>
  fc
    .tuple(arb, arb)
    .filter(([a, b]) => a !== b)
    .map(([a, b]) => (a < b ? ([a, b] as const) : ([b, a] as const)))

describe('random key laws', () => {
  it('1. determinism: the same key and shape give bit-identical tensors', () => {
    fc.assert(
      fc.property(arbKey, arbShape, fc.constantFrom('float32', 'float64' as const), (k, shape, dtype) => {
        // a key rebuilt from its words is the same key
        const k2: Key = { kind: 'Key', words: [k.words[0], k.words[1]] }
        const same = <T extends { readonly data: ArrayLike<number>; readonly shape: Shape }>(a: T, b: T): void => {
          expect(b.shape).toEqual(a.shape)
          expect(new Uint8Array(new Float64Array(Array.from(b.data)).buffer)).toEqual(new Uint8Array(new Float64Array(Array.from(a.data)).buffer))
        }
        same(uniform(k, shape, { dtype }), uniform(k2, shape, { dtype }))
        same(normal(k, shape, { dtype }), normal(k2, shape, { dtype }))
        same(bernoulli(k, 0.3, shape), bernoulli(k2, 0.3, shape))
        expect(Array.from(permutation(k, 9))).toEqual(Array.from(permutation(k2, 9)))
        expect(split(k, 3).map(words)).toEqual(split(k2, 3).map(words))
        expect(words(foldIn(k, 5))).toBe(words(foldIn(k2, 5)))
      }),
      { numRuns: 60 },
    )
  })

  it('2. independence: split keys are distinct from each other and from k, and their streams differ', () => {
    fc.assert(
      fc.property(arbKey, fc.integer({ min: 1, max: 16 }), (k, n) => {
        const ks = split(k, n)
        expect(ks.length).toBe(n)
        expect(new Set([k, ...ks].map(words)).size).toBe(n + 1)
        // streams: the first 4 words of every stream (k's own included) are pairwise different
        const streams = [k, ...ks].map((x) => Array.from(bits(x, 4)).join(','))
        expect(new Set(streams).size).toBe(n + 1)
        // split keys come from their own counter domain: they are not words that k itself draws
        const drawn = new Set(bits(k, 2 * n + 2))
        for (const s of ks) expect(drawn.has(s.words[0]) && drawn.has(s.words[1])).toBe(false)
        // and no stream repeats an element of another at the same position more often than chance
        const us = [k, ...ks].map((x) => Array.from(uniform(x, [64], { dtype: 'float64' }).data))
        for (let i = 0; i < us.length; i++) for (let j = i + 1; j < us.length; j++) {
          expect(us[i]!.filter((v, p) => v === us[j]![p]).length).toBe(0)
        }
      }),
      { numRuns: 60 },
    )
  })

  it('3. foldIn(k, i) for distinct i gives distinct keys, also distinct from k and its splits', () => {
    fc.assert(
      fc.property(arbKey, fc.uniqueArray(fc.nat({ max: 2 ** 32 - 1 }), { minLength: 1, maxLength: 20 }), (k, is) => {
        const folded = is.map((i) => words(foldIn(k, i)))
        expect(new Set(folded).size).toBe(is.length)
        expect(folded).not.toContain(words(k))
        const splits = new Set(split(k, 4).map(words))
        for (const f of folded) expect(splits.has(f)).toBe(false)
        const drawn = new Set(bits(k, 64))
        for (const i of is) expect(foldIn(k, i).words.every((w) => drawn.has(w))).toBe(false)
      }),
      { numRuns: 60 },
    )
  })

  it('4. permutation(k, n) is a permutation of 0..n-1', () => {
    fc.assert(
      fc.property(arbKey, fc.integer({ min: 0, max: 200 }), (k, n) => {
        const p = permutation(k, n)
        expect(p.length).toBe(n)
        expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i))
      }),
      { numRuns: 80 },
    )
  })

  it('5a. uniform float64 draws lie in [min, max) for any finite range', () => {
    fc.assert(
      fc.property(arbKey, arbRange(fc.double({ min: -1e300, max: 1e300, noNaN: true })), (k, [min, max]) => {
        for (const v of uniform(k, [64], { min, max, dtype: 'float64' }).data) {
          expect(v).toBeGreaterThanOrEqual(min)
          expect(v).toBeLessThan(max)
        }
      }),
      { numRuns: 100 },
    )
  })

  it('5b. uniform float32 draws lie in [min, max) when min and max are float32 numbers', () => {
    fc.assert(
      fc.property(arbKey, arbRange(fc.float({ min: Math.fround(-1e30), max: Math.fround(1e30), noNaN: true })), (k, [min, max]) => {
        for (const v of uniform(k, [64], { min, max }).data) {
          expect(v).toBeGreaterThanOrEqual(min)
          expect(v).toBeLessThan(max)
        }
      }),
      { numRuns: 100 },
    )
  })

  // Tolerances are 6 standard errors: a false alarm is rarer than one in 10^8 per run.
  it('5c. uniform has the mean and variance of U(min, max)', () => {
    const n = 4000
    fc.assert(
      fc.property(arbKey, fc.constantFrom('float32', 'float64' as const), (k, dtype) => {
        const u = Array.from(uniform(k, [n], { dtype, min: -2, max: 6 }).data)
        const mean = u.reduce((s, v) => s + v, 0) / n
        const variance = u.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)
        // U(-2, 6): mean 2, variance 64 / 12, and the variance of a single draw's square is 4 * 64^2 / 180
        expect(Math.abs(mean - 2)).toBeLessThan(6 * Math.sqrt(64 / 12 / n))
        expect(Math.abs(variance - 64 / 12)).toBeLessThan(6 * Math.sqrt((64 * 64) / 180 / n))
      }),
      { numRuns: 20 },
    )
  })

  it('5d. normal draws have mean ≈ 0, std ≈ 1, and about 68% within one std', () => {
    const n = 4000
    fc.assert(
      fc.property(arbKey, fc.constantFrom('float32', 'float64' as const), (k, dtype) => {
        const x = Array.from(normal(k, [n], { dtype }).data)
        for (const v of x) expect(Number.isFinite(v)).toBe(true)
        const mean = x.reduce((s, v) => s + v, 0) / n
        const variance = x.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)
        const within = x.filter((v) => Math.abs(v) < 1).length / n
        expect(Math.abs(mean)).toBeLessThan(6 / Math.sqrt(n))
        // the sample variance of N(0, 1) has standard error sqrt(2 / n)
        expect(Math.abs(variance - 1)).toBeLessThan(6 * Math.sqrt(2 / n))
        const p = 0.6826894921370859
        expect(Math.abs(within - p)).toBeLessThan(6 * Math.sqrt((p * (1 - p)) / n))
      }),
      { numRuns: 20 },
    )
  })

  it('5e. bernoulli(p) draws only 0 and 1, with frequency ≈ p', () => {
    const n = 4000
    fc.assert(
      fc.property(arbKey, fc.double({ min: 0, max: 1, noNaN: true }), (k, p) => {
        const x = Array.from(bernoulli(k, p, [n]).data)
        for (const v of x) expect(v === 0 || v === 1).toBe(true)
        const freq = x.reduce((s, v) => s + v, 0) / n
        expect(Math.abs(freq - p)).toBeLessThanOrEqual(6 * Math.sqrt((p * (1 - p)) / n) + 1 / n)
      }),
      { numRuns: 30 },
    )
  })
})
