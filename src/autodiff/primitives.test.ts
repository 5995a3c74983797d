import { describe, expect, it } from 'vitest'
import { type Tensor, scalar, tensor, toFlatArray } from '../tensor/index.js'
import { neg, step } from '../ops/composites.js'
import * as P from './primitives/index.js'
import { grad, jvp } from './transforms.js'

// Derivatives of a function of one scalar at a point, in float64, by both modes.
const d = (f: (x: Tensor) => Tensor, x: number): number => {
  const r = grad((t: Tensor) => P.sum(f(t)))(scalar(x, 'float64')).data[0]!
  const fwd = jvp(f, scalar(x, 'float64'), scalar(1, 'float64'))[1].data[0]!
  expect(fwd).toBeCloseTo(r, 14)
  return r
}
const f64 = (xs: ReadonlyArray<number>): Tensor => tensor(xs, { dtype: 'float64' })
const gradOf = (f: (x: Tensor) => Tensor, xs: ReadonlyArray<number>): number[] => toFlatArray(grad((t: Tensor) => P.sum(f(t)))(f64(xs)))

describe('derivatives at known points', () => {
  it('smooth unary primitives', () => {
    expect(d(P.sigmoid, 0)).toBe(0.25)
    expect(d(P.tanh, 0)).toBe(1)
    expect(d(P.atan, 1)).toBe(0.5)
    expect(d(P.exp, 0)).toBe(1)
    expect(d(P.log, 2)).toBe(0.5)
    expect(d(P.sqrt, 4)).toBe(0.25)
    expect(d(P.sin, 0)).toBe(1)
    expect(d(P.cos, 0)).toBe(-0)
    expect(d(P.square, 3)).toBe(6)
    expect(d(neg, 3)).toBe(-1)
    expect(d(P.softplus, 0)).toBe(0.5)
    expect(d((x) => P.pow(x, 3), 2)).toBe(12)
    expect(d((x) => P.pow(x, -1), 2)).toBe(-0.25)
  })

  it('kinks take the one-sided choices of PyTorch', () => {
    expect(gradOf(P.relu, [-1, 0, 1])).toEqual([0, 0, 1]) // relu'(0) = 0
    expect(gradOf(P.abs, [-2, 0, 2])).toEqual([-1, 0, 1]) // abs'(0) = 0
    expect(gradOf(P.max, [1, 3, 3])).toEqual([0, 0.5, 0.5]) // ties share evenly, as amax
    expect(gradOf((x) => P.maximum(x, 1), [0, 1, 2])).toEqual([0, 0.5, 1])
  })

  it('x^0 has derivative 0 everywhere, also at 0', () => {
    expect(gradOf((x) => P.pow(x, 0), [0, 2])).toEqual([0, 0])
    expect(gradOf((x) => P.pow(x, 1), [0, 2])).toEqual([1, 1])
    expect(gradOf((x) => P.pow(x, 2), [0, 2])).toEqual([0, 4])
  })

  it('piecewise-constant primitives have zero derivatives', () => {
    for (const f of [P.sign, step, (x: Tensor) => P.greater(x, 0), (x: Tensor) => P.equal(x, 1), P.stopGradient]) {
      expect(gradOf(f, [-1, 0, 1])).toEqual([0, 0, 0])
    }
  })

  it('binary primitives: div, mul, sub', () => {
    const g = grad((p: { a: Tensor; b: Tensor }) => P.div(p.a, p.b))({ a: scalar(1, 'float64'), b: scalar(2, 'float64') })
    expect([g.a.data[0], g.b.data[0]]).toEqual([0.5, -0.25])
    const h = grad((p: { a: Tensor; b: Tensor }) => P.sub(P.mul(p.a, p.b), p.b))({ a: scalar(3, 'float64'), b: scalar(5, 'float64') })
    expect([h.a.data[0], h.b.data[0]]).toEqual([5, 2])
  })

  it('a broadcast argument gets the sum of its cotangent over the broadcast axes', () => {
    const g = grad((p: { x: Tensor; y: Tensor }) => P.sum(P.add(p.x, p.y)))({ x: tensor([[1], [2], [3]]), y: tensor([1, 2, 3, 4]) })
    expect(g.x.shape).toEqual([3, 1])
    expect(toFlatArray(g.x)).toEqual([4, 4, 4])
    expect(g.y.shape).toEqual([4])
    expect(toFlatArray(g.y)).toEqual([3, 3, 3, 3])
  })

  it('matmul by hand: d sum(AB)/dA = 1 Bᵀ and d/dB = Aᵀ 1', () => {
    const g = grad((p: { a: Tensor; b: Tensor }) => P.sum(P.matmul(p.a, p.b)))({ a: tensor([[1, 2]]), b: tensor([[3], [4]]) })
    expect(toFlatArray(g.a)).toEqual([3, 4])
    expect(toFlatArray(g.b)).toEqual([1, 2])
    const t = grad((p: { a: Tensor; b: Tensor }) => P.sum(P.matmul(p.a, p.b, { transposeA: true, transposeB: true })))({ a: tensor([[1], [2]]), b: tensor([[3, 4]]) })
    expect(g.a.shape).toEqual([1, 2])
    expect(toFlatArray(t.a)).toEqual([3, 4])
    expect(toFlatArray(t.b)).toEqual([1, 2])
  })

  it('softmax rows: gradient of a sum of probabilities is zero', () => {
    gradOf(P.softmax, [1, 2, 3]).forEach((v) => expect(Math.abs(v)).toBeLessThan(1e-15))
    expect(gradOf((x) => P.logSumExp(x), [0, 0])).toEqual([0.5, 0.5])
  })
})

describe('numerical stability at large inputs', () => {
  it('sigmoid(±1000) is finite, as is its derivative', () => {
    expect(toFlatArray(P.sigmoid(tensor([1000, -1000])))).toEqual([1, 0])
    expect(gradOf(P.sigmoid, [1000, -1000])).toEqual([0, 0])
  })

  it('softplus(1000) = 1000 and softplus(-1000) = 0', () => {
    expect(toFlatArray(P.softplus(tensor([1000, -1000])))).toEqual([1000, 0])
    expect(toFlatArray(P.softplus(f64([0])))[0]).toBeCloseTo(Math.LN2, 15)
    expect(gradOf(P.softplus, [1000, -1000])).toEqual([1, 0])
  })

  it('logSumExp of large inputs is finite and exact', () => {
    expect(toFlatArray(P.logSumExp(f64([1000, 1000])))[0]).toBeCloseTo(1000 + Math.LN2, 12)
    expect(toFlatArray(P.logSumExp(f64([-1000, -1000])))[0]).toBeCloseTo(-1000 + Math.LN2, 12)
    expect(P.logSumExp(tensor([[1e30, 0]])).shape).toEqual([1, 1])
    expect(Number.isFinite(toFlatArray(P.logSumExp(tensor([3e38, 3e38])))[0])).toBe(true)
    // e^(x - lse) with lse rounded near 1000: relative error about ulp(1000), as in PyTorch
    gradOf((x) => P.logSumExp(x), [1000, 1000]).forEach((v) => expect(v).toBeCloseTo(0.5, 12))
  })

  it('softmax and logSoftmax of large inputs are finite', () => {
    expect(toFlatArray(P.softmax(tensor([1000, 0])))).toEqual([1, 0])
    expect(toFlatArray(P.logSoftmax(tensor([1000, 0])))).toEqual([0, -1000])
    expect(gradOf((x) => P.mul(P.logSoftmax(x), f64([1, 0])), [1000, 0])).toEqual([0, 0])
  })
})
