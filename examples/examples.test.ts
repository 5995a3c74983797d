/**
 * Quick runs of the examples: each one trains briefly and must show learning.
 */
import { describe, expect, it } from 'vitest'
import { run as mnist } from './mnist.js'
import { run as regression } from './regression.js'
import { run as xor } from './xor.js'

describe('examples (quick mode)', () => {
  it('xor: a 2-4-1 network separates the four points', () => {
    const { loss, probabilities } = xor({ steps: 400, seed: 0 })
    expect(loss[loss.length - 1]!).toBeLessThan(loss[0]! / 4)
    const [p00, p01, p10, p11] = probabilities as [number, number, number, number]
    expect(p00).toBeLessThan(0.5)
    expect(p01).toBeGreaterThan(0.5)
    expect(p10).toBeGreaterThan(0.5)
    expect(p11).toBeLessThan(0.5)
  })

  it('regression: tanh units fit a noisy sine', () => {
    const r = regression({ epochs: 60, seed: 0 })
    expect(r.epochLoss[r.epochLoss.length - 1]!).toBeLessThan(r.epochLoss[0]! / 3)
    expect(r.fitError).toBeLessThan(0.1)
  })

  it('mnist: two epochs on a subset learn well above chance', () => {
    const r = mnist({ epochs: 2, batch: 64, optimizer: 'sgd', lr: 0.1, seed: 0, trainPerClass: 200, testPerClass: 50 })
    expect(r.reports.length).toBe(2)
    expect(r.reports[1]!.trainLoss).toBeLessThan(r.reports[0]!.trainLoss)
    expect(r.testAccuracy).toBeGreaterThan(0.75)
  })

  it('mnist --model cnn: two epochs of the LeNet-style network on 200 digits learn above chance', () => {
    const r = mnist({ model: 'cnn', epochs: 2, batch: 32, optimizer: 'adam', lr: 0.002, seed: 0, trainPerClass: 20, testPerClass: 10 })
    expect(r.reports.length).toBe(2)
    expect(r.reports[1]!.trainLoss).toBeLessThan(r.reports[0]!.trainLoss)
    // chance is 0.1; measured 0.51 on this seed
    expect(r.testAccuracy).toBeGreaterThan(0.3)
  }, 300_000)
})

describe('spirals (quick mode)', () => {
  it('a 2-32-32-2 network separates two spirals and the plots carry the data', async () => {
    const { run } = await import('./spirals.js')
    const r = run({ epochs: 400, seed: 0 })
    expect(r.accuracy).toBeGreaterThan(0.9)
    expect(r.history.epochs.at(-1)!.loss).toBeLessThan(r.history.epochs[0]!.loss / 3)
    expect(JSON.stringify(r.spec)).toContain('spiral A')
  })
})

describe('housePrices (quick mode)', () => {
  it('features on very different scales train to a sensible error with the defaults, and the model file keeps its scalers', async () => {
    const { run } = await import('./housePrices.js')
    const { data, io, toArray } = await import('purenet')
    const r = run({ epochs: 40, seed: 0, houses: 400 })
    // Noise of 20,000 is in the prices: an RMSE near it, far below the spread of the prices.
    expect(r.rmse).toBeLessThan(30_000)
    expect(r.r2).toBeGreaterThan(0.95)
    // val_loss is recorded every epoch, and the best epoch's is below the first's
    const best = r.earlyStopping!.bestEpoch!
    expect(r.history.epochs[best]!.metrics['val_loss']).toBeLessThan(r.history.epochs[0]!.metrics['val_loss']!)
    // Through a model file: the scalers come back from extra and give the same predictions.
    const decoded = io.decodeModel(io.encodeModel(r.model), { net: r.model.net })
    if (decoded._tag === 'Left') throw new Error(decoded.left.message)
    const scalers = decoded.right.extra?.['scaler'] as { readonly features: unknown; readonly target: unknown }
    const [xs, ys] = [data.decodeScaler(scalers.features), data.decodeScaler(scalers.target)]
    if (xs._tag === 'Left' || ys._tag === 'Left') throw new Error('scalers missing')
    const { nn } = await import('purenet')
    const again = data.unscale(ys.right, nn.predict(decoded.right.net, decoded.right.params, data.scale(xs.right, r.test.x)))
    expect(toArray(again, 2)).toEqual(toArray(r.predict(r.test.x), 2))
  })
})

describe('predictions (the README snippet)', () => {
  it('probabilities, classes, labels and argmax agree; accuracy is the same for indices and one-hot rows', async () => {
    const p = await import('./predictions.js')
    const { toFlatArray } = await import('purenet')
    p.probabilities.forEach((row, i) => {
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5)
      expect(row.indexOf(Math.max(...row))).toBe(p.classes[i])
    })
    expect(toFlatArray(p.indices)).toEqual(p.classes)
    expect(p.labels).toEqual(p.classes.map((i) => ['setosa', 'versicolor', 'virginica'][i]))
    expect(p.accuracy).toBe(p.sameAccuracy)
    expect(p.accuracy).toBe(p.classes.filter((c, i) => c === i).length / 3)
  })
})

describe('layer kinds (the README snippet)', () => {
  it('a registry with a user kind rebuilds the network from its spec and reads its model file; the built-ins alone refuse it', async () => {
    const k = await import('./layerKind.js')
    expect(k.rebuilt._tag === 'Right' && k.rebuilt.right.name).toBe('serial(dense(2, 3), scale(3))')
    expect(k.loaded._tag).toBe('Right')
    expect(k.outputs[1]).toEqual(k.outputs[0])
    expect(k.unknownKind._tag === 'Left' && k.unknownKind.left.message).toMatch(/^nn\.fromSpec: layers\[1\]\.kind: unknown layer kind "scale"; use one of dense, relu, /)
  })
})
