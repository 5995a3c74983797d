import { describe, expect, it } from 'vitest'
import {
  ShapeError, arange, checkShape, describe as describeTensor, full, isTensor, item, normalizeAxes, normalizeAxis,
  ones, scalar, shapeEquals, sizeOf, strides, tensor, toArray, toFlatArray, zeros,
} from './index.js'

// Asserts that `f` throws an error of class `cls` whose message contains every fragment.
const throwsWith = (f: () => unknown, cls: new (...args: never[]) => Error, ...fragments: string[]): void => {
  let caught: unknown
  try {
    f()
  } catch (e) {
    caught = e
  }
  expect(caught).toBeInstanceOf(cls)
  const message = (caught as Error).message
  for (const fragment of fragments) expect(message).toContain(fragment)
}

describe('tensor from nested arrays', () => {
  it('reads a number as a scalar of shape []', () => {
    const t = tensor(3.5)
    expect(t.shape).toEqual([])
    expect(t.size).toBe(1)
    expect(t.dtype).toBe('float32')
    expect(toArray(t)).toBe(3.5)
    expect(item(t)).toBe(3.5)
  })

  it('infers the shape of nested arrays, row-major', () => {
    const t = tensor([[1, 2, 3], [4, 5, 6]])
    expect(t.shape).toEqual([2, 3])
    expect(t.size).toBe(6)
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4, 5, 6])
    expect(toArray(t)).toEqual([[1, 2, 3], [4, 5, 6]])
  })

  it('keeps empty axes: [] is [0] and [[], []] is [2, 0]', () => {
    expect(tensor([]).shape).toEqual([0])
    expect(tensor([[], []]).shape).toEqual([2, 0])
    expect(toArray(tensor([[], []]))).toEqual([[], []])
    expect(toArray(zeros([0, 3]))).toEqual([])
  })

  it('defaults to float32 and rounds to it; float64 keeps every bit', () => {
    const f32 = tensor([0.1])
    expect(f32.data).toBeInstanceOf(Float32Array)
    expect(f32.data[0]).toBe(Math.fround(0.1))
    const f64 = tensor([0.1], { dtype: 'float64' })
    expect(f64.dtype).toBe('float64')
    expect(f64.data).toBeInstanceOf(Float64Array)
    expect(f64.data[0]).toBe(0.1)
  })

  it('round-trips rank 3 through toArray', () => {
    const v = [[[1, 2], [3, 4], [5, 6]], [[7, 8], [9, 10], [11, 12]]]
    const t = tensor(v, { dtype: 'float64' })
    expect(t.shape).toEqual([2, 3, 2])
    expect(toArray(t)).toEqual(v)
    expect(toFlatArray(t)).toEqual(v.flat(2))
  })

  it('keeps NaN, infinities and -0 (nothing is normalised away)', () => {
    const t = tensor([NaN, Infinity, -Infinity, -0], { dtype: 'float64' })
    const back = toArray(t) as number[]
    expect(back[0]).toBeNaN()
    expect(back[1]).toBe(Infinity)
    expect(back[2]).toBe(-Infinity)
    expect(Object.is(back[3], -0)).toBe(true)
  })
})

describe('tensor from flat data and a shape', () => {
  it('reshapes a number array', () => {
    const t = tensor([1, 2, 3, 4, 5, 6], { shape: [3, 2] })
    expect(t.shape).toEqual([3, 2])
    expect(toArray(t)).toEqual([[1, 2], [3, 4], [5, 6]])
    expect(t.dtype).toBe('float32')
  })

  it('keeps the dtype of a typed array unless told otherwise', () => {
    expect(tensor(new Float64Array([1, 2]), { shape: [2] }).dtype).toBe('float64')
    expect(tensor(new Float32Array([1, 2]), { shape: [2] }).dtype).toBe('float32')
    expect(tensor(new Float64Array([1, 2]), { shape: [2], dtype: 'float32' }).dtype).toBe('float32')
    expect(tensor(new Float32Array([1, 2]), { shape: [1, 2], dtype: 'float64' }).data).toBeInstanceOf(Float64Array)
    expect(tensor(new Int32Array([7, 8]), { shape: [2] }).data).toEqual(new Float32Array([7, 8]))
  })

  it('takes shape [] for one element and [0] for none', () => {
    expect(toArray(tensor([4], { shape: [] }))).toBe(4)
    expect(tensor([], { shape: [0] }).size).toBe(0)
    expect(tensor([], { shape: [2, 0, 3] }).shape).toEqual([2, 0, 3])
  })
})

