import { describe, expect, it } from 'vitest'
import { accuracy } from '../losses/index.js'
import { argmax, softmax } from '../ops/index.js'
import { key } from '../random/index.js'
import { tensor, toArray, toFlatArray } from '../tensor/index.js'
import { dense } from './dense.js'
import { dropout } from './dropout.js'
import { relu } from './activations.js'
import { predict, predictClasses, predictProba } from './predict.js'
import { serial } from './serial.js'

const net = serial(dense(2, 8), relu, dropout(0.5), dense(8, 3))
const params = net.init(key(1))
const x = tensor([[0.5, -1], [2, 0.25], [-1, -1], [0, 3]])

describe('predict, predictProba, predictClasses', () => {
  it('predict is the network in evaluation mode: dropout off, the same as apply without a context', () => {
    expect(toFlatArray(predict(net, params, x))).toEqual(toFlatArray(net.apply(params)(x)))
    expect(toFlatArray(predict(net, params, x))).not.toEqual(toFlatArray(net.apply(params)(x, { mode: 'train', key: key(2) })))
  })
  it('predictProba is the softmax of the logits, rows summing to 1', () => {
    const p = toArray(predictProba(net, params, x), 2)
    expect(p).toEqual(toArray(softmax(net.apply(params)(x)), 2))
    for (const r of p) expect(r.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6)
  })
  it('predictClasses is the argmax of the logits, and its accuracy against itself is 1 in both label formats', () => {
    const classes = predictClasses(net, params, x)
    expect(classes).toEqual(toFlatArray(argmax(net.apply(params)(x))))
    const logits = net.apply(params)(x)
    expect(accuracy(logits, tensor(classes))).toBe(1)
    const oneHot = tensor(classes.map((c) => [0, 1, 2].map((j) => (j === c ? 1 : 0))))
    expect(accuracy(logits, oneHot)).toBe(1)
  })
  it('a one-output network: probabilities are sigmoid, classes 1 where the logit is positive', () => {
    const binary = dense(2, 1)
    const w = { w: tensor([[1], [0]]), b: tensor([0]) }
    expect(predictClasses(binary, w, x)).toEqual([1, 1, 0, 0])
    expect(toFlatArray(predictProba(binary, w, x))[0]).toBeCloseTo(1 / (1 + Math.exp(-0.5)), 6)
  })
})
