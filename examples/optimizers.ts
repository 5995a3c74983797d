/**
 * Optimizer paths on the 2-D test surfaces of `src/plot` (Rosenbrock's valley, Beale's function,
 * the saddle x² - y²): plain SGD, SGD with momentum and Adam from the same start, each following
 * `grad` of the surface, drawn on one contour plot per surface.
 *
 * SGD and momentum share a learning rate, so the picture shows what momentum alone adds; Adam,
 * whose steps are about `lr` long whatever the gradient's size, has its own. A path stops at the
 * first iterate outside the plotted domain (on the saddle every method leaves it, as it should).
 *
 *   npx tsx examples/optimizers.ts [--out docs] [--quick]
 */
import * as t from 'io-ts'
import { join } from 'node:path'
import { type Tensor, grad, item, optim, plot, tensor, toFlatArray } from 'purenet'
import { writeSvg } from 'purenet/plot/render'
import { type Flag, bool, command } from './cli.js'

/** How each surface is run: the number of steps and the learning rates. */
export interface SurfaceSettings {
  readonly steps: number
  /** The learning rate of SGD and of momentum (β = 0.9). */
  readonly lr: number
  readonly adamLr: number
}

/** The settings of the committed pictures, chosen so each method's character shows. */
export const settings: Readonly<Record<string, SurfaceSettings>> = {
  Rosenbrock: { steps: 1000, lr: 5e-4, adamLr: 0.1 },
  Beale: { steps: 1000, lr: 1e-3, adamLr: 0.1 },
  saddle: { steps: 300, lr: 0.01, adamLr: 0.01 },
}

/** One optimizer's iterates on a surface. */
export interface Path {
  readonly name: string
  readonly points: ReadonlyArray<readonly [number, number]>
  /** The surface's value at the last point. */
  readonly final: number
  /** Whether the path stopped early because it left the domain. */
  readonly left: boolean
}

const inside = (s: plot.TestSurface, [x, y]: readonly [number, number]): boolean =>
  x >= s.xDomain[0] && x <= s.xDomain[1] && y >= s.yDomain[0] && y <= s.yDomain[1]

/**
 * The iterates of `optimizer` on `s` from `s.start`, in float64: at most `steps` steps, stopping
 * after the first point outside the plotted domain (which is kept, so the line reaches the frame).
 */
export const descend = (s: plot.TestSurface, name: string, optimizer: optim.Optimizer, steps: number): Path => {
  const gradient = grad((p: Tensor) => s.surface(p))
  let p = tensor([...s.start], { dtype: 'float64' })
  let state = optimizer.init(p)
  const points: Array<readonly [number, number]> = [s.start]
  let left = false
  for (let k = 0; k < steps && !left; k++) {
    const [updates, next] = optimizer.update(gradient(p), state, p)
    state = next
    p = optim.applyUpdates(p, updates)
    const [x, y] = toFlatArray(p) as [number, number]
    points.push([x, y])
    left = !inside(s, [x, y])
  }
  return { name, points, final: item(s.surface(p)), left }
}

/**
 * A layer marking where each path ends inside the frame (a square in the path's color; a path that
 * left the frame has none): where the paths overlap
 * along a valley, the end marks show how far each got. Colors follow the same domain and scheme
 * as `plot.optimizerPaths`' lines; the axes are shared with the other layers.
 */
const endsLayer = (paths: ReadonlyArray<Path>): plot.JsonObject => ({
  data: { values: paths.filter((p) => !p.left).map((p) => ({ optimizer: p.name, x: p.points[p.points.length - 1]![0], y: p.points[p.points.length - 1]![1] })) },
  mark: { type: 'square', size: 110, filled: true, opacity: 1, stroke: 'white', strokeWidth: 1, clip: true },
  encoding: {
    x: { field: 'x', type: 'quantitative' },
    y: { field: 'y', type: 'quantitative' },
    color: { field: 'optimizer', type: 'nominal', scale: { domain: paths.map((p) => p.name), scheme: 'category10' }, legend: null },
  },
})

const insertBeforeMinimum = (layers: ReadonlyArray<plot.JsonObject>, layer: plot.JsonObject, hasMinimum: boolean): ReadonlyArray<plot.JsonObject> =>
  hasMinimum ? [...layers.slice(0, -1), layer, ...layers.slice(-1)] : [...layers, layer]