describe('immutability', () => {
  it('copies a nested input array', () => {
    const v = [[1, 2], [3, 4]]
    const t = tensor(v)
    v[0]![0] = 99
    expect(toArray(t)).toEqual([[1, 2], [3, 4]])
  })

  it('copies a flat typed array, even of the same dtype', () => {
    const flat = new Float32Array([1, 2, 3])
    const t = tensor(flat, { shape: [3] })
    expect(t.data).not.toBe(flat)
    flat[0] = 99
    expect(t.data[0]).toBe(1)
  })

  it('copies the shape it is given', () => {
    const shape = [2, 2]
    const t = tensor([1, 2, 3, 4], { shape })
    shape[0] = 4
    expect(t.shape).toEqual([2, 2])
    const s2 = [3]
    const z = full(s2, 1)
    s2[0] = 7
    expect(z.shape).toEqual([3])
  })

  it('freezes the record and its shape', () => {
    const t = tensor([[1, 2]])
    expect(Object.isFrozen(t)).toBe(true)
    expect(Object.isFrozen(t.shape)).toBe(true)
    expect(() => {
      ;(t as { dtype: string }).dtype = 'float64'
    }).toThrow(TypeError)
    expect(() => {
      ;(t.shape as number[])[0] = 5
    }).toThrow(TypeError)
  })

  it('toArray returns fresh arrays that do not alias the tensor', () => {
    const t = tensor([[1, 2]])
    const a = toArray(t) as number[][]
    a[0]![0] = 42
    expect(toArray(t)).toEqual([[1, 2]])
    const flat = toFlatArray(t)
    flat[0] = 42
    expect(t.data[0]).toBe(1)
  })
})

describe('zeros, ones, full, scalar, arange', () => {
  it('fill with the right value and dtype', () => {
    expect(toArray(zeros([2, 2]))).toEqual([[0, 0], [0, 0]])
    expect(toArray(ones([3]))).toEqual([1, 1, 1])
    expect(toArray(full([2], 7, { dtype: 'float64' }))).toEqual([7, 7])
    expect(full([2], 7, { dtype: 'float64' }).dtype).toBe('float64')
    expect(ones([]).shape).toEqual([])
    expect(item(ones([]))).toBe(1)
    expect(zeros([0]).size).toBe(0)
    expect(full([3], 0.1).data[0]).toBe(Math.fround(0.1))
  })

  it('full keeps the sign of -0 and keeps NaN', () => {
    expect(Object.is(full([2], -0).data[1], -0)).toBe(true)
    expect(full([2], NaN).data[0]).toBeNaN()
  })

  it('scalar makes shape [] in either dtype', () => {
    expect(scalar(2).shape).toEqual([])
    expect(scalar(2).dtype).toBe('float32')
    expect(scalar(0.1, 'float64').data[0]).toBe(0.1)
  })

  it('arange counts like NumPy', () => {
    expect(toArray(arange(5))).toEqual([0, 1, 2, 3, 4])
    expect(toArray(arange(2, 5))).toEqual([2, 3, 4])
    expect(toArray(arange(0, 10, 3))).toEqual([0, 3, 6, 9])
    expect(toArray(arange(5, 0, -2))).toEqual([5, 3, 1])
    expect(toArray(arange(0, 1, 0.25, { dtype: 'float64' }))).toEqual([0, 0.25, 0.5, 0.75])
    expect(arange(0).shape).toEqual([0])
    expect(arange(3, 1).shape).toEqual([0])
    expect(arange(0, 5, -1).shape).toEqual([0])
    expect(arange(2.5).shape).toEqual([3])
    expect(arange(3, undefined, 1, { dtype: 'float64' }).dtype).toBe('float64')
  })
})

