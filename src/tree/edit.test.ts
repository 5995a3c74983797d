import { describe, expect, it } from 'vitest'
import { tensor, toArray } from '../tensor/index.js'
import { edit } from './edit.js'
import { TreeError } from './Tree.js'

const params = Object.freeze([
  Object.freeze({ w: tensor([[1, 2]]), b: tensor([0]) }),
  Object.freeze({}),
  Object.freeze({ w: tensor([[3], [4]]), b: tensor([1]) }),
] as const)

describe('tree.edit', () => {
  it('replaces a leaf, leaves the original unchanged and shares untouched branches', () => {
    const next = edit(params, (p) => {
      p[2].b = tensor([5])
    })
    expect(toArray(next[2].b)).toEqual([5])
    expect(toArray(params[2].b)).toEqual([1])
    expect(next[0]).toBe(params[0])
    expect(next[2].w).toBe(params[2].w)
    expect(Object.isFrozen(next)).toBe(true)
    expect(Object.isFrozen(next[2])).toBe(true)
  })

  it('replaces a whole branch', () => {
    const next = edit(params, (p) => {
      p[0] = { w: tensor([[9, 9]]), b: tensor([9]) }
    })
    expect(toArray(next[0].w)).toEqual([[9, 9]])
    expect(next[2]).toBe(params[2])
  })

  it('an edit that changes nothing returns the same tree', () => {
    expect(edit(params, () => undefined)).toBe(params)
  })

  it('refuses a recipe that puts something other than a tensor into the tree', () => {
    expect(() =>
      edit(params, (p) => {
        ;(p[2] as { b: unknown }).b = 3
      }),
    ).toThrow(TreeError)
  })
})
