/**
 * A network at a glance, as Keras's `model.summary()`: one row per layer of a top-level `serial`
 * (one row for any other network) with its name, output shape (images as [batch, h, w, c] after
 * conv2d, the pools and batchNorm of images; [batch, features] otherwise), parameter count and the shape and
 * dtype of every parameter tensor, and the total. Read from the layer's `spec` and, when given,
 * the parameters themselves (their real dtypes); without parameters from the spec's layout.
 * `showSummary` prints it as the table `purenet inspect` shows.
 */
import * as E from 'fp-ts/lib/Either.js'
import { type DType, type Shape, type Tensor, showShape } from '../tensor/index.js'
import { type Tree, leaves, paths } from '../tree/index.js'
import { fromSpec } from './fromSpec.js'
import type { AnyLayer } from './Layer.js'
import { type LayerSpec, type ParamLayout, isSpecOf } from './LayerSpec.js'
import { paramLayout } from './paramLayout.js'

/**
 * A parameter tensor of a layer: its path within the layer's parameters, shape and dtype. @category summary
 * @example
 * ```ts
 * const params: ReadonlyArray<nn.ParamSummary> | undefined = nn.summary(nn.dense(4, 3)).layers[0]?.tensors
 * ```
 */
export interface ParamSummary {
  readonly path: string
  readonly shape: Shape
  readonly dtype: DType
}

/**
 * One row of a summary. @category summary
 * @example
 * ```ts
 * const [first]: ReadonlyArray<nn.LayerSummary> = nn.summary(nn.dense(4, 3)).layers
 * ```
 */
export interface LayerSummary {
  /** The layer's name, e.g. `dense(4, 16)`. */
  readonly name: string
  /** The output shape; `null` for the batch and for a size only known from the input. */
  readonly outputShape: ReadonlyArray<number | null>
  /** The number of parameters (tensor elements); `NaN` for a custom layer summarised without parameters. */
  readonly parameters: number
  readonly tensors: ReadonlyArray<ParamSummary>
}

/**
 * What `summary` returns. @category summary
 * @example
 * ```ts
 * const s: nn.Summary = nn.summary(nn.serial(nn.dense(4, 16), nn.relu, nn.dense(16, 3)))
 * s.parameters // 131
 * ```
 */
export interface Summary {
  readonly name: string
  readonly layers: ReadonlyArray<LayerSummary>
  /** The total number of parameters. */
  readonly parameters: number
}

const layoutTensors = (layout: ParamLayout, path: string): ParamSummary[] => {
  switch (layout.node) {
    case 'tensor':
      return [{ path, shape: layout.shape, dtype: layout.dtype }]
    case 'array':
      return layout.items.flatMap((l, i) => layoutTensors(l, `${path}[${i}]`))
    case 'record':
      return layout.fields.flatMap(([k, l]) => layoutTensors(l, path === '' ? k : `${path}.${k}`))
    case 'unknown':
      return []
  }
}

const paramTensors = (params: unknown): ParamSummary[] => {
  const ts: Tensor[] = leaves(params as Tree)
  const names = paths(params as Tree)
  return ts.map((t, i) => ({ path: names[i]!.replace(/^\./, ''), shape: t.shape, dtype: t.dtype }))
}

const hasUnknown = (layout: ParamLayout): boolean =>
  layout.node === 'unknown' || (layout.node === 'array' && layout.items.some(hasUnknown)) || (layout.node === 'record' && layout.fields.some(([, l]) => hasUnknown(l)))

// `shape` is the output per example: [features], or [h, w, c] after an image layer
const row = (name: string, spec: LayerSpec, params: unknown, shape: ReadonlyArray<number>): LayerSummary => {
  const layout = paramLayout(spec)
  const tensors = params === undefined ? layoutTensors(layout, '') : paramTensors(params)
  const parameters = params === undefined && hasUnknown(layout) ? NaN : tensors.reduce((n, t) => n + t.shape.reduce((m, d) => m * d, 1), 0)
  return { name, outputShape: [null, ...shape.map((d) => (Number.isFinite(d) ? d : null))], parameters, tensors }
}

// The image shape a layer returns (conv2d, the pools, batchNorm of images), if it states one.
const outShapeOf = (layer: AnyLayer): ReadonlyArray<number> | undefined => (layer as { readonly outShape?: ReadonlyArray<number> }).outShape

const nameOf = (spec: LayerSpec): string => {
  const r = fromSpec(spec)
  return E.isRight(r) ? r.right.name : isSpecOf(spec, 'custom') ? spec.name : spec.kind
}

/**
 * The summary of a network: a row per layer of a top-level `serial`, else one row. With `params`,
 * the counts, shapes and dtypes are those of the parameters given; without, those `init` makes.
 * @example
 * ```ts
 * nn.summary(nn.serial(nn.dense(4, 16), nn.relu, nn.dense(16, 3))).parameters // 131
 * ```
 * @category summary
 */
export const summary = (net: AnyLayer, params?: unknown): Summary => {
  const spec = net.spec
  let layers: LayerSummary[]
  if (isSpecOf(spec, 'serial') && (params === undefined || Array.isArray(params))) {
    // size-preserving layers (relu, dropout) keep the shape before them, images included
    let shape: ReadonlyArray<number> = [net.inSize]
    layers = spec.layers.map((child, i) => {
      const r = fromSpec(child)
      if (isSpecOf(child, 'flatten')) shape = [shape.reduce((a, b) => a * b, 1)]
      else if (E.isRight(r)) shape = outShapeOf(r.right) ?? (Number.isFinite(r.right.outSize) ? [r.right.outSize] : shape)
      return row(`[${i}] ${nameOf(child)}`, child, params === undefined ? undefined : (params as ReadonlyArray<unknown>)[i], shape)
    })
  } else {
    layers = [row(net.name, spec, params, outShapeOf(net) ?? [net.outSize])]
  }
  return { name: net.name, layers, parameters: layers.reduce((n, l) => n + l.parameters, 0) }
}

const count = (n: number): string => (Number.isNaN(n) ? '?' : n.toLocaleString('en-US'))
const showOutput = (shape: ReadonlyArray<number | null>): string => `[${shape.map((d, i) => (d === null ? (i === 0 ? 'batch' : 'any') : String(d))).join(', ')}]`

/**
 * The summary as a table, one line per layer and a total:
 *
 *   layer             output       parameters  tensors
 *   [0] dense(4, 16)  [batch, 16]          80  w [4, 16] float32, b [16] float32
 *   [1] relu          [batch, 16]           0
 *   ...
 *   total                                  131
 * @example
 * ```ts
 * console.log(nn.showSummary(nn.summary(nn.serial(nn.dense(4, 16), nn.relu, nn.dense(16, 3))))) // a table of layers, shapes and parameter counts
 * ```
 * @category summary
 */
export const showSummary = (s: Summary): string => {
  const rows = s.layers.map((l) => [l.name, showOutput(l.outputShape), count(l.parameters), l.tensors.map((t) => `${t.path} ${showShape(t.shape)} ${t.dtype}`).join(', ')] as const)
  const w0 = Math.max('layer'.length, 'total'.length, ...rows.map((r) => r[0].length))
  const w1 = Math.max('output'.length, ...rows.map((r) => r[1].length))
  const w2 = Math.max('parameters'.length, count(s.parameters).length, ...rows.map((r) => r[2].length))
  const line = (a: string, b: string, c: string, d: string): string => `${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c.padStart(w2)}  ${d}`.trimEnd()
  return [line('layer', 'output', 'parameters', 'tensors'), ...rows.map((r) => line(...r)), line('total', '', count(s.parameters), '')].join('\n')
}
