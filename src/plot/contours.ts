/**
 * Scalar fields on a rectangular grid and their isolines (contour lines), by marching squares.
 * Vega-Lite has no contour mark for gridded data, so the plots draw the isolines computed here as
 * ordinary `line` marks.
 *
 * Contract:
 * 1. `values[j][i]` is the field at `(xs[i], ys[j])`: rows run along y, as in matplotlib's
 *    `contour(X, Y, Z)`. `xs` and `ys` increase strictly.
 * 2. Every point of an isoline of level c lies on a grid edge whose end values bracket c, at the
 *    linear interpolation of c between them; so on a bilinear field isolines meet the edges
 *    exactly.
 * 3. Segments are joined into maximal polylines; a line that comes back to its start is `closed`
 *    and repeats its first point at the end.
 */

/**
 * A scalar field sampled on a rectangular grid. @category contours
 * @example
 * ```ts
 * const grid: plot.Grid = plot.sampleSurface(plot.saddle.surface, plot.linspace(-1, 1, 11), plot.linspace(-1, 1, 11))
 * plot.isolines(grid, 0)
 * ```
 */
export interface Grid {
  readonly xs: ReadonlyArray<number>
  readonly ys: ReadonlyArray<number>
  /** `values[j][i]` is the value at `(xs[i], ys[j])`. */
  readonly values: ReadonlyArray<ReadonlyArray<number>>
}

/**
 * One isoline: a polyline in data coordinates. @category contours
 * @example
 * ```ts
 * const lines: plot.Isoline[] = plot.isolines({ xs: [0, 1], ys: [0, 1], values: [[0, 1], [1, 2]] }, 1)
 * ```
 */
export interface Isoline {
  readonly level: number
  readonly points: ReadonlyArray<readonly [number, number]>
  readonly closed: boolean
}

/**
 * `count` evenly spaced numbers from `lo` to `hi`, both included. @category contours
 * @example
 * ```ts
 * plot.linspace(0, 1, 5) // [0, 0.25, 0.5, 0.75, 1]
 * ```
 */
export const linspace = (lo: number, hi: number, count: number): number[] => {
  if (!Number.isInteger(count) || count < 2) throw new RangeError(`plot.linspace: count must be an integer ≥ 2, got ${count}`)
  return Array.from({ length: count }, (_, i) => (i === count - 1 ? hi : lo + ((hi - lo) * i) / (count - 1)))
}

/**
 * Checks the shape of a grid; names what is wrong. @category contours
 * @example
 * ```ts
 * plot.checkGrid('myPlot', { xs: [0, 1], ys: [0, 1], values: [[0, 1], [1, 2]] })
 * ```
 */
export const checkGrid = (op: string, grid: Grid): Grid => {
  const { xs, ys, values } = grid
  if (xs.length < 2 || ys.length < 2) throw new RangeError(`${op}: a grid needs at least 2 points along each axis, got ${xs.length} x ${ys.length}`)
  const increasing = (a: ReadonlyArray<number>): boolean => a.every((v, i) => Number.isFinite(v) && (i === 0 || v > a[i - 1]!))
  if (!increasing(xs) || !increasing(ys)) throw new RangeError(`${op}: grid coordinates must be finite and strictly increasing`)
  if (values.length !== ys.length) throw new RangeError(`${op}: values has ${values.length} rows but there are ${ys.length} y coordinates (values[j][i] is the value at (xs[i], ys[j]))`)
  values.forEach((row, j) => {
    if (row.length !== xs.length) throw new RangeError(`${op}: values[${j}] has ${row.length} entries but there are ${xs.length} x coordinates`)
  })
  return grid
}

// Edges are named by the grid vertex they start at: horizontal edges run from (i, j) to (i+1, j),
// vertical ones from (i, j) to (i, j+1). A crossing point is identified by its edge, which is how
// segments from neighbouring cells are joined.
type Edge = number

/**
 * The isolines of level `level` of a gridded field, by marching squares. Ambiguous cells (two
 * opposite corners above the level, two below) are resolved by the mean of the four corners, the
 * usual "asymptotic decider" shortcut. Cells with a non-finite corner draw nothing.
 * @example
 * ```ts
 * plot.isolines({ xs: [0, 1], ys: [0, 1], values: [[0, 1], [1, 2]] }, 1) // the contour at level 1
 * ```
 * @category contours
 */
