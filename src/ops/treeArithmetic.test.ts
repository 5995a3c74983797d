import { describe, expect, it } from 'vitest'
import { type Tensor, item, scalar, tensor, toArray } from '../tensor/index.js'
import { throwsTree } from '../tree/throwsTree.fixture.js'
import { add, addScaled, dot, norm, scale, sub } from './treeArithmetic.js'

const t = (v: number): Tensor => scalar(v, 'float64')
describe('tree arithmetic', () => {
  const a = { w: tensor([[1, 2], [3, 4]], { dtype: 'float64' }), b: tensor([1, -1], { dtype: 'float64' }) }
  const b = { w: tensor([[0.5, 0], [1, 2]], { dtype: 'float64' }), b: tensor([2, 3], { dtype: 'float64' }) }

  it('add, sub, scale, addScaled act leaf by leaf', () => {
    expect(toArray(add(a, b).w)).toEqual([[1.5, 2], [4, 6]])
    expect(toArray(sub(a, b).b)).toEqual([-1, -4])
    expect(toArray(scale(a, -2).w)).toEqual([[-2, -4], [-6, -8]])
    expect(toArray(addScaled(a, b, 2).b)).toEqual([5, 5])
  })

  it('dot is the sum over leaves of sum(a * b); norm is sqrt(dot(a, a))', () => {
    expect(item(dot(a, b))).toBe(0.5 + 0 + 3 + 8 + 2 - 3)
    expect(item(norm(a))).toBeCloseTo(Math.sqrt(1 + 4 + 9 + 16 + 1 + 1), 14)
    expect(dot(a, b).shape).toEqual([])
    expect(item(dot([], []))).toBe(0)
  })

  it('errors from arithmetic name the function and the path', () => {
    throwsTree(() => add({ w: t(1) }, { v: t(1) } as never), 'tree.add', 'w', 'missing in the second tree')
    throwsTree(() => dot([t(1)], [t(1), t(2)]), 'tree.dot', '', 'length 1')
  })
})
