import { data, losses, nn, optim, random, valueAndGrad } from 'purenet'

/** The lecture's training loop, written out: draw a batch, forward, loss, gradient, update. */
export const trainByHand = (trainSet: data.Dataset, epochs: number, seed: number) => {
  const key = random.key(seed)
  const net = nn.serial(nn.dense(784, 128), nn.relu, nn.dense(128, 10))
  const optimizer = optim.sgd(0.1)
  let params = net.init(random.split(key)[0]!)
  let optState = optimizer.init(params)
  for (let epoch = 0; epoch < epochs; epoch++) {
    const shuffled = data.shuffle(random.foldIn(key, epoch), trainSet) // a new order per epoch, from the key
    for (const batch of data.batches(shuffled, 64)) { // draw a mini-batch
      const loss = (p: typeof params) => losses.softmaxCrossEntropy(net.apply(p)(batch.x), batch.y) // forward, loss
      const [, grads] = valueAndGrad(loss)(params) // backpropagation
      const next = optim.applyGradients(optimizer, grads, optState, params) // w <- w - lr * dJ/dw
      params = next.params
      optState = next.state
    }
  }
  return params
}