export const isolines = (grid: Grid, level: number): Isoline[] => {
  const { xs, ys, values } = checkGrid('plot.isolines', grid)
  const nx = xs.length
  const ny = ys.length
  const v = (i: number, j: number): number => values[j]![i]!
  const hEdge = (i: number, j: number): Edge => 2 * (j * nx + i)
  const vEdge = (i: number, j: number): Edge => 2 * (j * nx + i) + 1
  const point = new Map<Edge, readonly [number, number]>()
  const crossing = (e: Edge): Edge => {
    if (!point.has(e)) {
      const vertex = e >> 1
      const i = vertex % nx
      const j = (vertex - i) / nx
      const [i2, j2] = e % 2 === 0 ? [i + 1, j] : [i, j + 1]
      const a = v(i, j)
      const b = v(i2, j2)
      const t = a === b ? 0.5 : (level - a) / (b - a)
      point.set(e, [xs[i]! + t * (xs[i2]! - xs[i]!), ys[j]! + t * (ys[j2]! - ys[j]!)])
    }
    return e
  }
  const neighbours = new Map<Edge, Edge[]>()
  const link = (a: Edge, b: Edge): void => {
    neighbours.set(a, [...(neighbours.get(a) ?? []), b])
    neighbours.set(b, [...(neighbours.get(b) ?? []), a])
  }
  for (let j = 0; j < ny - 1; j++) {
    for (let i = 0; i < nx - 1; i++) {
      const c = [v(i, j), v(i + 1, j), v(i + 1, j + 1), v(i, j + 1)] as const
      if (!c.every(Number.isFinite)) continue
      // Corners counter-clockwise from bottom-left; a set bit means "at or above the level".
      const code = (c[0] >= level ? 1 : 0) | (c[1] >= level ? 2 : 0) | (c[2] >= level ? 4 : 0) | (c[3] >= level ? 8 : 0)
      if (code === 0 || code === 15) continue
      const bottom = (): Edge => crossing(hEdge(i, j))
      const right = (): Edge => crossing(vEdge(i + 1, j))
      const top = (): Edge => crossing(hEdge(i, j + 1))
      const left = (): Edge => crossing(vEdge(i, j))
      const centreAbove = (c[0] + c[1] + c[2] + c[3]) / 4 >= level
      switch (code) {
        case 1: case 14: link(left(), bottom()); break
        case 2: case 13: link(bottom(), right()); break
        case 3: case 12: link(left(), right()); break
        case 4: case 11: link(right(), top()); break
        case 6: case 9: link(bottom(), top()); break
        case 7: case 8: link(left(), top()); break
        case 5:
          // Bottom-left and top-right above: join them through the centre, or keep them apart.
          if (centreAbove) { link(left(), top()); link(bottom(), right()) } else { link(left(), bottom()); link(right(), top()) }
          break
        case 10:
          if (centreAbove) { link(left(), bottom()); link(right(), top()) } else { link(left(), top()); link(bottom(), right()) }
          break
      }
    }
  }
  return stitch(neighbours, point, level)
}

// Walks the crossing graph (every vertex has degree 1 or 2) into polylines: open chains from their
// ends first, then whatever is left are cycles.
const stitch = (neighbours: ReadonlyMap<Edge, ReadonlyArray<Edge>>, point: ReadonlyMap<Edge, readonly [number, number]>, level: number): Isoline[] => {
  const visited = new Set<Edge>()
  const walk = (start: Edge): Edge[] => {
    const path = [start]
    visited.add(start)
    let current = start
    for (;;) {
      const next = (neighbours.get(current) ?? []).find((n) => !visited.has(n))
      if (next === undefined) return path
      visited.add(next)
      path.push(next)
      current = next
    }
  }
  const lines: Isoline[] = []
  const emit = (path: ReadonlyArray<Edge>, closed: boolean): void => {
    const points = path.map((e) => point.get(e)!)
    lines.push({ level, points: closed ? [...points, points[0]!] : points, closed })
  }
  const order = [...neighbours.keys()].sort((a, b) => a - b)
  for (const e of order) if (!visited.has(e) && neighbours.get(e)!.length === 1) emit(walk(e), false)
  for (const e of order) if (!visited.has(e)) emit(walk(e), true)
  return lines
}

/**
 * `count` contour levels strictly inside [lo, hi]: evenly spaced (`linear`), or evenly spaced in
 * log(v - lo + offset) (`log`), which puts most lines near the minimum, where a loss surface
 * such as Rosenbrock's is flat and interesting, instead of on its steep walls.
 * @example
 * ```ts
 * plot.contourLevels(0.1, 100, 4, 'log') // four levels between 0.1 and 100, evenly spaced on a log scale
 * ```
 * @category contours
 */
export const contourLevels = (lo: number, hi: number, count: number, scale: 'linear' | 'log' = 'linear'): number[] => {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`plot.contourLevels: count must be a positive integer, got ${count}`)
  if (!(Number.isFinite(lo) && Number.isFinite(hi)) || hi <= lo) return []
  const inner = (a: number, b: number): number[] => Array.from({ length: count }, (_, k) => a + ((b - a) * (k + 1)) / (count + 1))
  if (scale === 'linear') return inner(lo, hi)
  // Shift so the smallest value maps to a small positive number: a range spanning several orders
  // of magnitude gets lines in each.
  const offset = (hi - lo) * 1e-4
  return inner(Math.log(offset), Math.log(hi - lo + offset)).map((l) => lo + Math.exp(l) - offset)
}

/**
 * The smallest and largest finite value of a grid (`[NaN, NaN]` when there is none). @category contours
 * @example
 * ```ts
 * plot.extent([[1, 5], [-2, 3]]) // [-2, 5]
 * ```
 */
export const extent = (values: ReadonlyArray<ReadonlyArray<number>>): readonly [number, number] => {
  let lo = Infinity
  let hi = -Infinity
  for (const row of values) for (const v of row) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v) }
  return lo <= hi ? [lo, hi] : [NaN, NaN]
}
