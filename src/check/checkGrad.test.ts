import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { unary } from '../autodiff/define.js'
import { primitive } from '../autodiff/Primitive.js'
import { batchUnary } from '../autodiff/batchRules.js'
import * as K from '../kernels/index.js'
import * as ops from '../ops/index.js'
import { key } from '../random/index.js'
import { type Tensor, ShapeError, sizeOf, tensor } from '../tensor/index.js'
import { leaves } from '../tree/index.js'
import {
  arbitraryBroadcastPair, arbitraryMatmulShapes, arbitraryShape, arbitraryTensor, arbitraryTree, arbitraryValues,
  checkGrad, checkHvp, checkJvpVjp, numericGrad, numericJvp,
} from './index.js'

// sin with a wrong derivative: d sin = sin (should be cos). Forward and reverse agree with each
// other (unary uses one rule for both), so only finite differences can catch it.
const badSin = unary({
  name: 'badSin',
  domain: 'real',
  kernel: K.sin,
  jvp: (dx, { x }) => ops.mul(dx, ops.sin(x)),
})

// exp whose VJP is off by a factor 2 while the JVP is right: forward and reverse disagree.
const halfTransposedExp = primitive({
  name: 'halfTransposedExp',
  domain: 'real',
  call: (bind) => (x: Tensor): Tensor => bind([x], undefined),
  impl: ([x]) => K.exp(x!),
  jvp: ([dx], { out }) => (dx === undefined ? undefined : ops.mul(dx, out)),
  vjp: (ct, { out }) => [ops.mul(ops.mul(ct, out), 2)],
  batch: batchUnary,
})

// exp whose rule holds its residual constant: the first derivative is right, the second is 0.
const frozenExp = unary({
  name: 'frozenExp',
  domain: 'real',
  kernel: K.exp,
  jvp: (dx, { y }) => ops.mul(dx, ops.stopGradient(y)),
})

const x64 = tensor([[0.5, -1, 2], [0.3, 0.1, -0.7]], { dtype: 'float64' })

