/**
 * One node (or a MatMul and its Add) of an ONNX graph read as a layer: the operators `importModel`
 * reads, their attributes and weights, checked against the value flowing in.
 */
import * as E from 'fp-ts/lib/Either.js'
import type { AnyLayer } from '../nn/index.js'
import * as nn from '../nn/index.js'
import * as O from '../ops/index.js'
import { type Tensor, fromData } from '../tensor/index.js'
import { type GraphNode, type GraphTensor, floatsOf, intsOf, quote } from './decodeGraph.js'
import { type OnnxError, onnxError } from './OnnxError.js'
import { readImage, readTranspose, toFileLayout } from './readImage.js'
import type { Read, Step, Walk } from './Walk.js'

export type { Read, Step, Walk } from './Walk.js'

const fail = (path: string, detail: string): E.Either<OnnxError, never> => E.left(onnxError('onnx.importModel', path, detail))

const simple: Readonly<Record<string, AnyLayer>> = { Relu: nn.relu, Sigmoid: nn.sigmoid, Tanh: nn.tanh, Atan: nn.atan, Softplus: nn.softplus }

const constantOf = (w: Walk, node: GraphNode, name: string | undefined, what: string): E.Either<OnnxError, GraphTensor> => {
  const t = name === undefined ? undefined : w.graph.constants.get(name)
  return t === undefined
    ? fail(node.where, `${what} ${name === undefined ? 'is missing' : `${quote(name)} is not a constant (an initializer)`}; purenet imports weights stored in the file`)
    : E.right(t)
}

const features = (dims: ReadonlyArray<number> | undefined): number | undefined => (dims === undefined || dims.length !== 1 ? undefined : dims[0])

/** A dense layer from weights [in, out] (already transposed) and a bias broadcastable to [out]. */
const denseOf = (node: GraphNode, w: Walk, inSize: number, outSize: number, weights: Float32Array, bias: Float32Array | undefined): E.Either<OnnxError, { readonly step: Step; readonly dims: ReadonlyArray<number> }> => {
  const have = features(w.dims)
  if (w.dims !== undefined && w.dims.length !== 1) return fail(node.where, `gets a value of shape [batch, ${w.dims.join(', ')}]; flatten it first (Flatten) — purenet's dense layers take [batch, features]`)
  if (have !== undefined && have !== inSize) return fail(node.where, `takes ${inSize} features, but the previous value has ${have}`)
  const b = new Float32Array(outSize)
  if (bias !== undefined) {
    if (bias.length !== outSize && bias.length !== 1) return fail(node.where, `has a bias of ${bias.length} values for ${outSize} outputs`)
    for (let i = 0; i < outSize; i++) b[i] = bias.length === 1 ? bias[0]! : bias[i]!
  }
  const layer = nn.dense(inSize, outSize)
  const params = Object.freeze({ w: fromData([inSize, outSize], weights), b: fromData([outSize], b) })
  return E.right({ step: { layer, params }, dims: [outSize] })
}

const transpose = (data: Float32Array, rows: number, cols: number): Float32Array => {
  const out = new Float32Array(data.length)
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c]!
  return out
}

const scaled = (data: Float32Array, by: number): Float32Array => (by === 1 ? data : data.map((v) => v * by))

const attrInt = (node: GraphNode, name: string, fallback: number): number => node.attributes.get(name)?.i ?? fallback
const attrFloat = (node: GraphNode, name: string, fallback: number): number => node.attributes.get(name)?.f ?? fallback


const readGemm = (w: Walk, node: GraphNode): Read => {
  if (attrInt(node, 'transA', 0) !== 0) return fail(node.where, 'has transA = 1, which transposes the batch; purenet imports Gemm with the input as A')
  const b = constantOf(w, node, node.input[1], 'its weight B')
  if (E.isLeft(b)) return b
  if (b.right.dims.length !== 2) return fail(node.where, `has a weight B of ${b.right.dims.length} dims; expected 2`)
  const transB = attrInt(node, 'transB', 0) !== 0
  const [r, c] = b.right.dims as [number, number]
  const [inSize, outSize] = transB ? [c, r] : [r, c]
  if (inSize === 0 || outSize === 0) return fail(node.where, `has a weight B of shape [${r}, ${c}]; a layer needs at least one input and output`)
  const data = floatsOf(b.right)
  if (E.isLeft(data)) return data
  let bias: Float32Array | undefined
  if (node.input[2] !== undefined && node.input[2] !== '') {
    const cT = constantOf(w, node, node.input[2], 'its bias C')
    if (E.isLeft(cT)) return cT
    const cData = floatsOf(cT.right)
    if (E.isLeft(cData)) return cData
    bias = scaled(cData.right, attrFloat(node, 'beta', 1))
  }
  const weights = scaled(transB ? transpose(data.right, r, c) : data.right, attrFloat(node, 'alpha', 1))
  const d = denseOf(node, w, inSize, outSize, weights, bias)
  return E.isLeft(d) ? d : E.right({ ...d.right, value: node.output[0] ?? '' })
}

