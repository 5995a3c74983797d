/**
 * Loss landscapes (Li et al., "Visualizing the Loss Landscape of Neural Nets", 2018): the loss
 * along one direction in parameter space, L(θ + αδ), as a line, and along two, L(θ + αδ + βη),
 * as a heat map with contour lines. The losses are computed elsewhere (`src/landscape/`); these
 * functions only draw them.
 */
import { type Tensor, toFlatArray } from '../tensor/index.js'
import { type Grid, checkGrid } from './contours.js'
import { type Domain, heatmapLayer, isolineLayer, levelsOf, xyEncoding } from './fieldLayers.js'
import { type Row, type VegaLiteSpec, lossScaleSpec, topLevel } from './VegaLiteSpec.js'

/**
 * Options of `lossLandscape1d`. @category landscapes
 * @example
 * ```ts
 * const options: plot.LossLandscape1dOptions = { alphas: [-1, 0, 1], losses: { small: [2, 0.5, 1.5], large: [3, 0.5, 3] }, lossScale: 'log' }
 * plot.lossLandscape1d(options)
 * ```
 */
export interface LossLandscape1dOptions {
  /** The step sizes α along the direction. */
  readonly alphas: ReadonlyArray<number>
  /** L(θ + αδ) for each α; or several named curves (e.g. `{ 'batch 32': ..., 'batch 4096': ... }`). */
  readonly losses: ReadonlyArray<number> | Readonly<Record<string, ReadonlyArray<number>>>
  /** The scale of the loss axis (default `linear`). */
  readonly lossScale?: 'linear' | 'log'
  readonly title?: string
  readonly xTitle?: string
  readonly yTitle?: string
}

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null)

/**
 * A 1-D loss landscape as a Vega-Lite spec: the loss against α, one line per curve, with the
 * trained parameters (α = 0) marked by a vertical rule.
 * @example
 * ```ts
 * const spec = plot.lossLandscape1d({ alphas: [-1, 0, 1], losses: [2, 0.5, 1.5], title: 'a slice' })
 * ```
 * @category landscapes
 */
export const lossLandscape1d = (options: LossLandscape1dOptions): VegaLiteSpec => {
  const { alphas } = options
  const named = !Array.isArray(options.losses)
  const curves: Array<readonly [string, ReadonlyArray<number>]> = named
    ? Object.entries(options.losses as Readonly<Record<string, ReadonlyArray<number>>>)
    : [['loss', options.losses as ReadonlyArray<number>]]
  if (curves.length === 0) throw new RangeError('plot.lossLandscape1d: give the losses, or at least one named curve')
  for (const [name, ls] of curves) {
    if (ls.length !== alphas.length) throw new RangeError(`plot.lossLandscape1d: ${alphas.length} alphas but ${ls.length} losses${named ? ` in '${name}'` : ''}; give one loss per alpha`)
  }
  const rows: Row[] = curves.flatMap(([curve, ls]) => alphas.map((alpha, i) => ({ curve, alpha, loss: finite(ls[i]!) })))
  const x = { field: 'alpha', type: 'quantitative', title: options.xTitle ?? 'α (step along the direction)', scale: { nice: false, zero: false } }
  const y = { field: 'loss', type: 'quantitative', title: options.yTitle ?? 'loss', scale: lossScaleSpec(options.lossScale) }
  return topLevel(options.title ?? '1-D loss landscape', {
    width: 500,
    height: 320,
    layer: [
      // a rule layer needs a row of its own to be drawn once
      { data: { values: [{}] }, mark: { type: 'rule', color: '#999', strokeDash: [4, 3] }, encoding: { x: { datum: 0 } } },
      {
        data: { values: rows },
        mark: { type: 'line', strokeWidth: 2, point: { size: 20, filled: true } },
        encoding: named ? { x, y, color: { field: 'curve', type: 'nominal', title: null, scale: { domain: curves.map(([n]) => n) } } } : { x, y },
      },
    ],
  })
}