describe('checkGrad', () => {
  it('passes a correct composite and reports what it checked', () => {
    const r = checkGrad((x) => ops.sum(ops.tanh(ops.mul(x, x))), x64)
    expect(r.ok, r.message).toBe(true)
    expect(r.checked).toBe(12) // grad and jvp for each of 6 scalars
    expect(r.directions).toBe('basis')
    expect(r.maxAbsError).toBeLessThan(1e-8)
    expect(r.message).toMatch(/^checkGrad: ok/)
  })

  it('catches a primitive with a wrong derivative rule, naming the element', () => {
    const r = checkGrad((x) => ops.sum(badSin(x)), x64)
    expect(r.ok).toBe(false)
    expect(r.failures).toBeGreaterThan(0)
    const w = r.worst!
    expect(w.path).toBe('')
    expect(w.numeric).toBeCloseTo(Math.cos(x64.data[w.index!]!), 6)
    expect(w.analytic).toBeCloseTo(Math.sin(x64.data[w.index!]!), 6)
    expect(r.message).toMatch(/comparisons failed/)
    expect(r.message).toMatch(/the (gradient|JVP) at the input\[\d, \d\]/)
  })

  it('catches it along random directions, reproducibly from the key', () => {
    const f = (x: Tensor): Tensor => ops.sum(badSin(x))
    const a = checkGrad(f, x64, { directions: 4, key: key(7) })
    const b = checkGrad(f, x64, { directions: 4, key: key(7) })
    expect(a.ok).toBe(false)
    expect(a.directions).toBe('random')
    expect(a.checked).toBe(8)
    expect(a.worst).toEqual(b.worst)
    expect(a.worst!.direction).toBeTypeOf('number')
    expect(a.message).toMatch(/along random direction/)
  })

  it('catches a VJP that is not the transpose of its JVP, naming the mode', () => {
    const r = checkGrad((x) => ops.sum(halfTransposedExp(x)), x64)
    expect(r.ok).toBe(false)
    expect(r.worst!.mode).toBe('grad')
    expect(r.failures).toBe(6) // every gradient entry, no JVP entry
  })

  it('checks a tree argument and names the leaf path', () => {
    const p = { w: x64, layers: [{ b: tensor([0.2, -0.4], { dtype: 'float64' }) }] }
    const good = checkGrad((q: typeof p) => ops.sum(ops.mul(ops.sin(q.w), ops.sum(q.layers[0]!.b))), p)
    expect(good.ok, good.message).toBe(true)
    const bad = checkGrad((q: typeof p) => ops.add(ops.sum(q.w), ops.sum(badSin(q.layers[0]!.b))), p)
    expect(bad.ok).toBe(false)
    expect(bad.worst!.path).toBe('layers[0].b')
    expect(bad.message).toMatch(/layers\[0\]\.b\[\d\]/)
  })

  it('checks float32 inputs against float64 differences with float32 tolerances', () => {
    const x32 = tensor([[0.5, -1, 2], [0.3, 0.1, -0.7]])
    const r = checkGrad((x) => ops.sum(ops.mul(ops.sigmoid(x), x)), x32)
    expect(r.ok, r.message).toBe(true)
  })

  it('defaults to random directions for large inputs', () => {
    const big = tensor(Array.from({ length: 100 }, (_, i) => Math.sin(i)), { dtype: 'float64' })
    const r = checkGrad((x) => ops.sum(ops.square(x)), big)
    expect(r.directions).toBe('random')
    expect(r.checked).toBe(16)
    expect(r.ok, r.message).toBe(true)
  })

  it('rejects a non-scalar function with an error that says so', () => {
    expect(() => checkGrad((x) => ops.exp(x), x64)).toThrow(ShapeError)
    expect(() => checkGrad((x) => ops.exp(x), x64)).toThrow(/must return a scalar.*float64\[2, 3\].*checkJvpVjp/)
  })

  it('rejects bad options', () => {
    expect(() => checkGrad((x) => ops.sum(x), x64, { eps: 0 })).toThrow(/eps must be a positive/)
    expect(() => checkGrad((x) => ops.sum(x), x64, { directions: 0 })).toThrow(/directions must be 'basis' or a positive integer/)
  })

  it('reports a NaN derivative as a failure', () => {
    const r = checkGrad((x) => ops.sum(ops.sqrt(x)), tensor([0, 1], { dtype: 'float64' }))
    expect(r.ok).toBe(false)
  })
})

describe('checkHvp', () => {
  it('passes correct second derivatives', () => {
    const r = checkHvp((x) => ops.sum(ops.mul(ops.exp(x), ops.sin(x))), x64, { directions: 'basis' })
    expect(r.ok, r.message).toBe(true)
    expect(r.checked).toBe(36)
  })

  it('catches a wrong second derivative behind a right first one', () => {
    const r = checkHvp((x) => ops.sum(frozenExp(x)), x64)
    expect(checkGrad((x) => ops.sum(frozenExp(x)), x64).ok).toBe(true)
    expect(r.ok).toBe(false)
    expect(r.worst!.mode).toBe('hvp')
  })
})

describe('checkJvpVjp', () => {
  it('passes consistent rules, for tree outputs too', () => {
    const r = checkJvpVjp((p: { a: Tensor; b: Tensor }) => ({ s: ops.softmax(p.a), m: ops.matmul(p.a, p.b) }), { a: x64, b: ops.transpose(x64) }, key(1))
    expect(r.ok, r.message).toBe(true)
  })

  it('catches a VJP that is not the transpose of its JVP', () => {
    const r = checkJvpVjp((x: Tensor) => halfTransposedExp(x), x64, key(2))
    expect(r.ok).toBe(false)
    expect(r.rhs / r.lhs).toBeCloseTo(2, 10)
    expect(r.message).toMatch(/disagree/)
  })

  it('cannot see a rule that is wrong in both modes alike (that is what checkGrad is for)', () => {
    expect(checkJvpVjp(badSin, x64, key(3)).ok).toBe(true)
  })
})

