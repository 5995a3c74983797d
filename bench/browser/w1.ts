/**
 * W1 (784-128-10, ReLU, softmax cross-entropy, SGD 0.1, batch 64) as one self-contained function
 * that runs unchanged in Node and, bundled, in a browser page: `bench/browser.ts` times it in both.
 */
import { data, losses, nn, optim, random, train } from 'purenet/browser'

const net = nn.serial(nn.dense(784, 128), nn.relu, nn.dense(128, 10))
const batchSize = 64
const batches = 20

/** A W1 runner: `run(steps)` trains that many steps and returns the milliseconds they took and the last loss. */
export const w1 = (): { readonly run: (steps: number) => { readonly ms: number; readonly loss: number } } => {
  const [kx, ky, kn] = random.split(random.key(0), 3) as [random.Key, random.Key, random.Key]
  const x = random.normal(kx, [batches * batchSize, 784])
  const y = random.randint(ky, 10, [batches * batchSize])
  const all = data.dataset(x, y)
  const parts = Array.from({ length: batches }, (_, b) => data.slice(all, b * batchSize, (b + 1) * batchSize))
  const config = { net, loss: losses.softmaxCrossEntropy, optimizer: optim.sgd(0.1) }
  const step = train.step(config)
  let state = train.initialState({ ...config, key: kn })
  return {
    run: (steps) => {
      let loss = Number.NaN
      const t0 = performance.now()
      for (let i = 0; i < steps; i++) {
        const r = step(state, parts[i % batches]!)
        state = r.state
        loss = r.loss
      }
      return { ms: performance.now() - t0, loss }
    },
  }
}
