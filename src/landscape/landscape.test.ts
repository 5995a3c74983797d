import * as fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { softmaxCrossEntropy } from '../losses/index.js'
import { dense, relu, serial } from '../nn/index.js'
import { type Key, key, split } from '../random/index.js'
import { type Tensor, tensor, toFlatArray } from '../tensor/index.js'
import { type Tree, leaves, scale } from '../ops/treeNamespace.js'
import { dataset, oneHot } from '../data/index.js'
import { datasetLoss, filterNorms, grid2d, interpolate, line1d, normalizeDirection, randomDirection, randomDirections, steps } from './index.js'

const net = serial(dense(6, 5), relu, dense(5, 3))
const [kInit, kOther, kDir] = split(key(7), 3) as [Key, Key, Key]
// "trained" parameters: non-zero biases so that the bias options have something to match
const theta = scale(net.init(kInit), 1.3)
const thetaBiased = [{ ...theta[0], b: tensor([0.1, -0.2, 0.3, 0, 0.5]) }, {}, { ...theta[2], b: tensor([1, -2, 0.25]) }] as unknown as typeof theta
const theta0 = net.init(kOther)
const x = tensor(Array.from({ length: 8 * 6 }, (_, i) => Math.sin(i * 1.7 + toFlatArray(theta[0].w)[i % 30]!)), { shape: [8, 6] })
const data = dataset(x, oneHot([0, 1, 2, 0, 1, 2, 0, 1], 3))
const loss = datasetLoss({ net, loss: softmaxCrossEntropy, data })

const bits = (t: Tree): number[] => leaves(t).flatMap((l) => Array.from(new Uint32Array(new Float32Array(l.data).buffer)))
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-30)

describe('landscape.randomDirection', () => {
  it('law 1, filter normalisation: every filter of every weight leaf has the norm of the trained filter; biases are zero', () => {
    const d = randomDirection(kDir, theta)
    const want = filterNorms(theta)
    const got = filterNorms(d)
    for (const path of ['[0].w', '[2].w']) {
      expect(got[path]!.length).toBe(path === '[0].w' ? 5 : 3)
      got[path]!.forEach((n, j) => expect(rel(n, want[path]![j]!)).toBeLessThan(1e-6))
    }
    for (const leaf of [d[0].b, d[2].b]) expect(toFlatArray(leaf).every((v) => v === 0)).toBe(true)
    // and it is not simply θ: the direction is random
    expect(toFlatArray(d[0].w)).not.toEqual(toFlatArray(theta[0].w))
  })

  it('law 1, the filter of dense is the column w[:, j], checked by hand', () => {
    const w = tensor([[3, 0], [4, 1]]) // column norms 5 and 1
    const d = normalizeDirection({ w: tensor([[1, 2], [1, 2]]) }, { w })
    const [a, b, c, e] = toFlatArray(d.w) as [number, number, number, number]
    expect(Math.hypot(a, c)).toBeCloseTo(5, 5)
    expect(Math.hypot(b, e)).toBeCloseTo(1, 5)
    expect(a).toBeCloseTo(5 / Math.SQRT2, 5)
  })

  it('law 1, bias options: whole keeps ‖d_b‖ = ‖b‖, elementwise keeps |d_b[j]| = |b[j]|', () => {
    const whole = randomDirection(kDir, thetaBiased, { biases: 'whole' })
    expect(rel(filterNorms(whole)['[0].b']![0]!, filterNorms(thetaBiased)['[0].b']![0]!)).toBeLessThan(1e-6)
    expect(rel(filterNorms(whole)['[2].b']![0]!, filterNorms(thetaBiased)['[2].b']![0]!)).toBeLessThan(1e-6)
    const each = randomDirection(kDir, thetaBiased, { biases: 'elementwise' })
    expect(toFlatArray(each[0].b).map((v) => Math.abs(v))).toEqual(toFlatArray(thetaBiased[0].b).map((v) => Math.abs(v)))
    // the weights are normalised the same way whatever the bias option
    expect(bits(whole[0].w)).toEqual(bits(randomDirection(kDir, thetaBiased)[0].w))
  })

  it('layer normalisation rescales each weight leaf as a whole; none keeps the Gaussian', () => {
    const layer = randomDirection(kDir, theta, { normalization: 'layer' })
    const norm = (t: Tensor): number => Math.hypot(...toFlatArray(t))
    expect(rel(norm(layer[0].w), norm(theta[0].w))).toBeLessThan(1e-6)
    const raw = randomDirection(kDir, theta, { normalization: 'none' })
    expect(norm(raw[0].w)).not.toBeCloseTo(norm(theta[0].w), 3)
  })

  it('law 1 for any shapes (property): filters along the last axis, any rank ≥ 2', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 4 }), fc.integer({ min: 0, max: 2 ** 31 }), (shape, seed) => {
        const n = shape.reduce((a, b) => a * b, 1)
        const params = { w: tensor(Array.from({ length: n }, (_, i) => Math.cos(seed + i) + 0.01), { shape, dtype: 'float64' }) }
        const d = randomDirection(key(seed), params)
        expect(d.w.dtype).toBe('float64')
        const want = filterNorms(params)['w']!
        filterNorms(d)['w']!.forEach((v, j) => expect(rel(v, want[j]!)).toBeLessThan(1e-12))
      }),
      { numRuns: 50 },
    )
  })

  it('law 2, scale equivariance: the direction of c·θ is c times the direction of θ', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 100, noNaN: true }), (c) => {
        const a = leaves(randomDirection(kDir, scale(theta, c))).flatMap(toFlatArray)
        const b = leaves(randomDirection(kDir, theta)).flatMap(toFlatArray)
        a.forEach((v, i) => expect(Math.abs(v - c * b[i]!)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(c * b[i]!))))
      }),
      { numRuns: 20 },
    )
  })

  it('law 3, determinism: same key, same direction bit for bit; another key, another direction', () => {
    expect(bits(randomDirection(kDir, theta))).toEqual(bits(randomDirection(kDir, theta)))
    expect(bits(randomDirection(kOther, theta))).not.toEqual(bits(randomDirection(kDir, theta)))
    const [d1, d2] = randomDirections(kDir, theta)
    expect(bits(d1)).not.toEqual(bits(d2))
  })

  it('names the path when the direction does not match the parameters', () => {
    expect(() => normalizeDirection({ w: tensor([[1, 2]]) }, { w: tensor([[1], [2]]) })).toThrow(/landscape.normalizeDirection: at w: .*shape \[1, 2\].*\[2, 1\]/)
    expect(() => randomDirection(kDir, theta, { biases: 'keep' as 'zero' })).toThrow(/biases must be one of 'zero', 'whole', 'elementwise'/)
  })
})