const readMatMul = (w: Walk, node: GraphNode, next: GraphNode | undefined): Read => {
  const b = constantOf(w, node, node.input[1], 'its second operand')
  if (E.isLeft(b)) return b
  if (b.right.dims.length !== 2 || b.right.dims[0] === 0 || b.right.dims[1] === 0) return fail(node.where, `multiplies by a constant of shape [${b.right.dims.join(', ')}]; purenet imports MatMul by a weight matrix [in, out]`)
  const data = floatsOf(b.right)
  if (E.isLeft(data)) return data
  const [inSize, outSize] = b.right.dims as [number, number]
  const out = node.output[0] ?? ''
  // A following Add of a constant to this MatMul's output is the bias.
  const biasName = next?.opType === 'Add' && next.input.length === 2 && next.input.includes(out) ? next.input.find((n) => n !== out) : undefined
  const biasT = biasName === undefined ? undefined : w.graph.constants.get(biasName)
  let bias: Float32Array | undefined
  if (biasT !== undefined) {
    const bd = floatsOf(biasT)
    if (E.isLeft(bd)) return bd
    bias = bd.right
  }
  const d = denseOf(node, w, inSize, outSize, data.right, bias)
  return E.isLeft(d) ? d : E.right({ ...d.right, value: bias === undefined ? out : next!.output[0] ?? '' })
}

/** Flatten or Reshape: accepted when the result is [batch, all features]. */
const readFlatten = (w: Walk, node: GraphNode): Read => {
  const dims = w.dims
  const size = dims?.reduce((a, n) => a * n, 1)
  const done = (): Read => E.right({ step: undefined, dims: size === undefined ? undefined : [size], value: node.output[0] ?? '' })
  if (node.opType === 'Flatten') {
    const axis = attrInt(node, 'axis', 1)
    return axis === 1 || (dims !== undefined && axis === -dims.length) ? done() : fail(node.where, `flattens from axis ${axis}; purenet keeps the batch axis and flattens the rest (axis = 1)`)
  }
  const shapeT = constantOf(w, node, node.input[1], 'its shape')
  if (E.isLeft(shapeT)) return shapeT
  const shape = intsOf(shapeT.right)
  if (E.isLeft(shape)) return shape
  const [first, second] = shape.right
  // to images [batch, c, h, w] of the same features: the rows in the file's order, seen as NCHW
  if (shape.right.length === 4 && (first === 0 || first === -1) && shape.right.slice(1).every((d) => d > 0) && size !== undefined && shape.right[1]! * shape.right[2]! * shape.right[3]! === size) {
    return E.right({ step: undefined, dims: shape.right.slice(1), value: node.output[0] ?? '' })
  }
  const keepsBatch = shape.right.length === 2 && (first === 0 || first === -1)
  const flat = second === -1 ? first === 0 : size === undefined || second === size
  return keepsBatch && flat ? done() : fail(node.where, `reshapes to [${shape.right.join(', ')}]; purenet imports a Reshape only to [batch, features] (e.g. [0, -1] or [-1, ${size ?? 'features'}])`)
}

const lastAxis = (w: Walk, node: GraphNode): boolean => {
  const axis = attrInt(node, 'axis', w.graph.opset >= 13 ? -1 : 1)
  // NCHW images that purenet holds as NHWC: the channels (axis 1 in the file) are purenet's last axis
  if (w.layout === 'nhwc') return axis === 1 || axis === -3
  return axis === -1 || axis === (w.dims?.length ?? 1)
}

// The shortest decimal that is the same float32 (ONNX stores epsilon as a float: 1e-5 comes back as 1e-5).
const shortest = (f: number): number => {
  for (let p = 1; p <= 9; p++) {
    const v = Number(f.toPrecision(p))
    if (Math.fround(v) === Math.fround(f)) return v
  }
  return f
}

