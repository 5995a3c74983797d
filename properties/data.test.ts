/**
 * The dataset laws numbered in src/data/Dataset.ts.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { batches, dataset, shuffle } from '../src/data/index.js'
import { key } from '../src/random/index.js'
import { tensor, toFlatArray } from '../src/tensor/index.js'

const arbData = fc.integer({ min: 1, max: 40 }).chain((n) =>
  fc.record({ n: fc.constant(n), seed: fc.nat(), batch: fc.integer({ min: 1, max: n + 3 }) }),
)
const make = (n: number) => {
  const ids = Array.from({ length: n }, (_, i) => i)
  return dataset(tensor(ids.map((i) => [i, -i])), tensor(ids))
}

describe('dataset laws', () => {
  it('1. shuffle is a permutation that keeps x and y paired', () => {
    fc.assert(
      fc.property(arbData, ({ n, seed }) => {
        const s = shuffle(key(seed), make(n))
        const ys = toFlatArray(s.y)
        const xs = toFlatArray(s.x)
        expect([...ys].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i))
        ys.forEach((y, i) => {
          expect(xs[2 * i]).toBe(y)
          expect(xs[2 * i + 1]).toBe(-y)
        })
      }),
      { numRuns: 50 },
    )
  })
  it('2. the same key gives the same order', () => {
    fc.assert(
      fc.property(arbData, ({ n, seed }) => {
        expect(toFlatArray(shuffle(key(seed), make(n)).y)).toEqual(toFlatArray(shuffle(key(seed), make(n)).y))
      }),
      { numRuns: 30 },
    )
  })
  it('3. batches cover the dataset in order', () => {
    fc.assert(
      fc.property(arbData, ({ n, batch }) => {
        const ds = make(n)
        const all = [...batches(ds, batch)].flatMap((b) => toFlatArray(b.y))
        expect(all).toEqual(toFlatArray(ds.y))
        const dropped = [...batches(ds, batch, { dropLast: true })]
        expect(dropped.every((b) => b.y.shape[0] === batch)).toBe(true)
        expect(dropped.length).toBe(Math.floor(n / batch))
      }),
      { numRuns: 50 },
    )
  })
})