describe('landscape slices', () => {
  const directions = randomDirections(kDir, theta)
  const alphas = steps(-1, 1, 7)
  const betas = steps(-0.5, 0.5, 5)

  it('steps puts 0 exactly in the middle of a symmetric odd grid', () => {
    expect(steps(-1, 1, 51)[25]).toBe(0)
    expect(steps(-1, 1, 21)[10]).toBe(0)
    expect(steps(-1, 1, 51)[50]).toBe(1)
  })

  it('law 4, centre: the grid at (0, 0) is the loss at the trained parameters, exactly', () => {
    const g = grid2d({ loss, params: theta, directions, alphas, betas })
    expect(g.losses.length).toBe(7)
    expect(g.losses.every((r) => r.length === 5)).toBe(true)
    expect(g.losses[3]![2]).toBe(loss(theta))
    // away from the centre the loss changes, and is a finite number
    expect(g.losses.flat().every(Number.isFinite)).toBe(true)
    expect(g.losses[0]![0]).not.toBe(loss(theta))
  })

  it('law 4 and 5: line1d is the β = 0 row of the grid and passes through loss(θ) at 0', () => {
    const g = grid2d({ loss, params: theta, directions, alphas, betas })
    const l = line1d({ loss, params: theta, direction: directions[0], alphas })
    expect(l.losses).toEqual(g.losses.map((r) => r[2]))
    expect(l.losses[3]).toBe(loss(theta))
  })

  it('grid2d evaluates L(θ + αδ + βη) at every point', () => {
    const g = grid2d({ loss, params: theta, directions, alphas: [0.5], betas: [-0.5] })
    const moved = leaves(theta).map((t, i) => toFlatArray(t).map((v, k) => v + 0.5 * toFlatArray(leaves(directions[0])[i]!)[k]! - 0.5 * toFlatArray(leaves(directions[1])[i]!)[k]!))
    const [w1, b1, w2, b2] = moved as [number[], number[], number[], number[]]
    const byHand = loss([{ w: tensor(w1, { shape: [6, 5] }), b: tensor(b1) }, {}, { w: tensor(w2, { shape: [5, 3] }), b: tensor(b2) }] as unknown as typeof theta)
    expect(g.losses[0]![0]).toBeCloseTo(byHand, 5)
  })

  it('law 6, endpoints: the interpolation starts at loss(θ₀) and ends at loss(θ₁), exactly', () => {
    const r = interpolate({ loss, from: theta0, to: theta, alphas: steps(-0.5, 1.5, 9) })
    expect(r.alphas[2]).toBe(0)
    expect(r.alphas[6]).toBe(1)
    expect(r.losses[2]).toBe(loss(theta0))
    expect(r.losses[6]).toBe(loss(theta))
    expect(loss(theta0)).not.toBe(loss(theta))
  })

  it('law 3, determinism: the same key gives the same grid, bit for bit', () => {
    const once = grid2d({ loss, params: theta, directions: randomDirections(key(3), theta), alphas, betas })
    const twice = grid2d({ loss, params: theta, directions: randomDirections(key(3), theta), alphas, betas })
    expect(once).toEqual(twice)
    const bits64 = (g: typeof once): number[] => Array.from(new Uint32Array(Float64Array.from(g.losses.flat()).buffer))
    expect(bits64(once)).toEqual(bits64(twice))
    const other = grid2d({ loss, params: theta, directions: randomDirections(key(4), theta), alphas, betas })
    expect(other.losses).not.toEqual(once.losses)
  })

  it('accepts a loss returning a scalar tensor, and rejects bad steps with a readable error', () => {
    const tensorLoss = (p: typeof theta): Tensor => softmaxCrossEntropy(net.apply(p)(x), data.y)
    expect(line1d({ loss: tensorLoss, params: theta, direction: directions[0], alphas: [0] }).losses[0]).toBe(loss(theta))
    expect(() => line1d({ loss, params: theta, direction: directions[0], alphas: [] })).toThrow(/landscape.line1d: alphas is empty/)
    expect(() => grid2d({ loss, params: theta, directions, alphas, betas: [0, NaN] })).toThrow(/landscape.grid2d: betas\[1\] is NaN/)
  })
})
