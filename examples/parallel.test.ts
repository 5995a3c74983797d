import { describe, expect, it } from 'vitest'
import { losses, nn, optim, random, train } from 'purenet'
import { loadMnist } from './mnistData.js'
import { fitOnTwoCores } from './parallel.js'

describe('examples/parallel.ts', () => {
  it('trains on two cores to the losses of one core within float32 rounding', async () => {
    const { train: trainSet } = loadMnist({ trainPerClass: 20 })
    const two = await fitOnTwoCores(trainSet, 2)
    const one = train.fit({ net: nn.serial(nn.dense(784, 128), nn.relu, nn.dense(128, 10)), loss: losses.softmaxCrossEntropy, optimizer: optim.sgd(0.1), data: trainSet, epochs: 2, batchSize: 64, key: random.key(0) })
    expect(two.history.loss.length).toBe(one.history.loss.length)
    two.history.loss.forEach((l, i) => expect(Math.abs(l - one.history.loss[i]!)).toBeLessThan(1e-4))
    expect(two.history.loss[two.history.loss.length - 1]!).toBeLessThan(two.history.loss[0]!)
  }, 120_000)
})