describe('describe, isTensor and shape helpers', () => {
  it('describes a tensor as dtype[shape]', () => {
    expect(describeTensor(zeros([2, 3]))).toBe('float32[2, 3]')
    expect(describeTensor(scalar(1, 'float64'))).toBe('float64[]')
  })

  it('recognises tensors and nothing else', () => {
    expect(isTensor(zeros([1]))).toBe(true)
    expect(isTensor({ data: [1], shape: [1] })).toBe(false)
    expect(isTensor(new Float32Array(1))).toBe(false)
    expect(isTensor(null)).toBe(false)
    expect(isTensor(3)).toBe(false)
  })

  it('computes sizes, strides and equality', () => {
    expect(sizeOf([])).toBe(1)
    expect(sizeOf([2, 0, 3])).toBe(0)
    expect(sizeOf([2, 3, 4])).toBe(24)
    expect(strides([2, 3, 4])).toEqual([12, 4, 1])
    expect(strides([])).toEqual([])
    expect(shapeEquals([2, 3], [2, 3])).toBe(true)
    expect(shapeEquals([2, 3], [3, 2])).toBe(false)
    expect(shapeEquals([1], [])).toBe(false)
  })

  it('normalises axes: negative from the end, sorted, deduplicated', () => {
    expect(normalizeAxis('sum', [2, 3, 4], -1)).toBe(2)
    expect(normalizeAxes('sum', [2, 3, 4], undefined)).toEqual([0, 1, 2])
    expect(normalizeAxes('sum', [2, 3, 4], [2, -3, 0])).toEqual([0, 2])
    expect(normalizeAxes('sum', [2, 3], 1)).toEqual([1])
    throwsWith(() => normalizeAxis('sum', [2, 3], 2), ShapeError, 'sum', 'axis 2 is out of range for rank 2', '[2, 3]')
    throwsWith(() => normalizeAxis('sum', [2, 3], -3), ShapeError, 'sum', 'axis -3')
    throwsWith(() => normalizeAxis('max', [2, 3], 0.5), ShapeError, 'max', 'axis 0.5')
  })
})

