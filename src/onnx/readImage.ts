/**
 * The image operators of an ONNX graph read as purenet layers: Conv, MaxPool, AveragePool,
 * GlobalAveragePool, GlobalMaxPool, and a Flatten or Reshape of images. ONNX images are NCHW and
 * purenet's image layers NHWC, so the walk remembers which layout purenet holds a value in
 * (`Walk.layout`): the first image operator after flat (NCHW-ordered) values starts with
 * `channelsLast`, and a Flatten of NHWC images (or an image output) with `channelsFirst`. The
 * network then takes and returns values exactly as the file does, and its layers are NHWC.
 *
 *   Conv (2-D, pads, strides, dilations, group, auto_pad)  conv2d (w from OIHW to HWIO)
 *   MaxPool, AveragePool (no dilation, ceil_mode 0; AveragePool without counting padding)   maxPool2d, avgPool2d
 *   GlobalAveragePool, GlobalMaxPool       avgPool2d, maxPool2d over the whole image
 */
import * as E from 'fp-ts/lib/Either.js'
import type { AnyLayer } from '../nn/index.js'
import * as nn from '../nn/index.js'
import { fromData } from '../tensor/index.js'
import { type GraphNode, floatsOf } from './decodeGraph.js'
import { type OnnxError, onnxError } from './OnnxError.js'
import type { Read, Step, Walk } from './Walk.js'

const fail = (path: string, detail: string): E.Either<OnnxError, never> => E.left(onnxError('onnx.importModel', path, detail))

/** The image operators read here. @category internals */
export const imageOperators: ReadonlyArray<string> = Object.freeze(['Conv', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'GlobalMaxPool'])

type Pads = readonly [readonly [number, number], readonly [number, number]]

const ints = (node: GraphNode, name: string): ReadonlyArray<number> | undefined => node.attributes.get(name)?.ints
const int = (node: GraphNode, name: string, fallback: number): number => node.attributes.get(name)?.i ?? fallback

// auto_pad SAME_*: the output is ceil(in / stride); the odd pixel goes at the end (UPPER) or the start (LOWER)
const samePads = (upper: boolean, size: number, stride: number, extent: number): readonly [number, number] => {
  const total = Math.max((Math.ceil(size / stride) - 1) * stride + extent - size, 0)
  const small = Math.floor(total / 2)
  return upper ? [small, total - small] : [total - small, small]
}

/** The window attributes of a Conv or pool: kernel, strides, dilations and pads as purenet takes them. */
const windowOf = (node: GraphNode, image: readonly [number, number], kernel: readonly [number, number]): E.Either<OnnxError, { readonly stride: readonly [number, number]; readonly dilation: readonly [number, number]; readonly padding: Pads }> => {
  const pair = (name: string, fallback: number): E.Either<OnnxError, readonly [number, number]> => {
    const v = ints(node, name)
    if (v === undefined) return E.right([fallback, fallback])
    return v.length === 2 && v.every((n) => Number.isSafeInteger(n) && n >= 1) ? E.right([v[0]!, v[1]!]) : fail(node.where, `has ${name} [${v.join(', ')}]; purenet reads 2-D windows (two positive integers)`)
  }
  const stride = pair('strides', 1)
  if (E.isLeft(stride)) return stride
  const dilation = pair('dilations', 1)
  if (E.isLeft(dilation)) return dilation
  const extent = [(kernel[0] - 1) * dilation.right[0] + 1, (kernel[1] - 1) * dilation.right[1] + 1] as const
  const auto = node.attributes.get('auto_pad')?.s ?? 'NOTSET'
  if (auto === 'SAME_UPPER' || auto === 'SAME_LOWER') {
    const up = auto === 'SAME_UPPER'
    return E.right({ stride: stride.right, dilation: dilation.right, padding: [samePads(up, image[0], stride.right[0], extent[0]), samePads(up, image[1], stride.right[1], extent[1])] })
  }
  if (auto === 'VALID') return E.right({ stride: stride.right, dilation: dilation.right, padding: [[0, 0], [0, 0]] })
  if (auto !== 'NOTSET' && auto !== '') return fail(node.where, `has auto_pad ${JSON.stringify(auto.slice(0, 20))}; ONNX knows NOTSET, SAME_UPPER, SAME_LOWER and VALID`)
  const pads = ints(node, 'pads') ?? [0, 0, 0, 0]
  if (pads.length !== 4 || !pads.every((p) => Number.isSafeInteger(p) && p >= 0)) return fail(node.where, `has pads [${pads.join(', ')}]; purenet reads 2-D pads [top, left, bottom, right] of non-negative integers`)
  return E.right({ stride: stride.right, dilation: dilation.right, padding: [[pads[0]!, pads[2]!], [pads[1]!, pads[3]!]] })
}

