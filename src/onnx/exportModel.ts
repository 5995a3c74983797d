/**
 * Export of a network to ONNX: the layer records (each layer's `spec` and its parameters) become
 * one ONNX graph, encoded with protobufjs and the schema of `schema.ts`. The graph takes `x` of
 * shape [batch, ...inputShape] (the batch axis is dynamic, `dim_param: "batch"`) and returns `y`
 * of shape [batch, outSize], float32.
 *
 * How each layer is written:
 *   dense                  Gemm(x, w, b)  (w as stored, [inSize, outSize]; transB = 0)
 *   relu, sigmoid, tanh, atan, softplus   Relu, Sigmoid, Tanh, Atan, Softplus
 *   leakyRelu, elu         LeakyRelu(alpha = 0.01), Elu(alpha = 1)
 *   gelu                   its tanh formula in Mul, Add and Tanh (the opset-20 Gelu op is not in opset 17)
 *   geluErf                x · (1 + Erf(x / √2)) · 0.5, as PyTorch writes GELU()
 *   softmax, logSoftmax    Softmax, LogSoftmax (axis = -1)
 *   identity, dropout      Identity (export is inference: dropout does nothing there)
 *   serial                 its layers in sequence
 *   fanOut, parallel       each branch (parallel: on its Slice of the features), then Concat(axis = 1)
 *   residual               Add(x, f(x))
 *   layerNorm              LayerNormalization (axis -1, epsilon)
 *   conv2d                 Conv (w from HWIO to OIHW; explicit pads, strides, dilations, group)
 *   maxPool2d, avgPool2d   MaxPool, AveragePool (explicit pads; count_include_pad = 0)
 *   flatten                Flatten (of NHWC order)
 *   channelsLast, channelsFirst   Reshape to NCHW; Flatten of NCHW
 * ONNX's Conv and pools take NCHW images and purenet's NHWC ones: the graph holds images as NCHW
 * and changes layout only at the edges of an image part (Reshape + Transpose [0, 3, 1, 2] before
 * the first image layer fed by rows, Transpose [0, 2, 3, 1] + Flatten before a layer that needs
 * rows), so the file takes and returns what the purenet network does.
 * A layer of any other kind (`custom`, a user's kind) is a `Left` naming the layer; no file is
 * written half. Parameters are written as float32 (float64 parameters are rounded).
 */
import * as E from 'fp-ts/lib/Either.js'
import type { AnyLayer, ChannelsSpec, LayerSpec, PoolSpec } from '../nn/index.js'
import { isSpecOf } from '../nn/index.js'
import { type Padding, type Tensor, isTensor, patchGeometry, pathIndex, pathKey, showShape } from '../tensor/index.js'

type LayerPadding = 'valid' | 'same' | readonly [readonly [number, number], readonly [number, number]]
import { type OnnxError, onnxError } from './OnnxError.js'
import { modelProto } from './schema.js'

/**
 * The oldest and newest opset `exportModel` writes. @category onnx
 * @example
 * ```ts
 * const net = nn.dense(4, 3)
 * onnx.exportModel(net, net.init(random.key(0)), { opset: onnx.exportOpsets.max })
 * ```
 */
export const exportOpsets = Object.freeze({ min: 17, max: 21 })

/**
 * Options of `exportModel`. @category onnx
 * @example
 * ```ts
 * const options: onnx.ExportOptions = { inputShape: [4], opset: 17 }
 * const net = nn.dense(4, 3)
 * onnx.exportModel(net, net.init(random.key(0)), options)
 * ```
 */
export interface ExportOptions {
  /**
   * The shape of one example, without the batch axis: `[inSize]` by default (required when every
   * layer works at any size). A longer shape (`[1, 28, 28]`) is flattened (row-major) to the
   * network's `inSize` features by a Flatten node at the start.
   */
  readonly inputShape?: ReadonlyArray<number>
  /** The ONNX opset of the default domain, 17 (the default) to 21. */
  readonly opset?: number
  /** Key-value pairs stored in the model's `metadata_props` (the CLI keeps a model file's `extra` there). */
  readonly metadata?: Readonly<Record<string, string>>
}