/** LayerNormalization over the last axis of rows, with constant scale and bias: layerNorm. */
const readLayerNorm = (w: Walk, node: GraphNode): Read => {
  const size = features(w.dims)
  if (size === undefined || w.layout !== undefined) return fail(node.where, `normalises a value of shape ${w.dims === undefined ? 'unknown' : `[batch, ${w.dims.join(', ')}]`}; purenet imports LayerNormalization of rows [batch, features] of known size`)
  const axis = attrInt(node, 'axis', -1)
  if (axis !== -1 && axis !== 1) return fail(node.where, `normalises from axis ${axis}; purenet's layerNorm normalises the features (axis -1)`)
  if (node.output.length > 1 && node.output.slice(1).some((o) => o !== '')) return fail(node.where, 'also returns its mean or inverse deviation; purenet imports LayerNormalization with one output')
  const read = (i: number, what: string, fill: number): E.Either<OnnxError, Float32Array> => {
    const name = node.input[i]
    if (name === undefined || name === '') return E.right(new Float32Array(size).fill(fill))
    const t = constantOf(w, node, name, what)
    if (E.isLeft(t)) return t
    const d = floatsOf(t.right)
    return E.isLeft(d) ? d : d.right.length === size ? d : fail(node.where, `has a ${what} of ${d.right.length} values for ${size} features`)
  }
  const scale = read(1, 'scale', 1)
  if (E.isLeft(scale)) return scale
  const bias = read(2, 'bias', 0)
  if (E.isLeft(bias)) return bias
  const eps = shortest(attrFloat(node, 'epsilon', 1e-5))
  if (!(eps > 0)) return fail(node.where, `has epsilon ${eps}; purenet's layerNorm needs a positive epsilon`)
  return E.right({ step: { layer: nn.layerNorm(size, { eps }), params: Object.freeze({ scale: fromData([size], scale.right), offset: fromData([size], bias.right) }) }, dims: w.dims, value: node.output[0] ?? '' })
}

/** The layer of one node (a MatMul with the Add `next` of its bias) given the value flowing in. @category internals */
export const readNode = (w: Walk, node: GraphNode, next: GraphNode | undefined): Read => {
  const out = node.output[0] ?? ''
  const same = (step: Step): Read => E.right({ step, dims: w.dims, value: out, ...(w.layout === undefined ? {} : { layout: w.layout }) })
  const activation = Object.hasOwn(simple, node.opType) ? simple[node.opType] : undefined
  if (activation !== undefined) return same({ layer: activation, params: Object.freeze({}) })
  switch (node.opType) {
    case 'Gemm': return readGemm(w, node)
    case 'MatMul': return readMatMul(w, node, next)
    case 'Flatten': case 'Reshape': {
      // NHWC images go back to the file's NCHW order before their features are flattened
      const r = readFlatten(w, node)
      return E.isRight(r) && w.layout === 'nhwc' ? E.right({ ...r.right, step: toFileLayout(w) }) : r
    }
    case 'Transpose': return readTranspose(w, node)
    case 'LayerNormalization': return readLayerNorm(w, node)
    case 'Conv': case 'MaxPool': case 'AveragePool': case 'GlobalAveragePool': case 'GlobalMaxPool': return readImage(w, node)
    case 'Identity': case 'Dropout': return same(undefined)
    case 'Elu': {
      const alpha = attrFloat(node, 'alpha', 1)
      return same({ layer: alpha === 1 ? nn.elu : nn.elementwise(`elu(${alpha})`, (x: Tensor) => O.elu(x, alpha)), params: Object.freeze({}) })
    }
    case 'LeakyRelu': {
      const alpha = attrFloat(node, 'alpha', 0.01)
      return same({ layer: alpha === Math.fround(0.01) ? nn.leakyRelu : nn.elementwise(`leakyRelu(${alpha})`, (x: Tensor) => O.leakyRelu(x, alpha)), params: Object.freeze({}) })
    }
    case 'Gelu': {
      const approximate = node.attributes.get('approximate')?.s ?? 'none'
      return same({ layer: approximate === 'tanh' ? nn.gelu : nn.geluErf, params: Object.freeze({}) })
    }
    case 'Softmax': case 'LogSoftmax':
      return lastAxis(w, node)
        ? same({ layer: node.opType === 'Softmax' ? nn.softmax : nn.logSoftmax, params: Object.freeze({}) })
        : fail(node.where, `works along axis ${attrInt(node, 'axis', 1)}; purenet's ${node.opType === 'Softmax' ? 'softmax' : 'logSoftmax'} works along the feature (last) axis`)
    case 'Add': return fail(node.where, `adds to the previous value something that is not a MatMul's bias; purenet reads Add as a MatMul's bias or as x + f(x) (residual)`)
    default: return fail(node.where, `is not a layer purenet reads here`)
  }
}

/** Operators whose other inputs are weights: their own messages name a weight that is not a constant. @category internals */
export const readsWeights = new Set(['Gemm', 'MatMul', 'Reshape', 'Conv', 'LayerNormalization'])

/** The elementwise arithmetic operators, read only as a formula (GELU) or a MatMul's bias. @category internals */
export const arithmetic = new Set(['Mul', 'Div', 'Sub', 'Add', 'Pow', 'Erf', 'Sqrt'])