/** The image [c, h, w] flowing in, or a message saying why it is not one. */
const imageIn = (w: Walk, node: GraphNode): E.Either<OnnxError, readonly [number, number, number]> =>
  w.dims !== undefined && w.dims.length === 3
    ? E.right([w.dims[0]!, w.dims[1]!, w.dims[2]!])
    : fail(node.where, w.dims === undefined
      ? 'gets a value of unknown shape; purenet imports image operators when the input has a fixed shape [batch, channels, height, width]'
      : `gets a value of shape [batch, ${w.dims.join(', ')}]; purenet reads 2-D images [batch, channels, height, width]`)

/** `layer` after the layout change the walk needs (purenet holds NCHW-ordered rows until the first image layer). */
const afterLayout = (w: Walk, chw: readonly [number, number, number], layer: AnyLayer, params: unknown): Step =>
  w.layout === 'nhwc' ? { layer, params } : { layer: nn.serial(nn.channelsLast(chw), layer), params: Object.freeze([Object.freeze({}), params]) }

const built = (node: GraphNode, make: () => AnyLayer): E.Either<OnnxError, AnyLayer> =>
  E.tryCatch(make, (e) => onnxError('onnx.importModel', node.where, e instanceof Error ? e.message : String(e)))

const done = (node: GraphNode, step: Step, out: readonly [number, number, number]): Read =>
  E.right({ step, dims: [out[2], out[0], out[1]], value: node.output[0] ?? '', layout: 'nhwc' })

const readConv = (w: Walk, node: GraphNode): Read => {
  const image = imageIn(w, node)
  if (E.isLeft(image)) return image
  const [c, h, wd] = image.right
  const wName = node.input[1]
  const wT = wName === undefined ? undefined : w.graph.constants.get(wName)
  if (wT === undefined) return fail(node.where, 'has a weight that is not a constant (an initializer); purenet imports weights stored in the file')
  if (wT.dims.length !== 4) return fail(node.where, `has a weight of shape [${wT.dims.join(', ')}]; purenet reads 2-D convolutions (weights [filters, channels / group, kh, kw])`)
  const [f, cg, kh, kw] = wT.dims as [number, number, number, number]
  const group = int(node, 'group', 1)
  if (!Number.isSafeInteger(group) || group < 1 || cg * group !== c || f % group !== 0 || f === 0) return fail(node.where, `has group ${group} and a weight [${wT.dims.join(', ')}] for ${c} input channels; they do not fit`)
  const kernel = ints(node, 'kernel_shape')
  if (kernel !== undefined && (kernel[0] !== kh || kernel[1] !== kw || kernel.length !== 2)) return fail(node.where, `has kernel_shape [${kernel.join(', ')}] but a weight of [${kh}, ${kw}]`)
  const win = windowOf(node, [h, wd], [kh, kw])
  if (E.isLeft(win)) return win
  const data = floatsOf(wT)
  if (E.isLeft(data)) return data
  // OIHW -> HWIO
  const hwio = new Float32Array(data.right.length)
  const src = data.right
  for (let o = 0; o < f; o++) for (let ci = 0; ci < cg; ci++) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) hwio[((i * kw + j) * cg + ci) * f + o] = src[((o * cg + ci) * kh + i) * kw + j]!
  const bias = new Float32Array(f)
  const bName = node.input[2]
  if (bName !== undefined && bName !== '') {
    const bT = w.graph.constants.get(bName)
    if (bT === undefined) return fail(node.where, 'has a bias that is not a constant (an initializer)')
    const b = floatsOf(bT)
    if (E.isLeft(b)) return b
    if (b.right.length !== f) return fail(node.where, `has a bias of ${b.right.length} values for ${f} filters`)
    bias.set(b.right)
  }
  const layer = built(node, () => nn.conv2d([h, wd, c], f, [kh, kw], { stride: win.right.stride, dilation: win.right.dilation, padding: win.right.padding, groups: group }))
  if (E.isLeft(layer)) return layer
  const params = Object.freeze({ w: fromData([kh, kw, cg, f], hwio), b: fromData([f], bias) })
  return done(node, afterLayout(w, image.right, layer.right, params), (layer.right as nn.Conv2dLayer).outShape)
}