describe('errors', () => {
  it('a ragged array names the path where it breaks and the expected shape', () => {
    throwsWith(() => tensor([[1, 2], [3]]), ShapeError, 'tensor', 'ragged', 'at [1]', 'expected length 2, got 1', '[2, 2]')
    throwsWith(() => tensor([[1, 2], [3, 4, 5]]), ShapeError, 'at [1]', 'expected length 2, got 3')
    throwsWith(() => tensor([[[1], [2]], [[3], [4, 5]]]), ShapeError, 'at [1][1]', 'expected length 1, got 2')
    throwsWith(() => tensor([[], [1]]), ShapeError, 'at [1]', 'expected length 0, got 1')
  })

  it('a number where an array belongs, or an array where a number belongs, is ragged', () => {
    throwsWith(() => tensor([[1], 2] as never), ShapeError, 'tensor', 'at [1]', 'expected an array of length 1, got number')
    throwsWith(() => tensor([1, [2]] as never), ShapeError, 'tensor', 'at [1]', 'expected a number, got an array')
  })

  it('a non-number leaf is rejected, not turned into NaN', () => {
    throwsWith(() => tensor(['a'] as never), ShapeError, 'tensor', 'at [0]', 'expected a number, got string')
    throwsWith(() => tensor(undefined as never), ShapeError, 'tensor', 'at the top', 'expected a number, got undefined')
    throwsWith(() => tensor([1, 'x'] as never, { shape: [2] }), TypeError, 'tensor', 'element 1 is string')
  })

  it('negative, fractional and non-finite dimensions name the op and the shape', () => {
    throwsWith(() => zeros([2, -1]), ShapeError, 'zeros: dimension 1 of [2, -1] is -1', 'non-negative integers')
    throwsWith(() => ones([1.5]), ShapeError, 'ones: dimension 0 of [1.5] is 1.5')
    throwsWith(() => full([NaN], 1), ShapeError, 'full: dimension 0 of [NaN] is NaN')
    throwsWith(() => full([Infinity], 1), ShapeError, 'full', 'is Infinity')
    throwsWith(() => tensor([1, 2], { shape: [-2] }), ShapeError, 'tensor', 'dimension 0 of [-2] is -2')
    throwsWith(() => tensor([1, 2], { shape: [0.5, 4] }), ShapeError, 'tensor', 'dimension 0 of [0.5, 4]')
    throwsWith(() => checkShape('reshape', [3, -0.5]), ShapeError, 'reshape', 'dimension 1')
  })

  it('a flat array of the wrong length names both counts and the shape', () => {
    throwsWith(() => tensor([1, 2, 3, 4, 5], { shape: [2, 3] }), ShapeError, 'tensor', '5 values given for a shape of 6 elements', '[2, 3]')
    throwsWith(() => tensor(new Float32Array(7), { shape: [2, 3] }), ShapeError, '7 values', '6 elements')
    throwsWith(() => tensor([1], { shape: [0] }), ShapeError, '1 values given for a shape of 0 elements')
  })

  it('a typed array without a shape says how to give one', () => {
    throwsWith(() => tensor(new Float32Array(3) as never), TypeError, 'tensor', 'explicit shape', 'shape: [3]')
  })

  it('a bad dtype names the op and the accepted dtypes', () => {
    throwsWith(() => tensor([1], { dtype: 'int32' as never }), TypeError, 'tensor', "'float32' or 'float64'", 'int32')
    throwsWith(() => tensor([1], { shape: [1], dtype: 'float16' as never }), TypeError, 'tensor', 'float16')
    throwsWith(() => zeros([1], { dtype: 'int8' as never }), TypeError, 'zeros: ', 'int8')
    throwsWith(() => full([1], 2, { dtype: 'int8' as never }), TypeError, 'full: ', 'int8')
    throwsWith(() => arange(3, undefined, 1, { dtype: 'uint8' as never }), TypeError, 'arange', 'uint8')
    throwsWith(() => scalar(1, 'bool' as never), TypeError, 'scalar', 'bool')
  })

  it('arange refuses a zero or non-finite step or bound', () => {
    throwsWith(() => arange(0, 5, 0), RangeError, 'arange', 'step non-zero', '0, 5, 0')
    throwsWith(() => arange(Infinity), RangeError, 'arange', 'finite')
    throwsWith(() => arange(0, NaN), RangeError, 'arange')
  })

  it('item of a tensor with more or fewer than one element names its shape and the fix', () => {
    throwsWith(() => item(zeros([2])), ShapeError, 'item', 'this one has 2', '[2]', 'reduce it first')
    throwsWith(() => item(zeros([2, 3])), ShapeError, 'item', '[2, 3]')
    throwsWith(() => item(zeros([0])), ShapeError, 'item', 'has 0')
    expect(item(tensor([[5]]))).toBe(5)
  })

  it('ShapeError carries the op and the shapes as fields', () => {
    try {
      item(zeros([4, 1]))
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(ShapeError)
      const err = e as ShapeError
      expect(err.name).toBe('ShapeError')
      expect(err.op).toBe('item')
      expect(err.shapes).toEqual([[4, 1]])
    }
  })
})

describe('toArray with a rank', () => {
  it('returns the nested arrays of that rank and refuses another rank', () => {
    expect(toArray(tensor([[1, 2], [3, 4]]), 2)).toEqual([[1, 2], [3, 4]])
    expect(toArray(scalar(2), 0)).toBe(2)
    expect(() => toArray(tensor([1, 2]), 2)).toThrow(/toArray.*expected a tensor of rank 2, got rank 1/)
  })
})
