/**
 * The loss laws numbered in src/losses/index.ts: cross-entropies are non-negative, equal -log p of the target,
 * accept one-hot and index targets alike, stay finite and exact for huge logits, and agree with
 * the naive formulas where those are finite; gradients agree with central finite differences.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { grad } from '../src/autodiff/index.js'
import { mse, sigmoidBinaryCrossEntropy, softmaxCrossEntropy } from '../src/losses/index.js'
import { type Tensor, fromData, item, tensor, toFlatArray } from '../src/tensor/index.js'

const f64 = (rows: ReadonlyArray<ReadonlyArray<number>>): Tensor => tensor(rows.map((r) => [...r]), { dtype: 'float64' })

// A batch of logits [batch, classes] with a class index per row, at a given scale.
const arbClassification = (scale: number) =>
  fc.record({ batch: fc.integer({ min: 1, max: 5 }), classes: fc.integer({ min: 2, max: 6 }) }).chain(({ batch, classes }) =>
    fc.record({
      logits: fc.array(fc.array(fc.double({ min: -scale, max: scale, noNaN: true }), { minLength: classes, maxLength: classes }), { minLength: batch, maxLength: batch }),
      targets: fc.array(fc.integer({ min: 0, max: classes - 1 }), { minLength: batch, maxLength: batch }),
    }),
  )

const oneHot = (targets: ReadonlyArray<number>, classes: number): number[][] => targets.map((t) => Array.from({ length: classes }, (_, c) => (c === t ? 1 : 0)))

// -log softmax(z)_t in exact-as-possible float64: shift by the max first.
const negLogP = (z: ReadonlyArray<number>, t: number): number => {
  const m = Math.max(...z)
  return -(z[t]! - m - Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0)))
}
const meanOf = (xs: ReadonlyArray<number>): number => xs.reduce((s, v) => s + v, 0) / xs.length

const centralDifference = (f: (x: Tensor) => Tensor, x: Tensor, h = 1e-6): number[] =>
  Array.from(x.data, (_, j) => {
    const at = (d: number): number => {
      const v = Float64Array.from(x.data)
      v[j]! += d
      return item(f(fromData(x.shape, v)))
    }
    return (at(h) - at(-h)) / (2 * h)
  })

describe('softmaxCrossEntropy', () => {
  it('1. is non-negative and equals the mean of -log p of the target', () => {
    fc.assert(fc.property(arbClassification(20), ({ logits, targets }) => {
      const ce = item(softmaxCrossEntropy(f64(logits), tensor(targets, { dtype: 'float64' })))
      expect(ce).toBeGreaterThanOrEqual(0)
      const want = meanOf(logits.map((z, i) => negLogP(z, targets[i]!)))
      expect(Math.abs(ce - want)).toBeLessThanOrEqual(1e-12 * Math.max(1, want))
    }), { numRuns: 100 })
  })

  it('2. gives the same value and gradient for one-hot and index targets', () => {
    fc.assert(fc.property(arbClassification(10), ({ logits, targets }) => {
      const classes = logits[0]!.length
      const byIndex = (z: Tensor) => softmaxCrossEntropy(z, tensor(targets, { dtype: 'float64' }))
      const byOneHot = (z: Tensor) => softmaxCrossEntropy(z, f64(oneHot(targets, classes)))
      expect(item(byOneHot(f64(logits)))).toBe(item(byIndex(f64(logits))))
      expect(toFlatArray(grad(byOneHot)(f64(logits)))).toEqual(toFlatArray(grad(byIndex)(f64(logits))))
    }), { numRuns: 50 })
  })

  it('3. is finite and exact for logits up to ±1e4, in float32 and float64', () => {
    fc.assert(fc.property(arbClassification(1e4), ({ logits, targets }) => {
      const want = meanOf(logits.map((z, i) => negLogP(z, targets[i]!)))
      const ce64 = item(softmaxCrossEntropy(f64(logits), tensor(targets)))
      expect(Math.abs(ce64 - want)).toBeLessThanOrEqual(1e-12 * Math.max(1, want))
      const ce32 = item(softmaxCrossEntropy(tensor(logits.map((r) => [...r])), tensor(targets)))
      expect(Number.isFinite(ce32)).toBe(true)
      expect(Math.abs(ce32 - want)).toBeLessThanOrEqual(1e-3 * Math.max(1, want))
      const g = toFlatArray(grad((z: Tensor) => softmaxCrossEntropy(z, tensor(targets)))(f64(logits)))
      expect(g.every(Number.isFinite)).toBe(true)
    }), { numRuns: 50 })
  })

  it('5. has the gradient of central finite differences', () => {
    fc.assert(fc.property(arbClassification(5), ({ logits, targets }) => {
      const f = (z: Tensor) => softmaxCrossEntropy(z, tensor(targets, { dtype: 'float64' }))
      const got = toFlatArray(grad(f)(f64(logits)))
      centralDifference(f, f64(logits)).forEach((w, i) => expect(Math.abs(got[i]! - w)).toBeLessThan(1e-7))
    }), { numRuns: 30 })
  })
})

// Logits and targets in [0, 1] of one shape [batch, k].
const arbBinary = (scale: number) =>
  fc.record({ batch: fc.integer({ min: 1, max: 5 }), k: fc.integer({ min: 1, max: 3 }) }).chain(({ batch, k }) => {
    const rows = (arb: fc.Arbitrary<number>) => fc.array(fc.array(arb, { minLength: k, maxLength: k }), { minLength: batch, maxLength: batch })
    return fc.record({ logits: rows(fc.double({ min: -scale, max: scale, noNaN: true })), targets: rows(fc.oneof(fc.constantFrom(0, 1), fc.double({ min: 0, max: 1, noNaN: true }))) })
  })

describe('sigmoidBinaryCrossEntropy', () => {
  it('4. matches the naive -y log σ(z) - (1 - y) log(1 - σ(z)) where that is finite, and is ≥ 0', () => {
    fc.assert(fc.property(arbBinary(15), ({ logits, targets }) => {
      const s = (z: number) => 1 / (1 + Math.exp(-z))
      const naive = meanOf(logits.flatMap((r, i) => r.map((z, j) => { const y = targets[i]![j]!; return -y * Math.log(s(z)) - (1 - y) * Math.log(1 - s(z)) })))
      const got = item(sigmoidBinaryCrossEntropy(f64(logits), f64(targets)))
      expect(Math.abs(got - naive)).toBeLessThanOrEqual(1e-9 * Math.max(1, naive))
      expect(got).toBeGreaterThanOrEqual(-1e-15)
    }), { numRuns: 100 })
  })

  it('3. is finite for logits up to ±1e4 where the naive formula gives Infinity or NaN', () => {
    fc.assert(fc.property(arbBinary(1e4), ({ logits, targets }) => {
      const want = meanOf(logits.flatMap((r, i) => r.map((z, j) => Math.max(z, 0) - z * targets[i]![j]! + Math.log1p(Math.exp(-Math.abs(z))))))
      const got = item(sigmoidBinaryCrossEntropy(tensor(logits.map((r) => [...r])), tensor(targets.map((r) => [...r]))))
      expect(Number.isFinite(got)).toBe(true)
      expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-3 * Math.max(1, want))
    }), { numRuns: 50 })
  })

  it('5. has the gradient of central finite differences', () => {
    fc.assert(fc.property(arbBinary(5), ({ logits, targets }) => {
      const f = (z: Tensor) => sigmoidBinaryCrossEntropy(z, f64(targets))
      const got = toFlatArray(grad(f)(f64(logits)))
      centralDifference(f, f64(logits)).forEach((w, i) => expect(Math.abs(got[i]! - w)).toBeLessThan(1e-7))
    }), { numRuns: 30 })
  })
})

describe('mse', () => {
  it('6. is ≥ 0, zero exactly when prediction equals target, and symmetric', () => {
    fc.assert(fc.property(arbBinary(10), ({ logits, targets }) => {
      const a = f64(logits)
      const b = f64(targets)
      expect(item(mse(a, b))).toBeGreaterThanOrEqual(0)
      expect(item(mse(a, a))).toBe(0)
      expect(item(mse(a, b))).toBe(item(mse(b, a)))
    }), { numRuns: 50 })
  })
})