/**
 * Options of `lossLandscape2d`. @category landscapes
 * @example
 * ```ts
 * const options: plot.LossLandscape2dOptions = { alphas: [0, 1], betas: [0, 1], losses: [[0.5, 1], [1, 2]] }
 * plot.lossLandscape2d(options)
 * ```
 */
export interface LossLandscape2dOptions {
  /** The steps α along the first direction (the x axis). */
  readonly alphas: ReadonlyArray<number>
  /** The steps β along the second direction (the y axis). */
  readonly betas: ReadonlyArray<number>
  /** `losses[i][j]` is L(θ + αᵢδ + βⱼη): rows follow alphas; or a tensor `[alphas, betas]`. */
  readonly losses: ReadonlyArray<ReadonlyArray<number>> | Tensor
  /** How many contour lines (default 20), or their levels. */
  readonly levels?: number | ReadonlyArray<number>
  /** Spacing of contour levels and heat-map colors (default `log`, which suits losses). */
  readonly scale?: 'linear' | 'log'
  readonly title?: string
  readonly xTitle?: string
  readonly yTitle?: string
}

const rowsOf = (losses: LossLandscape2dOptions['losses'], na: number, nb: number): ReadonlyArray<ReadonlyArray<number>> => {
  if (Array.isArray(losses)) return losses
  const t = losses as Tensor
  if (t.shape.length !== 2 || t.shape[0] !== na || t.shape[1] !== nb) {
    throw new RangeError(`plot.lossLandscape2d: losses must have shape [alphas, betas] = [${na}, ${nb}], got [${t.shape.join(', ')}]`)
  }
  const d = toFlatArray(t)
  return Array.from({ length: na }, (_, i) => d.slice(i * nb, (i + 1) * nb))
}

/**
 * A 2-D loss landscape as a Vega-Lite spec: a heat map of the loss over (α, β) with contour lines,
 * and the trained parameters (0, 0) marked by a cross.
 * @example
 * ```ts
 * const spec = plot.lossLandscape2d({ alphas: [-1, 0, 1], betas: [-1, 0, 1], losses: [[2, 1, 2], [1, 0.5, 1], [2, 1, 2]] })
 * ```
 * @category landscapes
 */
export const lossLandscape2d = (options: LossLandscape2dOptions): VegaLiteSpec => {
  const { alphas, betas } = options
  const losses = rowsOf(options.losses, alphas.length, betas.length)
  if (losses.length !== alphas.length || losses.some((r) => r.length !== betas.length)) {
    throw new RangeError(`plot.lossLandscape2d: losses must be ${alphas.length} rows (one per alpha) of ${betas.length} losses (one per beta)`)
  }
  // The contour grid has rows along y (β): transpose.
  const grid: Grid = checkGrid('plot.lossLandscape2d', { xs: alphas, ys: betas, values: betas.map((_, j) => alphas.map((_, i) => losses[i]![j]!)) })
  const scale = options.scale ?? 'log'
  const xDomain: Domain = [alphas[0]!, alphas[alphas.length - 1]!]
  const yDomain: Domain = [betas[0]!, betas[betas.length - 1]!]
  const levels = levelsOf(grid, options.levels ?? 20, scale)
  const axes = xyEncoding(options.xTitle ?? 'α (first direction)', options.yTitle ?? 'β (second direction)', xDomain, yDomain)
  return topLevel({ text: options.title ?? '2-D loss landscape', subtitle: '+ the trained parameters (α = β = 0)' }, {
    width: 440,
    height: 440,
    layer: [
      heatmapLayer(grid, axes, { title: 'loss', scheme: 'viridis', scale, levels }),
      isolineLayer(grid, axes, { levels, scale, color: 'white' }),
      {
        data: { values: [{ x: 0, y: 0 }] },
        mark: { type: 'point', shape: 'cross', size: 120, filled: true, color: '#d62728', clip: true },
        encoding: axes,
      },
    ],
  })
}
