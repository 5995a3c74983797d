import { describe, expect, it } from 'vitest'
import { square, sum } from '../ops/index.js'
import { activationSamples, activations, derivativeCurve, functionCurve, standardActivations } from './activations.js'
import { type Row, lookup } from './VegaLiteSpec.js'

const sigma = (x: number): number => 1 / (1 + Math.exp(-x))
const geluOf = (x: number): number => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)))

// The independent oracle: derivatives written by hand, which the library itself never uses.
const analytic: Readonly<Record<string, (x: number) => number>> = {
  'ReLU': (x) => (x > 0 ? 1 : 0),
  'logistic sigmoid': (x) => sigma(x) * (1 - sigma(x)),
  'arctan': (x) => 1 / (1 + x * x),
  'tanh': (x) => 1 - Math.tanh(x) ** 2,
  'softplus': sigma,
  'GELU': (x) => (geluOf(x + 1e-5) - geluOf(x - 1e-5)) / 2e-5,
}

const curve = (rows: ReadonlyArray<Row>, activation: string, which: string): Array<readonly [number, number]> =>
  rows.filter((r) => r['activation'] === activation && r['curve'] === which).map((r) => [r['x'] as number, r['value'] as number] as const)

describe('activationSamples', () => {
  const rows = activationSamples(standardActivations, [-4, 4], 81)

  it('derivatives by grad equal the analytic ones, relu′(0) = 0 included', () => {
    for (const { name } of standardActivations) {
      const d = curve(rows, name, derivativeCurve)
      expect(d).toHaveLength(81)
      for (const [x, v] of d) expect(v, `${name}′(${x})`).toBeCloseTo(analytic[name]!(x), 6)
    }
    expect(curve(rows, 'ReLU', derivativeCurve).find(([x]) => x === 0)).toEqual([0, 0])
  })

  it('function values are the functions', () => {
    for (const [x, v] of curve(rows, 'logistic sigmoid', functionCurve)) expect(v).toBeCloseTo(sigma(x), 12)
    for (const [x, v] of curve(rows, 'GELU', functionCurve)) expect(v).toBeCloseTo(geluOf(x), 12)
  })

  it('takes any element-wise function, and rejects one that is not', () => {
    const r = activationSamples([{ name: 'square', f: square }], [-1, 1], 3)
    expect(curve(r, 'square', derivativeCurve)).toEqual([[-1, -2], [0, 0], [1, 2]])
    expect(() => activationSamples([{ name: 'total', f: (x) => sum(x) }], [-1, 1], 3)).toThrow("'total' must be element-wise, but maps 3 points to 1 values")
  })
})

describe('activations', () => {
  const spec = activations()

  it('is one facet per function, in the given order, with titled axes and a legend', () => {
    expect(lookup(spec, 'facet', 'field')).toBe('activation')
    expect(lookup(spec, 'facet', 'sort')).toEqual(standardActivations.map((a) => a.name))
    const line = lookup(spec, 'spec', 'layer', 2)
    expect(lookup(line, 'mark', 'type')).toBe('line')
    expect(lookup(line, 'encoding', 'x', 'title')).toBe('x')
    expect(lookup(line, 'encoding', 'y', 'title')).toBe('f(x) and f′(x)')
    expect(lookup(line, 'encoding', 'color', 'field')).toBe('curve')
    expect(lookup(line, 'encoding', 'strokeDash', 'field')).toBe('curve')
    expect(lookup(spec, 'title')).toBe('Activation functions and their derivatives')
    expect(lookup(spec, 'spec', 'width')).toBeGreaterThanOrEqual(300)
  })

  it('carries the samples as inline data', () => {
    const values = lookup(spec, 'data', 'values')
    expect(Array.isArray(values) && values.length).toBe(6 * 2 * 161)
  })

  it('rejects an empty list', () => {
    expect(() => activations([])).toThrow('give at least one function')
  })
})
