import { describe, expect, it } from 'vitest'
import { tensor, zeros } from '../tensor/index.js'
import { allFinite } from './finite.js'

describe('allFinite', () => {
  it('allFinite is false for any NaN or ±Infinity', () => {
    expect(allFinite(tensor([1, -2, 0]))).toBe(true)
    expect(allFinite(zeros([0]))).toBe(true)
    expect(allFinite(tensor([1, NaN]))).toBe(false)
    expect(allFinite(tensor([Infinity]))).toBe(false)
    expect(allFinite(tensor([-Infinity, 0]))).toBe(false)
  })
})
