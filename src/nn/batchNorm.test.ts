import * as E from 'fp-ts/lib/Either.js'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { checkGrad } from '../check/index.js'
import { decodeModel, encodeModel } from '../ioPure.js'
import { mul, sum } from '../ops/index.js'
import { key } from '../random/index.js'
import { ShapeError, type Tensor, tensor, toFlatArray } from '../tensor/index.js'
import { type BatchNormParams, batchNorm, conv2d, flatten, dense, fromSpec, relu, serial } from './index.js'

// PyTorch 1.13's numbers, written by fixtures/pytorch-layers.py
interface BnCase { readonly train: ReadonlyArray<ReadonlyArray<number>>; readonly eval: ReadonlyArray<number>; readonly runningMean: ReadonlyArray<number>; readonly runningVar: ReadonlyArray<number> }
const fixture = JSON.parse(readFileSync(new URL('./fixtures/pytorch-layers.json', import.meta.url), 'utf8')) as { readonly batchNorm2d: BnCase; readonly batchNorm1d: BnCase }

const f64 = (n: number, f: (k: number) => number, shape: ReadonlyArray<number>): Tensor => tensor(Array.from({ length: n }, (_, k) => f(k)), { shape, dtype: 'float64' })
const close = (got: Tensor, want: ReadonlyArray<number>): void => {
  expect(got.size).toBe(want.length)
  toFlatArray(got).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 10))
}

// Runs `steps` training forwards (threading the state as train.step does), then one in eval mode.
const replay = (layer: ReturnType<typeof batchNorm>, params: BatchNormParams, input: (s: number) => Tensor, want: BnCase): void => {
  let p = params
  want.train.forEach((y, s) => {
    const [out, next] = layer.state!.train(p)(input(s), key(s))
    close(out, y)
    p = next
  })
  close(p.state.mean, want.runningMean)
  close(p.state.variance, want.runningVar)
  close(layer.apply(p)(input(want.train.length), { mode: 'eval' }), want.eval)
  // no context is evaluation too
  close(layer.apply(p)(input(want.train.length)), want.eval)
}

const withAffine = (layer: ReturnType<typeof batchNorm>, n: number): BatchNormParams => {
  const p = layer.init(key(0))
  return { ...p, scale: tensor([1, 0.5, -1.5, 2].slice(0, n), { dtype: 'float64' }), offset: tensor([0, 0.25, -0.5, 1].slice(0, n), { dtype: 'float64' }) }
}

describe('batchNorm', () => {
  it('matches PyTorch 1.13 nn.BatchNorm2d: training outputs, running statistics after 3 steps, evaluation output', () => {
    const layer = batchNorm([3, 3, 4], { dtype: 'float64' })
    const image = (s: number) => f64(72, (k) => Math.sin(k) + (k % 4) / 2 + s, [2, 3, 3, 4])
    replay(layer, withAffine(layer, 4), image, fixture.batchNorm2d)
  })

  it('matches PyTorch 1.13 nn.BatchNorm1d (momentum 0.3, eps 1e-3) on rows', () => {
    const layer = batchNorm(3, { momentum: 0.3, eps: 1e-3, dtype: 'float64' })
    const rows = (s: number) => f64(15, (k) => Math.cos(k) * (1 + (k % 3)) - s / 2, [5, 3])
    replay(layer, withAffine(layer, 3), rows, fixture.batchNorm1d)
  })

  it('training-mode apply equals state.train\'s output, and its gradient matches finite differences', () => {
    const layer = batchNorm(3, { dtype: 'float64' })
    const x = f64(12, (k) => Math.sin(3 * k), [4, 3])
    const p = layer.init(key(0))
    expect(toFlatArray(layer.apply(p)(x, { mode: 'train', key: key(1) }))).toEqual(toFlatArray(layer.state!.train(p)(x, key(1))[0]))
    const weights = f64(12, (k) => Math.cos(k), [4, 3])
    const f = (a: ReadonlyArray<Tensor>) => sum(mul(layer.apply({ ...p, scale: a[0]!, offset: a[1]! })(a[2]!, { mode: 'train', key: key(1) }), weights))
    const r = checkGrad(f, [tensor([1, 2, 0.5], { dtype: 'float64' }), tensor([0, 1, -1], { dtype: 'float64' }), x])
    expect(r.ok, r.message).toBe(true)
  })

  it('rebuilds from its spec and round-trips its state through a model file', () => {
    const c = conv2d([6, 6, 1], 2, 3)
    const net = serial(c, batchNorm(c.outShape), relu, flatten, dense(32, 2))
    const r = fromSpec(JSON.parse(JSON.stringify(net.spec)))
    expect(E.isRight(r) && r.right.name).toBe(net.name)
    const p0 = net.init(key(1))
    const x = f64(72, (k) => Math.sin(k), [2, 36])
    const [, trained] = net.state!.train(p0)(tensor(toFlatArray(x), { shape: [2, 36] }), key(2))
    const back = decodeModel(encodeModel({ net, params: trained }))
    if (E.isLeft(back)) throw new Error(back.left.message)
    const xs = tensor(toFlatArray(x), { shape: [2, 36] })
    const saved = (back.right.params as typeof trained)[1]
    expect(toFlatArray(saved.state.mean)).toEqual(toFlatArray(trained[1].state.mean))
    expect(toFlatArray(saved.state.mean).some((v) => v !== 0)).toBe(true)
    expect(toFlatArray((back.right.net.apply as (p: unknown) => (x: Tensor) => Tensor)(back.right.params)(xs))).toEqual(toFlatArray(net.apply(trained)(xs)))
  })

  it('names the layer in its errors', () => {
    const layer = batchNorm(3)
    expect(() => layer.apply(layer.init(key(0)))(tensor([[1, 2]]))).toThrow(ShapeError)
    expect(() => layer.apply(layer.init(key(0)))(tensor([[1, 2]]))).toThrow(/batchNorm\(3\): expects rows \[batch, 3\]/)
    expect(() => layer.state!.train(layer.init(key(0)))(tensor([[1, 2, 3]]), key(0))).toThrow(/batchNorm\(3\): needs more than one value per feature/)
    expect(() => layer.apply({ scale: tensor([1]), offset: tensor([1]) } as unknown as BatchNormParams)).toThrow(/batchNorm\(3\): expected parameters \{ scale, offset, state/)
  })
})