/**
 * The name of the graph's input and output. @category onnx
 * @example
 * ```ts
 * onnx.onnxNames.input // 'x', the name of the exported graph's input
 * ```
 */
export const onnxNames = Object.freeze({ input: 'x', output: 'y', batch: 'batch' })

const FLOAT = 1
const INT64 = 7

type Attribute = { readonly name: string; readonly type: number; readonly f?: number; readonly i?: number; readonly ints?: ReadonlyArray<number> }
type Node = { readonly name: string; readonly opType: string; readonly input: ReadonlyArray<string>; readonly output: ReadonlyArray<string>; readonly attribute: ReadonlyArray<Attribute> }
type Initializer = { readonly name: string; readonly dims: ReadonlyArray<number>; readonly dataType: number; readonly rawData: Uint8Array }

const floatAttr = (name: string, f: number): Attribute => ({ name, type: 1, f })
const intAttr = (name: string, i: number): Attribute => ({ name, type: 2, i })

const bytesOf = (data: Float32Array | BigInt64Array): Uint8Array => new Uint8Array(data.buffer, data.byteOffset, data.byteLength)

/** The graph being written: its nodes and initializers, in order (local to one export). */
interface Graph {
  readonly nodes: Node[]
  readonly initializers: Initializer[]
}

/** Adds a node and returns the name of its output, made unique by the node's index. */
const node = (g: Graph, opType: string, input: ReadonlyArray<string>, path: string, attribute: ReadonlyArray<Attribute> = []): string => {
  const name = `${path === '' ? 'net' : path}/${opType}_${g.nodes.length}`
  g.nodes.push({ name, opType, input, output: [name], attribute })
  return name
}

const floats = (g: Graph, name: string, dims: ReadonlyArray<number>, data: Float32Array): string => {
  g.initializers.push({ name, dims, dataType: FLOAT, rawData: bytesOf(data) })
  return name
}

const int64s = (g: Graph, name: string, values: ReadonlyArray<number>): string => {
  g.initializers.push({ name, dims: [values.length], dataType: INT64, rawData: bytesOf(BigInt64Array.from(values, (v) => BigInt(v))) })
  return name
}

const constant = (g: Graph, path: string, label: string, value: number): string => floats(g, `${path === '' ? 'net' : path}/${label}_${g.initializers.length}`, [], Float32Array.of(value))

const float32Of = (t: Tensor): Float32Array => (t.data instanceof Float32Array ? t.data : Float32Array.from(t.data))

/**
 * A value of the graph being written: its name and feature count, and `image` when it is an NCHW
 * image [batch, c, h, w] in the file whose purenet counterpart is the NHWC image [h, w, c] (conv
 * and pool layers); otherwise it is [batch, features] in purenet's order of features.
 */
interface Value {
  readonly output: string
  readonly features: number
  readonly image?: readonly [number, number, number]
}

/** What a layer's part of the graph returns. */
type Emitted = E.Either<OnnxError, Value>

const ints = (name: string, values: ReadonlyArray<number>): Attribute => ({ name, type: 7, ints: values })

/** `v` as [batch, features] in purenet's order (an NCHW image goes to NHWC, then is flattened). */
const flat = (g: Graph, v: Value, path: string): Value =>
  v.image === undefined ? v : { output: node(g, 'Flatten', [node(g, 'Transpose', [v.output], path, [ints('perm', [0, 2, 3, 1])])], path, [intAttr('axis', 1)]), features: v.features }

