import { describe, expect, it } from 'vitest'
import { type DType, tensor, toFlatArray } from '../tensor/index.js'
import { reluBackward, sigmoidBackward, tanhBackward } from './activationBackward.js'

const dy = [0.5, -2, 3, 1, -0.25]
const v = [0.9, -0.3, 0, 0.5, -1]
const oracle = {
  tanh: (d: number, y: number) => d * (1 - y * y),
  sigmoid: (d: number, y: number) => d * y * (1 - y),
  relu: (d: number, x: number) => (x > 0 ? d : x <= 0 ? 0 : NaN),
} as const
const kernels = { tanh: tanhBackward, sigmoid: sigmoidBackward, relu: reluBackward } as const

describe('activation backward kernels', () => {
  it.each(['float32', 'float64'] as DType[])('matches the formula in %s (relu gives 0 at 0)', (dtype) => {
    for (const op of ['tanh', 'sigmoid', 'relu'] as const) {
      const out = kernels[op](tensor(dy, { dtype }), tensor(v, { dtype }))
      expect(out.dtype).toBe(dtype)
      const expected = dy.map((d, i) => oracle[op](d, v[i]!))
      toFlatArray(out).forEach((o, i) => expect(o).toBeCloseTo(expected[i]!, dtype === 'float32' ? 6 : 14))
    }
  })
})
