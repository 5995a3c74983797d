/**
 * Optimizer trajectories on a 2-D surface: the surface as a light heat map with isolines, each
 * optimizer's path as a line through its iterates, colored by optimizer, the start and the minimum
 * marked. Paths are given, not computed here: any optimizer that produces points can be drawn.
 */
import { type Tensor, toFlatArray } from '../tensor/index.js'
import { linspace } from './contours.js'
import { type Domain, heatmapLayer, isolineLayer, levelsOf, xyEncoding } from './fieldLayers.js'
import { type Surface, sampleSurface } from './surfaces.js'
import { type JsonObject, type Row, type VegaLiteSpec, topLevel } from './VegaLiteSpec.js'

/**
 * One optimizer's iterates, start first. @category model
 * @example
 * ```ts
 * const path: plot.OptimizerPath = { name: 'sgd', points: [[-1, 1], [0, 0.5], [0.5, 0.3]] }
 * ```
 */
export interface OptimizerPath {
  readonly name: string
  /** The points visited, `[steps, 2]` or pairs. */
  readonly points: Tensor | ReadonlyArray<readonly [number, number]>
}

/**
 * Options of `optimizerPaths`; a `TestSurface` spreads into them. @category optimizers
 * @example
 * ```ts
 * const s = plot.saddle
 * const options: plot.OptimizerPathsOptions = { surface: s.surface, xDomain: s.xDomain, yDomain: s.yDomain, paths: [{ name: 'sgd', points: [s.start] }] }
 * plot.optimizerPaths(options)
 * ```
 */
export interface OptimizerPathsOptions {
  readonly surface: Surface
  readonly paths: ReadonlyArray<OptimizerPath>
  readonly xDomain: Domain
  readonly yDomain: Domain
  /** Marked with a star when given. */
  readonly minimum?: readonly [number, number] | null
  /** The surface's name, for the title. */
  readonly name?: string
  /** Grid points along each axis (default 80). */
  readonly resolution?: number
  /** How many contour lines (default 18), or their levels. */
  readonly levels?: number | ReadonlyArray<number>
  /** Spacing of contour levels and the heat map's colors (default `linear`). */
  readonly contourScale?: 'linear' | 'log'
  /** A dot on each iterate (default: when no path has more than 100). */
  readonly showIterates?: boolean
  readonly title?: string
  readonly xTitle?: string
  readonly yTitle?: string
}

const pairs = (name: string, points: OptimizerPath['points']): Array<readonly [number, number]> => {
  if (Array.isArray(points)) return points.map(([x, y]) => [x, y] as const)
  const t = points as Tensor
  if (t.shape.length !== 2 || t.shape[1] !== 2) throw new RangeError(`plot.optimizerPaths: the points of path '${name}' must have shape [steps, 2], got [${t.shape.join(', ')}]`)
  const d = toFlatArray(t)
  return Array.from({ length: t.shape[0]! }, (_, i) => [d[2 * i]!, d[2 * i + 1]!] as const)
}

// The path up to its first iterate that is not finite or lies more than a domain's width outside
// the domain: a diverging run would otherwise hand the SVG coordinates like 1e150, which the
// clip hides but some renderers take minutes over.
const visible = (points: ReadonlyArray<readonly [number, number]>, xDomain: Domain, yDomain: Domain): Array<readonly [number, number]> => {
  const near = (v: number, [lo, hi]: Domain): boolean => Number.isFinite(v) && v >= lo - (hi - lo) && v <= hi + (hi - lo)
  const end = points.findIndex(([x, y]) => !near(x, xDomain) || !near(y, yDomain))
  return points.slice(0, end === -1 ? points.length : end)
}

/**
 * Optimizer paths over the contours of a surface, as a Vega-Lite spec. A path is drawn up to its
 * first iterate that is not finite or is far outside the plot (a diverged run); iterates just
 * outside the domain are clipped at the frame.
 * @example
 * ```ts
 * const s = plot.rosenbrock
 * const spec = plot.optimizerPaths({ surface: s.surface, xDomain: s.xDomain, yDomain: s.yDomain, paths: [{ name: 'sgd', points: [s.start, [0.5, 0.5]] }] })
 * ```
 * @category optimizers
 */
export const optimizerPaths = (options: OptimizerPathsOptions): VegaLiteSpec => {
  const { xDomain, yDomain, paths } = options
  const names = paths.map((p) => p.name)
  const duplicate = names.find((n, i) => names.indexOf(n) !== i)
  if (duplicate !== undefined) throw new RangeError(`plot.optimizerPaths: two paths are named '${duplicate}'; make the names unique`)
  const resolution = options.resolution ?? 80
  const grid = sampleSurface(options.surface, linspace(xDomain[0], xDomain[1], resolution), linspace(yDomain[0], yDomain[1], resolution))
  const scale = options.contourScale ?? 'linear'
  const levels = levelsOf(grid, options.levels ?? 18, scale)
  const axes = xyEncoding(options.xTitle ?? 'x', options.yTitle ?? 'y', xDomain, yDomain)
  const rows: Row[] = paths.flatMap((p) => visible(pairs(p.name, p.points), xDomain, yDomain).map(([x, y], k) => ({ optimizer: p.name, k, x, y })))
  // A dot per iterate shows the step sizes; past ~100 iterates the dots only hide the line.
  const dots = options.showIterates ?? paths.every((p) => rows.filter((r) => r['optimizer'] === p.name).length <= 100)
  const starts: Row[] = paths.flatMap((p) => rows.filter((r) => r['optimizer'] === p.name).slice(0, 1))
  const color = { field: 'optimizer', type: 'nominal', title: 'optimizer', scale: { domain: names, scheme: 'category10' } }
  const layers: JsonObject[] = [
    heatmapLayer(grid, axes, { title: 'f(x, y)', scheme: 'greys', schemeExtent: [0, 0.3], scale, levels }),
    isolineLayer(grid, axes, { levels, scale, color: '#888' }),
    {
      data: { values: rows },
      mark: { type: 'line', strokeWidth: 2, clip: true, point: dots ? { size: 14, filled: true, clip: true, aria: false } : false, aria: false },
      encoding: { ...axes, color, order: { field: 'k', type: 'quantitative' } },
    },
    {
      data: { values: starts },
      mark: { type: 'point', shape: 'circle', size: 140, strokeWidth: 2, color: '#000', filled: false, clip: true },
      encoding: axes,
    },
  ]
  const minimum = options.minimum
  if (minimum !== undefined && minimum !== null) {
    layers.push({
      data: { values: [{ x: minimum[0], y: minimum[1] }] },
      mark: { type: 'point', shape: 'diamond', size: 160, filled: true, color: '#000', clip: true },
      encoding: axes,
    })
  }
  const title = options.title ?? (options.name === undefined ? 'Optimizer paths' : `Optimizer paths on ${options.name}`)
  const subtitle = minimum === undefined || minimum === null ? '○ start' : '○ start   ◆ minimum'
  return topLevel({ text: title, subtitle }, {
    width: 460,
    height: 460,
    layer: layers,
    resolve: { scale: { color: 'independent' } },
  })
}
