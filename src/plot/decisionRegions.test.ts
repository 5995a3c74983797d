import { describe, expect, it } from 'vitest'
import { concat, greater, matmul, softmax } from '../ops/index.js'
import { type Tensor, tensor } from '../tensor/index.js'
import { decisionRegions } from './decisionRegions.js'
import { type Json, lookup } from './VegaLiteSpec.js'

type Rows = ReadonlyArray<Readonly<Record<string, Json>>>
const rows = (v: Json | undefined): Rows => (Array.isArray(v) ? (v as Rows) : [])

// Class 1 exactly where x > 0, with full confidence.
const signOfX = (x: Tensor): Tensor => {
  const first = matmul(x, tensor([[1], [0]]))
  return greater(first, 0)
}

describe('decisionRegions', () => {
  const spec = decisionRegions({
    predict: signOfX,
    points: [[-1, 0], [1, 0.5], [0.5, -0.5]],
    labels: [0, 1, 0],
    xDomain: [-2, 2],
    yDomain: [-1, 1],
    resolution: 9,
    classNames: ['left', 'right'],
  })
  const [regions, points] = [lookup(spec, 'layer', 0), lookup(spec, 'layer', 1)]

  it('draws the regions as rectangles and the points on top, with titled axes', () => {
    expect(lookup(regions, 'mark', 'type')).toBe('rect')
    expect(lookup(points, 'mark', 'type')).toBe('point')
    for (const layer of [regions, points]) {
      expect(lookup(layer, 'encoding', 'x', 'title')).toBe('x₁')
      expect(lookup(layer, 'encoding', 'y', 'title')).toBe('x₂')
      expect(lookup(layer, 'encoding', 'x', 'scale', 'domain')).toEqual([-2, 2])
    }
    expect(lookup(points, 'encoding', 'color', 'field')).toBe('class')
    expect(lookup(points, 'encoding', 'color', 'scale', 'domain')).toEqual(['left', 'right'])
    expect(lookup(spec, 'width')).toBeGreaterThanOrEqual(400)
  })

  it('colors each cell by the predicted class; equal neighbours merge into one rectangle per row', () => {
    const cells = rows(lookup(regions, 'data', 'values'))
    // Per row: the cells left of 0 and those right of it (0 itself predicts class 0).
    expect(cells).toHaveLength(9 * 2)
    for (const c of cells) {
      const centre = ((c['x'] as number) + (c['x2'] as number)) / 2
      expect(c['class']).toBe(centre > 0 ? 'right' : 'left')
    }
    const row0 = cells.filter((c) => c['y'] === -1)
    expect(row0.map((c) => [c['x'], c['x2']])).toEqual([[-2, 0.25], [0.25, 2]])
  })

  it('places the data points with their true class', () => {
    expect(rows(lookup(points, 'data', 'values'))).toEqual([
      { x: -1, y: 0, class: 'left' }, { x: 1, y: 0.5, class: 'right' }, { x: 0.5, y: -0.5, class: 'left' },
    ])
  })

  it('takes tensors, one-hot labels and k-class probabilities; pale cells where unsure', () => {
    const w = tensor([[4, -4, 0], [0, 0, 0]])
    const s = decisionRegions({
      predict: (x) => softmax(matmul(x, w)),
      points: tensor([[-1, 0], [1, 0]]),
      labels: tensor([[1, 0, 0], [0, 1, 0]]),
      resolution: 5,
    })
    const data = rows(lookup(s, 'layer', 1, 'data', 'values'))
    expect(data.map((r) => r['class'])).toEqual(['0', '1'])
    const cells = rows(lookup(s, 'layer', 0, 'data', 'values'))
    const fills = new Set(cells.map((c) => c['fill']))
    expect(fills.size).toBeGreaterThan(2)
    expect(lookup(s, 'layer', 1, 'encoding', 'color', 'scale', 'domain')).toEqual(['0', '1', '2'])
  })

  it('explains wrong predictions and labels', () => {
    const base = { points: [[0, 0]] as const, labels: [0], resolution: 3 }
    expect(() => decisionRegions({ ...base, predict: (x) => matmul(x, tensor([[5], [5]])) })).toThrow('outside [0, 1]')
    expect(() => decisionRegions({ ...base, predict: (x) => concat([x, x], 1) })).toThrow('outside [0, 1]')
    expect(() => decisionRegions({ ...base, predict: () => tensor([0.5]) })).toThrow('predict must map [9, 2]')
    expect(() => decisionRegions({ ...base, labels: [0, 1], predict: signOfX })).toThrow('1 points but 2 labels')
    expect(() => decisionRegions({ ...base, labels: [0.5], predict: signOfX })).toThrow('labels[0] is 0.5')
  })
})
