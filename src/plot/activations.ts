/**
 * Activation functions and their derivatives on a grid. The derivative is never written by hand:
 * it is `grad` of the summed activation, which for an element-wise f is f′ at each grid point, so
 * the picture shows what purenet's differentiation actually computes (including the one-sided
 * choice at kinks, relu′(0) = 0).
 */
import { grad } from '../autodiff/transforms.js'
import { atan, gelu, relu, sigmoid, softplus, sum, tanh } from '../ops/index.js'
import { type Tensor, tensor, toFlatArray } from '../tensor/index.js'
import { linspace } from './contours.js'
import type { Domain } from './fieldLayers.js'
import { type Row, type VegaLiteSpec, topLevel } from './VegaLiteSpec.js'

/**
 * An element-wise differentiable function with a display name. @category model
 * @example
 * ```ts
 * const swish: plot.ActivationFunction = { name: 'swish', f: ops.silu }
 * plot.activations([swish])
 * ```
 */
export interface ActivationFunction {
  readonly name: string
  readonly f: (x: Tensor) => Tensor
}

/**
 * ReLU, logistic sigmoid, arctan, tanh, softplus and GELU, from `ops`. @category activations
 * @example
 * ```ts
 * plot.standardActivations.map((a) => a.name) // the functions plot.activations draws by default
 * ```
 */
export const standardActivations: ReadonlyArray<ActivationFunction> = [
  { name: 'ReLU', f: relu },
  { name: 'logistic sigmoid', f: sigmoid },
  { name: 'arctan', f: atan },
  { name: 'tanh', f: tanh },
  { name: 'softplus', f: softplus },
  { name: 'GELU', f: gelu },
]

/**
 * The name of the function curve in the data and legend. @category activations
 * @example
 * ```ts
 * plot.functionCurve // 'f(x)', the legend name of the function curves in plot.activations
 * ```
 */
export const functionCurve = 'f(x)'
/**
 * The name of the derivative curve in the data and legend. @category activations
 * @example
 * ```ts
 * plot.derivativeCurve // the legend name of the derivative curves in plot.activations
 * ```
 */
export const derivativeCurve = "f′(x) by grad"

/**
 * Options of `activations`. @category activations
 * @example
 * ```ts
 * const options: plot.ActivationsOptions = { domain: [-3, 3], samples: 61, columns: 2 }
 * plot.activations(plot.standardActivations, options)
 * ```
 */
export interface ActivationsOptions {
  readonly title?: string
  /** The x interval (default [-4, 4]). */
  readonly domain?: Domain
  /** Grid points (default 161; odd, so that 0 is on the grid of a symmetric domain). */
  readonly samples?: number
  /** Facets per row (default 3). */
  readonly columns?: number
}

/**
 * The values behind `activations`: for each function and grid point x, one row
 * `{ activation, x, curve: 'f(x)', value: f(x) }` and one with `curve: "f′(x) by grad"` and
 * `value: f′(x)`. Computed in float64.
 * @example
 * ```ts
 * plot.activationSamples([{ name: 'ReLU', f: ops.relu }], [-2, 2], 5) // rows of x, f(x), f'(x)
 * ```
 * @category activations
 */
export const activationSamples = (fns: ReadonlyArray<ActivationFunction>, domain: Domain, samples: number): Row[] => {
  const xs = linspace(domain[0], domain[1], samples)
  const x = tensor(xs, { dtype: 'float64' })
  return fns.flatMap(({ name, f }) => {
    const y = f(x)
    if (y.size !== x.size) throw new RangeError(`plot.activations: '${name}' must be element-wise, but maps ${x.size} points to ${y.size} values`)
    const values = toFlatArray(y)
    const derivative = toFlatArray(grad((t: Tensor) => sum(f(t)))(x))
    return xs.flatMap((xi, i) => [
      { activation: name, x: xi, curve: functionCurve, value: values[i]! },
      { activation: name, x: xi, curve: derivativeCurve, value: derivative[i]! },
    ])
  })
}

/**
 * Small multiples of activation functions (solid) and their derivatives computed by `grad`
 * (dashed), one panel per function, on shared axes so slopes compare at a glance.
 * @example
 * ```ts
 * const spec = plot.activations() // Vega-Lite: ReLU, sigmoid, arctan, ... with their derivatives by grad
 * ```
 * @category activations
 */
export const activations = (fns: ReadonlyArray<ActivationFunction> = standardActivations, options: ActivationsOptions = {}): VegaLiteSpec => {
  if (fns.length === 0) throw new RangeError('plot.activations: give at least one function, or none for the standard six')
  const domain = options.domain ?? [-4, 4]
  const rows = activationSamples(fns, domain, options.samples ?? 161)
  const curves = [functionCurve, derivativeCurve]
  const oncePerPanel = [{ aggregate: [{ op: 'count', as: 'samples' }], groupby: ['activation'] }]
  return topLevel(options.title ?? 'Activation functions and their derivatives', {
    data: { values: rows },
    columns: options.columns ?? 3,
    facet: { field: 'activation', type: 'nominal', title: null, sort: fns.map((a) => a.name), header: { labelFontWeight: 'bold' } },
    spec: {
      width: 300,
      height: 220,
      layer: [
        // One row per panel for the axes' zero lines; a rule layer over the raw rows would draw
        // each line once per sample.
        { transform: oncePerPanel, mark: { type: 'rule', color: '#999', strokeWidth: 0.8 }, encoding: { y: { datum: 0 } } },
        { transform: oncePerPanel, mark: { type: 'rule', color: '#999', strokeWidth: 0.8 }, encoding: { x: { datum: 0 } } },
        {
          mark: { type: 'line', strokeWidth: 2.2 },
          encoding: {
            x: { field: 'x', type: 'quantitative', title: 'x', scale: { domain: [...domain], nice: false } },
            y: { field: 'value', type: 'quantitative', title: 'f(x) and f′(x)' },
            color: { field: 'curve', type: 'nominal', title: null, scale: { domain: curves, range: ['#1f77b4', '#d62728'] }, legend: { orient: 'top', labelFontSize: 13, symbolStrokeWidth: 3 } },
            strokeDash: { field: 'curve', type: 'nominal', title: null, scale: { domain: curves, range: [[1, 0], [6, 3]] } },
          },
        },
      ],
    },
  })
}
