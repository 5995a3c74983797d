import { describe, expect, it } from 'vitest'
import { type NestedArray, ShapeError, type Tensor, item, tensor, toFlatArray } from '../tensor/index.js'
import { norm } from '../ops/treeArithmetic.js'
import { applyUpdates } from './applyUpdates.js'
import { chain } from './chain.js'
import { emptyState } from './GradientTransformation.js'
import { scaleByAdam, trace } from './moments.js'
import { sgd } from './optimizers.js'
import { addDecayedWeights, clipByGlobalNorm, identity, scale, scaleByLearningRate, scaleBySchedule } from './transforms.js'

const f64 = (xs: NestedArray): Tensor => tensor(xs, { dtype: 'float64' })
const values = (t: Tensor): number[] => toFlatArray(t)
const params = { a: f64([1, 2]), nested: [{ b: f64([[3]]) }] } as const
type P = typeof params

describe('clipByGlobalNorm', () => {
  // 6² + 8² = 100: the norm of this tree is 10.
  const big: P = { a: f64([6, 0]), nested: [{ b: f64([[8]]) }] }
  it('scales a tree of norm 10 to norm maxNorm', () => {
    const clip = clipByGlobalNorm(2)
    const [u, s] = clip.update(big, clip.init(params), params)
    expect(values(u.a)[0]).toBeCloseTo(1.2, 14)
    expect(values(u.a)[1]).toBe(0)
    expect(values(u.nested[0]!.b)[0]).toBeCloseTo(1.6, 14)
    expect(item(norm(u))).toBeCloseTo(2, 14)
    expect(s).toBe(emptyState)
  })
  it('leaves a tree within the norm unchanged (the same value, no copy)', () => {
    const clip = clipByGlobalNorm(10)
    expect(clip.update(big, clip.init(params), params)[0]).toBe(big)
    const small: P = { a: f64([0.1, 0.2]), nested: [{ b: f64([[0.3]]) }] }
    expect(clipByGlobalNorm(1).update(small, emptyState, params)[0]).toBe(small)
  })
  it('keeps float32 float32', () => {
    const g = { w: tensor([30, 40]) }
    const [u] = clipByGlobalNorm(5).update(g, emptyState, g)
    expect(u.w.dtype).toBe('float32')
    expect(values(u.w)).toEqual([3, 4])
  })
  it('rejects a maxNorm that is not positive', () => {
    expect(() => clipByGlobalNorm(0)).toThrow('optim.clipByGlobalNorm: maxNorm must be a positive finite number, got 0; typical values are 0.5 to 10')
    expect(() => clipByGlobalNorm(-1)).toThrow(RangeError)
  })
  it('clips before the optimizer in a chain', () => {
    const opt = chain(clipByGlobalNorm(1), sgd(0.5))
    const [u] = opt.update(big, opt.init(params), params)
    expect(values(u.a)[0]).toBeCloseTo(-0.3, 14)
    expect(values(u.nested[0]!.b)[0]).toBeCloseTo(-0.4, 14)
  })
})

describe('scale, scaleBySchedule, scaleByLearningRate', () => {
  const g: P = { a: f64([1, -2]), nested: [{ b: f64([[4]]) }] }
  it('scale multiplies by a constant', () => {
    expect(values(scale(3).update(g, emptyState, params)[0].a)).toEqual([3, -6])
    expect(() => scale(Number.NaN)).toThrow('optim.scale: factor must be a finite number, got NaN')
  })
  it('scaleBySchedule multiplies by schedule(count) and counts', () => {
    const t = scaleBySchedule((k) => k + 1)
    const [u0, s0] = t.update(g, t.init(params), params)
    const [u1, s1] = t.update(g, s0, params)
    expect(values(u0.a)).toEqual([1, -2])
    expect(values(u1.a)).toEqual([2, -4])
    expect(s1).toEqual({ count: 2 })
    expect(() => scaleBySchedule(() => Number.NaN).update(g, { count: 0 }, params)).toThrow('optim.scaleBySchedule: the schedule gave NaN at step 0')
  })
  it('scaleByLearningRate is the descent step -lr·u', () => {
    expect(values(scaleByLearningRate(0.5).update(g, { count: 0 }, params)[0].a)).toEqual([-0.5, 1])
    expect(() => scaleByLearningRate(-0.5)).toThrow('optim.scaleByLearningRate: learningRate must be a non-negative finite number, got -0.5')
    expect(() => scaleByLearningRate('0.1' as unknown as number)).toThrow('got string 0.1')
  })
})

