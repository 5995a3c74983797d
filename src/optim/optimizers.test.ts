import { describe, expect, it } from 'vitest'
import { type Tensor, tensor, toFlatArray } from '../tensor/index.js'
import { TreeError } from '../tree/index.js'
import { applyUpdates } from './applyUpdates.js'
import type { GradientTransformation, OptState } from './GradientTransformation.js'
import { adam, adamw, momentum, rmsprop, sgd } from './optimizers.js'
import { constant } from './schedules.js'

type Params = { readonly w: Tensor; readonly b: Tensor }

const f64 = (xs: number[]): Tensor => tensor(xs, { dtype: 'float64' })
const values = (t: Tensor): number[] => toFlatArray(t)
const params: Params = { w: f64([1, -2, 3]), b: f64([0.5]) }
const g1: Params = { w: f64([0.5, -1, 2]), b: f64([-4]) }
const g2: Params = { w: f64([-1, 0.25, 1]), b: f64([2]) }

/** Runs `opt` on the given gradients from `params`; returns the updates of every step and the final state. */
const run = <S extends OptState>(opt: GradientTransformation<S>, grads: ReadonlyArray<Params>, p: Params = params) => {
  let state = opt.init(p)
  let current = p
  const updates: Params[] = []
  for (const g of grads) {
    const [u, s] = opt.update(g, state, current)
    updates.push(u)
    current = applyUpdates(current, u)
    state = s
  }
  return { updates, state, params: current }
}

const expectClose = (actual: Tensor, expected: ReadonlyArray<number>, digits = 12): void => {
  const a = values(actual)
  expect(a.length).toBe(expected.length)
  a.forEach((x, i) => expect(x).toBeCloseTo(expected[i]!, digits))
}

const perLeaf = (f: (w: number, g: number, i: number) => number, p: Params, g: Params): Params => ({
  w: f64(values(p.w).map((w, i) => f(w, values(g.w)[i]!, i))),
  b: f64(values(p.b).map((w, i) => f(w, values(g.b)[i]!, i))),
})

describe('sgd', () => {
  it('steps w - lr·g', () => {
    const { updates, params: p } = run(sgd(0.1), [g1])
    expectClose(updates[0]!.w, [-0.05, 0.1, -0.2])
    expectClose(p.w, [0.95, -1.9, 2.8])
    expectClose(p.b, [0.9])
  })
  it('keeps float32 parameters float32', () => {
    const p = { w: tensor([1, 2]) }
    const opt = sgd(0.1)
    const [u] = opt.update({ w: tensor([1, 1]) }, opt.init(p), p)
    expect(u.w.dtype).toBe('float32')
    const next = applyUpdates(p, u)
    expect(next.w.dtype).toBe('float32')
    expect(values(next.w)).toEqual([Math.fround(Math.fround(1) - Math.fround(0.1)), Math.fround(2 - Math.fround(0.1))])
  })
  it('counts its steps in the state', () => {
    expect(run(sgd(0.1), [g1, g2, g1]).state).toEqual({ count: 3 })
  })
  it('follows a schedule of the step count', () => {
    const { updates } = run(sgd((t) => [0.1, 0.01][t] ?? 0), [g1, g1])
    expectClose(updates[0]!.b, [0.4])
    expectClose(updates[1]!.b, [0.04])
  })
  it('rejects a negative, infinite or NaN learning rate with a clear message', () => {
    expect(() => sgd(-0.1)).toThrow(RangeError)
    expect(() => sgd(-0.1)).toThrow('optim.sgd: learningRate must be a non-negative finite number, got -0.1')
    expect(() => sgd(Number.NaN)).toThrow('optim.sgd: learningRate must be a non-negative finite number, got NaN')
    expect(() => sgd(Infinity)).toThrow('got Infinity')
  })
  it('rejects a schedule that gives a negative learning rate, naming the step', () => {
    const opt = sgd((t) => 0.1 - 0.1 * t)
    const s1 = opt.update(g1, opt.init(params), params)[1]
    const s2 = opt.update(g1, s1, params)[1]
    expect(() => opt.update(g1, s2, params)).toThrow('optim.sgd: the learning-rate schedule gave -0.1 at step 2; a learning rate must be a non-negative finite number')
  })
  it('rejects a state that is not its own', () => {
    const opt = sgd(0.1)
    expect(() => opt.update(g1, {} as never, params)).toThrow('optim.sgd: the state has no step count')
  })
})

