import { type Tensor, data, jit, losses, nn, optim, random, valueAndGrad } from 'purenet'

/** The lecture's loop with its forward and backward pass compiled once by `jit`. */
export const trainByHandJit = (trainSet: data.Dataset, epochs: number, seed: number) => {
  const key = random.key(seed)
  const net = nn.serial(nn.dense(784, 128), nn.relu, nn.dense(128, 10))
  const optimizer = optim.sgd(0.1)
  let params = net.init(random.split(key)[0]!)
  let optState = optimizer.init(params)
  // the batch is an argument, not a captured constant: one program serves every batch of a shape
  const lossAndGrad = jit((p: typeof params, x: Tensor, y: Tensor) =>
    valueAndGrad((q: typeof params) => losses.softmaxCrossEntropy(net.apply(q)(x), y))(p))
  for (let epoch = 0; epoch < epochs; epoch++) {
    const shuffled = data.shuffle(random.foldIn(key, epoch), trainSet)
    for (const batch of data.batches(shuffled, 64)) {
      const [, grads] = lossAndGrad(params, batch.x, batch.y) // traced and compiled on the first call
      const next = optim.applyGradients(optimizer, grads, optState, params)
      params = next.params
      optState = next.state
    }
  }
  return params
}