describe('finite differences', () => {
  it('numericGrad of sum(x²) is 2x, in float64 even for float32 input', () => {
    const g = numericGrad((x) => ops.sum(ops.square(x)), tensor([1, -2, 0.5]))
    expect(g.dtype).toBe('float64')
    Array.from(g.data).forEach((v, i) => expect(v).toBeCloseTo([2, -4, 1][i]!, 8))
  })

  it('numericJvp of a tensor function along a direction', () => {
    const j = numericJvp((x) => ops.exp(x), tensor([0, 1], { dtype: 'float64' }), tensor([1, 2], { dtype: 'float64' }))
    expect(j.data[0]).toBeCloseTo(1, 8)
    expect(j.data[1]).toBeCloseTo(2 * Math.E, 8)
  })

  it('numericJvp names the path of a direction with the wrong shape', () => {
    expect(() => numericJvp((p: { w: Tensor }) => p.w, { w: tensor([1, 2]) }, { w: tensor([1, 2, 3]) })).toThrow(/direction at w/)
  })
})

describe('arbitraries', () => {
  it('shapes respect their bounds', () => {
    fc.assert(fc.property(arbitraryShape({ minRank: 1, maxRank: 2, maxDim: 3 }), (s) =>
      s.length >= 1 && s.length <= 2 && s.every((d) => d >= 1 && d <= 3)), { numRuns: 50 })
  })

  it('tensors have their shape, dtype and domain', () => {
    fc.assert(fc.property(arbitraryTensor({ shape: [2, 3], dtype: 'float64', domain: 'positive' }), (t) =>
      t.dtype === 'float64' && t.size === 6 && Array.from(t.data).every((v) => v >= 0.1 && v <= 3)), { numRuns: 50 })
    fc.assert(fc.property(arbitraryTensor({ domain: 'nonzero', awayFrom: [1] }), (t) =>
      Array.from(t.data).every((v) => Math.abs(v) >= 0.099 && Math.abs(v - 1) >= 0.099)), { numRuns: 50 })
  })

  it('separated values are at least gap apart', () => {
    fc.assert(fc.property(arbitraryValues(30, { domain: 'separated', gap: 0.1 }), (vs) => {
      const s = [...vs].sort((a, b) => a - b)
      return s.every((v, i) => i === 0 || v - s[i - 1]! >= 0.1 - 1e-12)
    }), { numRuns: 50 })
  })

  it('broadcast pairs broadcast, and matmul shapes multiply', () => {
    fc.assert(fc.property(arbitraryBroadcastPair(), ([a, b]) => {
      const x = ops.add(tensor(new Array(sizeOf(a)).fill(1), { shape: a }), tensor(new Array(sizeOf(b)).fill(1), { shape: b }))
      return x.shape.length === Math.max(a.length, b.length)
    }), { numRuns: 50 })
    fc.assert(fc.property(arbitraryMatmulShapes(), ({ a, b, transposeA, transposeB }) => {
      const c = ops.matmul(tensor(new Array(sizeOf(a)).fill(1), { shape: a }), tensor(new Array(sizeOf(b)).fill(1), { shape: b }), { transposeA, transposeB })
      return c.shape.length === 2
    }), { numRuns: 50 })
  })

  it('trees have at least one leaf and can be differentiated', () => {
    fc.assert(fc.property(arbitraryTree(), (t) => {
      const r = checkGrad((p) => ops.sum(ops.square(ops.cast(ops.sum(ops.stack(leaves(p).map((l) => ops.sum(l)))), 'float64'))), t, { directions: 1 })
      return r.checked === 2 && r.ok
    }), { numRuns: 20 })
  })
})