describe('momentum', () => {
  const lr = 0.1
  const beta = 0.9
  it('first step is -lr·g, second -lr·(g2 + β·g1)', () => {
    const { updates, state } = run(momentum(lr, { beta }), [g1, g2])
    expect(updates[0]).toEqual(run(sgd(lr), [g1]).updates[0])
    expectClose(updates[1]!.w, values(g2.w).map((g, i) => -lr * (g + beta * values(g1.w)[i]!)))
    expectClose(updates[1]!.b, [-lr * (2 + beta * -4)])
    expect(state[1].count).toBe(2)
  })
  it('Nesterov: first step -lr·(1 + β)·g, second -lr·(g2 + β·(g2 + β·g1))', () => {
    const { updates } = run(momentum(lr, { beta, nesterov: true }), [g1, g2])
    expectClose(updates[0]!.w, values(g1.w).map((g) => -lr * (1 + beta) * g))
    expectClose(updates[1]!.w, values(g2.w).map((g, i) => -lr * (g + beta * (g + beta * values(g1.w)[i]!))))
  })
  it('defaults to β = 0.9 without Nesterov', () => {
    expect(run(momentum(lr), [g1, g2]).updates).toEqual(run(momentum(lr, { beta: 0.9, nesterov: false }), [g1, g2]).updates)
  })
  it('rejects β outside [0, 1)', () => {
    expect(() => momentum(0.1, { beta: 1 })).toThrow('optim.momentum: beta must be in [0, 1), got 1; typical values are 0.9 or 0.99')
    expect(() => momentum(-1)).toThrow('optim.momentum: learningRate must be a non-negative finite number, got -1')
  })
})

// Adam written out per scalar, as in Kingma and Ba's Algorithm 1: the oracle.
const adamOracle = (gs: ReadonlyArray<number>, lr: number, b1 = 0.9, b2 = 0.999, eps = 1e-8): number[] => {
  let m = 0
  let v = 0
  return gs.map((g, k) => {
    const t = k + 1
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    const mHat = m / (1 - b1 ** t)
    const vHat = v / (1 - b2 ** t)
    return (-lr * mHat) / (Math.sqrt(vHat) + eps)
  })
}

describe('adam', () => {
  it('first step is -lr·g/(|g| + eps), about -lr·sign(g)', () => {
    const { updates } = run(adam(0.01), [g1])
    expectClose(updates[0]!.w, [-0.01, 0.01, -0.01], 8)
    expectClose(updates[0]!.w, values(g1.w).map((g) => (-0.01 * g) / (Math.abs(g) + 1e-8)), 14)
  })
  it('agrees with Algorithm 1 of the paper over three steps', () => {
    const opts = { b1: 0.8, b2: 0.99, eps: 1e-3 }
    const { updates } = run(adam(0.05, opts), [g1, g2, g1])
    for (let i = 0; i < 3; i++) {
      const oracle = adamOracle([values(g1.w)[i]!, values(g2.w)[i]!, values(g1.w)[i]!], 0.05, 0.8, 0.99, 1e-3)
      updates.forEach((u, k) => expect(values(u.w)[i]).toBeCloseTo(oracle[k]!, 13))
    }
  })
  it('keeps its count (for bias correction) and the learning rate\'s count', () => {
    const { state } = run(adam(0.01), [g1, g2])
    expect(state[0].count).toBe(2)
    expect(state[1].count).toBe(2)
    expect(Object.isFrozen(state) && Object.isFrozen(state[0]) && Object.isFrozen(state[1])).toBe(true)
  })
  it('keeps float32 float32', () => {
    const p = { w: tensor([1, 2]) }
    const opt = adam(0.01)
    const [u, s] = opt.update({ w: tensor([0.5, -0.5]) }, opt.init(p), p)
    expect(u.w.dtype).toBe('float32')
    expect((s[0].mu as { w: Tensor }).w.dtype).toBe('float32')
  })
  it('rejects bad hyperparameters with the usual range', () => {
    expect(() => adam(1e-3, { b1: 1 })).toThrow('optim.adam: b1 must be in [0, 1), got 1; typical values are 0.9')
    expect(() => adam(1e-3, { b2: -0.5 })).toThrow('optim.adam: b2 must be in [0, 1), got -0.5')
    expect(() => adam(1e-3, { eps: -1 })).toThrow('optim.adam: eps must be a non-negative finite number, got -1')
    expect(() => adam(-1e-3)).toThrow('optim.adam: learningRate must be a non-negative finite number, got -0.001')
  })
})

