import { type Tensor, data, jit, losses, nn, optim, random, valueAndGrad } from 'purenet'

/** The lecture's loop with its whole step (forward, backward, update) compiled once by `jit`. */
export const trainByHandJit = (trainSet: data.Dataset, epochs: number, seed: number) => {
  const key = random.key(seed)
  const net = nn.serial(nn.dense(784, 128), nn.relu, nn.dense(128, 10))
  const optimizer = optim.sgd(0.1)
  let params = net.init(random.split(key)[0]!)
  let optState = optimizer.init(params)
  // the batch and the optimizer state are arguments, not captured constants: one program serves
  // every step (the state's step count is read on each call, outside the program)
  const step = jit((p: typeof params, s: typeof optState, x: Tensor, y: Tensor) => {
    const [loss, grads] = valueAndGrad((q: typeof params) => losses.softmaxCrossEntropy(net.apply(q)(x), y))(p)
    const next = optim.applyGradients(optimizer, grads, s, p)
    return [loss, next.params, next.state] as const
  })
  for (let epoch = 0; epoch < epochs; epoch++) {
    const shuffled = data.shuffle(random.foldIn(key, epoch), trainSet)
    for (const batch of data.batches(shuffled, 64)) {
      const [, nextParams, nextState] = step(params, optState, batch.x, batch.y) // traced and compiled on the first call
      params = nextParams
      optState = nextState
    }
  }
  return params
}