/**
 * The points of a path that are at least `minDistance` from the previous kept point, and the
 * last one: near convergence thousands of iterates pile up on one spot, and drawing each would
 * only make the SVG heavy. Zig-zags, whose steps are long, are kept.
 */
export const thin = (points: ReadonlyArray<readonly [number, number]>, minDistance: number): ReadonlyArray<readonly [number, number]> => {
  const kept: Array<readonly [number, number]> = []
  points.forEach((p, i) => {
    const last = kept[kept.length - 1]
    if (last === undefined || i === points.length - 1 || Math.hypot(p[0] - last[0], p[1] - last[1]) >= minDistance) kept.push(p)
  })
  return kept
}

/** Options of `run`. */
export interface OptimizersOptions {
  /** Sample the surfaces coarsely (the paths are the same), for tests. */
  readonly quick?: boolean
  /** Write `optimizers-<surface>.svg` into this folder (nothing is written without it). */
  readonly outDir?: string
  readonly log?: (line: string) => void
}

/** Runs the three optimizers on the three surfaces; returns the paths and the specs. */
export const run = async (options: OptimizersOptions = {}) => {
  const log = options.log ?? (() => undefined)
  const results = plot.testSurfaces.map((s) => {
    const { steps, lr, adamLr } = settings[s.name] ?? { steps: 500, lr: 1e-3, adamLr: 0.01 }
    // Adam first, so that the slower methods, which stop short along the same valley, are drawn
    // on top of it and stay visible.
    const paths = [
      descend(s, 'Adam', optim.adam(adamLr), steps),
      descend(s, 'momentum', optim.momentum(lr, { beta: 0.9 }), steps),
      descend(s, 'SGD', optim.sgd(lr), steps),
    ]
    for (const p of paths) {
      const [x, y] = p.points[p.points.length - 1]!
      log(`${s.name}: ${p.name.padEnd(8)} ${String(p.points.length - 1).padStart(4)} steps, ends at (${x.toFixed(3)}, ${y.toFixed(3)}), f = ${p.final.toPrecision(4)}${p.left ? ' (left the domain)' : ''}`)
    }
    const width = Math.max(s.xDomain[1] - s.xDomain[0], s.yDomain[1] - s.yDomain[0])
    const drawn = paths.map((p) => ({ name: p.name, points: thin(p.points, width / 300) }))
    const base = plot.optimizerPaths({ ...s, paths: drawn, ...(options.quick === true ? { resolution: 30 } : {}) })
    const spec = {
      ...base,
      // under the minimum's diamond (the last layer when there is a minimum), over everything else
      layer: insertBeforeMinimum(base['layer'] as ReadonlyArray<plot.JsonObject>, endsLayer(paths), s.minimum !== null),
      title: {
        text: `${s.name.charAt(0).toUpperCase()}${s.name.slice(1)}: SGD, momentum and Adam`,
        subtitle: [
          `SGD and momentum (β = 0.9): lr ${lr}; Adam: lr ${adamLr}; at most ${steps} steps`,
          [
            '○ start',
            ...(paths.some((p) => !p.left) ? ['■ end'] : []),
            ...(s.minimum === null ? [] : ['◆ minimum']),
          ].join('   '),
          ...(paths.some((p) => p.left) ? [`steps until the path leaves the frame: ${paths.filter((p) => p.left).map((p) => `${p.name} ${p.points.length - 1}`).join(', ')}`] : []),
        ],
      },
    }
    return { surface: s, steps, paths, spec }
  })
  const files: string[] = []
  if (options.outDir !== undefined) {
    for (const r of results) {
      const file = join(options.outDir, `optimizers-${r.surface.name.toLowerCase()}.svg`)
      await writeSvg(file, r.spec)
      files.push(file)
      log(`wrote ${file}`)
    }
  }
  return { results, files }
}

const flags = {
  out: { type: 'string', codec: t.string, help: 'folder for the SVGs (default docs)' } satisfies Flag<string>,
  quick: bool('coarse surfaces, for tests'),
  help: bool('show this help'),
}

command({ name: 'optimizers', usage: 'npx tsx examples/optimizers.ts', url: import.meta.url }, flags, async (f) => {
  await run({ quick: f.quick === true, outDir: f.out ?? 'docs', log: (line) => process.stdout.write(`${line}\n`) })
})
