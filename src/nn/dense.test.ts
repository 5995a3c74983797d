import { describe, expect, it } from 'vitest'
import { grad } from '../autodiff/index.js'
import { mean, square, sub } from '../ops/index.js'
import { key } from '../random/index.js'
import { type NestedArray, ShapeError, type Tensor, tensor, toArray, toFlatArray, zeros } from '../tensor/index.js'
import { type DenseParams, type NoParams, dense, serial, sigmoid } from './index.js'

const f64 = (v: NestedArray): Tensor => tensor(v, { dtype: 'float64' })

describe('dense', () => {
  it('computes x·w + b', () => {
    const layer = dense(2, 3)
    const params = { w: tensor([[1, 2, 3], [4, 5, 6]]), b: tensor([0.5, -1, 0]) }
    expect(toArray(layer.apply(params)(tensor([[1, 1], [2, -1]])))).toEqual([[5.5, 6, 9], [-1.5, -2, 0]])
  })

  it('initialises w [inSize, outSize] (Glorot uniform) and b [outSize] (zeros), frozen', () => {
    const layer = dense(300, 200)
    const p = layer.init(key(1))
    expect(p.w.shape).toEqual([300, 200])
    expect(p.b.shape).toEqual([200])
    expect(p.w.dtype).toBe('float32')
    expect(toFlatArray(p.b).every((v) => v === 0)).toBe(true)
    const limit = Math.sqrt(6 / (300 + 200))
    const w = toFlatArray(p.w)
    expect(Math.max(...w)).toBeLessThan(limit)
    expect(Math.min(...w)).toBeGreaterThanOrEqual(-limit)
    // the draws fill the interval: the extremes come within 1% of the bound
    expect(Math.max(...w)).toBeGreaterThan(0.99 * limit)
    expect(Math.min(...w)).toBeLessThan(-0.99 * limit)
    expect(Object.isFrozen(p)).toBe(true)
  })

  it('takes the initialisers and dtype by option', () => {
    const he = dense(1000, 100, { weights: 'heNormal', dtype: 'float64' }).init(key(2))
    expect(he.w.dtype).toBe('float64')
    const w = toFlatArray(he.w)
    const m = w.reduce((s, v) => s + v, 0) / w.length
    const sd = Math.sqrt(w.reduce((s, v) => s + (v - m) ** 2, 0) / w.length)
    expect(Math.abs(m)).toBeLessThan(0.002)
    expect(sd / Math.sqrt(2 / 1000)).toBeCloseTo(1, 1)
    const z = dense(3, 2, { weights: 'zeros', bias: (_k, _shape, dtype) => tensor([1, 2], { dtype }) }).init(key(0))
    expect(toArray(z.w)).toEqual([[0, 0], [0, 0], [0, 0]])
    expect(toArray(z.b)).toEqual([1, 2])
  })

  it('gives the same parameters for the same key, different ones for different keys', () => {
    const layer = dense(4, 3)
    expect(toFlatArray(layer.init(key(7)).w)).toEqual(toFlatArray(layer.init(key(7)).w))
    expect(toFlatArray(layer.init(key(7)).w)).not.toEqual(toFlatArray(layer.init(key(8)).w))
  })

  it('names the layer and the shapes when the input is wrong', () => {
    const p = dense(784, 128).init(key(0))
    expect(() => dense(784, 128).apply(p)(zeros([32, 100]))).toThrow(ShapeError)
    expect(() => dense(784, 128).apply(p)(zeros([32, 100]))).toThrow(
      'dense(784, 128): expects an input of shape [batch, 784], got 100 features; check the previous layer\'s output size or the data\'s width (shapes [32, 100])',
    )
    expect(() => dense(784, 128).apply(p)(zeros([784]))).toThrow('add a batch axis with ops.reshape(x, [1, 784])')
    expect(() => dense(784, 128).apply(p)(zeros([2, 28, 28]))).toThrow('flatten each example to 784 features')
  })

  it('rejects parameters of the wrong shape and bad sizes or options', () => {
    expect(() => dense(2, 3).apply({ w: zeros([3, 2]), b: zeros([3]) })).toThrow('dense(2, 3): expected w of shape [2, 3] and b of shape [3]')
    expect(() => dense(0, 3)).toThrow('dense(0, 3): inSize must be a positive integer, got 0')
    expect(() => dense(2, 1.5)).toThrow(RangeError)
    expect(() => dense(2, 3, { weights: 'glorot' as 'zeros' })).toThrow("dense(2, 3): unknown weight initialiser 'glorot'; use one of 'glorotUniform', 'heNormal', 'zeros'")
  })
})

describe('a 2-2-1 network, gradients by the chain rule', () => {
  // serial(dense(2, 2), sigmoid, dense(2, 1)) with the mean squared error over a batch of two
  const net = serial(dense(2, 2, { dtype: 'float64' }), sigmoid, dense(2, 1, { dtype: 'float64' }))
  const W1 = [[0.1, -0.2], [0.4, 0.3]]
  const b1 = [0.05, -0.1]
  const W2 = [[0.7], [-0.5]]
  const b2 = [0.2]
  const X = [[1, 2], [-1, 0.5]]
  const Y = [1, 0]
  const params = [{ w: f64(W1), b: f64(b1) }, {}, { w: f64(W2), b: f64(b2) }] as const
  const loss = (p: readonly [DenseParams, NoParams, DenseParams]): Tensor => mean(square(sub(net.apply(p)(f64(X)), f64(Y.map((y) => [y])))))

  it('matches the derivatives written out by hand', () => {
    const s = (z: number): number => 1 / (1 + Math.exp(-z))
    const B = X.length
    const gW1 = [[0, 0], [0, 0]]
    const gb1 = [0, 0]
    const gW2 = [[0], [0]]
    const gb2 = [0]
    for (let n = 0; n < B; n++) {
      const x = X[n]!
      const z1 = [0, 1].map((j) => x[0]! * W1[0]![j]! + x[1]! * W1[1]![j]! + b1[j]!)
      const h = z1.map(s)
      const z2 = h[0]! * W2[0]![0]! + h[1]! * W2[1]![0]! + b2[0]!
      const dz2 = (2 * (z2 - Y[n]!)) / B // dL/dz2 for L = (1/B) Σ (z2 - y)²
      gb2[0]! += dz2
      for (let j = 0; j < 2; j++) {
        gW2[j]![0]! += h[j]! * dz2
        const dz1 = dz2 * W2[j]![0]! * h[j]! * (1 - h[j]!) // σ' = σ(1 - σ)
        gb1[j]! += dz1
        for (let i = 0; i < 2; i++) gW1[i]![j]! += x[i]! * dz1
      }
    }
    const g = grad(loss)(params)
    const close = (t: Tensor, want: ReadonlyArray<number>) => toFlatArray(t).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 12))
    close(g[0].w, gW1.flat())
    close(g[0].b, gb1)
    close(g[2].w, gW2.flat())
    close(g[2].b, gb2)
    expect(Object.keys(g[1])).toEqual([])
  })
})
