/**
 * Two-dimensional test functions for optimizers, built from differentiable ops, and their
 * sampling on a grid.
 *
 * Contract:
 * 1. A surface maps a tensor of shape `[..., 2]` (the last axis holds (x, y)) to shape `[...]`:
 *    a point `[2]` gives a scalar, so `grad(surface)` is the gradient an optimizer follows, and a
 *    batch `[m, 2]` gives `[m]` values, so a whole grid is evaluated in one call.
 * 2. Each surface is exported with its recommended plot domain, minimum and a starting point
 *    from which the classic optimizers behave differently; spread it into `optimizerPaths`.
 */
import { add, mul, reshape, slice, square, sub } from '../ops/index.js'
import { type Tensor, tensor, toFlatArray } from '../tensor/index.js'
import type { Grid } from './contours.js'
import type { Domain } from './fieldLayers.js'

/**
 * A function of a point `[..., 2]` to its value `[...]`. @category surfaces
 * @example
 * ```ts
 * const bowl: plot.Surface = (p) => ops.add(ops.square(plot.coordinate(p, 0)), ops.square(plot.coordinate(p, 1)))
 * plot.sampleSurface(bowl, [0, 1], [0, 1])
 * ```
 */
export type Surface = (p: Tensor) => Tensor

/**
 * A test surface and how to look at it. @category surfaces
 * @example
 * ```ts
 * const s: plot.TestSurface = plot.rosenbrock
 * s.start // where the optimizer paths begin
 * ```
 */
export interface TestSurface {
  readonly name: string
  readonly surface: Surface
  readonly xDomain: Domain
  readonly yDomain: Domain
  /** The global minimum, or `null` when there is none (the saddle). */
  readonly minimum: readonly [number, number] | null
  /** A starting point for optimizer comparisons. */
  readonly start: readonly [number, number]
  /** How to space contour lines: `log` for surfaces whose values span orders of magnitude. */
  readonly contourScale: 'linear' | 'log'
}

/**
 * The coordinate `k` (0 for x, 1 for y) of points `[..., 2]`, shaped `[...]`. @category surfaces
 * @example
 * ```ts
 * const surface = (p: Tensor) => ops.add(ops.square(plot.coordinate(p, 0)), ops.square(plot.coordinate(p, 1))) // x² + y²
 * ```
 */
export const coordinate = (p: Tensor, k: 0 | 1): Tensor => {
  const rank = p.shape.length
  if (rank === 0 || p.shape[rank - 1] !== 2) throw new RangeError(`plot.surfaces: points must have shape [..., 2], got [${p.shape.join(', ')}]`)
  const begin = p.shape.map((_, i) => (i === rank - 1 ? k : 0))
  const size = p.shape.map((d, i) => (i === rank - 1 ? 1 : d))
  return reshape(slice(p, begin, size), p.shape.slice(0, -1))
}

/**
 * Rosenbrock's banana valley: (1 - x)² + 100 (y - x²)², minimum 0 at (1, 1). @category surfaces
 * @example
 * ```ts
 * plot.rosenbrock.minimum // [1, 1]
 * ```
 */
export const rosenbrock: TestSurface = {
  name: 'Rosenbrock',
  surface: (p) => {
    const x = coordinate(p, 0)
    const y = coordinate(p, 1)
    return add(square(sub(1, x)), mul(square(sub(y, square(x))), 100))
  },
  xDomain: [-2, 2],
  yDomain: [-1, 3],
  minimum: [1, 1],
  start: [-1.5, 2.5],
  contourScale: 'log',
}

/**
 * Beale's function: (1.5 - x + xy)² + (2.25 - x + xy²)² + (2.625 - x + xy³)², minimum 0 at
 * (3, 0.5); flat valleys and steep corners.
 * @example
 * ```ts
 * const spec = plot.optimizerPaths({ surface: plot.beale.surface, paths: [], xDomain: plot.beale.xDomain, yDomain: plot.beale.yDomain })
 * ```
 * @category surfaces
 */
export const beale: TestSurface = {
  name: 'Beale',
  surface: (p) => {
    const x = coordinate(p, 0)
    const y = coordinate(p, 1)
    const term = (c: number, yk: Tensor): Tensor => square(add(sub(c, x), mul(x, yk)))
    const y2 = square(y)
    return add(add(term(1.5, y), term(2.25, y2)), term(2.625, mul(y2, y)))
  },
  xDomain: [-4.5, 4.5],
  yDomain: [-4.5, 4.5],
  minimum: [3, 0.5],
  start: [1, 1.5],
  contourScale: 'log',
}

/**
 * The saddle x² - y²: a stationary point at (0, 0) that is not a minimum; no minimum at all. @category surfaces
 * @example
 * ```ts
 * plot.saddle.surface(tensor([0, 0])) // the saddle point's value
 * ```
 */
export const saddle: TestSurface = {
  name: 'saddle',
  surface: (p) => sub(square(coordinate(p, 0)), square(coordinate(p, 1))),
  xDomain: [-2, 2],
  yDomain: [-2, 2],
  minimum: null,
  start: [1.5, 0.01],
  contourScale: 'linear',
}

/**
 * The three test surfaces, for iterating. @category surfaces
 * @example
 * ```ts
 * plot.testSurfaces.map((s) => s.name) // Rosenbrock, Beale, saddle
 * ```
 */
export const testSurfaces: ReadonlyArray<TestSurface> = [rosenbrock, beale, saddle]

/**
 * Samples a surface on the grid `xs × ys` (`values[j][i] = f(xs[i], ys[j])`): in one call on the
 * batch `[m, 2]` when the surface follows the `[..., 2] → [...]` contract, else point by point.
 * @example
 * ```ts
 * plot.sampleSurface(plot.rosenbrock.surface, plot.linspace(-2, 2, 5), plot.linspace(-1, 3, 5)) // a 5×5 grid of values
 * ```
 * @category surfaces
 */
export const sampleSurface = (surface: Surface, xs: ReadonlyArray<number>, ys: ReadonlyArray<number>): Grid => {
  const m = xs.length * ys.length
  const batch = tensor(ys.flatMap((y) => xs.flatMap((x) => [x, y])), { shape: [m, 2], dtype: 'float64' })
  const out = surface(batch)
  // A surface written only for single points (e.g. `p => sum(square(p))`) reduces the whole batch.
  const flat = out.size === m ? toFlatArray(out) : ys.flatMap((y) => xs.map((x) => toFlatArray(surface(tensor([x, y], { dtype: 'float64' })))[0]!))
  return { xs, ys, values: ys.map((_, j) => flat.slice(j * xs.length, (j + 1) * xs.length)) }
}
