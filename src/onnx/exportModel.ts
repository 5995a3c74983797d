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
 * A layer of any other kind (`custom`, a user's kind) is a `Left` naming the layer; no file is
 * written half. Parameters are written as float32 (float64 parameters are rounded).
 */
import * as E from 'fp-ts/lib/Either.js'
import type { AnyLayer, LayerSpec } from '../nn/index.js'
import { isSpecOf } from '../nn/index.js'
import { type Tensor, isTensor, pathIndex, pathKey, showShape } from '../tensor/index.js'
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

type Attribute = { readonly name: string; readonly type: number; readonly f?: number; readonly i?: number }
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

/** What a layer's part of the graph returns: its output's name and feature count. */
type Emitted = E.Either<OnnxError, { readonly output: string; readonly features: number }>

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
const emit = (g: Graph, spec: LayerSpec, params: unknown, x: string, features: number, path: string): Emitted => {
  const activation = Object.hasOwn(activationOps, spec.kind) ? activationOps[spec.kind] : undefined
  if (activation !== undefined) return E.right({ output: activation(g, x, path), features })
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
  if (isSpecOf(spec, 'serial')) {
    const ps = paramsArray(path, 'serial', params, spec.layers.length)
    if (E.isLeft(ps)) return ps
    let current = { output: x, features }
    for (const [i, layer] of spec.layers.entries()) {
      const r = emit(g, layer, ps.right[i], current.output, current.features, pathIndex(pathKey(path, 'layers'), i))
      if (E.isLeft(r)) return r
      current = r.right
    }
    return E.right(current)
  }
  if (isSpecOf(spec, 'residual')) {
    const r = emit(g, spec.layer, params, x, features, pathKey(path, 'layer'))
    if (E.isLeft(r)) return r
    if (r.right.features !== features) return fail(path, `residual's layer maps ${features} features to ${r.right.features}; x + f(x) needs the same size`)
    return E.right({ output: node(g, 'Add', [x, r.right.output], path), features })
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
      const r = emit(g, layer, ps.right[i], input, size, at)
      if (E.isLeft(r)) return r
      outs.push(r.right.output)
      total += r.right.features
    }
    if (isSpecOf(spec, 'parallel') && offset !== features) return fail(path, `parallel's layers take ${offset} features, but it gets ${features}`)
    return E.right({ output: outs.length === 1 ? outs[0]! : node(g, 'Concat', outs, path, [intAttr('axis', 1)]), features: total })
  }
  const named = spec.kind === 'custom' && typeof spec['name'] === 'string' ? `the layer ${spec['name']} is code (kind "custom")` : `the layer kind "${spec.kind}" has no ONNX form in purenet`
  return fail(path, `${named}, which onnx.exportModel cannot write; build the network from built-in layers (dense, the activations, dropout, serial, fanOut, parallel, residual)`)
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
  const r = emit(g, net.spec, params, input, features, '')
  if (E.isLeft(r)) return r
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
