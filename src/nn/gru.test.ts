import { describe, expect, it } from 'vitest'
import { checkGrad } from '../check/index.js'
import { scan, sum, add, mul } from '../ops/index.js'
import { key, normal } from '../random/index.js'
import { ShapeError, type Tensor, tensor, toFlatArray, zeros } from '../tensor/index.js'
import { gru } from './index.js'

const f64 = (n: number, f: (k: number) => number, shape: ReadonlyArray<number>): Tensor => tensor(Array.from({ length: n }, (_, k) => f(k)), { shape, dtype: 'float64' })

describe('scan', () => {
  it('threads the carry and stacks the outputs, as lax.scan', () => {
    const [last, ys] = scan((c: Tensor, x: Tensor) => { const n = add(c, x); return [n, mul(n, 2)] as const }, zeros([2]), tensor([[1, 2], [3, 4], [5, 6]]))
    expect(toFlatArray(last)).toEqual([9, 12])
    expect(toFlatArray(ys)).toEqual([2, 4, 8, 12, 18, 24])
  })

  it('cuts sequences of any length into their steps, in order (odd lengths and a single step too)', () => {
    for (const n of [1, 2, 5, 7, 13]) {
      const xs = tensor(Array.from({ length: 2 * n }, (_, k) => k), { shape: [n, 2] })
      const [last, ys] = scan((c: Tensor, x: Tensor) => [add(c, x), x] as const, zeros([2]), xs)
      expect(toFlatArray(ys)).toEqual(toFlatArray(xs))
      expect(toFlatArray(last)).toEqual([n * (n - 1), n * n])
    }
  })

  it('is differentiable over an odd number of steps, with respect to every step of the sequence', () => {
    const xs = normal(key(2), [7, 3], { dtype: 'float64' })
    const f = (args: ReadonlyArray<Tensor>) => sum(mul(scan((c: Tensor, x: Tensor) => { const n = mul(add(c, x), args[1]!); return [n, n] as const }, zeros([3], { dtype: 'float64' }), args[0]!)[1], args[0]!))
    const r = checkGrad(f, [xs, normal(key(3), [3], { dtype: 'float64' })])
    expect(r.ok, r.message).toBe(true)
  })

  it('is differentiable (backpropagation through time matches finite differences)', () => {
    const xs = normal(key(0), [4, 3], { dtype: 'float64' })
    const f = (args: ReadonlyArray<Tensor>) => sum(scan((c: Tensor, x: Tensor) => { const n = mul(add(c, x), args[1]!); return [n, n] as const }, zeros([3], { dtype: 'float64' }), args[0]!)[1])
    const r = checkGrad(f, [xs, normal(key(1), [3], { dtype: 'float64' })])
    expect(r.ok, r.message).toBe(true)
  })
})

describe('gru', () => {
  // weights: ((k mod 7) - 3) / 5, ((k mod 5) - 2) / 4, biases k / 10 and -k / 20; input ((k mod 4) - 1.5) / 2
  const params = {
    wi: f64(12, (k) => ((k % 7) - 3) / 5, [2, 6]),
    wh: f64(12, (k) => ((k % 5) - 2) / 4, [2, 6]),
    bi: f64(6, (k) => k / 10, [6]),
    bh: f64(6, (k) => -k / 20, [6]),
  }
  const x = f64(6, (k) => ((k % 4) - 1.5) / 2, [1, 3, 2])

  it('matches PyTorch 1.13 nn.GRU (batch_first, same weights transposed)', () => {
    const y = gru(2, 2, 3, { dtype: 'float64' }).apply(params)(x)
    expect(y.shape).toEqual([1, 3, 2])
    const want = [0.055515315155, -0.002527580276, 0.214906132055, 0.281512128884, 0.179489166447, 0.123705433194]
    toFlatArray(y).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 10))
  })

  it('has gradients that match finite differences', () => {
    const layer = gru(2, 2, 3, { dtype: 'float64' })
    const f = (args: ReadonlyArray<Tensor>) => sum(layer.apply({ wi: args[0]!, wh: args[1]!, bi: args[2]!, bh: args[3]! })(x))
    const r = checkGrad(f, [params.wi, params.wh, params.bi, params.bh])
    expect(r.ok, r.message).toBe(true)
  })

  it('names the layer for a bad input shape', () => {
    const layer = gru(2, 2, 3)
    expect(() => layer.apply(layer.init(key(0)))(zeros([1, 4, 2]))).toThrow(ShapeError)
    expect(() => layer.apply(layer.init(key(0)))(zeros([1, 4, 2]))).toThrow(/gru\(2, 2, length 3\): expects sequences \[batch, 3, 2\] or rows \[batch, 6\]/)
  })
})
