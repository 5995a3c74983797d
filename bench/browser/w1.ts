/**
 * W1 (784-128-10, ReLU, softmax cross-entropy, SGD 0.1, batch 64) as one self-contained function
 * that runs unchanged in Node and, bundled, in a browser page: `bench/browser.ts` times it in both.
 */
import { data, losses, nn, optim, random, trace, train, valueAndGrad } from 'purenet/browser'

const net = nn.serial(nn.dense(784, 128), nn.relu, nn.dense(128, 10))
const batchSize = 64
const batches = 20

/**
 * A W1 runner: `run(steps)` trains that many steps and returns the milliseconds they took and the
 * last loss; `staged` says whether the step compiles with `jit` (else it runs eagerly).
 */
export const w1 = (): { readonly run: (steps: number) => { readonly ms: number; readonly loss: number }; readonly staged: boolean } => {
  const [kx, ky, kn] = random.split(random.key(0), 3) as [random.Key, random.Key, random.Key]
  const x = random.normal(kx, [batches * batchSize, 784])
  // one-hot targets, as the MNIST W1 of bench/training.ts: the step compiles with jit (integer
  // labels make the loss read values while tracing, and the whole run stays eager)
  const y = data.oneHot(random.randint(ky, 10, [batches * batchSize]), 10)
  const all = data.dataset(x, y)
  const parts = Array.from({ length: batches }, (_, b) => data.slice(all, b * batchSize, (b + 1) * batchSize))
  const config = { net, loss: losses.softmaxCrossEntropy, optimizer: optim.sgd(0.1) }
  const step = train.step(config)
  let state = train.initialState({ ...config, key: kn })
  // whether the step's loss and gradient can be staged, so that train.step compiles them with jit
  let staged = true
  try {
    trace((p: typeof state.params) => valueAndGrad((q: typeof p) => config.loss(net.apply(q)(parts[0]!.x), parts[0]!.y))(p))(state.params)
  } catch {
    staged = false
  }
  return {
    staged,
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