/** `v` as an NCHW image of purenet's NHWC shape [h, w, c] (flat rows are NHWC in purenet's order). */
const nchw = (g: Graph, v: Value, shape: readonly [number, number, number], path: string): Value => {
  const [h, w, c] = shape
  if (v.image !== undefined && v.image[0] === c && v.image[1] === h && v.image[2] === w) return v
  const rows = flat(g, v, path)
  const at = path === '' ? 'net' : path
  const nhwc = node(g, 'Reshape', [rows.output, int64s(g, `${at}.shape_${g.initializers.length}`, [-1, h, w, c])], path)
  return { output: node(g, 'Transpose', [nhwc], path, [ints('perm', [0, 3, 1, 2])]), features: rows.features, image: [c, h, w] }
}

/** Explicit ONNX pads [top, left, bottom, right] and output size of a window over an NHWC image shape. */
const geometry = (shape: readonly [number, number, number], kernel: readonly [number, number], options: { readonly stride: readonly [number, number]; readonly padding: LayerPadding; readonly dilation?: readonly [number, number] }) => {
  const p = patchGeometry('onnx.exportModel', [1, ...shape], kernel, { stride: options.stride, padding: options.padding as Padding, dilation: options.dilation ?? [1, 1] })
  return { pads: [p.padTop, p.padLeft, p.padBottom, p.padRight], outH: p.outH, outW: p.outW }
}

// OIHW weights (ONNX's Conv) from purenet's HWIO.
const oihw = (w: Float32Array, kh: number, kw: number, cg: number, f: number): Float32Array => {
  const out = new Float32Array(w.length)
  for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) for (let ci = 0; ci < cg; ci++) for (let o = 0; o < f; o++) out[((o * cg + ci) * kh + i) * kw + j] = w[((i * kw + j) * cg + ci) * f + o]!
  return out
}

const fail = (path: string, detail: string): E.Either<OnnxError, never> => E.left(onnxError('onnx.exportModel', path, detail))

const activationOps: Readonly<Record<string, (g: Graph, x: string, path: string) => string>> = {
  relu: (g, x, p) => node(g, 'Relu', [x], p),
  sigmoid: (g, x, p) => node(g, 'Sigmoid', [x], p),
  tanh: (g, x, p) => node(g, 'Tanh', [x], p),
  atan: (g, x, p) => node(g, 'Atan', [x], p),
  softplus: (g, x, p) => node(g, 'Softplus', [x], p),
  leakyRelu: (g, x, p) => node(g, 'LeakyRelu', [x], p, [floatAttr('alpha', 0.01)]),
  elu: (g, x, p) => node(g, 'Elu', [x], p, [floatAttr('alpha', 1)]),
  softmax: (g, x, p) => node(g, 'Softmax', [x], p, [intAttr('axis', -1)]),
  logSoftmax: (g, x, p) => node(g, 'LogSoftmax', [x], p, [intAttr('axis', -1)]),
  identity: (g, x, p) => node(g, 'Identity', [x], p),
  dropout: (g, x, p) => node(g, 'Identity', [x], p),
  // ops.gelu's formula, operation for operation: x/2 · (1 + tanh(√(2/π) (x + 0.044715 x³))).
  gelu: (g, x, p) => {
    const cube = node(g, 'Mul', [node(g, 'Mul', [x, x], p), x], p)
    const inner = node(g, 'Mul', [node(g, 'Add', [x, node(g, 'Mul', [cube, constant(g, p, 'k', 0.044715)], p)], p), constant(g, p, 'c', Math.sqrt(2 / Math.PI))], p)
    return node(g, 'Mul', [node(g, 'Mul', [x, constant(g, p, 'half', 0.5)], p), node(g, 'Add', [node(g, 'Tanh', [inner], p), constant(g, p, 'one', 1)], p)], p)
  },
  // As PyTorch writes GELU(): x · (1 + erf(x / √2)) · 0.5.
  geluErf: (g, x, p) => {
    const erf = node(g, 'Erf', [node(g, 'Div', [x, constant(g, p, 'sqrt2', Math.SQRT2)], p)], p)
    return node(g, 'Mul', [node(g, 'Mul', [x, node(g, 'Add', [erf, constant(g, p, 'one', 1)], p)], p), constant(g, p, 'half', 0.5)], p)
  },
}

