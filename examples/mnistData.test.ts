import { describe, expect, it } from 'vitest'
import { data, random, tensor } from 'purenet'
import { withShiftedCopies } from './mnistData.js'

// two 28x28 "images": a single lit pixel each, at (10, 12) and (0, 0), labels one-hot of 3 classes
const image = (row: number, col: number): Float32Array => {
  const a = new Float32Array(784)
  a[row * 28 + col] = 1
  return a
}
const x = new Float32Array(2 * 784)
x.set(image(10, 12), 0)
x.set(image(0, 0), 784)
const set = data.dataset(tensor(x, { shape: [2, 784] }), data.oneHot([2, 0], 3))
const lit = (d: data.Dataset, i: number): number[] => {
  const all = Array.from(d.x.data.subarray(i * 784, (i + 1) * 784))
  return all.flatMap((v, j) => (v === 0 ? [] : [j]))
}

describe('withShiftedCopies (the cnn data augmentation)', () => {
  it('keeps the originals first, appends moved copies with the same labels', () => {
    const out = withShiftedCopies(set, 2, 2, random.key(7))
    expect(out.x.shape).toEqual([6, 784])
    expect(Array.from(out.x.data.subarray(0, 2 * 784))).toEqual(Array.from(x))
    expect(Array.from(out.y.data)).toEqual([...set.y.data, ...set.y.data, ...set.y.data])
    // the interior pixel moves by at most 2 along each axis and stays lit
    for (const i of [2, 4]) {
      const [p] = lit(out, i)
      expect(lit(out, i)).toHaveLength(1)
      expect(Math.abs(Math.floor(p! / 28) - 10)).toBeLessThanOrEqual(2)
      expect(Math.abs((p! % 28) - 12)).toBeLessThanOrEqual(2)
    }
  })

  it('is a function of the key: same key, same set; a shift of 0 copies exactly', () => {
    const a = withShiftedCopies(set, 3, 2, random.key(1))
    const b = withShiftedCopies(set, 3, 2, random.key(1))
    expect(Array.from(a.x.data)).toEqual(Array.from(b.x.data))
    const still = withShiftedCopies(set, 1, 0, random.key(1))
    expect(Array.from(still.x.data.subarray(2 * 784))).toEqual(Array.from(x))
  })
})
