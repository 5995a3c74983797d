/**
 * The decision regions of a classifier of 2-D inputs: its prediction on a grid drawn as a heat
 * map (hue: the predicted class; strength: the confidence), with the labelled data points on top.
 */
import { type Tensor, tensor, toFlatArray } from '../tensor/index.js'
import { linspace } from './contours.js'
import { type Domain, cells, xyEncoding } from './fieldLayers.js'
import { type Row, type VegaLiteSpec, topLevel } from './VegaLiteSpec.js'

/**
 * Options of `decisionRegions`. @category classifiers
 * @example
 * ```ts
 * const net = nn.dense(2, 2)
 * const params = net.init(random.key(0))
 * const options: plot.DecisionRegionsOptions = { predict: (x) => nn.predictProba(net, params, x), points: [[0, 0], [1, 1]], labels: [0, 1], resolution: 40 }
 * plot.decisionRegions(options)
 * ```
 */
export interface DecisionRegionsOptions {
  /**
   * The classifier on a batch of inputs `[m, 2]`: class probabilities `[m, k]` (apply `softmax`
   * to logits first) or, for two classes, the probability of class 1 as `[m]` or `[m, 1]`.
   */
  readonly predict: (x: Tensor) => Tensor
  /** The data points, `[n, 2]`. */
  readonly points: Tensor | ReadonlyArray<readonly [number, number]>
  /** Their classes: indices `[n]`, or one-hot rows `[n, k]`. */
  readonly labels: Tensor | ReadonlyArray<number>
  /** The x interval (default: the points' range with a 10% margin). */
  readonly xDomain?: Domain
  readonly yDomain?: Domain
  /** Grid points along each axis (default 80). */
  readonly resolution?: number
  /** Display names of the classes (default '0', '1', ...). */
  readonly classNames?: ReadonlyArray<string>
  readonly title?: string
  readonly xTitle?: string
  readonly yTitle?: string
}

const op = 'plot.decisionRegions'

const pointPairs = (points: DecisionRegionsOptions['points']): Array<readonly [number, number]> => {
  if (Array.isArray(points)) return points.map(([x, y]) => [x, y] as const)
  const t = points as Tensor
  if (t.shape.length !== 2 || t.shape[1] !== 2) throw new RangeError(`${op}: points must have shape [n, 2], got [${t.shape.join(', ')}]`)
  const d = toFlatArray(t)
  return Array.from({ length: t.shape[0]! }, (_, i) => [d[2 * i]!, d[2 * i + 1]!] as const)
}

const argmax = (row: ReadonlyArray<number>): number => row.reduce((best, v, i) => (v > row[best]! ? i : best), 0)

const labelIndices = (labels: DecisionRegionsOptions['labels'], n: number): number[] => {
  const out = Array.isArray(labels)
    ? labels.slice()
    : (() => {
        const t = labels as Tensor
        const d = toFlatArray(t)
        if (t.shape.length === 2) {
          const k = t.shape[1]!
          return Array.from({ length: t.shape[0]! }, (_, i) => argmax(d.slice(i * k, (i + 1) * k)))
        }
        return d
      })()
  if (out.length !== n) throw new RangeError(`${op}: ${n} points but ${out.length} labels; give one label per point`)
  out.forEach((c, i) => {
    if (!Number.isInteger(c) || c < 0) throw new RangeError(`${op}: labels[${i}] is ${c}; labels must be class indices 0, 1, ... (or one-hot rows)`)
  })
  return out
}

// Per grid point: the predicted class and the probability the classifier gives it.
const classify = (probabilities: Tensor, m: number): { classes: number[]; confidence: number[]; k: number } => {
  const d = toFlatArray(probabilities)
  const binary = probabilities.size === m
  if (!binary && (probabilities.shape.length !== 2 || probabilities.shape[0] !== m)) {
    throw new RangeError(`${op}: predict must map [${m}, 2] to [${m}, k] class probabilities or [${m}] probabilities of class 1, got [${probabilities.shape.join(', ')}]`)
  }
  if (d.some((p) => !(p >= -1e-6 && p <= 1 + 1e-6))) {
    throw new RangeError(`${op}: predict returned values outside [0, 1]; return probabilities, e.g. ops.softmax (or ops.sigmoid) of the network's output`)
  }
  if (binary) return { classes: d.map((p) => (p >= 0.5 ? 1 : 0)), confidence: d.map((p) => Math.max(p, 1 - p)), k: 2 }
  const k = probabilities.shape[1]!
  const classes: number[] = []
  const confidence: number[] = []
  for (let i = 0; i < m; i++) {
    const row = d.slice(i * k, (i + 1) * k)
    const c = argmax(row)
    classes.push(c)
    confidence.push(row[c]!)
  }
  return { classes, confidence, k }
}

