import { describe, expect, it } from 'vitest'
import { key, normal, split } from '../random/index.js'
import { type DType, type Tensor, tensor } from '../tensor/index.js'
import { type Tree, leaves } from '../tree/index.js'
import { fusedStepOf } from './fused.js'
import { applyUpdates } from './index.js'
import { adam, momentum, sgd } from './optimizers.js'
import { schedules } from './index.js'

// Parameters and gradients as a small tree (a record, an array), drawn from a key.
const tree = (seed: number, dtype: DType): Tree => {
  const [a, b, c] = split(key(seed), 3) as [ReturnType<typeof key>, ReturnType<typeof key>, ReturnType<typeof key>]
  return { w: normal(a, [7, 5], { dtype }), layers: [normal(b, [5], { dtype }), normal(c, [3, 1], { dtype })] }
}

const bits = (t: Tree): number[][] => leaves(t).map((x) => Array.from(x.data))

describe('fused optimizer steps agree bit for bit with update + applyUpdates', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    for (const [name, opt] of [
      ['sgd', sgd(0.1)],
      ['sgd with a schedule', sgd(schedules.exponentialDecay(0.3, { decayRate: 0.5, transitionSteps: 2 }))],
      ['adam', adam(1e-2)],
      ['adam with options', adam(3e-3, { b1: 0.8, b2: 0.99, eps: 1e-6 })],
    ] as const) {
      it(`${name}, ${dtype}, over several steps`, () => {
        const fused = fusedStepOf<unknown>(opt)!
        expect(fused).toBeDefined()
        let p1 = tree(1, dtype)
        let p2 = p1
        let s1: unknown = opt.init(p1)
        let s2: unknown = s1
        for (let step = 0; step < 5; step++) {
          const g = tree(10 + step, dtype)
          const [u, next] = (opt.update as (g: Tree, s: unknown, p: Tree) => readonly [Tree, unknown])(g, s1, p1)
          p1 = applyUpdates(p1, u)
          s1 = next
          const r = fused(g, s2, p2)!
          expect(r.finite).toBe(true)
          p2 = r.params
          s2 = r.state
          expect(bits(p2)).toEqual(bits(p1))
          expect(JSON.stringify(s2, (_, v: unknown) => (v instanceof Float32Array || v instanceof Float64Array ? Array.from(v) : v))).toEqual(
            JSON.stringify(s1, (_, v: unknown) => (v instanceof Float32Array || v instanceof Float64Array ? Array.from(v) : v)))
          expect(Object.isFrozen(r.state) && Object.isFrozen(r.params)).toBe(true)
        }
      })
    }
  }

  it('reports a non-finite gradient', () => {
    const p = { w: tensor([1, 2, 3]) }
    for (const bad of [NaN, Infinity, -Infinity]) {
      expect(fusedStepOf<unknown>(sgd(0.1))!({ w: tensor([0, bad, 0]) }, sgd(0.1).init(p), p)!.finite).toBe(false)
      expect(fusedStepOf<unknown>(adam(0.1))!({ w: tensor([0, 0, bad]) }, adam(0.1).init(p), p)!.finite).toBe(false)
    }
  })

  it('declines leaves of different dtypes, and optimizers without a fused step have none', () => {
    const p = { w: tensor([1, 2, 3]) }
    const g = { w: tensor([1, 2, 3], { dtype: 'float64' }) as Tensor }
    expect(fusedStepOf<unknown>(sgd(0.1))!(g, sgd(0.1).init(p), p)).toBeUndefined()
    expect(fusedStepOf(momentum(0.1))).toBeUndefined()
  })
})
