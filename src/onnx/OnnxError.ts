/**
 * Errors of ONNX export and import: the library's one decoding error (`DecodeError`) of the family
 * `'OnnxError'`. Neither direction throws for a network it cannot write or a file it cannot read:
 * it returns `Left(OnnxError)`, whose message names the function, the layer or node, what is wrong
 * and the likely fix:
 *
 *   onnx.exportModel: layers[2]: the layer swish is code (kind "custom"), which ONNX cannot carry; ...
 *   onnx.importModel: graph.node[0] (Conv "/0/Conv"): unsupported operators: Conv, MaxPool; ...
 */
import { type DecodeError, decodeError, isDecodeErrorOf } from '../tensor/index.js'

/**
 * Which function produced an `OnnxError`. @category errors
 * @example
 * ```ts
 * const source: onnx.OnnxSource = 'onnx.importModel'
 * ```
 */
export type OnnxSource = 'onnx.exportModel' | 'onnx.importModel' | 'io.saveOnnx' | 'io.loadOnnx'

/**
 * A failure to write or read an ONNX model: a `DecodeError` of the family `'OnnxError'`. @category errors
 * @example
 * ```ts
 * const r = onnx.importModel(new Uint8Array([1]))
 * if (r._tag === 'Left') { const e: onnx.OnnxError = r.left; console.log(e.message) }
 * ```
 */
export type OnnxError = DecodeError<'OnnxError', OnnxSource>

/**
 * An `OnnxError` at `path` (a layer's path in the network, `layers[2]`, or a node's in the graph,
 * `graph.node[3] (Gemm "fc1")`); `''` is the whole model.
 * @example
 * ```ts
 * onnx.onnxError('onnx.importModel', 'graph.node[3]', 'operator Foo is not supported').message
 * ```
 * @category errors
 */
export const onnxError = (source: OnnxSource, path: string, detail: string, file?: string): OnnxError =>
  decodeError('OnnxError', source, detail, { ...(file === undefined ? {} : { file }), path }, { root: source === 'onnx.exportModel' ? 'the network' : 'the model' })

/**
 * Whether a value is an `OnnxError`. @category guards
 * @example
 * ```ts
 * const r = onnx.importModel(new Uint8Array([1, 2, 3]))
 * if (r._tag === 'Left') onnx.isOnnxError(r.left) // true
 * ```
 */
export const isOnnxError: (u: unknown) => u is OnnxError = isDecodeErrorOf<'OnnxError', OnnxSource>('OnnxError')
