import { describe, expect, it } from 'vitest'
import { grad } from '../autodiff/index.js'
import { type Tensor, tensor, toFlatArray } from '../tensor/index.js'
import * as ops from './index.js'

const gradOf = (f: (x: Tensor) => Tensor, xs: ReadonlyArray<number>): number[] =>
  toFlatArray(grad((t: Tensor) => ops.sum(f(t)))(tensor(xs, { dtype: 'float64' })))

describe('composites at their kinks', () => {
  it("leakyRelu'(0) = alpha, as PyTorch (the negative side, like relu'(0) = 0)", () => {
    expect(gradOf((x) => ops.leakyRelu(x, 0.1), [-1, 0, 1])).toEqual([0.1, 0.1, 1])
    expect(toFlatArray(ops.leakyRelu(tensor([-2, 3], { dtype: 'float64' }), 2))).toEqual([-4, 3])
  })

  it("elu'(0) = alpha, as PyTorch, and elu never overflows", () => {
    expect(gradOf((x) => ops.elu(x, 2), [0, 1])).toEqual([2, 1])
    expect(gradOf((x) => ops.elu(x), [-1])[0]).toBeCloseTo(Math.exp(-1), 15)
    expect(toFlatArray(ops.elu(tensor([1000, -1000])))).toEqual([1000, -1])
    expect(gradOf((x) => ops.elu(x), [1000, -1000])).toEqual([1, 0])
  })

  it('clip passes the derivative inside and at the bounds, as PyTorch clamp', () => {
    expect(gradOf((x) => ops.clip(x, 0, 1), [-1, 0, 0.5, 1, 2])).toEqual([0, 1, 1, 1, 0])
  })
})

describe('shapes', () => {
  it('expandDims and squeeze are inverse', () => {
    const x = tensor([[1, 2, 3]])
    for (const axis of [-3, -2, -1, 0, 1, 2]) expect(ops.squeeze(ops.expandDims(x, axis), axis).shape).toEqual([1, 3])
    expect(ops.squeeze(x).shape).toEqual([3])
  })

  it('stack, mean and logSumExp along an axis', () => {
    expect(ops.stack([tensor([1, 2]), tensor([3, 4])], 1).shape).toEqual([2, 2])
    expect(toFlatArray(ops.mean(tensor([[1, 2], [3, 6]]), 0))).toEqual([2, 4])
    expect(ops.logSumExp(tensor([[0, 0], [0, 0]]), 0, true).shape).toEqual([1, 2])
  })
})

describe('argmax and argmin', () => {
  const x = tensor([[0.1, 2, 0.3], [5, 1, 5]])
  it('index of the first largest (smallest) element along an axis, in the dtype of x', () => {
    expect(toFlatArray(ops.argmax(x))).toEqual([1, 0])
    expect(toFlatArray(ops.argmin(x))).toEqual([0, 1])
    expect(toFlatArray(ops.argmax(x, 0))).toEqual([1, 0, 1])
    expect(toFlatArray(ops.argmin(x, 0))).toEqual([0, 1, 0])
    expect(ops.argmax(x).dtype).toBe('float32')
    expect(ops.argmax(tensor([[1, 2]], { dtype: 'float64' })).dtype).toBe('float64')
    expect(ops.argmax(x).shape).toEqual([2])
    expect(ops.argmax(x, 1, true).shape).toEqual([2, 1])
    expect(ops.argmax(tensor([[[1, 9], [3, 4]]]), 1).shape).toEqual([1, 2])
    expect(toFlatArray(ops.argmax(tensor([[[1, 9], [3, 4]]]), 1))).toEqual([1, 0])
  })
  it('a NaN counts as a largest element; an empty axis and a bad axis are refused', () => {
    expect(toFlatArray(ops.argmax(tensor([1, NaN, 3])))).toEqual([1])
    expect(() => ops.argmax(tensor([[], []]))).toThrow(/argmax.*axis 1 has size 0/)
    expect(() => ops.argmax(x, 2)).toThrow(/argmax.*axis 2 is out of range/)
  })
  it('has a zero gradient', () => {
    expect(gradOf((t) => ops.argmax(ops.reshape(t, [1, 3])), [1, 3, 2])).toEqual([0, 0, 0])
  })
})