describe('adamw', () => {
  it('decays the weights decoupled from the moments: with g = 0 the step is -lr·λ·w', () => {
    const zero = { w: f64([0, 0, 0]), b: f64([0]) }
    const { updates, state } = run(adamw(0.1, { weightDecay: 0.5 }), [zero])
    expectClose(updates[0]!.w, values(params.w).map((w) => -0.1 * 0.5 * w), 14)
    // The decay did not enter Adam's moments.
    expect(values((state[0].mu as Params).w)).toEqual([0, 0, 0])
  })
  it('first step is -lr·(g/(|g| + eps) + λ·w)', () => {
    const { updates } = run(adamw(0.01, { weightDecay: 0.1 }), [g1])
    expectClose(updates[0]!.w, values(g1.w).map((g, i) => -0.01 * (g / (Math.abs(g) + 1e-8) + 0.1 * values(params.w)[i]!)), 14)
  })
  it('differs from Adam with L2 in the loss (the decay is not rescaled by the moments)', () => {
    const l2 = perLeaf((w, g) => g + 0.1 * w, params, g1)
    const coupled = run(adam(0.01), [l2]).updates[0]!
    const decoupled = run(adamw(0.01, { weightDecay: 0.1 }), [g1]).updates[0]!
    expect(values(coupled.w)).not.toEqual(values(decoupled.w))
  })
  it('with weightDecay 0 is Adam', () => {
    expect(run(adamw(0.01, { weightDecay: 0 }), [g1, g2]).updates).toEqual(run(adam(0.01), [g1, g2]).updates)
  })
  it('rejects a negative weight decay', () => {
    expect(() => adamw(0.01, { weightDecay: -0.1 })).toThrow('optim.adamw: weightDecay must be a non-negative finite number, got -0.1; typical values are 1e-4 to 1e-2')
  })
})

describe('rmsprop', () => {
  const lr = 0.01
  it('first step is -lr·g/(√(0.1·g²) + eps)', () => {
    const { updates } = run(rmsprop(lr), [g1])
    expectClose(updates[0]!.w, values(g1.w).map((g) => (-lr * g) / (Math.sqrt(0.1 * g * g) + 1e-8)), 14)
  })
  it('second step uses nu = 0.9·0.1·g1² + 0.1·g2²', () => {
    const { updates } = run(rmsprop(lr, { decay: 0.9 }), [g1, g2])
    expectClose(updates[1]!.w, values(g2.w).map((g, i) => (-lr * g) / (Math.sqrt(0.09 * values(g1.w)[i]! ** 2 + 0.1 * g * g) + 1e-8)), 14)
  })
  it('centred: first step divides by √(0.1·g² - (0.1·g)²) = 0.3·|g|', () => {
    const { updates } = run(rmsprop(lr, { centered: true, eps: 0 }), [g1])
    expectClose(updates[0]!.w, values(g1.w).map((g) => (-lr * g) / (0.3 * Math.abs(g))), 13)
  })
  it('with momentum β accumulates the steps: b2 = step2 + β·step1', () => {
    const plain = run(rmsprop(lr), [g1, g2]).updates
    const { updates, state } = run(rmsprop(lr, { momentum: 0.5 }), [g1, g2])
    expectClose(updates[0]!.w, values(plain[0]!.w), 15)
    expectClose(updates[1]!.w, values(plain[1]!.w).map((s, i) => s + 0.5 * values(plain[0]!.w)[i]!), 15)
    expect(Object.keys(state[2])).toEqual(['trace'])
  })
  it('without momentum keeps no momentum state', () => {
    expect(run(rmsprop(lr), [g1]).state[2]).toEqual({})
  })
  it('rejects bad hyperparameters', () => {
    expect(() => rmsprop(lr, { decay: 1.5 })).toThrow('optim.rmsprop: decay must be in [0, 1), got 1.5')
    expect(() => rmsprop(lr, { momentum: 1 })).toThrow('optim.rmsprop: momentum must be in [0, 1), got 1')
    expect(() => rmsprop(lr, { nesterov: true })).toThrow('optim.rmsprop: nesterov needs a momentum')
  })
})

describe('every optimizer', () => {
  const all = { sgd: sgd(0.1), momentum: momentum(0.1), adam: adam(0.1), adamw: adamw(0.1), rmsprop: rmsprop(0.1, { centered: true, momentum: 0.9 }) }
  for (const [name, opt] of Object.entries(all)) {
    const erased: GradientTransformation = opt
    it(`${name}: leaves its inputs untouched and returns frozen values`, () => {
      const before = [values(params.w), values(g1.w)]
      const state = opt.init(params)
      const [u, s] = erased.update(g1, state, params)
      expect([values(params.w), values(g1.w)]).toEqual(before)
      expect(Object.isFrozen(u) && Object.isFrozen(s)).toBe(true)
    })
    if (name !== 'sgd') it(`${name}: names the path when the gradients do not match its state`, () => {
      const state = opt.init(params)
      const bad = { w: g1.w } as unknown as Params
      expect(() => erased.update(bad, state, bad)).toThrow(TreeError)
      expect(() => erased.update(bad, state, bad)).toThrow(/at b: missing in the first tree/)
    })
  }
  it('accepts a schedule wherever a learning rate is accepted', () => {
    expect(run(adam(constant(0.01)), [g1, g2]).updates).toEqual(run(adam(0.01), [g1, g2]).updates)
    expect(run(rmsprop(constant(0.01)), [g1, g2]).updates).toEqual(run(rmsprop(0.01), [g1, g2]).updates)
  })
})