const paramsArray = (path: string, name: string, params: unknown, n: number): E.Either<OnnxError, ReadonlyArray<unknown>> =>
  Array.isArray(params) && params.length === n
    ? E.right(params)
    : fail(path, `${name} expects an array of ${n} parameter trees, got ${Array.isArray(params) ? `${params.length}` : typeof params}; pass the parameters this network's init made`)

/** Writes the nodes of one layer applied to `x` (with `features` features). */
const emit = (g: Graph, spec: LayerSpec, params: unknown, value: Value, path: string): Emitted => {
  const activation = Object.hasOwn(activationOps, spec.kind) ? activationOps[spec.kind] : undefined
  if (activation !== undefined) {
    // element-wise activations work in either layout; softmax works along purenet's last axis,
    // which is an NHWC image's channels: ONNX's axis 1 of the NCHW image
    if ((spec.kind === 'softmax' || spec.kind === 'logSoftmax') && value.image !== undefined) {
      return E.right({ ...value, output: node(g, spec.kind === 'softmax' ? 'Softmax' : 'LogSoftmax', [value.output], path, [intAttr('axis', 1)]) })
    }
    return E.right({ ...value, output: activation(g, value.output, path) })
  }
  const image = emitImage(g, spec, params, value, path)
  if (image !== undefined) return image
  if (isSpecOf(spec, 'serial')) {
    const ps = paramsArray(path, 'serial', params, spec.layers.length)
    if (E.isLeft(ps)) return ps
    let current: Value = value
    for (const [i, layer] of spec.layers.entries()) {
      const r = emit(g, layer, ps.right[i], current, pathIndex(pathKey(path, 'layers'), i))
      if (E.isLeft(r)) return r
      current = r.right
    }
    return E.right(current)
  }
  // every other layer takes rows [batch, features]
  const { output: x, features } = flat(g, value, path)
  if (isSpecOf(spec, 'dense')) {
    const name = `dense(${spec.inSize}, ${spec.outSize})`
    const p = params as { readonly w?: unknown; readonly b?: unknown } | null
    const w = typeof p === 'object' && p !== null ? p.w : undefined
    const b = typeof p === 'object' && p !== null ? p.b : undefined
    if (!isTensor(w) || !isTensor(b)) return fail(path, `${name} expects parameters { w, b } of tensors; pass the parameters this network's init made`)
    if (showShape(w.shape) !== showShape([spec.inSize, spec.outSize]) || showShape(b.shape) !== showShape([spec.outSize])) {
      return fail(path, `${name} expects w of shape [${spec.inSize}, ${spec.outSize}] and b of shape [${spec.outSize}], got ${showShape(w.shape)} and ${showShape(b.shape)}`)
    }
    if (features !== spec.inSize) return fail(path, `${name} gets ${features} features; check the previous layer's size or options.inputShape`)
    const at = path === '' ? 'net' : path
    const out = node(g, 'Gemm', [x, floats(g, `${at}.w`, w.shape, float32Of(w)), floats(g, `${at}.b`, b.shape, float32Of(b))], path)
    return E.right({ output: out, features: spec.outSize })
  }
  if (isSpecOf(spec, 'layerNorm')) {
    const name = `layerNorm(${spec.size})`
    const p = params as { readonly scale?: unknown; readonly offset?: unknown } | null
    const scale = typeof p === 'object' && p !== null ? p.scale : undefined
    const offset = typeof p === 'object' && p !== null ? p.offset : undefined
    if (!isTensor(scale) || !isTensor(offset) || showShape(scale.shape) !== showShape([spec.size]) || showShape(offset.shape) !== showShape([spec.size])) {
      return fail(path, `${name} expects parameters { scale, offset } of shape [${spec.size}]; pass the parameters this network's init made`)
    }
    if (features !== spec.size) return fail(path, `${name} gets ${features} features; check the previous layer's size or options.inputShape`)
    const at = path === '' ? 'net' : path
    // LayerNormalization (opset 17): over the last axis, biased variance, as purenet's
    const out = node(g, 'LayerNormalization', [x, floats(g, `${at}.scale`, [spec.size], float32Of(scale)), floats(g, `${at}.offset`, [spec.size], float32Of(offset))], path, [intAttr('axis', -1), floatAttr('epsilon', spec.eps)])
    return E.right({ output: out, features })
  }
  if (isSpecOf(spec, 'residual')) {
    const r = emit(g, spec.layer, params, { output: x, features }, pathKey(path, 'layer'))
    if (E.isLeft(r)) return r
    if (r.right.features !== features) return fail(path, `residual's layer maps ${features} features to ${r.right.features}; x + f(x) needs the same size`)
    return E.right({ output: node(g, 'Add', [x, flat(g, r.right, path).output], path), features })
  }
  if (isSpecOf(spec, 'fanOut') || isSpecOf(spec, 'parallel')) {
    const ps = paramsArray(path, spec.kind, params, spec.layers.length)
    if (E.isLeft(ps)) return ps
    const outs: string[] = []
    let total = 0
    let offset = 0
    for (const [i, layer] of spec.layers.entries()) {
      const at = pathIndex(pathKey(path, 'layers'), i)
      let input = x
      let size = features
      if (isSpecOf(spec, 'parallel')) {
        const own = layerInSize(layer)
        if (own === undefined) return fail(at, `parallel cannot tell how many features ${layer.kind} takes; export the network as built by nn.parallel`)
        if (spec.layers.length > 1) {
          input = node(g, 'Slice', [x, int64s(g, `${at}.starts`, [offset]), int64s(g, `${at}.ends`, [offset + own]), int64s(g, `${at}.axes`, [1])], at)
        }
        size = own
        offset += own
      }
      const r = emit(g, layer, ps.right[i], { output: input, features: size }, at)
      if (E.isLeft(r)) return r
      outs.push(flat(g, r.right, at).output)
      total += r.right.features
    }
    if (isSpecOf(spec, 'parallel') && offset !== features) return fail(path, `parallel's layers take ${offset} features, but it gets ${features}`)
    return E.right({ output: outs.length === 1 ? outs[0]! : node(g, 'Concat', outs, path, [intAttr('axis', 1)]), features: total })
  }
  const named = spec.kind === 'custom' && typeof spec['name'] === 'string' ? `the layer ${spec['name']} is code (kind "custom")` : `the layer kind "${spec.kind}" has no ONNX form in purenet`
  return fail(path, `${named}, which onnx.exportModel cannot write; build the network from built-in layers (dense, the activations, dropout, serial, fanOut, parallel, residual, layerNorm, conv2d, maxPool2d, avgPool2d, flatten, channelsLast, channelsFirst)`)
}

