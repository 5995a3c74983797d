/**
 * A Vega-Lite specification as plain, readonly JSON data. The plot functions of this folder
 * return such values; nothing here needs the `vega` or `vega-lite` packages, so specs can be
 * built, inspected, tested and composed anywhere (a browser, a worker, a test) and rendered by
 * whatever draws Vega-Lite: `render.ts` in Node, vega-embed in a page, a notebook.
 *
 * Contract:
 * 1. A spec is JSON: `JSON.parse(JSON.stringify(spec))` deep-equals it (no functions, no
 *    `undefined`, no typed arrays; every number finite).
 * 2. A top-level spec carries `$schema`; specs nested by `hconcat`/`vconcat` do not.
 * 3. Specs are values: composing never mutates its arguments.
 */

/**
 * A JSON value, readonly all the way down. @category model
 * @example
 * ```ts
 * const value: plot.Json = { mark: 'line' }
 * ```
 */
export type Json = null | boolean | number | string | ReadonlyArray<Json> | JsonObject

/**
 * A JSON object, readonly. @category model
 * @example
 * ```ts
 * const view: plot.JsonObject = { mark: 'line', encoding: { x: { field: 'x', type: 'quantitative' } } }
 * plot.topLevel('my plot', view)
 * ```
 */
export type JsonObject = { readonly [key: string]: Json }

/**
 * A Vega-Lite specification: a JSON object with the schema URL at the top. Its other keys are
 * Vega-Lite's own (`data`, `mark`, `encoding`, `layer`, `vconcat`, ...), checked by Vega-Lite when
 * the spec is compiled, not here: the type keeps the library free of Vega-Lite's types.
 * @example
 * ```ts
 * const spec: plot.VegaLiteSpec = plot.activations()
 * const json = JSON.stringify(spec) // for vega-embed in a page, or render it to SVG with purenet/plot/render
 * ```
 * @category model
 */
export type VegaLiteSpec = JsonObject & { readonly $schema: string }

/**
 * The Vega-Lite schema the specs are written against (Vega-Lite 6). @category model
 * @example
 * ```ts
 * const spec = { $schema: plot.schema, mark: 'point' }
 * ```
 */
export const schema = 'https://vega.github.io/schema/vega-lite/v6.json'

/**
 * The value at a path of keys and indices in a spec (`lookup(spec, 'layer', 0, 'mark')`), or
 * `undefined` where the path leads nowhere: for tests and for reading a spec before editing it.
 * @example
 * ```ts
 * plot.lookup({ a: [{ b: 3 }] }, 'a', 0, 'b') // 3
 * ```
 * @category destructors
 */
export const lookup = (value: Json | undefined, ...path: ReadonlyArray<string | number>): Json | undefined =>
  path.reduce<Json | undefined>((v, key) => {
    if (Array.isArray(v)) return typeof key === 'number' ? (v as ReadonlyArray<Json>)[key] : undefined
    if (v !== null && typeof v === 'object' && typeof key === 'string' && Object.hasOwn(v, key)) return (v as JsonObject)[key]
    return undefined
  }, value)

/**
 * One row of inline data: a flat record of numbers and strings. @category model
 * @example
 * ```ts
 * const rows: plot.Row[] = plot.activationSamples(plot.standardActivations, [-1, 1], 3)
 * ```
 */
export type Row = { readonly [field: string]: number | string | null }

/**
 * The defaults every plot shares: readable font sizes and a white background, so an SVG looks the
 * same in a README on a dark page as on a light one.
 * @example
 * ```ts
 * const spec = { ...plot.topLevel('my plot', { mark: 'line' }), config: plot.baseConfig }
 * ```
 * @category model
 */
export const baseConfig: JsonObject = {
  background: 'white',
  padding: 12,
  font: 'sans-serif',
  title: { fontSize: 16, anchor: 'start', offset: 10 },
  axis: { labelFontSize: 12, titleFontSize: 13, grid: true, gridOpacity: 0.5 },
  legend: { labelFontSize: 12, titleFontSize: 13 },
  header: { labelFontSize: 13, titleFontSize: 14 },
  view: { stroke: '#bbb' },
}

/**
 * A plot title: the text, or the text and a subtitle. @category model
 * @example
 * ```ts
 * const title: plot.Title = { text: 'Activations', subtitle: 'and their derivatives by grad' }
 * plot.hconcat(title, plot.activations())
 * ```
 */
export type Title = string | { readonly text: string; readonly subtitle: string }

/**
 * Wraps a view as a top-level spec: schema, title and the shared config. @category constructors
 * @example
 * ```ts
 * const spec = plot.topLevel('my plot', { mark: 'line', data: { values: [{ x: 0, y: 1 }] } })
 * ```
 */
export const topLevel = (title: Title, view: JsonObject): VegaLiteSpec => ({
  $schema: schema,
  title,
  config: baseConfig,
  ...view,
})

// Keys Vega-Lite accepts only at the top; a nested view must not repeat them.
const topLevelOnly = new Set(['$schema', 'config', 'background', 'padding', 'autosize', 'usermeta'])

const nested = (spec: VegaLiteSpec): JsonObject =>
  Object.fromEntries(Object.entries(spec).filter(([k]) => !topLevelOnly.has(k)))

/**
 * Places plots side by side, in one picture with one title. Each plot keeps its own data, scales
 * and legends; the config of the first plot applies to all.
 * @example
 * ```ts
 * const spec = plot.hconcat('two views', plot.activations(), plot.activations())
 * ```
 * @category combinators
 */
export const hconcat = (title: Title, ...specs: ReadonlyArray<VegaLiteSpec>): VegaLiteSpec => concat('hconcat', title, specs)

/**
 * Stacks plots vertically, in one picture with one title. Each plot keeps its own data, scales
 * and legends; the config of the first plot applies to all.
 * @example
 * ```ts
 * const spec = plot.vconcat('two views', plot.activations(), plot.activations())
 * ```
 * @category combinators
 */
export const vconcat = (title: Title, ...specs: ReadonlyArray<VegaLiteSpec>): VegaLiteSpec => concat('vconcat', title, specs)

const concat = (key: 'hconcat' | 'vconcat', title: Title, specs: ReadonlyArray<VegaLiteSpec>): VegaLiteSpec => {
  if (specs.length === 0) throw new RangeError(`plot.${key}: give at least one spec to place`)
  const config = specs[0]!['config'] ?? baseConfig
  return {
    $schema: schema,
    title,
    config,
    [key]: specs.map(nested),
    // Each plot says what its colours mean; sharing one scale would merge unrelated legends.
    resolve: { scale: { color: 'independent' }, legend: { color: 'independent' } },
  }
}

/**
 * The scale of a loss axis: linear axes do not start at zero; a log axis cannot, so it does not
 * say `zero` at all (Vega warns when it does).
 * @example
 * ```ts
 * plot.lossScaleSpec('log') // a Vega-Lite scale for losses spanning decades
 * ```
 * @category builders
 */
export const lossScaleSpec = (type: 'linear' | 'log' = 'linear'): JsonObject => (type === 'log' ? { type } : { type, zero: false })
