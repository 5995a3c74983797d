import { describe, expect, it } from 'vitest'
import { valueAndGrad } from '../autodiff/index.js'
import { matmul, mul, square, sub, sum, tanh } from '../ops/index.js'
import { normal, key, split } from '../random/index.js'
import { StagingError, jit } from '../stage/index.js'
import { type DType, type Tensor, isTensor } from '../tensor/index.js'
import * as O from './index.js'

const S = O.schedules

const table: ReadonlyArray<readonly [string, O.Optimizer]> = [
  ['sgd', O.sgd(0.1)],
  ['sgd, warm-up and cosine decay', O.sgd(S.warmup(S.cosineDecay(0.25, { decaySteps: 5, alpha: 0.2 }), { steps: 2 }))],
  ['momentum', O.momentum(0.05)],
  ['nesterov', O.momentum(0.05, { beta: 0.9, nesterov: true })],
  ['adam', O.adam(1e-2)],
  ['adamw, cosine decay', O.adamw(S.cosineDecay(0.3, { decaySteps: 6 }), { weightDecay: 1e-2 })],
  ['rmsprop, centred, momentum', O.rmsprop(0.01, { centered: true, momentum: 0.9 })],
  ['chain(scaleByAdam, addDecayedWeights, scaleByLearningRate)', O.chain(O.scaleByAdam(), O.addDecayedWeights(0.1), O.scaleByLearningRate(S.piecewiseConstant([3], [0.1, 0.01])))],
]

type Params = { readonly w: Tensor; readonly v: Tensor }

const setUp = (dtype: DType) => {
  const [a, b, c, d] = split(key(7), 4)
  const params: Params = { w: normal(a!, [3, 5], { dtype }), v: normal(b!, [5, 2], { dtype }) }
  return { params, x: normal(c!, [8, 3], { dtype }), y: normal(d!, [8, 2], { dtype }) }
}

const loss = (p: Params, x: Tensor, y: Tensor): Tensor => sum(square(sub(matmul(tanh(matmul(x, p.w)), p.v), y)))

const bits = (u: unknown): unknown => {
  if (isTensor(u)) return [u.dtype, u.shape, Array.from(u.data, (v) => (Object.is(v, -0) ? '-0' : String(v)))]
  if (Array.isArray(u)) return u.map(bits)
  if (typeof u === 'object' && u !== null) return Object.fromEntries(Object.entries(u).map(([k, v]) => [k, bits(v)]))
  return u
}

describe.each(table)('jit of a whole hand-written step with applyGradients: %s', (_, optimizer) => {
  it.each(['float32', 'float64'] as const)('compiles once over the steps though the count changes, and gives the eager bits, %s', (dtype) => {
    const { params, x, y } = setUp(dtype)
    const step = jit((p: Params, s: O.OptState, xs: Tensor, ys: Tensor) => {
      const [l, g] = valueAndGrad((q: Params) => loss(q, xs, ys))(p)
      const next = O.applyGradients(optimizer, g, s, p)
      return [l, next.params, next.state] as const
    })
    let [p1, s1] = [params, optimizer.init(params)]
    let [p2, s2] = [params, optimizer.init(params)]
    for (let t = 0; t < 6; t++) {
      const [l1, np, ns] = step(p1, s1, x, y)
      ;[p1, s1] = [np, ns]
      const [l2, g] = valueAndGrad((q: Params) => loss(q, x, y))(p2)
      const r = O.applyGradients(optimizer, g, s2, p2)
      ;[p2, s2] = [r.params, r.state]
      expect(bits(l1)).toEqual(bits(l2))
      expect(bits(p1)).toEqual(bits(p2))
      expect(bits(s1)).toEqual(bits(s2))
    }
    expect(O.applyGradients(optimizer, p1, s1, p1).state).toBeDefined()
    expect(step.stats()).toEqual({ compiles: 1, calls: 6 })
  })
})

describe('numbers among the arguments of jit', () => {
  it('says what to do when the traced function reads one as a number', () => {
    const f = jit((x: Tensor, n: number) => mul(x, n + 1))
    expect(() => f(normal(key(0), [2]), 3)).toThrow(StagingError)
    expect(() => f(normal(key(0), [2]), 3)).toThrow(/argument \[1\] was read while the function was traced/)
  })

  it('says to call applyGradients when update reads the count inside jit', () => {
    const opt = O.adam(0.1)
    const { params } = setUp('float32')
    const f = jit((p: Params, s: O.OptState) => opt.update(p, s as O.StateOf<typeof opt>, p)[0])
    expect(() => f(params, opt.init(params))).toThrow(/call optim.applyGradients/)
  })

  it('says why an optimizer without a rule (clipping) cannot take its count as an argument', () => {
    const opt = O.chain(O.clipByGlobalNorm(1), O.adam(0.1))
    const { params } = setUp('float32')
    const f = jit((p: Params, s: O.OptState) => O.applyGradients(opt, p, s as O.StateOf<typeof opt>, p).params)
    expect(() => f(params, opt.init(params))).toThrow(/declares no element-wise rule/)
  })

  it('returns numbers that pass through unchanged and constant numbers, without recompiling', () => {
    const f = jit((x: Tensor, s: { readonly n: number }) => [mul(x, 2), s, 7] as const)
    const x = normal(key(0), [3])
    expect(f(x, { n: 1 })[1]).toEqual({ n: 1 })
    const [, s, c] = f(x, { n: 5 })
    expect([s.n, c]).toEqual([5, 7])
    expect(f.stats()).toEqual({ compiles: 1, calls: 2 })
  })
})