/** The colors of classes 0, 1, ... (Tableau 10, Vega-Lite's default, repeated past 10 classes). @category classifiers */
export const classPalette: ReadonlyArray<string> = ['#4c78a8', '#f58518', '#54a24b', '#e45756', '#72b7b2', '#eeca3b', '#b279a2', '#ff9da6', '#9d755d', '#bab0ac']

// Region fills are computed here, not by an opacity channel: opaque cells outlined in their own
// color show no seams between them, and quantising the confidence to a few shades lets `cells`
// merge runs of equal cells into one rectangle.
const shades = 6
const regionFill = (color: string, confidence: number, k: number): string => {
  const t = Math.round((Math.min(1, Math.max(0, (confidence - 1 / k) / (1 - 1 / k))) * (shades - 1))) / (shades - 1)
  const strength = 0.12 + 0.43 * t
  const channel = (at: number): string => {
    const c = parseInt(color.slice(at, at + 2), 16)
    return Math.round(255 + (c - 255) * strength).toString(16).padStart(2, '0')
  }
  return `#${channel(1)}${channel(3)}${channel(5)}`
}

const padded = (vs: ReadonlyArray<number>): Domain => {
  // Folds, not Math.min(...vs): spreading a large data set would overflow the call stack.
  const lo = vs.reduce((a, v) => Math.min(a, v), Infinity)
  const hi = vs.reduce((a, v) => Math.max(a, v), -Infinity)
  const margin = hi > lo ? (hi - lo) * 0.1 : 1
  return [lo - margin, hi + margin]
}

/**
 * A classifier's decision regions and the data, as a Vega-Lite spec. Each grid cell is colored by
 * the predicted class, in one of six shades from pale (the probability of a coin toss, 1/k) to
 * strong (probability 1); the points are
 * drawn on top in their true class's color and shape, so misclassified points stand out.
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(2, 8), nn.relu, nn.dense(8, 3))
 * const params = net.init(random.key(0))
 * const spec = plot.decisionRegions({ predict: (x) => nn.predictProba(net, params, x), points: [[0, 0], [1, 1]], labels: [0, 1] })
 * ```
 * @category classifiers
 */
export const decisionRegions = (options: DecisionRegionsOptions): VegaLiteSpec => {
  const points = pointPairs(options.points)
  if (points.length === 0) throw new RangeError(`${op}: give at least one point`)
  const labels = labelIndices(options.labels, points.length)
  const xDomain = options.xDomain ?? padded(points.map((p) => p[0]))
  const yDomain = options.yDomain ?? padded(points.map((p) => p[1]))
  const resolution = options.resolution ?? 80
  const xs = linspace(xDomain[0], xDomain[1], resolution)
  const ys = linspace(yDomain[0], yDomain[1], resolution)
  const grid = ys.flatMap((y) => xs.flatMap((x) => [x, y]))
  const m = resolution * resolution
  const { classes, confidence, k } = classify(options.predict(tensor(grid, { shape: [m, 2] })), m)
  const count = labels.reduce((n, c) => Math.max(n, c + 1), k)
  const names = Array.from({ length: count }, (_, c) => options.classNames?.[c] ?? String(c))
  const nameOf = (c: number): string => names[c]!
  const colors = names.map((_, c) => classPalette[c % classPalette.length]!)
  const regions = cells(xs, ys, (i, j) => {
    const c = classes[j * resolution + i]!
    return { class: nameOf(c), fill: regionFill(colors[c]!, confidence[j * resolution + i]!, k) }
  })
  const data: Row[] = points.map(([x, y], i) => ({ x, y, class: nameOf(labels[i]!) }))
  const axes = xyEncoding(options.xTitle ?? 'x₁', options.yTitle ?? 'x₂', xDomain, yDomain)
  const color = { field: 'class', type: 'nominal', title: 'class', scale: { domain: names, range: colors } }
  const fill = { field: 'fill', type: 'nominal', scale: null, legend: null }
  const subtitle = 'shading: the predicted class, paler where the classifier is less sure'
  return topLevel({ text: options.title ?? 'Decision regions', subtitle }, {
    width: 440,
    height: 440,
    layer: [
      {
        data: { values: regions },
        mark: { type: 'rect', strokeWidth: 0.6, aria: false },
        encoding: { ...axes, x2: { field: 'x2' }, y2: { field: 'y2' }, fill, stroke: fill },
      },
      {
        data: { values: data },
        mark: { type: 'point', filled: true, size: 45, stroke: '#222', strokeWidth: 0.7, opacity: 0.95, clip: true },
        encoding: { ...axes, color, shape: { field: 'class', type: 'nominal', title: 'class', scale: { domain: names } } },
      },
    ],
  })
}
