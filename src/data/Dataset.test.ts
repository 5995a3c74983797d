import { describe, expect, it } from 'vitest'
import { key } from '../random/index.js'
import { ShapeError, tensor, toArray } from '../tensor/index.js'
import { batches, dataset, oneHot, shuffle, size, split, take } from './Dataset.js'

const ds = dataset(tensor([[0, 0], [1, 10], [2, 20], [3, 30], [4, 40]]), tensor([0, 1, 2, 3, 4]))

describe('dataset', () => {
  it('rejects x and y of different lengths, naming both shapes', () => {
    expect(() => dataset(tensor([[1], [2]]), tensor([1, 2, 3]))).toThrow(ShapeError)
    expect(() => dataset(tensor([[1], [2]]), tensor([1, 2, 3]))).toThrow('x has 2 examples but y has 3 (shapes [2, 1] and [3])')
  })
  it('counts examples', () => expect(size(ds)).toBe(5))
})

describe('take and shuffle', () => {
  it('takes rows in the given order', () => {
    const t = take(ds, [4, 0])
    expect(toArray(t.x)).toEqual([[4, 40], [0, 0]])
    expect(toArray(t.y)).toEqual([4, 0])
  })
  it('rejects an index out of range', () => expect(() => take(ds, [5])).toThrow('index 5 at position 0 is out of range for 5 rows'))
  it('keeps x and y paired and is the same for the same key', () => {
    const a = shuffle(key(1), ds)
    const b = shuffle(key(1), ds)
    expect(toArray(a.x)).toEqual(toArray(b.x))
    const xs = toArray(a.x) as number[][]
    const ys = toArray(a.y) as number[]
    xs.forEach((row, i) => expect(row[1]).toBe(10 * ys[i]!))
    expect([...ys].sort()).toEqual([0, 1, 2, 3, 4])
  })
})

describe('batches', () => {
  it('yields consecutive batches and a short last one', () => {
    const bs = [...batches(ds, 2)].map((b) => toArray(b.y))
    expect(bs).toEqual([[0, 1], [2, 3], [4]])
  })
  it('drops the short last batch when asked', () => {
    expect([...batches(ds, 2, { dropLast: true })].map((b) => toArray(b.y))).toEqual([[0, 1], [2, 3]])
  })
  it('can be iterated twice with the same result', () => {
    const it2 = batches(ds, 3)
    expect([...it2].map((b) => toArray(b.y))).toEqual([...it2].map((b) => toArray(b.y)))
  })
  it('rejects a non-positive batch size', () => expect(() => batches(ds, 0)).toThrow('the batch size must be a positive integer, got 0'))
})

describe('split and oneHot', () => {
  it('splits at a count', () => {
    const [a, b] = split(ds, 2)
    expect(toArray(a.y)).toEqual([0, 1])
    expect(toArray(b.y)).toEqual([2, 3, 4])
    expect(() => split(ds, 6)).toThrow('count must be an integer in [0, 5], got 6')
  })
  it('one-hot encodes class indices', () => {
    expect(toArray(oneHot([2, 0], 3))).toEqual([[0, 0, 1], [1, 0, 0]])
    expect(toArray(oneHot(tensor([1]), 2))).toEqual([[0, 1]])
  })
  it('rejects labels that are not class indices, naming the position', () => {
    expect(() => oneHot([0, 3], 3)).toThrow('label 3 at position 1 is not a class index in [0, 3)')
    expect(() => oneHot([0.5], 3)).toThrow('label 0.5 at position 0')
  })
})
