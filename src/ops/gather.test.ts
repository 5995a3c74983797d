import { describe, expect, it } from 'vitest'
import { grad } from '../autodiff/index.js'
import { type Tensor, tensor, toArray } from '../tensor/index.js'
import * as O from './index.js'

describe('gather and scatterAdd', () => {
  const table = tensor([[1, 2], [3, 4], [5, 6]])

  it('gather takes rows at the indices, shaped indices.shape ++ row shape', () => {
    expect(toArray(O.gather(table, tensor([2, 0, 2])))).toEqual([[5, 6], [1, 2], [5, 6]])
    expect(O.gather(table, tensor([[0, 1], [1, 2]])).shape).toEqual([2, 2, 2])
  })

  it('scatterAdd adds rows at the indices, repeated indices summed', () => {
    expect(toArray(O.scatterAdd(tensor([[1, 1], [2, 2], [3, 3]]), tensor([1, 0, 1]), 3))).toEqual([[2, 2], [4, 4], [0, 0]])
  })

  it('the gradient of a lookup counts each row once per use', () => {
    const [g] = grad((xs: ReadonlyArray<Tensor>) => O.sum(O.gather(xs[0]!, tensor([2, 0, 2]))))([table])
    expect(toArray(g!)).toEqual([[1, 1], [0, 0], [2, 2]])
  })

  it('refuses indices that are not whole numbers in range, naming the op and the position', () => {
    expect(() => O.gather(table, tensor([0, 3]))).toThrow(/gather: index 3 at position 1 .* not a whole number in \[0, 3\)/)
    expect(() => O.gather(table, tensor([0.5]))).toThrow(RangeError)
    expect(() => O.scatterAdd(tensor([[1, 1]]), tensor([0, 1]), 2)).toThrow(/scatterAdd: the updates must be shaped indices.shape \+\+ rowShape/)
  })
})
