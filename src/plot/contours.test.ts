import { describe, expect, it } from 'vitest'
import { type Grid, checkGrid, contourLevels, extent, isolines, linspace } from './contours.js'

const sample = (xs: ReadonlyArray<number>, ys: ReadonlyArray<number>, f: (x: number, y: number) => number): Grid => ({
  xs, ys, values: ys.map((y) => xs.map((x) => f(x, y))),
})

describe('linspace', () => {
  it('includes both ends', () => {
    expect(linspace(-1, 1, 5)).toEqual([-1, -0.5, 0, 0.5, 1])
    expect(() => linspace(0, 1, 1)).toThrow('count must be an integer ≥ 2')
  })
})

describe('isolines (marching squares)', () => {
  it('finds the straight isoline of a linear field, oriented along y', () => {
    const lines = isolines(sample([0, 1, 2], [0, 1, 2], (x) => x), 0.5)
    expect(lines).toHaveLength(1)
    const [line] = lines
    expect(line!.closed).toBe(false)
    expect(line!.points.map(([x]) => x)).toEqual([0.5, 0.5, 0.5])
    expect(line!.points.map(([, y]) => y).sort()).toEqual([0, 1, 2])
  })

  it('a circle becomes one closed polyline close to the circle', () => {
    const xs = linspace(-2, 2, 41)
    const lines = isolines(sample(xs, xs, (x, y) => x * x + y * y), 1)
    expect(lines).toHaveLength(1)
    const { points, closed } = lines[0]!
    expect(closed).toBe(true)
    expect(points[0]).toEqual(points[points.length - 1])
    expect(points.length).toBeGreaterThan(40)
    for (const [x, y] of points) expect(Math.abs(Math.hypot(x, y) - 1)).toBeLessThan(0.01)
  })

  it('puts every point on a grid edge at the interpolated level (exact for a bilinear field)', () => {
    const xs = [0, 0.5, 1.5, 3]
    const ys = [-1, 0, 2]
    const f = (x: number, y: number): number => 1 + 2 * x - y + 0.5 * x * y
    for (const level of [0.3, 1, 2.5, 4]) {
      for (const { points } of isolines(sample(xs, ys, f), level)) {
        for (const [x, y] of points) {
          expect(xs.includes(x) || ys.includes(y)).toBe(true)
          expect(f(x, y)).toBeCloseTo(level, 12)
        }
      }
    }
  })

  it('resolves a saddle cell by the mean of its corners', () => {
    // Bottom-left and top-right corners are high.
    const grid: Grid = { xs: [0, 1], ys: [0, 1], values: [[1, 0], [0, 1]] }
    const above = isolines(grid, 0.4) // mean 0.5 ≥ 0.4: the high corners join; the lines cut off the low ones
    expect(above).toHaveLength(2)
    const cutsOff = (lines: ReturnType<typeof isolines>, corner: readonly [number, number]): boolean =>
      lines.some((l) => l.points.every(([x, y]) => Math.abs(x - corner[0]) + Math.abs(y - corner[1]) < 1))
    expect(cutsOff(above, [1, 0]) && cutsOff(above, [0, 1])).toBe(true)
    const below = isolines(grid, 0.6) // mean 0.5 < 0.6: the high corners are cut off
    expect(cutsOff(below, [0, 0]) && cutsOff(below, [1, 1])).toBe(true)
  })

  it('joins lines across cells and skips cells with a non-finite corner', () => {
    const xs = [0, 1, 2, 3]
    const lines = isolines(sample(xs, [0, 1], (x) => (x === 3 ? NaN : x)), 0.5)
    expect(lines).toHaveLength(1)
    expect(isolines(sample(xs, [0, 1], () => NaN), 0)).toEqual([])
    expect(isolines(sample(xs, [0, 1], () => 7), 7.5)).toEqual([])
  })

  it('checks the grid', () => {
    expect(() => checkGrid('t', { xs: [0, 1], ys: [0, 1], values: [[0, 1]] })).toThrow('values has 1 rows but there are 2 y coordinates')
    expect(() => checkGrid('t', { xs: [1, 0], ys: [0, 1], values: [[0, 1], [0, 1]] })).toThrow('strictly increasing')
    expect(() => checkGrid('t', { xs: [0, 1], ys: [0, 1], values: [[0, 1], [0]] })).toThrow('values[1] has 1 entries')
  })
})

describe('contourLevels', () => {
  it('spreads linear levels strictly inside the range', () => {
    expect(contourLevels(0, 4, 3)).toEqual([1, 2, 3])
  })
  it('spreads log levels densely near the minimum, strictly increasing', () => {
    const levels = contourLevels(0, 1000, 10, 'log')
    expect(levels).toHaveLength(10)
    levels.forEach((l, i) => i > 0 && expect(l).toBeGreaterThan(levels[i - 1]!))
    expect(levels[0]!).toBeGreaterThan(0)
    expect(levels[0]!).toBeLessThan(1)
    expect(levels[9]!).toBeLessThan(1000)
  })
  it('has no levels for a constant field', () => {
    expect(contourLevels(2, 2, 5)).toEqual([])
  })
  it('extent ignores non-finite values', () => {
    expect(extent([[1, NaN], [Infinity, -2]])).toEqual([-2, 1])
  })
})
