import { readFileSync } from 'node:fs'
import * as E from 'fp-ts/lib/Either.js'
import { data, io, losses, nn, optim, random } from 'purenet'

const csv = data.fromCsv(readFileSync('examples/data/iris-train.csv', 'utf8'), { target: 'species' })
if (E.isLeft(csv)) throw data.toError(csv.left)
const net = nn.serial(nn.dense(4, 16), nn.relu, nn.dense(16, 3))
const options = {
  net,
  loss: losses.softmaxCrossEntropy,
  optimizer: optim.adam(0.01),
  data: csv.right.dataset,
  epochs: 100,
  batchSize: 16,
  key: random.key(0),
  // a checkpoint every 10 epochs (and after the last step) in runs/iris, the newest 3 kept
  checkpoint: io.checkpoints('runs/iris', { every: { epochs: 10 }, keep: 3 }),
}
// Starts the run, or continues it from the newest checkpoint: the same parameters either way.
const result = await io.resume('runs/iris', options)
if (E.isLeft(result)) throw io.toError(result.left)
const { state, history } = result.right
await io.saveModel('iris-model.json', { net, params: state.params, step: state.step, history })
process.stdout.write(`${state.step} steps, last epoch's loss ${history.epochs.at(-1)?.loss.toFixed(4)}\n`)
