// Bundled by esbuild for the browser platform: purenet/browser, trained for a few steps.
import { data, losses, nn, onnx, optim, random, tensor, train } from 'purenet/browser'

const xor = data.dataset(tensor([[0, 0], [0, 1], [1, 0], [1, 1]]), tensor([[0], [1], [1], [0]]))
const net = nn.serial(nn.dense(2, 4), nn.tanh, nn.dense(4, 1))
const { history } = train.fit({ net, loss: losses.mse, optimizer: optim.adam(0.05), data: xor, epochs: 50, batchSize: 4, key: random.key(0) })
globalThis.purenetResult = history.loss[history.loss.length - 1]
// ONNX bytes of the trained network, read back (protobufjs inside the bundle).
const bytes = onnx.exportModel(net, net.init(random.key(1)))
globalThis.purenetOnnx = bytes._tag === 'Right' && onnx.importModel(bytes.right)._tag === 'Right' ? bytes.right.length : -1
