/**
 * Vega-Lite layers that draw a gridded scalar field on quantitative x/y axes: a heat map of
 * `rect` marks (one per grid point, edges half-way to its neighbours, so the picture covers the
 * grid exactly) and isolines as `line` marks (computed by `contours.ts`, one `detail` group per
 * polyline). Every layer states the same axis encodings, so titles and domains agree when layered.
 */
import { type Grid, contourLevels, extent, isolines } from './contours.js'
import type { Json, JsonObject, Row } from './VegaLiteSpec.js'

/**
 * A closed interval `[lo, hi]` of an axis. @category model
 * @example
 * ```ts
 * const domain: plot.Domain = [-4, 4]
 * plot.activations(plot.standardActivations, { domain })
 * ```
 */
export type Domain = readonly [number, number]

/** The x and y channels of one layer, with fixed domains and titles. @category layers */
export const xyEncoding = (xTitle: string, yTitle: string, xDomain: Domain, yDomain: Domain): JsonObject => ({
  x: { field: 'x', type: 'quantitative', title: xTitle, scale: { domain: [...xDomain], nice: false, zero: false } },
  y: { field: 'y', type: 'quantitative', title: yTitle, scale: { domain: [...yDomain], nice: false, zero: false } },
})

const cellEdges = (cs: ReadonlyArray<number>): Array<readonly [number, number]> =>
  cs.map((c, i) => [i === 0 ? c : (cs[i - 1]! + c) / 2, i === cs.length - 1 ? c : (c + cs[i + 1]!) / 2] as const)

const sameRow = (a: Row, b: Row): boolean => {
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k])
}

/**
 * One rectangle per grid point, `{ x, x2, y, y2 }` plus the fields `extra(i, j)` returns; cells
 * whose `extra` is `undefined` are left out. Neighbours along x with equal fields are merged into
 * one rectangle: a quantised heat map then costs a few rectangles per row instead of one per
 * point, which keeps SVG files small.
 * @category layers
 */
export const cells = (xs: ReadonlyArray<number>, ys: ReadonlyArray<number>, extra: (i: number, j: number) => Row | undefined): Row[] => {
  const ex = cellEdges(xs)
  const ey = cellEdges(ys)
  const rows: Row[] = []
  ey.forEach(([y, y2], j) => {
    let run: { readonly start: number; readonly fields: Row } | undefined
    const flush = (end: number): void => {
      if (run !== undefined) rows.push({ x: ex[run.start]![0], x2: ex[end - 1]![1], y, y2, ...run.fields })
    }
    for (let i = 0; i < xs.length; i++) {
      const fields = extra(i, j)
      if (run !== undefined && fields !== undefined && sameRow(run.fields, fields)) continue
      flush(i)
      run = fields === undefined ? undefined : { start: i, fields }
    }
    flush(xs.length)
  })
  return rows
}

/** Options of `heatmapLayer`. @category layers */
export interface HeatmapOptions {
  readonly title: string
  /** A Vega color scheme name, e.g. `viridis`, and the part of it to use. */
  readonly scheme: string
  readonly schemeExtent?: Domain
  /** `log` uses a log color scale when every value is positive, symlog otherwise. */
  readonly scale: 'linear' | 'log'
  /** The values are shown in bands between these levels (the isolines' levels), as filled contours. */
  readonly levels: ReadonlyArray<number>
}

// The value that stands for a band: its middle on the color scale.
const bandValue = (lo: number, hi: number, log: boolean): number => (log && lo > 0 ? Math.sqrt(lo * hi) : (lo + hi) / 2)

/**
 * A heat map of a gridded field in bands between `levels` (filled contours), colored by value.
 * The cells are opaque and outlined in their own color, which hides the hairline seams
 * anti-aliasing leaves between adjacent rectangles.
 * @category layers
 */
export const heatmapLayer = (grid: Grid, axes: JsonObject, options: HeatmapOptions): JsonObject => {
  const [lo, hi] = extent(grid.values)
  const type = options.scale === 'linear' ? 'linear' : lo > 0 ? 'log' : 'symlog'
  const scheme: Json = options.schemeExtent === undefined ? options.scheme : { name: options.scheme, extent: [...options.schemeExtent] }
  const bounds = [lo, ...[...options.levels].filter((l) => l > lo && l < hi).sort((a, b) => a - b), hi]
  const bandOf = (v: number): number => {
    let b = 0
    while (b < bounds.length - 2 && v >= bounds[b + 1]!) b++
    return bandValue(bounds[b]!, bounds[b + 1]!, type === 'log')
  }
  // A constant (or empty) field has no range to spread colors over; Vega-Lite's default domain then copes.
  const scaleDef: Json = lo < hi ? { type, scheme, domain: [lo, hi] } : { type, scheme }
  return {
    data: { values: cells(grid.xs, grid.ys, (i, j) => {
      const v = grid.values[j]![i]!
      if (!Number.isFinite(v)) return undefined
      const value = bandOf(v)
      // The outline reads the same value under another name: Vega-Lite would merge a color and
      // a stroke legend on one field, and the outline needs none.
      return { value, outline: value }
    }) },
    mark: { type: 'rect', strokeWidth: 0.6, aria: false },
    encoding: {
      ...axes,
      x2: { field: 'x2' },
      y2: { field: 'y2' },
      color: { field: 'value', type: 'quantitative', title: options.title, scale: scaleDef, legend: { orient: 'right', gradientLength: 200 } },
      stroke: { field: 'outline', type: 'quantitative', scale: scaleDef, legend: null },
    },
  }
}

/** Options of `isolineLayer`. @category layers */
export interface IsolineOptions {
  /** How many levels (spread as `contourLevels` says), or the levels themselves. */
  readonly levels: number | ReadonlyArray<number>
  readonly scale: 'linear' | 'log'
  readonly color: string
}

/** The contour levels of a field: `count` spread by `contourLevels`, or the given ones. @category layers */
export const levelsOf = (grid: Grid, levels: number | ReadonlyArray<number>, scale: 'linear' | 'log'): ReadonlyArray<number> => {
  const [lo, hi] = extent(grid.values)
  return typeof levels === 'number' ? contourLevels(lo, hi, levels, scale) : levels
}

/** The isolines of a gridded field as thin lines. @category layers */
export const isolineLayer = (grid: Grid, axes: JsonObject, options: IsolineOptions): JsonObject => {
  const levels = levelsOf(grid, options.levels, options.scale)
  const rows: Row[] = []
  let line = 0
  for (const level of levels) {
    for (const iso of isolines(grid, level)) {
      iso.points.forEach(([x, y], k) => rows.push({ line, k, level, x, y }))
      line++
    }
  }
  return {
    data: { values: rows },
    mark: { type: 'line', color: options.color, strokeWidth: 0.8, opacity: 0.9, clip: true, aria: false },
    encoding: {
      ...axes,
      detail: { field: 'line', type: 'nominal' },
      // Lines are drawn in the order of their points, not sorted by x.
      order: { field: 'k', type: 'quantitative' },
    },
  }
}
