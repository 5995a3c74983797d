/**
 * The learning curve of a cart-pole run as data and as a Vega-Lite picture: the return of every
 * episode (faint), its moving mean over the criterion's window (solid), the threshold (dashed) and
 * the episode at which the criterion was first met (a vertical rule).
 */
import { plot } from 'purenet'

type Row = plot.Row
type VegaLiteSpec = plot.VegaLiteSpec
const { topLevel } = plot

/** One episode of the curve: its number (from 1), its return, and the mean of the last `window` returns (null before `window` episodes). @category model */
export interface CurvePoint {
  readonly episode: number
  readonly return: number
  readonly movingMean: number | null
}

/**
 * The learning curve as rows: movingMean at episode n is mean(returns[n − window .. n)), defined
 * from episode `window` on, the quantity the solving criterion looks at.
 * @category plots
 */
export const curveData = (returns: ReadonlyArray<number>, window: number): CurvePoint[] => {
  let sum = 0
  return returns.map((r, i) => {
    sum += r
    if (i >= window) sum -= returns[i - window]!
    return { episode: i + 1, return: r, movingMean: i + 1 >= window ? sum / window : null }
  })
}

/** Options of `learningCurve`. @category plots */
export interface LearningCurveOptions {
  readonly window: number
  readonly threshold: number
  readonly solvedAt: number | undefined
  readonly title: string
  /** The run's settings in a few words, shown first in the subtitle (e.g. 'seed 0, cap 200 steps'). */
  readonly details: string
}

/**
 * The learning curve as a Vega-Lite spec, rendered by `src/plot/render.js`'s `writeSvg`.
 * @category plots
 */
export const learningCurve = (returns: ReadonlyArray<number>, options: LearningCurveOptions): VegaLiteSpec => {
  const { window, threshold, solvedAt } = options
  const rows: Row[] = curveData(returns, window).flatMap((p) => [
    { episode: p.episode, series: 'return of the episode', value: p.return },
    ...(p.movingMean === null ? [] : [{ episode: p.episode, series: `mean of the last ${window}`, value: p.movingMean }]),
  ])
  const criterion = `criterion: mean of ${window} ≥ ${threshold}`
  const series = ['return of the episode', `mean of the last ${window}`, criterion]
  // one legend for colour and dash: the three series share the field and the domain
  const legend = { orient: 'bottom-right', symbolType: 'stroke', symbolStrokeWidth: 3, labelLimit: 400, fillColor: 'white', padding: 6 }
  const color = { field: 'series', type: 'nominal', title: null, scale: { domain: series, range: ['#9ecae9', '#1f77b4', '#d62728'] }, legend }
  const strokeDash = { field: 'series', type: 'nominal', title: null, scale: { domain: series, range: [[1, 0], [1, 0], [6, 4]] }, legend }
  const x = { field: 'episode', type: 'quantitative', title: 'episode', scale: { nice: false, domain: [0, Math.max(1, returns.length)] } }
  const y = { field: 'value', type: 'quantitative', title: 'return (steps balanced)', scale: { zero: true } }
  // one line layer per series, so each can have its own width without a width legend
  const line = (name: string, strokeWidth: number) => ({
    data: { values: rows },
    transform: [{ filter: { field: 'series', equal: name } }],
    mark: { type: 'line', strokeWidth },
    encoding: { x, y, color, strokeDash },
  })
  const layers = [
    line(series[0]!, 1),
    line(series[1]!, 2.5),
    {
      data: { values: [{ series: criterion, value: threshold }] },
      mark: { type: 'rule', strokeWidth: 1.5 },
      encoding: { y: { field: 'value', type: 'quantitative' }, color, strokeDash },
    },
    ...(solvedAt === undefined ? [] : [{
      data: { values: [{ episode: solvedAt, label: `solved at episode ${solvedAt}` }] },
      layer: [
        { mark: { type: 'rule', strokeDash: [2, 3], color: '#555' }, encoding: { x: { field: 'episode', type: 'quantitative' } } },
        {
          mark: { type: 'text', align: 'left', dx: 4, dy: -4, baseline: 'bottom', fontSize: 12 },
          encoding: { x: { field: 'episode', type: 'quantitative' }, y: { datum: 0, type: 'quantitative' }, text: { field: 'label' } },
        },
      ],
    }]),
  ]
  return topLevel(
    // Vega measures text without a canvas and overestimates long titles, widening the picture
    // with empty space: keep both lines short
    { text: options.title, subtitle: options.details },
    { width: 600, height: 320, layer: layers },
  )
}