/** The input size a spec fixes, when it fixes one. */
const layerInSize = (spec: LayerSpec): number | undefined => {
  if (isSpecOf(spec, 'dense')) return spec.inSize
  if (isSpecOf(spec, 'serial')) {
    for (const l of spec.layers) {
      const n = layerInSize(l)
      if (n !== undefined) return n
    }
    return undefined
  }
  if (isSpecOf(spec, 'residual')) return layerInSize(spec.layer)
  if (isSpecOf(spec, 'fanOut')) return spec.layers.map(layerInSize).find((n) => n !== undefined)
  if (isSpecOf(spec, 'parallel')) {
    const sizes = spec.layers.map(layerInSize)
    return sizes.every((n) => n !== undefined) ? sizes.reduce((a: number, n) => a + n!, 0) : undefined
  }
  return undefined
}

const isDim = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n > 0

/**
 * The ONNX model (opset 17 by default) that computes `net.apply(params)` in evaluation mode, as
 * protobuf bytes, or a `Left` naming the first layer ONNX cannot carry (a `custom` layer, a user's
 * kind) or the option that is wrong. The input `x` is [batch, ...inputShape] with a dynamic batch
 * axis; the output `y` is [batch, outSize]; both float32.
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(4, 8), nn.relu, nn.dense(8, 3))
 * const bytes = onnx.exportModel(net, net.init(random.key(0)), { inputShape: [4] }) // Either<OnnxError, Uint8Array>
 * ```
 * @category onnx
 */
