// A user's TypeScript program against the main entry: its types must check in the user's
// configuration (with skipLibCheck false), whatever that configuration is.
import { type Tensor, data, io, losses, nn, optim, random, tensor, train, valueAndGrad } from 'purenet'

const net = nn.serial(nn.dense(2, 8), nn.relu, nn.dense(8, 1))
const params = net.init(random.key(1))
const x: Tensor = tensor([[0, 1], [1, 0]])
const y = tensor([[1], [1]])
const loss = (p: typeof params): Tensor => losses.mse(net.apply(p)(x), y)
const [value, gradient] = valueAndGrad(loss)(params)
const result = train.fit({ net, loss: losses.mse, optimizer: optim.sgd(0.1), data: data.dataset(x, y), epochs: 2, batchSize: 2, key: random.key(2) })
export const summary: ReadonlyArray<unknown> = [value.shape, gradient, result.history.loss, io.encodeModel]
export const saving: Promise<unknown> = io.saveModel('m.json', { net, params })
