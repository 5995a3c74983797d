import { describe, expect, it } from 'vitest'
import { grad } from '../autodiff/index.js'
import * as ops from '../ops/index.js'
import { key, normal, split } from '../random/index.js'
import { type DType, type Tensor, item, tensor } from '../tensor/index.js'
import { type Tree, leaves, map } from '../tree/index.js'
import { type GradientTransformation, type OptState, applyGradients, applyUpdates, chain, clipByGlobalNorm, gradientTransformation, scale, schedules } from './index.js'
import { adam, adamw, momentum, rmsprop, sgd } from './optimizers.js'

// Parameters and gradients as a small tree (a record, an array), drawn from a key.
const tree = (seed: number, dtype: DType): Tree => {
  const [a, b, c] = split(key(seed), 3) as [ReturnType<typeof key>, ReturnType<typeof key>, ReturnType<typeof key>]
  return { w: normal(a, [7, 5], { dtype }), layers: [normal(b, [5], { dtype }), normal(c, [3, 1], { dtype })] }
}

const bits = (u: unknown): string => JSON.stringify(u, (_, v: unknown) => (v instanceof Float32Array || v instanceof Float64Array ? Array.from(v) : v))

describe('applyGradients agrees bit for bit with update + applyUpdates', () => {
  const table: ReadonlyArray<readonly [string, () => GradientTransformation]> = [
    ['sgd', () => sgd(0.1)],
    ['sgd with a schedule', () => sgd(schedules.exponentialDecay(0.3, { decayRate: 0.5, transitionSteps: 2 }))],
    ['adam', () => adam(1e-2)],
    ['adam with options', () => adam(3e-3, { b1: 0.8, b2: 0.99, eps: 1e-6 })],
    ['momentum, nesterov', () => momentum(0.05, { nesterov: true })],
    ['adamw', () => adamw(1e-2, { weightDecay: 0.1 })],
    ['rmsprop, centred, momentum', () => rmsprop(1e-2, { centered: true, momentum: 0.9 })],
    ['chain(clipByGlobalNorm, adam) (not element-wise: update + applyUpdates)', () => chain(clipByGlobalNorm(1), adam(1e-2))],
    ['chain(scale, sgd) (a user chain of rules)', () => chain(scale(0.5), sgd(0.1))],
  ]
  for (const dtype of ['float32', 'float64'] as const) {
    for (const [name, make] of table) {
      it(`${name}, ${dtype}, over several steps`, () => {
        const opt = make()
                let p1 = tree(1, dtype)
        let p2 = p1
        let s1: OptState = opt.init(p1)
        let s2 = s1
        for (let t = 0; t < 5; t++) {
          const g = tree(10 + t, dtype)
          const [u, next] = opt.update(g, s1, p1)
          p1 = applyUpdates(p1, u)
          s1 = next
          const r = applyGradients(opt, g, s2, p2)
          expect(r.gradientsFinite && r.updatedFinite).toBe(true)
          p2 = r.params
          s2 = r.state
          expect(bits(p2)).toEqual(bits(p1))
          expect(bits(s2)).toEqual(bits(s1))
          expect(Object.isFrozen(r.state) && Object.isFrozen(r.params)).toBe(true)
        }
      })
    }
  }

  it('reports a non-finite gradient', () => {
    const p = { w: tensor([1, 2, 3]) }
    for (const bad of [NaN, Infinity, -Infinity]) {
      for (const opt of [sgd(0.1), adam(0.1), momentum(0.1)] as ReadonlyArray<GradientTransformation>) {
        expect(applyGradients(opt, { w: tensor([0, bad, 0]) }, opt.init(p), p).gradientsFinite).toBe(false)
      }
    }
  })

  it('reports an overflowed parameter or moment', () => {
    const p = { w: tensor([1, 2]) }
    const check = (opt: GradientTransformation, g: Tensor, q = p): boolean => applyGradients(opt, { w: g }, opt.init(q), q).updatedFinite
    expect(check(sgd(3e38), tensor([2, 1]))).toBe(false)
    expect(check(sgd(1e308), tensor([2, 1], { dtype: 'float64' }), { w: tensor([1, 2], { dtype: 'float64' }) })).toBe(false)
    expect(check(sgd(0.1), tensor([1, 1]))).toBe(true)
    expect(check(adam(0.1), tensor([1e20, 1]))).toBe(false) // g² overflows nu
    expect(check(adam(0.1), tensor([1, 1]))).toBe(true)
    // a transformation without a rule takes update + applyUpdates and is checked too
    expect(check(chain(clipByGlobalNorm(1e30), sgd(3e38)), tensor([2, 1]))).toBe(false)
  })

  it('parameters of another dtype than their gradients are cast back, as applyUpdates does', () => {
    const p = { w: tensor([1, 2]) }
    const g = { w: tensor([0.5, 0.25], { dtype: 'float64' }) }
    const opt = adam(0.1)
    const r = applyGradients(opt, g, opt.init(p), p)
    expect(r.params.w.dtype).toBe('float32')
    expect(bits(r.params)).toEqual(bits(applyUpdates(p, opt.update(g, opt.init(p), p)[0])))
  })

  it('a transformation written by hand (no rule) runs through its update', () => {
    const halve = gradientTransformation(() => ({}), <T extends Tree>(u: T, s: OptState): readonly [T, OptState] => [map(u, (x) => ops.mul(x, -0.5)), s])
    const p = { w: tensor([1, 2]) }
    expect(halve.rule).toBeUndefined()
    expect(leaves(applyGradients(halve, { w: tensor([2, 4]) }, {}, p).params)[0]!.data).toEqual(new Float32Array([0, 0]))
  })

  it('chains of rules declare a rule; a chain with clipping does not', () => {
    expect(chain(scale(2), sgd(0.1)).rule).toBeDefined()
    expect(adam(0.1).rule).toBeDefined()
    expect(chain(clipByGlobalNorm(1), sgd(0.1)).rule).toBeUndefined()
  })

  it('update and applyGradients are differentiable: the gradient through one step (a hypergradient)', () => {
    // L(p') with p' = p - lr·∇L(p) and L(p) = Σ p²: L(p') = (1 - 2·lr)² Σ p², so dL(p')/dp = 2 (1 - 2·lr)² p
    const lr = 0.1
    const opt = sgd(lr)
    const p = tensor([1, -2, 3], { dtype: 'float64' })
    const loss = (x: Tensor): Tensor => ops.sum(ops.square(x))
    const expected = [1, -2, 3].map((x) => 2 * (1 - 2 * lr) ** 2 * x)
    const throughUpdate = grad((x: Tensor) => loss(applyUpdates(x, opt.update(grad(loss)(x), opt.init(x), x)[0])))(p)
    const throughApply = grad((x: Tensor) => loss(applyGradients(opt, grad(loss)(x), opt.init(x), x).params))(p)
    for (const g of [throughUpdate, throughApply]) Array.from(g.data).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 12))
  })

  it("Adam's update under grad matches central differences (float64)", () => {
    const a = adam(0.1)
    const p = tensor([0.5, -1.5], { dtype: 'float64' })
    const state = a.init(p)
    const f = (g: Tensor): Tensor => ops.sum(ops.mul(a.update(g, state, p)[0], tensor([1, 2], { dtype: 'float64' })))
    const g0 = tensor([0.3, -0.2], { dtype: 'float64' })
    const analytic = grad(f)(g0)
    const h = 1e-6
    ;[0, 1].forEach((i) => {
      const bump = (d: number): Tensor => tensor([0.3, -0.2].map((v, j) => (j === i ? v + d : v)), { dtype: 'float64' })
      const numeric = (item(f(bump(h))) - item(f(bump(-h)))) / (2 * h)
      expect(analytic.data[i]!).toBeCloseTo(numeric, 6)
    })
  })
})