export const exportModel = (net: AnyLayer, params: unknown, options: ExportOptions = {}): E.Either<OnnxError, Uint8Array> => {
  const opset = options.opset ?? exportOpsets.min
  if (!Number.isInteger(opset) || opset < exportOpsets.min || opset > exportOpsets.max) {
    return fail('', `options.opset is ${String(opset)}; onnx.exportModel writes opsets ${exportOpsets.min} to ${exportOpsets.max}`)
  }
  const inputShape = options.inputShape ?? (Number.isFinite(net.inSize) ? [net.inSize] : undefined)
  if (inputShape === undefined) return fail('', `${net.name} works at any size, so the input's width is unknown; pass options.inputShape (e.g. [4])`)
  if (inputShape.length === 0 || !inputShape.every(isDim)) return fail('', `options.inputShape is ${JSON.stringify(inputShape)}; expected the shape of one example, positive integers, without the batch axis`)
  const features = inputShape.reduce((a, n) => a * n, 1)
  if (Number.isFinite(net.inSize) && features !== net.inSize) {
    return fail('', `options.inputShape ${showShape(inputShape)} has ${features} features, but ${net.name} takes ${net.inSize}`)
  }
  const g: Graph = { nodes: [], initializers: [] }
  const input = inputShape.length === 1 ? onnxNames.input : node(g, 'Flatten', [onnxNames.input], '', [intAttr('axis', 1)])
  const emitted = emit(g, net.spec, params, { output: input, features }, '')
  if (E.isLeft(emitted)) return emitted
  const r = { right: flat(g, emitted.right, '') }
  // The last node writes `y` (an Identity when the network is the identity on its input).
  const last = g.nodes.length > 0 && g.nodes[g.nodes.length - 1]!.output[0] === r.right.output ? g.nodes.pop()! : { name: 'net/Identity', opType: 'Identity', input: [r.right.output], output: [], attribute: [] }
  g.nodes.push({ ...last, output: [onnxNames.output] })
  const valueInfo = (name: string, dims: ReadonlyArray<number>) => ({
    name,
    type: { tensorType: { elemType: FLOAT, shape: { dim: [{ dimParam: onnxNames.batch }, ...dims.map((d) => ({ dimValue: d }))] } } },
  })
  const model = {
    irVersion: 8,
    opsetImport: [{ domain: '', version: opset }],
    producerName: 'purenet',
    graph: {
      name: net.name,
      node: g.nodes,
      initializer: g.initializers,
      input: [valueInfo(onnxNames.input, inputShape)],
      output: [valueInfo(onnxNames.output, [r.right.features])],
    },
    metadataProps: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
  }
  return E.right(modelProto.encode(modelProto.fromObject(model)).finish())
}

