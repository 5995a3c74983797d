import { describe, expect, it } from 'vitest'
import { grad } from '../autodiff/index.js'
import { sum } from '../ops/index.js'
import { type Tensor, tensor, toArray, toFlatArray } from '../tensor/index.js'
import {
  atan, elementwise, elu, gelu, geluErf, identity, leakyRelu, logSoftmax, relu, sigmoid, softmax, softplus, tanh,
} from './index.js'

const zs = [-30, -3, -1, -0.5, 0, 0.5, 1, 3, 30]
const z = tensor(zs, { dtype: 'float64' })
const values = (layer: typeof relu, x: Tensor = z): number[] => toFlatArray(layer.apply({})(x))
const expectValues = (got: ReadonlyArray<number>, want: ReadonlyArray<number>, digits = 12) =>
  got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, digits))

describe('activations: the seed formulas', () => {
  it('relu is max(0, z), with relu\'(0) = 0', () => {
    expectValues(values(relu), zs.map((v) => Math.max(0, v)))
    expect(toFlatArray(grad((x: Tensor) => sum(relu.apply({})(x)))(tensor([-1, 0, 2], { dtype: 'float64' })))).toEqual([0, 0, 1])
  })
  it('sigmoid is the logistic 1 / (1 + e^-z)', () => {
    expectValues(values(sigmoid), zs.map((v) => 1 / (1 + Math.exp(-v))))
  })
  it('atan, tanh and softplus', () => {
    expectValues(values(atan), zs.map(Math.atan))
    expectValues(values(tanh), zs.map(Math.tanh))
    expectValues(values(softplus), zs.map((v) => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)))))
  })
  it('leakyRelu, elu and gelu', () => {
    expectValues(values(leakyRelu), zs.map((v) => (v > 0 ? v : 0.01 * v)))
    expectValues(values(elu), zs.map((v) => (v > 0 ? v : Math.exp(v) - 1)))
    expectValues(values(gelu), zs.map((v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)))))
  })
  it('geluErf is z · Φ(z) to 1e-7 relative, its tail included, with geluErf\'(0) = 1/2', () => {
    // z · Φ(z) by PyTorch 1.13's float64 torch.nn.functional.gelu
    const want: Readonly<Record<number, number>> = { [-6]: -5.919525869479969e-9, [-3]: -0.00404969409489031, [-1]: -0.15865525393145702, 0: 0, 0.5: 0.34573123063700656, 1: 0.841344746068543, 3: 2.99595030590511 }
    const keys = Object.keys(want).map(Number)
    const got = values(geluErf, tensor(keys, { dtype: 'float64' }))
    keys.forEach((k, i) => expect(Math.abs(got[i]! - want[k]!)).toBeLessThanOrEqual(1e-7 * Math.abs(want[k]!)))
    expect(toFlatArray(grad((x: Tensor) => sum(geluErf.apply({})(x)))(tensor([0], { dtype: 'float64' })))[0]).toBeCloseTo(0.5, 6)
  })
  it('identity returns its input', () => {
    expect(identity.apply({})(z)).toBe(z)
  })
  it('softmax rows sum to 1 and are invariant to a shift', () => {
    const x = tensor([[1, 2, 3], [-1000, 0, 1000], [5, 5, 5]], { dtype: 'float64' })
    const p = toArray(softmax.apply({})(x)) as number[][]
    p.forEach((row) => expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 14))
    const e = [1, 2, 3].map(Math.exp)
    expectValues(p[0]!, e.map((v) => v / (e[0]! + e[1]! + e[2]!)), 14)
    expect(p[1]).toEqual([0, 0, 1])
    expectValues(p[2]!, [1 / 3, 1 / 3, 1 / 3], 14)
    const shifted = toArray(softmax.apply({})(tensor([[101, 102, 103]], { dtype: 'float64' }))) as number[][]
    expectValues(shifted[0]!, p[0]!, 14)
  })
  it('logSoftmax is log(softmax), finite for large logits', () => {
    const x = tensor([[1, 2, 3], [-1e4, 0, 1e4]], { dtype: 'float64' })
    const ls = toArray(logSoftmax.apply({})(x)) as number[][]
    const p = toArray(softmax.apply({})(x)) as number[][]
    expectValues(ls[0]!, p[0]!.map(Math.log), 12)
    expect(ls[1]).toEqual([-2e4, -1e4, 0])
  })
  it('elementwise builds a size-preserving parameterless layer in one line', () => {
    const swish = elementwise('swish', (x) => x)
    expect(swish.name).toBe('swish')
    expect(swish.preservesSize).toBe(true)
    expect(swish.init(undefined as never)).toEqual({})
    expect(Object.isFrozen(swish)).toBe(true)
    expect(Number.isNaN(swish.inSize)).toBe(true)
  })
})
