import { describe, expect, it } from 'vitest'
import { losses, nn, optim, random, tensor, toFlatArray, train } from '../index.js'

// train.step and train.fit thread batchNorm's running statistics (nn/Layer.ts, StateRules)
describe('training a network with running state', () => {
  const net = nn.serial(nn.dense(3, 4), nn.batchNorm(4, { momentum: 0.5 }), nn.relu, nn.dense(4, 2))
  const data = { x: tensor([[1, 2, 3], [0, -1, 2], [3, 1, 0], [-2, 0, 1]]), y: tensor([[1, 0], [0, 1], [1, 0], [0, 1]]) }

  it('a step keeps the state the training forward computed and applies the gradient to the rest', () => {
    const optimizer = optim.sgd(0.1)
    const s0 = train.initialState({ net, optimizer, key: random.key(0) })
    const { state: s1 } = train.step({ net, loss: losses.softmaxCrossEntropy, optimizer })(s0, data)
    const [, fresh] = net.state!.train(s0.params)(data.x, random.foldIn(s0.key, s0.step))
    expect(toFlatArray(s1.params[1].state.mean)).toEqual(toFlatArray(fresh[1].state.mean))
    expect(toFlatArray(s1.params[1].state.variance)).toEqual(toFlatArray(fresh[1].state.variance))
    expect(toFlatArray(s1.params[1].state.mean).some((v) => v !== 0)).toBe(true)
    // the trained parameters moved; the scale of batchNorm too (it has a gradient)
    expect(toFlatArray(s1.params[0].w)).not.toEqual(toFlatArray(s0.params[0].w))
    expect(toFlatArray(s1.params[1].scale)).not.toEqual(toFlatArray(s0.params[1].scale))
  })

  it('fit runs epochs and its evaluation-mode predictions use the running statistics', () => {
    const optimizer = optim.adam(0.05)
    const result = train.fit({ net, loss: losses.softmaxCrossEntropy, optimizer, data, epochs: 30, batchSize: 4, key: random.key(1) })
    const p = result.state.params
    expect(toFlatArray(p[1].state.variance).every((v) => v !== 1)).toBe(true)
    const evalOut = toFlatArray(net.apply(p)(data.x, { mode: 'eval' }))
    const trainOut = toFlatArray(net.apply(p)(data.x, { mode: 'train', key: random.key(0) }))
    expect(evalOut).not.toEqual(trainOut)
    expect(losses.softmaxCrossEntropy(net.apply(p)(data.x, { mode: 'eval' }), data.y).data[0]!).toBeLessThan(0.5)
  })
})
