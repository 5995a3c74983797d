import { describe, expect, it } from 'vitest'
import { ShapeError, broadcastShapes, broadcastedAxes, broadcastsTo } from './index.js'

describe('broadcastShapes', () => {
  it('follows NumPy: align at the last axis, 1 stretches, missing axes count as 1', () => {
    expect(broadcastShapes('add', [2, 3], [2, 3])).toEqual([2, 3])
    expect(broadcastShapes('add', [], [2, 3])).toEqual([2, 3])
    expect(broadcastShapes('add', [2, 3], [])).toEqual([2, 3])
    expect(broadcastShapes('add', [2, 3], [3])).toEqual([2, 3])
    expect(broadcastShapes('add', [3, 1], [1, 4])).toEqual([3, 4])
    expect(broadcastShapes('add', [2, 1, 3], [4, 1])).toEqual([2, 4, 3])
    expect(broadcastShapes('add', [8, 1, 6, 1], [7, 1, 5])).toEqual([8, 7, 6, 5])
    expect(broadcastShapes('add', [], [])).toEqual([])
  })

  it('a 1 against a 0 gives 0, as in NumPy', () => {
    expect(broadcastShapes('mul', [1, 3], [0, 1])).toEqual([0, 3])
    expect(broadcastShapes('mul', [0], [1])).toEqual([0])
    expect(broadcastShapes('mul', [0], [])).toEqual([0])
  })

  it('a mismatch is a ShapeError naming the op, both shapes and the axis', () => {
    let caught: unknown
    try {
      broadcastShapes('add', [2, 3], [4])
    } catch (e) {
      caught = e
    }
    expect(caught).toBeInstanceOf(ShapeError)
    const err = caught as ShapeError
    expect(err.message).toBe('add: cannot broadcast: dimension 3 does not match 4 at axis -1 (shapes [2, 3] and [4])')
    expect(err.op).toBe('add')
    expect(err.shapes).toEqual([[2, 3], [4]])
    expect(() => broadcastShapes('mul', [2, 3, 4], [5, 4])).toThrow(/mul: .*3 does not match 5 at axis -2.*\[2, 3, 4\] and \[5, 4\]/)
    expect(() => broadcastShapes('sub', [0], [2])).toThrow(ShapeError)
  })
})

describe('broadcastsTo', () => {
  it('accepts exactly the shapes that stretch to the target', () => {
    expect(broadcastsTo([], [2, 3])).toBe(true)
    expect(broadcastsTo([3], [2, 3])).toBe(true)
    expect(broadcastsTo([1, 3], [2, 3])).toBe(true)
    expect(broadcastsTo([2, 1], [2, 3])).toBe(true)
    expect(broadcastsTo([2, 3], [2, 3])).toBe(true)
    expect(broadcastsTo([2], [2, 3])).toBe(false)
    expect(broadcastsTo([2, 3], [3])).toBe(false)
    expect(broadcastsTo([1, 2, 3], [2, 3])).toBe(false)
    expect(broadcastsTo([2, 3], [1, 3])).toBe(false)
  })
})

describe('broadcastedAxes', () => {
  it('lists the leading axes and the stretched 1s', () => {
    expect(broadcastedAxes([3], [2, 3])).toEqual([0])
    expect(broadcastedAxes([2, 1], [2, 3])).toEqual([1])
    expect(broadcastedAxes([1, 3, 1], [4, 2, 3, 5])).toEqual([0, 1, 3])
    expect(broadcastedAxes([], [2, 3])).toEqual([0, 1])
    expect(broadcastedAxes([2, 3], [2, 3])).toEqual([])
    // an axis of 1 that stays 1 was not expanded
    expect(broadcastedAxes([1, 3], [1, 3])).toEqual([])
  })
})
