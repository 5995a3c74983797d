// A user's Node program in plain ESM JavaScript: train XOR, save the model, load it back.
import { data, io, losses, nn, optim, parallel, random, tensor, toFlatArray, train } from 'purenet'

const xor = data.dataset(tensor([[0, 0], [0, 1], [1, 0], [1, 1]]), tensor([[0], [1], [1], [0]]))
const net = nn.serial(nn.dense(2, 4), nn.tanh, nn.dense(4, 1))
const { state, history } = train.fit({
  net, loss: losses.sigmoidBinaryCrossEntropy, optimizer: optim.adam(0.05),
  data: xor, epochs: 500, batchSize: 4, key: random.key(0),
})
const loss = history.loss[history.loss.length - 1]
const saved = await io.saveModel('xor-model.json', { net, params: state.params })
if (saved._tag === 'Left') throw new Error(saved.left.message)
const loaded = await io.loadModel('xor-model.json', { net })
if (loaded._tag === 'Left') throw new Error(loaded.left.message)
const before = toFlatArray(net.apply(state.params)(xor.x))
const after = toFlatArray(net.apply(loaded.right.params)(xor.x))
// the same run on both cores: a worker pool started from the compiled package, closed in finally
const pool = await parallel({ workers: 2 })
let poolLoss
try {
  const r = train.fit({ net, loss: losses.sigmoidBinaryCrossEntropy, optimizer: optim.adam(0.05), data: xor, epochs: 500, batchSize: 4, key: random.key(0), pool })
  poolLoss = r.history.loss[r.history.loss.length - 1]
} finally {
  await pool.close()
}
console.log(JSON.stringify({ loss, sameOutputs: before.every((v, i) => Object.is(v, after[i])), poolAgrees: Math.abs(poolLoss - loss) < 1e-4 }))