describe('addDecayedWeights', () => {
  it('adds λ·params to the updates', () => {
    const g: P = { a: f64([1, 1]), nested: [{ b: f64([[1]]) }] }
    const [u] = addDecayedWeights(0.5).update(g, emptyState, params)
    expect(values(u.a)).toEqual([1.5, 2])
    expect(values(u.nested[0]!.b)).toEqual([2.5])
  })
  it('with λ = 0 returns the updates as they are', () => {
    const g: P = { a: f64([1, 1]), nested: [{ b: f64([[1]]) }] }
    expect(addDecayedWeights(0).update(g, emptyState, params)[0]).toBe(g)
  })
  it('with adam and the learning rate is adamw', () => {
    const g: P = { a: f64([1, -3]), nested: [{ b: f64([[0.5]]) }] }
    const composed = chain(scaleByAdam(), addDecayedWeights(0.01), scaleByLearningRate(0.1))
    const [u] = composed.update(g, composed.init(params), params)
    expect(values(u.a)[0]).toBeCloseTo(-0.1 * (1 + 0.01 * 1), 7)
  })
})

describe('trace', () => {
  it('accumulates u + β·m', () => {
    const t = trace({ decay: 0.5 })
    const g = { w: f64([2]) }
    const [u0, s0] = t.update(g, t.init(g), g)
    const [u1] = t.update(g, s0, g)
    expect(values(u0.w)).toEqual([2])
    expect(values(u1.w)).toEqual([3])
    expect(() => trace({ decay: 1 })).toThrow('optim.trace: decay must be in [0, 1), got 1')
  })
})

describe('chain', () => {
  it('chain() is the identity: the same updates, an empty tuple of states', () => {
    const c = chain()
    const g = { w: f64([1]) }
    const [u, s] = c.update(g, c.init(g), g)
    expect(u).toBe(g)
    expect(s).toEqual([])
    expect(identity().update(g, emptyState, g)[0]).toBe(g)
  })
  it('has the tuple of states and rejects a state of the wrong length', () => {
    const c = chain(clipByGlobalNorm(1), sgd(0.1))
    const g = { w: f64([1]) }
    expect(c.init(g)).toEqual([{}, { count: 0 }])
    expect(() => c.update(g, [{ count: 0 }] as never, g)).toThrow('optim.chain: the state must be an array of 2 states (one per transformation), got 1')
  })
})

describe('applyUpdates', () => {
  it('adds leaf by leaf', () => {
    const u: P = { a: f64([0.5, 0.5]), nested: [{ b: f64([[-1]]) }] }
    const p = applyUpdates(params, u)
    expect(values(p.a)).toEqual([1.5, 2.5])
    expect(values(p.nested[0]!.b)).toEqual([2])
  })
  it('keeps the dtype of the parameters', () => {
    const p = applyUpdates({ w: tensor([1, 2]) }, { w: f64([0.1, 0.1]) })
    expect(p.w.dtype).toBe('float32')
    expect(values(p.w)).toEqual([Math.fround(1.1), Math.fround(2.1)])
  })
  it('rejects updates of another shape instead of broadcasting them', () => {
    expect(() => applyUpdates({ w: f64([1, 2]) }, { w: f64([1]) })).toThrow(ShapeError)
    expect(() => applyUpdates({ w: f64([1, 2]) }, { w: f64([1]) })).toThrow('optim.applyUpdates at w: the updates must have the shapes of the parameters')
  })
})
