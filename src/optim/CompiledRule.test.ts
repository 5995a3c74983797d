import { describe, expect, it } from 'vitest'
import { jvp } from '../autodiff/index.js'
import { mul } from '../ops/index.js'
import { normal, key, split } from '../random/index.js'
import { type DType, type Tensor, full, isTensor } from '../tensor/index.js'
import { compiledRule } from './CompiledRule.js'
import * as O from './index.js'

const S = O.schedules

// Every optimizer of optim, schedules, chains of rules and chains with clipping (no rule: no compiled step).
const table: ReadonlyArray<{ readonly name: string; readonly optimizer: O.Optimizer; readonly compiled: boolean }> = [
  { name: 'sgd', optimizer: O.sgd(0.1), compiled: true },
  { name: 'sgd, warm-up and cosine decay', optimizer: O.sgd(S.warmup(S.cosineDecay(0.25, { decaySteps: 5, alpha: 0.2 }), { steps: 2 })), compiled: true },
  { name: 'momentum', optimizer: O.momentum(0.05), compiled: true },
  { name: 'nesterov', optimizer: O.momentum(0.05, { beta: 0.9, nesterov: true }), compiled: true },
  { name: 'adam', optimizer: O.adam(1e-3), compiled: true },
  { name: 'adam, exponential decay', optimizer: O.adam(S.exponentialDecay(0.03, { transitionSteps: 2, decayRate: 0.5 })), compiled: true },
  { name: 'adamw', optimizer: O.adamw(S.cosineDecay(0.3, { decaySteps: 6 }), { weightDecay: 1e-2 }), compiled: true },
  { name: 'rmsprop', optimizer: O.rmsprop(0.01), compiled: true },
  { name: 'rmsprop, centred, nesterov momentum', optimizer: O.rmsprop(0.01, { centered: true, momentum: 0.9, nesterov: true }), compiled: true },
  { name: 'chain(scaleByAdam, addDecayedWeights, scaleByLearningRate)', optimizer: O.chain(O.scaleByAdam(), O.addDecayedWeights(0.1), O.scaleByLearningRate(S.piecewiseConstant([3], [0.1, 0.01]))), compiled: true },
  { name: 'chain(trace, scale)', optimizer: O.chain(O.trace({ decay: 0.5 }), O.scale(-0.3)), compiled: true },
  { name: 'chain(clipByGlobalNorm, adam)', optimizer: O.chain(O.clipByGlobalNorm(0.5), O.adam(0.1)), compiled: false },
  { name: 'chain(clipByGlobalNorm, sgd)', optimizer: O.chain(O.clipByGlobalNorm(0.5), O.sgd(0.1)), compiled: false },
]

type Params = { readonly w: Tensor; readonly layers: readonly [{ readonly b: Tensor }, Tensor] }

const draw = (seed: number, dtype: DType, scale = 1): Params => {
  const [a, b, c] = split(key(seed), 3)
  return { w: normal(a!, [7, 5], { std: scale, dtype }), layers: [{ b: normal(b!, [5], { std: scale, dtype }) }, normal(c!, [3, 1, 2], { std: scale, dtype })] }
}

// Every number of a tree or state as bits ('-0' apart from '0', NaN as 'NaN'), with its dtype.
const bits = (u: unknown): unknown => {
  if (isTensor(u)) return [u.dtype, u.shape, Array.from(u.data, (v) => (Object.is(v, -0) ? '-0' : String(v)))]
  if (typeof u === 'number') return Object.is(u, -0) ? '-0' : String(u)
  if (Array.isArray(u)) return u.map(bits)
  if (typeof u === 'object' && u !== null) return Object.fromEntries(Object.entries(u).map(([k, v]) => [k, bits(v)]))
  return u
}

describe.each(table)('the compiled applyGradients: $name', ({ optimizer, compiled }) => {
  it.each(['float32', 'float64'] as const)('agrees with update then applyUpdates (op by op) bit for bit, %s, over steps', (dtype) => {
    let p1: Params = draw(1, dtype)
    let p2 = p1
    let s1 = optimizer.init(p1)
    let s2 = s1
    for (let t = 0; t < 6; t++) {
      // gradients of several magnitudes, so that clipping and Adam's eps both matter
      const g = draw(10 + t, dtype, 10 ** (t - 3))
      expect(optimizer.compiled?.(g, s1, p1) !== undefined).toBe(compiled)
      const r = O.applyGradients(optimizer, g, s1, p1)
      const [u, next] = optimizer.update(g, s2, p2)
      const p = O.applyUpdates(p2, u)
      expect(bits(r.params)).toEqual(bits(p))
      expect(bits(r.state)).toEqual(bits(next))
      expect(r.gradientsFinite && r.updatedFinite).toBe(true)
      p1 = r.params
      s1 = r.state
      p2 = p
      s2 = next
    }
  })
})

describe('the compiled applyGradients', () => {
  it('reports non-finite gradients and updates as the op-by-op path does', () => {
    const opt = O.adam(0.1)
    const p = draw(1, 'float32')
    const g: Params = { ...draw(2, 'float32'), w: full([7, 5], NaN) }
    const r = O.applyGradients(opt, g, opt.init(p), p)
    expect(opt.compiled?.(g, opt.init(p), p)).toBeDefined()
    expect(r.gradientsFinite).toBe(false)
    expect(r.updatedFinite).toBe(false)
  })

  it('compiles one program for every step of a run, and a second for another dtype', () => {
    const opt = O.adam(S.cosineDecay(0.1, { decaySteps: 10 }))
    const run = compiledRule(opt.rule!)
    for (const dtype of ['float32', 'float64'] as const) {
      let p = draw(2, dtype)
      let s = opt.init(p)
      for (let t = 0; t < 5; t++) [p, s] = run(draw(20 + t, dtype), s, p)!
    }
    expect(run.stats()).toEqual({ compiles: 2, calls: 10 })
  })

  it('takes the op-by-op path for values of an enclosing transformation (the update is then traced with them)', () => {
    const opt = O.sgd(0.5)
    const p = draw(1, 'float64')
    const traced = jvp((x: Tensor) => O.applyGradients(opt, { ...p, w: x }, opt.init(p), p).params.w, p.w, p.w)
    expect(bits(traced[1])).toEqual(bits(mul(p.w, -0.5)))
  })
})
