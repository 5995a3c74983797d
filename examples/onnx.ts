import * as E from 'fp-ts/lib/Either.js'
import * as ort from 'onnxruntime-web'
import { nn, onnx, random } from 'purenet'

// A network and its parameters, as training leaves them (train.fit's state.params).
const net = nn.serial(nn.dense(4, 16), nn.relu, nn.dense(16, 3), nn.softmax)
const params = net.init(random.key(0))

// Export: ONNX bytes (opset 17, input "x" [batch, 4], output "y" [batch, 3]); io.saveOnnx writes a file.
const bytes = onnx.exportModel(net, params)
if (E.isLeft(bytes)) throw new Error(bytes.left.message)

// Run the file with ONNX Runtime: here onnxruntime-web in Node; onnxruntime-node, Python's
// onnxruntime and the servers built on ONNX Runtime read the same bytes.
ort.env.wasm.numThreads = 1
const session = await ort.InferenceSession.create(bytes.right)
const { y } = await session.run({ x: new ort.Tensor('float32', Float32Array.of(5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3), [2, 4]) })
export const fromOnnxRuntime = Array.from(y!.data as Float32Array)

// Import: a file written by PyTorch, TensorFlow or purenet, back as a network and its parameters.
export const imported = onnx.importModel(bytes.right) // Either<OnnxError, { net, params, inputShape, metadata }>
