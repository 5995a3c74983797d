/**
 * Import of an ONNX model as a purenet network and its parameters: one input, one output, and in
 * between a chain of layers, which may branch and meet again as residual, fanOut and parallel do
 * (`walkGraph.ts`). Nodes become layers as PyTorch and TensorFlow export them:
 *
 *   Gemm (transB 0 or 1, alpha, beta)     dense (w transposed from [out, in] when transB = 1)
 *   MatMul, then Add of a constant        dense (MatMul alone: a dense layer with a zero bias)
 *   Flatten, Reshape to [batch, features] nothing (an input of rank > 2 is flattened, row-major)
 *   Relu, Sigmoid, Tanh, Atan, Softplus   relu, sigmoid, tanh, atan, softplus
 *   Elu, LeakyRelu                        elu, leakyRelu (another alpha: an elementwise layer)
 *   Gelu, or its formula in Mul/Add/Pow/Tanh/Div/Erf   gelu (tanh), geluErf (erf)
 *   Softmax, LogSoftmax (the last axis)   softmax, logSoftmax
 *   LayerNormalization (the last axis)    layerNorm
 *   Identity, Dropout                     nothing (inference)
 *   Add(x, f(x)); Concat of branches      residual; fanOut, or parallel when each branch Slices x
 *
 *   Conv, MaxPool, AveragePool, GlobalAveragePool, GlobalMaxPool   conv2d, maxPool2d, avgPool2d,
 *                                         NHWC between channelsLast/channelsFirst (`readImage.ts`)
 *   Reshape to [batch, c, h, w]; Transpose between NCHW and NHWC   layout changes (as purenet exports them)
 *
 * Any other operator (BatchNormalization, LSTM, ...) makes the import a `Left` listing every unsupported
 * operator with its node. Decoding follows the rules of model files (`decodeGraph.ts`): budgets
 * before work, never a throw, a message naming the node.
 */
import * as E from 'fp-ts/lib/Either.js'
import type { AnyLayer } from '../nn/index.js'
import * as nn from '../nn/index.js'
import { type ImportLimits, decodeGraph, quote } from './decodeGraph.js'
import { type OnnxError, onnxError } from './OnnxError.js'
import { toFileLayout } from './readImage.js'
import { graphScope, walkChain } from './walkGraph.js'

/**
 * What `importModel` gives: the network, its parameters, the input's shape per example, and the file's metadata. @category onnx
 * @example
 * ```ts
 * const r = onnx.importModel(new Uint8Array(0))
 * if (r._tag === 'Right') { const model: onnx.ImportedModel = r.right; console.log(model.net.name) }
 * ```
 */
export interface ImportedModel {
  readonly net: AnyLayer
  readonly params: ReadonlyArray<unknown>
  /** The shape of one example in the file, without the batch axis (`[1, 8, 8]`); the network takes it flattened. */
  readonly inputShape: ReadonlyArray<number>
  /** The model's `metadata_props`. */
  readonly metadata: Readonly<Record<string, string>>
}

const fail = (path: string, detail: string): E.Either<OnnxError, never> => E.left(onnxError('onnx.importModel', path, detail))

/**
 * The operators `importModel` reads, besides Constant. @category onnx
 * @example
 * ```ts
 * onnx.importOperators.includes('Gemm') // true
 * ```
 */
export const importOperators: ReadonlyArray<string> = Object.freeze([
  'Gemm', 'MatMul', 'Add', 'Flatten', 'Reshape', 'Relu', 'Sigmoid', 'Tanh', 'Atan', 'Softplus', 'Elu', 'LeakyRelu', 'Gelu',
  'Softmax', 'LogSoftmax', 'Identity', 'Dropout', 'Mul', 'Div', 'Sub', 'Pow', 'Erf', 'Sqrt', 'Concat', 'Slice',
  'Conv', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'GlobalMaxPool', 'Transpose',
  'LayerNormalization',
])

/**
 * The network and parameters of an ONNX model's bytes, or a `Left` naming the node that purenet
 * cannot read (every unsupported operator is listed by name). Never throws.
 * @example
 * ```ts
 * const bytes = new Uint8Array(await (await fetch('mlp.onnx')).arrayBuffer()) // or readFileSync in Node
 * const model = onnx.importModel(bytes) // Either<OnnxError, ImportedModel>
 * ```
 * @category onnx
 */
export const importModel = (bytes: Uint8Array, limits: ImportLimits = {}): E.Either<OnnxError, ImportedModel> => {
  const decoded = decodeGraph(bytes, limits)
  if (E.isLeft(decoded)) return decoded
  const graph = decoded.right
  const unsupported = graph.nodes.filter((n) => n.opType !== 'Constant' && (!importOperators.includes(n.opType) || (n.domain !== '' && n.domain !== 'ai.onnx')))
  if (unsupported.length > 0) {
    const names = [...new Set(unsupported.map((n) => (n.domain === '' || n.domain === 'ai.onnx' ? n.opType : `${n.domain}.${n.opType}`)))]
    return fail(unsupported[0]!.where, `unsupported operators: ${names.map((n) => n.slice(0, 40)).join(', ')} (at ${unsupported.slice(0, 5).map((n) => n.where).join(', ')}${unsupported.length > 5 ? ', ...' : ''}); purenet imports ${importOperators.join(', ')}`)
  }
  if (graph.inputs.length !== 1) return fail('graph.input', `has ${graph.inputs.length} inputs besides the initializers; purenet imports a model with one input`)
  if (graph.outputs.length !== 1) return fail('graph.output', `has ${graph.outputs.length} outputs; purenet imports a model with one output`)
  const input = graph.inputs[0]!
  if (input.elemType !== 1 && input.elemType !== 0) return fail(`graph.input ${quote(input.name)}`, `is of element type ${input.elemType}; purenet imports float32 inputs`)
  const exampleDims = input.dims?.slice(1)
  const knownDims = exampleDims !== undefined && exampleDims.every((d): d is number => d !== undefined) ? exampleDims : undefined
  const output = graph.outputs[0]!
  const chain = walkChain({ graph, value: input.name, dims: knownDims }, graphScope(graph), output.name)
  if (E.isLeft(chain)) return chain
  // an image output goes back to the file's NCHW order (as flat rows)
  const back = toFileLayout(chain.right.walk)
  const steps = back === undefined ? chain.right.pieces : [...chain.right.pieces, back]
  const inputShape = knownDims ?? (steps.find((s) => Number.isFinite(s.layer.inSize)) ? [steps.find((s) => Number.isFinite(s.layer.inSize))!.layer.inSize] : undefined)
  if (inputShape === undefined) return fail(`graph.input ${quote(input.name)}`, 'has no known feature size and no layer fixes one; give the input a fixed shape [batch, features]')
  const list = steps.length === 0 ? [{ layer: nn.identity, params: Object.freeze({}) }] : steps
  const net = E.tryCatch(() => nn.serial(...(list.map((p) => p.layer) as [AnyLayer, ...AnyLayer[]])), (e) => onnxError('onnx.importModel', 'graph', `its layers do not fit together: ${e instanceof Error ? e.message : String(e)}`))
  if (E.isLeft(net)) return net
  return E.right({ net: net.right, params: Object.freeze(list.map((p) => p.params)), inputShape, metadata: graph.metadata })
}
