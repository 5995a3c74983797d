/**
 * ONNX, the standard file format of trained networks, in both directions: `exportModel(net,
 * params, options)` writes a network as an ONNX model that ONNX Runtime (Node, Python, C++, the
 * servers built on it) runs; `importModel(bytes)` reads a model written by PyTorch, TensorFlow or
 * purenet back into a network and its parameters. Both are pure (bytes in, `Either` out) and run
 * in browsers too; `io.saveOnnx` and `io.loadOnnx` add the files.
 *
 * Laws (checked in properties/onnx.test.ts and src/onnx/*.test.ts):
 * 1. agreement: for every network of built-in layers, ONNX Runtime's output for the exported file
 *    equals `net.apply(params)` (evaluation mode) within float32 rounding.
 * 2. round trip: `importModel(exportModel(net, params))` computes bit for bit what `net` computes
 *    (branches included), and exporting it again gives a file that computes it too.
 * 3. totality: `importModel` never throws; a file it cannot read is a `Left` naming the node (every
 *    unsupported operator listed by name), the budget or the damage.
 */
export { type ExportOptions, exportModel, exportOpsets, onnxNames } from './exportModel.js'
export { type ImportedModel, importModel, importOperators } from './importModel.js'
export { type ImportLimits, defaultImportLimits } from './decodeGraph.js'
export * from './OnnxError.js'
