import { describe, expect, it } from 'vitest'
import { tensor } from '../tensor/index.js'
import { optimizerPaths } from './optimizerPaths.js'
import { rosenbrock, saddle } from './surfaces.js'
import { type Json, lookup } from './VegaLiteSpec.js'

type Rows = ReadonlyArray<Readonly<Record<string, Json>>>
const rows = (v: Json | undefined): Rows => (Array.isArray(v) ? (v as Rows) : [])

describe('optimizerPaths', () => {
  const spec = optimizerPaths({
    ...rosenbrock,
    resolution: 30,
    paths: [
      { name: 'SGD', points: [[-1.5, 2.5], [-1, 1.5], [0, 0.5]] },
      { name: 'Adam', points: tensor([[-1.5, 2.5], [-1.4, 2.2]]) },
    ],
  })
  const layers = lookup(spec, 'layer')
  const layer = (i: number): Json | undefined => lookup(layers, i)

  it('layers a heat map, isolines, the paths, the starts and the minimum', () => {
    expect(Array.isArray(layers) && layers.length).toBe(5)
    expect(lookup(layer(0), 'mark', 'type')).toBe('rect')
    expect(lookup(layer(1), 'mark', 'type')).toBe('line')
    expect(lookup(layer(1), 'encoding', 'detail', 'field')).toBe('line')
    expect(lookup(layer(2), 'mark', 'type')).toBe('line')
    expect(lookup(layer(4), 'data', 'values')).toEqual([{ x: 1, y: 1 }])
    expect(lookup(spec, 'title', 'text')).toBe('Optimizer paths on Rosenbrock')
    for (let i = 0; i < 5; i++) {
      expect(lookup(layer(i), 'encoding', 'x', 'title')).toBe('x')
      expect(lookup(layer(i), 'encoding', 'y', 'title')).toBe('y')
      expect(lookup(layer(i), 'encoding', 'y', 'scale', 'domain')).toEqual([-1, 3])
    }
  })

  it('draws each path in its own color, in the order of its iterates', () => {
    const path = layer(2)
    expect(lookup(path, 'encoding', 'color', 'field')).toBe('optimizer')
    expect(lookup(path, 'encoding', 'color', 'scale', 'domain')).toEqual(['SGD', 'Adam'])
    expect(lookup(path, 'encoding', 'order', 'field')).toBe('k')
    const adam = rows(lookup(path, 'data', 'values')).filter((r) => r['optimizer'] === 'Adam')
    expect(adam.map((r) => [r['k'], r['x'], r['y']])).toEqual([[0, -1.5, 2.5], [1, Math.fround(-1.4), Math.fround(2.2)]])
    expect(rows(lookup(layer(3), 'data', 'values')).map((r) => r['optimizer'])).toEqual(['SGD', 'Adam'])
  })

  it('samples the surface for the isolines and a heat map whose bands follow them', () => {
    const iso = rows(lookup(layer(1), 'data', 'values'))
    expect(iso.length).toBeGreaterThan(100)
    for (const r of iso.slice(0, 50)) {
      const [x, y] = [r['x'] as number, r['y'] as number]
      expect(x).toBeGreaterThanOrEqual(-2)
      expect(y).toBeLessThanOrEqual(3)
    }
    // Every sampled Rosenbrock value is positive: a log color scale, at most 19 bands for 18 levels.
    expect(lookup(layer(0), 'encoding', 'color', 'scale', 'type')).toBe('log')
    const bands = new Set(rows(lookup(layer(0), 'data', 'values')).map((r) => r['value']))
    expect(bands.size).toBeGreaterThan(5)
    expect(bands.size).toBeLessThanOrEqual(19)
    expect(new Set(iso.map((r) => r['level'])).size).toBe(18)
  })

  it('stops a diverging path where it leaves the picture, and has no minimum for the saddle', () => {
    const s = optimizerPaths({ ...saddle, resolution: 10, paths: [{ name: 'SGD', points: [[1, 0.1], [0.5, 1], [0.2, 9], [0, 1e30], [0, NaN]] }] })
    const layersOf = lookup(s, 'layer')
    expect(Array.isArray(layersOf) && layersOf.length).toBe(4)
    expect(rows(lookup(layersOf, 2, 'data', 'values')).map((r) => r['y'])).toEqual([0.1, 1])
    expect(lookup(s, 'title', 'subtitle')).toBe('○ start')
  })

  it('rejects two paths of one name', () => {
    expect(() => optimizerPaths({ ...saddle, paths: [{ name: 'a', points: [] }, { name: 'a', points: [] }] })).toThrow("two paths are named 'a'")
  })
})
