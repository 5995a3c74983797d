/**
 * Training curves: the loss of every step (raw, faint, and smoothed) and the per-epoch loss and
 * metrics, for one or several runs overlaid and colored by run name. The input is compatible with
 * `train.fit`'s history: `trainingCurves([{ name: 'adam', ...history }])`.
 */
import { exponentialMovingAverage } from './smooth.js'
import { type JsonObject, type Row, type VegaLiteSpec, lossScaleSpec, topLevel } from './VegaLiteSpec.js'

/**
 * One epoch's summary, as `train.fit` records it. @category model
 * @example
 * ```ts
 * const epochs: plot.EpochSummary[] = [{ epoch: 0, loss: 0.9 }, { epoch: 1, loss: 0.5, metrics: { accuracy: 0.8 } }]
 * plot.trainingCurves([{ name: 'run', loss: [1, 0.8, 0.6, 0.4], epochs }])
 * ```
 */
export interface EpochSummary {
  readonly epoch: number
  readonly loss: number
  readonly metrics?: Readonly<Record<string, number>>
}

/**
 * One training run: its name (the legend entry), the loss of each step and optional epoch summaries. @category model
 * @example
 * ```ts
 * const run: plot.Run = { name: 'adam', loss: [1, 0.5, 0.3] }
 * plot.trainingCurves([run])
 * ```
 */
export interface Run {
  readonly name: string
  readonly loss: ReadonlyArray<number>
  readonly epochs?: ReadonlyArray<EpochSummary>
}

/**
 * Options of `trainingCurves`. @category training
 * @example
 * ```ts
 * const options: plot.TrainingCurvesOptions = { smoothing: 0.6, lossScale: 'log' }
 * plot.trainingCurves([{ name: 'sgd', loss: [1, 0.5, 0.2] }], options)
 * ```
 */
export interface TrainingCurvesOptions {
  readonly title?: string
  /** The weight of the exponential moving average of the step losses, in [0, 1) (default 0.9). */
  readonly smoothing?: number
  /** The scale of the loss axes (default `linear`; `log` needs positive losses). */
  readonly lossScale?: 'linear' | 'log'
}

// Vega-Lite data must be JSON: a diverged run's NaN or Infinity becomes a gap in the line.
const finite = (v: number): number | null => (Number.isFinite(v) ? v : null)

const runColor = (names: ReadonlyArray<string>): JsonObject => ({
  field: 'run', type: 'nominal', title: 'run', scale: { domain: [...names] },
  // The faint per-step layer would otherwise lend its opacity to the legend's symbols.
  legend: { symbolType: 'stroke', symbolStrokeWidth: 3, symbolOpacity: 1 },
})

/**
 * The training curves of several runs, as a Vega-Lite spec: on top, the loss per step (faint) and
 * its exponential moving average (solid); below, one panel per epoch quantity (the epoch's mean
 * loss, then each metric in order of first appearance), when any run has epoch summaries; the
 * epoch axis counts from 1 (the history's `epoch` 0 is drawn as epoch 1).
 * @example
 * ```ts
 * const spec = plot.trainingCurves([{ name: 'sgd', loss: [1, 0.6, 0.4] }, { name: 'adam', loss: [1, 0.3, 0.2] }])
 * ```
 * @category training
 */
export const trainingCurves = (runs: ReadonlyArray<Run>, options: TrainingCurvesOptions = {}): VegaLiteSpec => {
  if (runs.length === 0) throw new RangeError('plot.trainingCurves: give at least one run, e.g. [{ name: "sgd", ...history }]')
  const names = runs.map((r) => r.name)
  const duplicate = names.find((n, i) => names.indexOf(n) !== i)
  if (duplicate !== undefined) throw new RangeError(`plot.trainingCurves: two runs are named '${duplicate}'; names identify runs in the legend, make them unique`)
  const smoothing = options.smoothing ?? 0.9
  const lossScale = lossScaleSpec(options.lossScale)
  const color = runColor(names)
  const steps: Row[] = runs.flatMap((run) => {
    const smoothed = exponentialMovingAverage(run.loss, smoothing)
    return run.loss.map((loss, step) => ({ run: run.name, step: step + 1, loss: finite(loss), smoothed: finite(smoothed[step]!) }))
  })
  const stepPanel: JsonObject = {
    width: 600,
    height: 320,
    title: { text: 'loss per step', subtitle: `faint: each step; solid: exponential moving average (weight ${smoothing})` },
    data: { values: steps },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: 'step', scale: { nice: false } },
      color,
    },
    layer: [
      { mark: { type: 'line', opacity: 0.25, strokeWidth: 1 }, encoding: { y: { field: 'loss', type: 'quantitative', title: 'loss', scale: lossScale } } },
      { mark: { type: 'line', strokeWidth: 2 }, encoding: { y: { field: 'smoothed', type: 'quantitative', title: 'loss', scale: lossScale } } },
    ],
  }
  const quantities: string[] = ['loss']
  const epochRows: Row[] = runs.flatMap((run) => (run.epochs ?? []).flatMap((e) => {
    const entries: Array<readonly [string, number]> = [['loss', e.loss], ...Object.entries(e.metrics ?? {})]
    return entries.map(([quantity, value]) => {
      if (!quantities.includes(quantity)) quantities.push(quantity)
      // The axis counts epochs from 1, as people do; the history's data counts from 0.
      return { run: run.name, epoch: e.epoch + 1, quantity, value: finite(value) }
    })
  }))
  const title = options.title ?? 'Training curves'
  if (epochRows.length === 0) return topLevel(title, stepPanel)
  const epochPanels: JsonObject[] = quantities.map((q) => ({
    width: 280,
    height: 220,
    title: q === 'loss' ? 'mean loss per epoch' : `${q} per epoch`,
    data: { values: epochRows },
    transform: [{ filter: { field: 'quantity', equal: q } }],
    mark: { type: 'line', point: true, strokeWidth: 2 },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 }, scale: { nice: false } },
      y: { field: 'value', type: 'quantitative', title: q, scale: q === 'loss' ? lossScale : { zero: false } },
      color,
    },
  }))
  return topLevel(title, {
    vconcat: [stepPanel, { concat: epochPanels, columns: 2 }],
    resolve: { scale: { color: 'shared' }, legend: { color: 'shared' } },
  })
}
