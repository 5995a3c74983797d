/**
 * Quick runs of the vmap examples (issue 13): the ensemble trained with vmap over parameters,
 * DP-SGD with per-example gradients and its accountant, and the Hessian along training.
 */
import { describe, expect, it } from 'vitest'
import { type Tensor, hessian, hvp, ops, random, toFlatArray, tree } from 'purenet'
import * as dpsgd from './dpsgd.js'
import * as ensemble from './ensemble.js'
import * as sharpness from './sharpness.js'

describe('ensemble (quick mode)', () => {
  it('3 networks trained at once all learn, and the picture has a panel per member and the ensemble', () => {
    const r = ensemble.run({ members: 3, epochs: 15, resolution: 6 })
    expect(r.memberAccuracy.length).toBe(3)
    for (const a of r.memberAccuracy) expect(a).toBeGreaterThan(0.6)
    expect(r.ensembleAccuracy).toBeGreaterThan(0.6)
    const text = JSON.stringify(r.spec)
    expect(text).toContain('member 3')
    expect(text).toContain('ensemble (mean probability)')
  })

  it('stackTrees and memberOf are inverse', () => {
    const trees = [1, 2].map((s) => ensemble.member.init(random.key(s)))
    const back = ensemble.memberOf(ensemble.stackTrees(trees), 1)
    tree.leaves(back).forEach((leaf, i) => expect(toFlatArray(leaf)).toEqual(toFlatArray(tree.leaves(trees[1]!)[i]!)))
  })
})

describe('DP-SGD (quick mode)', () => {
  it('learns well above chance with clipping and noise, and prints its privacy parameters', () => {
    const r = dpsgd.run({ steps: 20, trainPerClass: 60, testPerClass: 30, batch: 32 })
    expect(r.accuracy).toBeGreaterThan(0.3) // 38.7% with this seed; chance is 10%
    expect(r.q).toBeCloseTo(32 / 600, 10)
    expect(r.epsilon).toBeGreaterThan(0)
    expect(Number.isFinite(r.epsilon)).toBe(true)
  })

  it('the accountant reproduces published figures', () => {
    // Abadi et al. 2016, section 3.1: q = 0.01, σ = 4, T = 10,000 steps gives ε ≈ 1.26 at δ = 1e-5
    expect(dpsgd.epsilon(0.01, 4, 10000, 1e-5).epsilon).toBeCloseTo(1.26, 2)
    // TensorFlow Privacy's MNIST tutorial: batch 256 of 60,000, σ = 1.1, 60 epochs: ε = 2.92 with
    // fractional orders; integer orders give a slightly larger (still valid) bound
    const e = dpsgd.epsilon(256 / 60000, 1.1, Math.round((60 * 60000) / 256), 1e-5).epsilon
    expect(e).toBeGreaterThan(2.92)
    expect(e).toBeLessThan(3.1)
    // more noise, less privacy loss
    expect(dpsgd.epsilon(0.01, 2, 1000, 1e-5).epsilon).toBeGreaterThan(dpsgd.epsilon(0.01, 4, 1000, 1e-5).epsilon)
  })
})

describe('sharpness (quick mode)', () => {
  it('the Hessian matrix is symmetric, acts as hvp does, and its spectrum is measured along training', () => {
    const r = sharpness.run({ steps: 4, every: 2, points: 10 })
    expect(r.measured.map((m) => m.step)).toEqual([0, 2, 4])
    expect(r.parameters).toBe(162)
    const params = sharpness.network.init(random.key(3))
    const x = random.normal(random.key(4), [6, 2], { dtype: 'float64' })
    const loss = (p: typeof params): Tensor => ops.mean(ops.square(ops.tanh(sharpness.network.apply(p)(x))))
    const { n, m } = sharpness.hessianMatrix(hessian(loss)(params), params)
    expect(n).toBe(162)
    for (let i = 0; i < n; i += 17) for (let j = 0; j < n; j += 13) expect(m[i * n + j]!).toBeCloseTo(m[j * n + i]!, 10)
    const v = tree.map(params, (leaf, path) => random.normal(random.key(path.length + leaf.size), leaf.shape, { dtype: 'float64' }))
    const hv = tree.leaves(hvp(loss)(params, v)).flatMap((l) => toFlatArray(l))
    const flatV = tree.leaves(v).flatMap((l) => toFlatArray(l))
    for (let i = 0; i < n; i++) {
      let s = 0
      for (let j = 0; j < n; j++) s += m[i * n + j]! * flatV[j]!
      expect(s).toBeCloseTo(hv[i]!, 12)
    }
    // the eigenvalues of a known matrix
    expect(sharpness.eigenvalues(2, Float64Array.from([2, 1, 1, 2])).map((e) => Math.round(e * 1e9) / 1e9)).toEqual([1, 3])
  })
})

describe('the section on vmap in docs/library.md', () => {
  it('shows examples/vmapTour.ts verbatim, and its values are what its comments say', async () => {
    const { readFileSync } = await import('node:fs')
    const page = readFileSync(new URL('../docs/library.md', import.meta.url), 'utf8')
    expect(page).toContain(readFileSync(new URL('./vmapTour.ts', import.meta.url), 'utf8').trim())
    const T = await import('./vmapTour.js')
    expect(T.perExampleLoss.shape).toEqual([32])
    expect(tree.leaves(T.grads).map((l) => l.shape)).toEqual([[32, 4, 8], [32, 8], [32, 8, 3], [32, 3]])
    tree.leaves(T.grads).forEach((g, i) => expect(toFlatArray(g)).toEqual(toFlatArray(tree.leaves(T.same)[i]!)))
    expect(toFlatArray(T.columnSums)).toEqual([4, 6])
    expect(T.table.shape).toEqual([3, 2])
    expect(toFlatArray(T.table)).toEqual([1, 2, 10, 20, 100, 200])
    expect(T.jacobian.shape).toEqual([2, 2])
    expect(toFlatArray(T.h)).toEqual([6, 0, 0, 12])
  })
})
