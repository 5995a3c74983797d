import { describe, expect, it } from 'vitest'
import { ShapeError, fromData, oneHotRows as oneHot, takeRows, tensor, toArray } from './index.js'

describe('takeRows', () => {
  it('picks rows in the order given, repeats allowed', () => {
    const x = tensor([[1, 2], [3, 4], [5, 6]], { dtype: 'float64' })
    const y = takeRows(x, [2, 0, 2])
    expect(toArray(y)).toEqual([[5, 6], [1, 2], [5, 6]])
    expect(y.dtype).toBe('float64')
    expect(takeRows(x, []).shape).toEqual([0, 2])
    expect(toArray(takeRows(tensor([7, 8, 9]), new Int32Array([1])))).toEqual([8])
    expect(toArray(takeRows(fromData([2, 2, 1], new Float32Array([1, 2, 3, 4])), [1]))).toEqual([[[3], [4]]])
  })

  it('refuses a scalar and out-of-range or fractional indices', () => {
    expect(() => takeRows(tensor(1), [0])).toThrow(ShapeError)
    expect(() => takeRows(tensor([1, 2]), [2])).toThrow(/takeRows: index 2 at position 0 is out of range for 2 rows/)
    expect(() => takeRows(tensor([1, 2]), [0, -1])).toThrow(/index -1 at position 1/)
    expect(() => takeRows(tensor([1, 2]), [0.5])).toThrow(RangeError)
  })
})

describe('oneHot', () => {
  it('sets one 1 per row', () => {
    expect(toArray(oneHot([2, 0], 3, 'float32'))).toEqual([[0, 0, 1], [1, 0, 0]])
    expect(oneHot([], 4, 'float64').shape).toEqual([0, 4])
    expect(oneHot([1], 2, 'float64').dtype).toBe('float64')
  })

  it('refuses bad labels and class counts', () => {
    expect(() => oneHot([3], 3, 'float32')).toThrow(/oneHot: label 3 at position 0 is not a class index in \[0, 3\)/)
    expect(() => oneHot([1.5], 3, 'float32')).toThrow(RangeError)
    expect(() => oneHot([0], 0, 'float32')).toThrow(/numClasses must be a positive integer/)
  })
})