/** The image layers (conv2d, the pools, flatten and the layout layers), or `undefined` for any other kind. */
const emitImage = (g: Graph, spec: LayerSpec, params: unknown, value: Value, path: string): Emitted | undefined => {
  if (isSpecOf(spec, 'flatten')) return E.right(flat(g, value, path))
  if (spec.kind === 'channelsLast') {
    const layout = spec as ChannelsSpec
    // rows in NCHW order are the NCHW image itself; purenet's NHWC copy of it is the same image
    const [c, h, w] = layout.inShape
    const rows = flat(g, value, path)
    if (rows.features !== c * h * w) return fail(path, `${spec.kind}([${layout.inShape.join(', ')}]) gets ${rows.features} features; check the previous layer's size or options.inputShape`)
    const at = path === '' ? 'net' : path
    return E.right({ output: node(g, 'Reshape', [rows.output, int64s(g, `${at}.shape_${g.initializers.length}`, [-1, c, h, w])], path), features: rows.features, image: [c, h, w] })
  }
  if (spec.kind === 'channelsFirst') {
    const layout = spec as ChannelsSpec
    // purenet's NCHW rows are the file's NCHW image, flattened
    if (value.features !== layout.inShape[0] * layout.inShape[1] * layout.inShape[2]) return fail(path, `${spec.kind}([${layout.inShape.join(', ')}]) gets ${value.features} features; check the previous layer's size or options.inputShape`)
    const v = nchw(g, value, layout.inShape, path)
    return E.right({ output: node(g, 'Flatten', [v.output], path, [intAttr('axis', 1)]), features: v.features })
  }
  if (isSpecOf(spec, 'conv2d')) {
    const [h, w, c] = spec.inShape
    const [kh, kw] = spec.kernel
    const f = spec.filters
    const cg = c / spec.groups
    const name = `conv2d([${spec.inShape.join(', ')}], ${f}, ${kh === kw ? kh : `[${kh}, ${kw}]`})`
    const p = params as { readonly w?: unknown; readonly b?: unknown } | null
    const wt = typeof p === 'object' && p !== null ? p.w : undefined
    const b = typeof p === 'object' && p !== null ? p.b : undefined
    if (!isTensor(wt) || !isTensor(b) || showShape(wt.shape) !== showShape([kh, kw, cg, f]) || showShape(b.shape) !== showShape([f])) {
      return fail(path, `${name} expects parameters { w: [${kh}, ${kw}, ${cg}, ${f}], b: [${f}] }; pass the parameters this network's init made`)
    }
    if (value.features !== h * w * c) return fail(path, `${name} gets ${value.features} features; check the previous layer's size or options.inputShape`)
    const x = nchw(g, value, spec.inShape, path)
    const geo = geometry(spec.inShape, spec.kernel, spec)
    const at = path === '' ? 'net' : path
    const out = node(g, 'Conv', [x.output, floats(g, `${at}.w`, [f, cg, kh, kw], oihw(float32Of(wt), kh, kw, cg, f)), floats(g, `${at}.b`, [f], float32Of(b))], path, [
      ints('kernel_shape', [kh, kw]), ints('strides', spec.stride), ints('pads', geo.pads), ints('dilations', spec.dilation), intAttr('group', spec.groups),
    ])
    return E.right({ output: out, features: geo.outH * geo.outW * f, image: [f, geo.outH, geo.outW] })
  }
  if (spec.kind === 'maxPool2d' || spec.kind === 'avgPool2d') {
    const pool = spec as PoolSpec
    const [h, w, c] = pool.inShape
    if (value.features !== h * w * c) return fail(path, `${spec.kind}([${pool.inShape.join(', ')}]) gets ${value.features} features; check the previous layer's size or options.inputShape`)
    const x = nchw(g, value, pool.inShape, path)
    const geo = geometry(pool.inShape, pool.window, pool)
    if (geo.pads[0]! >= pool.window[0] || geo.pads[2]! >= pool.window[0] || geo.pads[1]! >= pool.window[1] || geo.pads[3]! >= pool.window[1]) {
      return fail(path, `${spec.kind}([${pool.inShape.join(', ')}], [${pool.window.join(', ')}]) pads by [${geo.pads.join(', ')}], as much as its window or more, which ONNX Runtime refuses; use padding 'same' or pads smaller than the window`)
    }
    const attrs = [ints('kernel_shape', pool.window), ints('strides', pool.stride), ints('pads', geo.pads)]
    // purenet's average leaves padding out of the count (count_include_pad = 0, ONNX's default)
    const out = node(g, spec.kind === 'maxPool2d' ? 'MaxPool' : 'AveragePool', [x.output], path, spec.kind === 'maxPool2d' ? attrs : [...attrs, intAttr('count_include_pad', 0)])
    return E.right({ output: out, features: geo.outH * geo.outW * c, image: [c, geo.outH, geo.outW] })
  }
  return undefined
}
