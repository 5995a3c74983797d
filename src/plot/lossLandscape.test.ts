import { describe, expect, it } from 'vitest'
import { tensor } from '../tensor/index.js'
import { lossLandscape1d, lossLandscape2d } from './lossLandscape.js'
import { type Json, lookup } from './VegaLiteSpec.js'

type Rows = ReadonlyArray<Readonly<Record<string, Json>>>
const rows = (v: Json | undefined): Rows => (Array.isArray(v) ? (v as Rows) : [])

describe('lossLandscape1d', () => {
  it('draws the loss against alpha with the trained point marked', () => {
    const spec = lossLandscape1d({ alphas: [-1, 0, 1], losses: [2, 0.5, 3] })
    const line = lookup(spec, 'layer', 1)
    expect(lookup(line, 'mark', 'type')).toBe('line')
    expect(lookup(line, 'encoding', 'x', 'title')).toBe('α (step along the direction)')
    expect(lookup(line, 'encoding', 'y', 'title')).toBe('loss')
    expect(lookup(line, 'encoding', 'color')).toBeUndefined()
    expect(rows(lookup(line, 'data', 'values')).map((r) => [r['alpha'], r['loss']])).toEqual([[-1, 2], [0, 0.5], [1, 3]])
    expect(lookup(spec, 'layer', 0, 'encoding', 'x', 'datum')).toBe(0)
    // without a row of its own the rule layer inherits no data and Vega draws nothing
    expect(rows(lookup(spec, 'layer', 0, 'data', 'values'))).toHaveLength(1)
  })

  it('a log loss axis does not ask for zero (Vega would warn)', () => {
    const spec = lossLandscape1d({ alphas: [-1, 0, 1], losses: [2, 0.5, 3], lossScale: 'log' })
    expect(lookup(spec, 'layer', 1, 'encoding', 'y', 'scale')).toEqual({ type: 'log' })
  })

  it('overlays named curves in colors', () => {
    const spec = lossLandscape1d({ alphas: [0, 1], losses: { small: [1, 2], large: [1, 5] } })
    expect(lookup(spec, 'layer', 1, 'encoding', 'color', 'scale', 'domain')).toEqual(['small', 'large'])
    expect(rows(lookup(spec, 'layer', 1, 'data', 'values'))).toHaveLength(4)
  })

  it('explains a length mismatch', () => {
    expect(() => lossLandscape1d({ alphas: [0, 1], losses: { a: [1] } })).toThrow("2 alphas but 1 losses in 'a'")
  })
})

describe('lossLandscape2d', () => {
  const alphas = [-1, 0, 1]
  const betas = [-2, 0, 2, 4]
  // losses[i][j] = L(alphas[i], betas[j]): a bowl with distinct values, asymmetric in α and β.
  const L = (a: number, b: number): number => 1 + a * a + 0.1 * b * b + 0.01 * a
  const losses = alphas.map((a) => betas.map((b) => L(a, b)))

  it('puts alpha on x and beta on y (losses[i][j] at (alphas[i], betas[j]))', () => {
    const spec = lossLandscape2d({ alphas, betas, losses, scale: 'linear', levels: 3 })
    const heat = lookup(spec, 'layer', 0)
    expect(lookup(heat, 'mark', 'type')).toBe('rect')
    expect(lookup(heat, 'encoding', 'x', 'title')).toBe('α (first direction)')
    expect(lookup(heat, 'encoding', 'y', 'title')).toBe('β (second direction)')
    expect(lookup(heat, 'encoding', 'x', 'scale', 'domain')).toEqual([-1, 1])
    expect(lookup(heat, 'encoding', 'y', 'scale', 'domain')).toEqual([-2, 4])
    // The isolines of level c pass through points where the bilinear interpolation of L is c;
    // on an edge along α (β fixed) that is linear in the losses: check one crossing exactly.
    const iso = rows(lookup(spec, 'layer', 1, 'data', 'values'))
    expect(iso.length).toBeGreaterThan(0)
    const onBetaGrid = iso.filter((r) => betas.includes(r['y'] as number) && !alphas.includes(r['x'] as number))
    expect(onBetaGrid.length).toBeGreaterThan(0)
    for (const r of onBetaGrid) {
      const [x, b, level] = [r['x'] as number, r['y'] as number, r['level'] as number]
      const i = x < 0 ? 0 : 1
      const t = (x - alphas[i]!) / (alphas[i + 1]! - alphas[i]!)
      expect((1 - t) * L(alphas[i]!, b) + t * L(alphas[i + 1]!, b)).toBeCloseTo(level, 10)
    }
    expect(lookup(spec, 'layer', 2, 'data', 'values')).toEqual([{ x: 0, y: 0 }])
  })

  it('takes a tensor [alphas, betas] and uses a log color scale by default', () => {
    const t = tensor(losses, { dtype: 'float64' })
    const spec = lossLandscape2d({ alphas, betas, losses: t })
    expect(lookup(spec, 'layer', 0, 'encoding', 'color', 'scale', 'type')).toBe('log')
    expect(lookup(spec, 'layer', 0, 'data')).toEqual(lookup(lossLandscape2d({ alphas, betas, losses }), 'layer', 0, 'data'))
    expect(() => lossLandscape2d({ alphas, betas, losses: tensor(betas.map(() => alphas)) })).toThrow('losses must have shape [alphas, betas] = [3, 4], got [4, 3]')
    expect(() => lossLandscape2d({ alphas, betas, losses: losses.slice(1) })).toThrow('losses must be 3 rows (one per alpha) of 4 losses')
  })
})

describe('degenerate landscapes', () => {
  it('a flat landscape has no isolines and still makes a JSON spec', () => {
    const spec = lossLandscape2d({ alphas: [0, 1], betas: [0, 1], losses: [[1, 1], [1, 1]] })
    expect(lookup(spec, 'layer', 1, 'data', 'values')).toEqual([])
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec)
  })
})
