import { describe, expect, it } from 'vitest'
import { losses, nn, optim, random, tensor, toFlatArray, train } from '../index.js'

// residual, parallel and fanOut thread the running state of a batchNorm inside them as serial
// does (StateRules, Layer.ts). The expected numbers are PyTorch 1.13's: with
// bn = torch.nn.BatchNorm1d(3, momentum=0.5) in training mode, y = x + bn(x), then
// bn.running_mean, bn.running_var, and x + bn(x) in eval mode.
const x = tensor([[1, 2, 3], [0, -1, 2], [3, 1, 0], [-2, 0, 1]])
const torchResidualTrain = [
  [1.2773497104644775, 3.3416354656219482, 4.341635227203369], [-0.27734968066215515, -2.3416354656219482, 2.447211742401123],
  [4.386748313903809, 1.447211742401123, -1.3416354656219482], [-3.3867483139038086, -0.4472118020057678, 0.5527881383895874],
].flat()
const torchRunningMean = [0.25, 0.25, 0.75]
const torchRunningVar = [2.6666667461395264, 1.3333332538604736, 1.3333332538604736]
const torchResidualEval = [
  [1.4592784643173218, 3.5155389308929443, 4.948550224304199], [-0.15309283137321472, -2.0825276374816895, 3.0825276374816895],
  [4.68402099609375, 1.6495167016983032, -0.6495167016983032], [-3.377835512161255, -0.21650555729866028, 1.216505527496338],
].flat()

const close = (actual: ReadonlyArray<number>, expected: ReadonlyArray<number>, tol = 1e-5): void => {
  expect(actual).toHaveLength(expected.length)
  actual.forEach((a, i) => expect(Math.abs(a - expected[i]!), `element ${i}: ${a} vs ${expected[i]}`).toBeLessThan(tol))
}

describe('residual threads the running state of a layer inside it', () => {
  const block = nn.residual(nn.batchNorm(3, { momentum: 0.5 }))

  it('has state rules, whose training forward is x + bn(x) with the batch statistics and whose new state is the running one (PyTorch)', () => {
    expect(block.state).toBeDefined()
    const p0 = block.init(random.key(0))
    const [y, next] = block.state!.train(p0)(x, random.key(1))
    close(toFlatArray(y), torchResidualTrain)
    const kept = block.state!.keep(p0, next)
    close(toFlatArray(kept.state.mean), torchRunningMean)
    close(toFlatArray(kept.state.variance), torchRunningVar)
    // evaluation mode reads the running statistics
    close(toFlatArray(block.apply(kept)(x, { mode: 'eval' })), torchResidualEval)
  })

  it('train.step updates the running statistics inside a residual block of a serial network (by hand: momentum 0.5 from mean 0, variance 1)', () => {
    const net = nn.serial(nn.dense(3, 3), nn.residual(nn.serial(nn.dense(3, 3), nn.batchNorm(3, { momentum: 0.5 }))), nn.relu, nn.dense(3, 2))
    const data = { x, y: tensor([[1, 0], [0, 1], [1, 0], [0, 1]]) }
    const optimizer = optim.sgd(0.1)
    const s0 = train.initialState({ net, optimizer, key: random.key(0) })
    expect(toFlatArray(s0.params[1][1].state.mean)).toEqual([0, 0, 0])
    const { state: s1 } = train.step({ net, loss: losses.softmaxCrossEntropy, optimizer })(s0, data)
    // what reaches the block's batchNorm: the two dense layers with the step's starting parameters
    const before = nn.serial(nn.dense(3, 3), nn.dense(3, 3))
    const h = toFlatArray(before.apply([s0.params[0], s0.params[1][0]])(x))
    const column = (j: number): number[] => [0, 1, 2, 3].map((i) => h[i * 3 + j]!)
    const meanOf = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length
    const unbiased = (v: number[]): number => v.reduce((a, b) => a + (b - meanOf(v)) ** 2, 0) / (v.length - 1)
    close(toFlatArray(s1.params[1][1].state.mean), [0, 1, 2].map((j) => 0.5 * meanOf(column(j))))
    close(toFlatArray(s1.params[1][1].state.variance), [0, 1, 2].map((j) => 0.5 + 0.5 * unbiased(column(j))), 1e-4)
    // and the gradient moved the trained parameters, the batchNorm's scale among them
    expect(toFlatArray(s1.params[1][0].w)).not.toEqual(toFlatArray(s0.params[1][0].w))
    expect(toFlatArray(s1.params[1][1].scale)).not.toEqual(toFlatArray(s0.params[1][1].scale))
  })

  it('a residual block of a stateless layer has no state rules', () => {
    expect(nn.residual(nn.dense(3, 3)).state).toBeUndefined()
    expect(nn.parallel(nn.dense(3, 3), nn.dense(1, 1)).state).toBeUndefined()
    expect(nn.fanOut(nn.dense(3, 3), nn.relu).state).toBeUndefined()
  })
})

describe('parallel and fanOut thread the running state of their layers', () => {
  it('parallel: a batchNorm on its block of features gets that block\'s statistics (PyTorch on x[:, :2])', () => {
    const net = nn.parallel(nn.batchNorm(2, { momentum: 0.5 }), nn.dense(1, 1))
    expect(net.state).toBeDefined()
    const p0 = net.init(random.key(0))
    const [y, next] = net.state!.train(p0)(x, random.key(1))
    expect(y.shape).toEqual([4, 3])
    const out = toFlatArray(y)
    close([0, 1, 2, 3].flatMap((i) => [out[i * 3]!, out[i * 3 + 1]!]), [0.27734968066215515, 1.3416354656219482, -0.27734968066215515, -1.3416354656219482, 1.3867484331130981, 0.4472118020057678, -1.3867484331130981, -0.4472118020057678])
    // the dense layer's column is its apply on the last feature, untouched by the state rules
    const w = toFlatArray(p0[1].w)[0]!
    const b = toFlatArray(p0[1].b)[0]!
    close([0, 1, 2, 3].map((i) => out[i * 3 + 2]!), [3, 2, 0, 1].map((v) => v * w + b))
    const kept = net.state!.keep(p0, next)
    close(toFlatArray(kept[0].state.mean), [0.25, 0.25])
    close(toFlatArray(kept[0].state.variance), [2.6666667461395264, 1.3333333730697632])
    expect(kept[1]).toBe(p0[1])
  })

  it('fanOut: every layer sees the whole input; train.step keeps the new statistics', () => {
    const net = nn.serial(nn.fanOut(nn.batchNorm(3, { momentum: 0.5 }), nn.dense(3, 2)), nn.dense(5, 2))
    const optimizer = optim.sgd(0.1)
    const s0 = train.initialState({ net, optimizer, key: random.key(0) })
    const { state: s1 } = train.step({ net, loss: losses.softmaxCrossEntropy, optimizer })(s0, { x, y: tensor([[1, 0], [0, 1], [1, 0], [0, 1]]) })
    close(toFlatArray(s1.params[0][0].state.mean), torchRunningMean)
    close(toFlatArray(s1.params[0][0].state.variance), torchRunningVar)
    expect(toFlatArray(s1.params[0][1].w)).not.toEqual(toFlatArray(s0.params[0][1].w))
  })
})