const readPool = (w: Walk, node: GraphNode): Read => {
  const image = imageIn(w, node)
  if (E.isLeft(image)) return image
  const [c, h, wd] = image.right
  if (node.output.length > 1 && node.output[1] !== '') return fail(node.where, 'also returns the indices of the maxima; purenet imports pools with one output')
  const global = node.opType.startsWith('Global')
  const max = node.opType === 'MaxPool' || node.opType === 'GlobalMaxPool'
  const make = max ? nn.maxPool2d : nn.avgPool2d
  let layer: E.Either<OnnxError, AnyLayer>
  if (global) layer = built(node, () => make([h, wd, c], [h, wd]))
  else {
    const kernel = ints(node, 'kernel_shape')
    if (kernel === undefined || kernel.length !== 2 || !kernel.every((k) => Number.isSafeInteger(k) && k >= 1)) return fail(node.where, `has kernel_shape ${kernel === undefined ? 'missing' : `[${kernel.join(', ')}]`}; purenet reads 2-D pools`)
    if (int(node, 'ceil_mode', 0) !== 0) return fail(node.where, 'has ceil_mode = 1; purenet pools round the output size down (ceil_mode = 0)')
    const win = windowOf(node, [h, wd], [kernel[0]!, kernel[1]!])
    if (E.isLeft(win)) return win
    if (win.right.dilation[0] !== 1 || win.right.dilation[1] !== 1) return fail(node.where, 'has dilations other than 1; purenet pools have no dilation')
    const padded = win.right.padding.some(([a, b]) => a > 0 || b > 0)
    if (!max && padded && int(node, 'count_include_pad', 0) !== 0) return fail(node.where, 'counts the padding in its averages (count_include_pad = 1); purenet averages only the pixels inside the image')
    layer = built(node, () => make([h, wd, c], [kernel[0]!, kernel[1]!], { stride: win.right.stride, padding: win.right.padding }))
  }
  if (E.isLeft(layer)) return layer
  return done(node, afterLayout(w, image.right, layer.right, Object.freeze({})), (layer.right as nn.PoolLayer).outShape)
}

/** An image operator read as a layer. @category internals */
export const readImage = (w: Walk, node: GraphNode): Read => (node.opType === 'Conv' ? readConv(w, node) : readPool(w, node))

/**
 * The layer that brings NHWC images back to the file's NCHW order (before a Flatten, or at the
 * output), for a walk whose value purenet holds as NHWC images; `undefined` otherwise.
 * @category internals
 */
export const toFileLayout = (w: Walk): Step => {
  if (w.layout !== 'nhwc' || w.dims === undefined || w.dims.length !== 3) return undefined
  const [c, h, wd] = w.dims as [number, number, number]
  return { layer: nn.serial(nn.channelsFirst([h, wd, c]), nn.flatten), params: Object.freeze([Object.freeze({}), Object.freeze({})]) }
}

/**
 * A Transpose between NCHW and NHWC images (perm [0, 3, 1, 2] or [0, 2, 3, 1]), as purenet
 * exports conv nets that take NHWC rows: mostly a change of which layout purenet's rows are in,
 * with no layer; `channelsLast` where the file turns NCHW rows purenet holds as they are into NHWC.
 * @category internals
 */
export const readTranspose = (w: Walk, node: GraphNode): Read => {
  const perm = ints(node, 'perm')?.join(',')
  const dims = w.dims
  const out = node.output[0] ?? ''
  if (dims === undefined || dims.length !== 3) return fail(node.where, `transposes a value of shape ${dims === undefined ? 'unknown' : `[batch, ${dims.join(', ')}]`}; purenet reads a Transpose only between NCHW and NHWC images of known shape`)
  const [a, b, c] = dims as [number, number, number]
  // file NHWC [h, w, c] -> NCHW [c, h, w]: purenet's rows (in the file's order) are already NHWC
  if (perm === '0,3,1,2' && w.layout === undefined) return E.right({ step: undefined, dims: [c, a, b], value: out, layout: 'nhwc' })
  if (perm === '0,2,3,1') {
    // file NCHW [c, h, w] -> NHWC [h, w, c]: purenet's NHWC images, as rows
    if (w.layout === 'nhwc') return E.right({ step: { layer: nn.flatten, params: Object.freeze({}) }, dims: [b, c, a], value: out })
    return E.right({ step: { layer: nn.channelsLast([a, b, c]), params: Object.freeze({}) }, dims: [b, c, a], value: out })
  }
  return fail(node.where, `has perm [${perm ?? ''}]; purenet reads a Transpose of images between NCHW and NHWC (perm [0, 3, 1, 2] or [0, 2, 3, 1])`)
}
