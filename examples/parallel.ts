import { type data, losses, nn, optim, parallel, random, train } from 'purenet'

/** The MNIST network trained on both cores: `train.fit` with a worker pool, closed in `finally`. */
export const fitOnTwoCores = async (trainSet: data.Dataset, epochs: number) => {
  const net = nn.serial(nn.dense(784, 128), nn.relu, nn.dense(128, 10))
  const pool = await parallel({ workers: 2 }) // two threads compute: this one and one worker
  try {
    return train.fit({
      net, loss: losses.softmaxCrossEntropy, optimizer: optim.sgd(0.1),
      data: trainSet, epochs, batchSize: 64, key: random.key(0), pool,
    })
  } finally {
    await pool.close() // open workers would keep Node running
  }
}
