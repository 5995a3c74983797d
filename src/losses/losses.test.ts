import { describe, expect, it } from 'vitest'
import { grad, vmap } from '../autodiff/index.js'
import { reshape, slice } from '../ops/index.js'
import { type NestedArray, ShapeError, type Tensor, item, tensor, toArray } from '../tensor/index.js'
import { accuracy, mse, sigmoidBinaryCrossEntropy, softmaxCrossEntropy } from './index.js'

const f64 = (v: NestedArray): Tensor => tensor(v, { dtype: 'float64' })

describe('mse', () => {
  it('is the mean of the squared errors', () => {
    // errors 1, -2, 0, 3 -> (1 + 4 + 0 + 9) / 4
    expect(item(mse(f64([[1, 0], [2, 5]]), f64([[0, 2], [2, 2]])))).toBe(3.5)
  })
  it('has gradient 2 (p - y) / count', () => {
    expect(toArray(grad((p: Tensor) => mse(p, f64([[0], [1]])))(f64([[1], [3]])))).toEqual([[1], [2]])
  })
  it('refuses to broadcast a [batch] target against a [batch, 1] prediction', () => {
    expect(() => mse(f64([[1], [2]]), f64([1, 2]))).toThrow(ShapeError)
    expect(() => mse(f64([[1], [2]]), f64([1, 2]))).toThrow('mse: prediction and target shapes differ; reshape the target to [2, 1] (ops.reshape) (shapes [2, 1] and [2])')
  })
})

describe('softmaxCrossEntropy', () => {
  const logits = f64([[1, 2, 3], [0, 0, 0]])
  const lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3))

  it('is the mean over the batch of -log softmax at the target', () => {
    // example 0, class 2: -(3 - lse); example 1, class 0: log 3
    const want = (-(3 - lse) + Math.log(3)) / 2
    expect(item(softmaxCrossEntropy(logits, f64([[0, 0, 1], [1, 0, 0]])))).toBeCloseTo(want, 14)
    expect(item(softmaxCrossEntropy(logits, f64([2, 0])))).toBeCloseTo(want, 14)
  })
  it('has gradient (softmax - one-hot) / batch', () => {
    const g = toArray(grad((z: Tensor) => softmaxCrossEntropy(z, f64([2, 0])))(logits)) as number[][]
    const p = [1, 2, 3].map((v) => Math.exp(v - lse))
    ;[p[0]! / 2, p[1]! / 2, (p[2]! - 1) / 2].forEach((v, i) => expect(g[0]![i]).toBeCloseTo(v, 14))
    ;[(1 / 3 - 1) / 2, 1 / 6, 1 / 6].forEach((v, i) => expect(g[1]![i]).toBeCloseTo(v, 14))
  })
  it('is finite for huge logits, in float32 too', () => {
    expect(item(softmaxCrossEntropy(tensor([[1e4, -1e4, 0]]), tensor([1])))).toBe(2e4)
    expect(item(softmaxCrossEntropy(tensor([[1e30, 0]]), tensor([0])))).toBeCloseTo(0, 12)
  })
  it('is finite with a masked logit of -Infinity, as PyTorch (1.3133), and so is its gradient', () => {
    const lse = Math.log(1 + Math.E)
    for (const dtype of ['float32', 'float64'] as const) {
      const z = tensor([[0, -Infinity, 1]], { dtype })
      const byIndex = item(softmaxCrossEntropy(z, tensor([0], { dtype })))
      expect(byIndex).toBeCloseTo(lse, dtype === 'float32' ? 6 : 14)
      expect(byIndex).toBeCloseTo(1.3133, 4)
      expect(item(softmaxCrossEntropy(z, tensor([[1, 0, 0]], { dtype })))).toBeCloseTo(lse, dtype === 'float32' ? 6 : 14)
      const g = toArray(grad((x: Tensor) => softmaxCrossEntropy(x, tensor([0], { dtype })))(z)) as number[][]
      expect(g[0]![0]).toBeCloseTo(1 / (1 + Math.E) - 1, 6)
      expect(g[0]![1]).toBe(0)
      expect(g[0]![2]).toBeCloseTo(Math.E / (1 + Math.E), 6)
      const gRows = toArray(grad((x: Tensor) => softmaxCrossEntropy(x, tensor([[0.5, 0, 0.5]], { dtype })))(z)) as number[][]
      expect(gRows[0]!.every(Number.isFinite)).toBe(true)
    }
    // the target itself masked: the loss is +Infinity, as in PyTorch
    expect(item(softmaxCrossEntropy(f64([[0, -Infinity, 1]]), f64([1])))).toBe(Infinity)
  })
  it('names itself and the shapes on bad targets', () => {
    expect(() => softmaxCrossEntropy(logits, f64([[0, 1], [1, 0]]))).toThrow('softmaxCrossEntropy: targets must be one-hot rows [2, 3] or class indices [2] for logits [2, 3] (shapes [2, 3] and [2, 2])')
    expect(() => softmaxCrossEntropy(f64([1, 2]), f64([1]))).toThrow('softmaxCrossEntropy: expects logits of shape [batch, classes], got rank 1')
    expect(() => softmaxCrossEntropy(logits, f64([3, 0]))).toThrow('softmaxCrossEntropy: target 0 is 3, not a class index in [0, 3)')
    expect(() => softmaxCrossEntropy(logits, f64([0.5, 0]))).toThrow(RangeError)
  })
  it('takes class indices inside vmap: per-example losses and gradients equal a loop over the examples', () => {
    const zs = f64([[1, 2, 0.5], [0, -1, 3], [2, 2, -2], [0.1, 0.2, 0.3]])
    const idx = f64([2, 0, 1, 2])
    const one = (z: Tensor, c: Tensor): Tensor => softmaxCrossEntropy(reshape(z, [1, 3]), reshape(c, [1]))
    const row = (t: Tensor, i: number): Tensor => reshape(slice(t, [i, 0], [1, 3]), [3])
    const at = (i: number): Tensor => reshape(slice(idx, [i], [1]), [])
    expect(toArray(vmap(one)(zs, idx))).toEqual([0, 1, 2, 3].map((i) => item(one(row(zs, i), at(i)))))
    const g = toArray(vmap((z: Tensor, c: Tensor) => grad((w: Tensor) => one(w, c))(z))(zs, idx))
    expect(g).toEqual([0, 1, 2, 3].map((i) => toArray(grad((z: Tensor) => one(z, at(i)))(row(zs, i)))))
  })
})

describe('sigmoidBinaryCrossEntropy', () => {
  it('is the mean of -y log σ(z) - (1 - y) log(1 - σ(z))', () => {
    const s = (z: number) => 1 / (1 + Math.exp(-z))
    const z = [[2], [-1], [0.5]]
    const y = [[1], [0], [0.3]]
    const want = z.reduce((acc, [zi], i) => acc - y[i]![0]! * Math.log(s(zi!)) - (1 - y[i]![0]!) * Math.log(1 - s(zi!)), 0) / 3
    expect(item(sigmoidBinaryCrossEntropy(f64(z), f64(y)))).toBeCloseTo(want, 14)
  })
  it('is stable for logits of any size: max(z, 0) - z·y + log(1 + e^-|z|)', () => {
    expect(item(sigmoidBinaryCrossEntropy(tensor([[100], [-100]]), tensor([[0], [1]])))).toBe(100)
    expect(item(sigmoidBinaryCrossEntropy(tensor([[100], [-100]]), tensor([[1], [0]])))).toBeCloseTo(0, 12)
  })
  it('has gradient (σ(z) - y) / count', () => {
    const g = toArray(grad((z: Tensor) => sigmoidBinaryCrossEntropy(z, f64([[1], [0]])))(f64([[0], [0]])))
    expect(g).toEqual([[-0.25], [0.25]])
  })
  it('names itself on a shape mismatch', () => {
    expect(() => sigmoidBinaryCrossEntropy(f64([[1], [2]]), f64([1, 0]))).toThrow('sigmoidBinaryCrossEntropy: prediction and target shapes differ')
  })
})

describe('accuracy', () => {
  const logits = f64([[1, 5, 2], [3, 0, 0], [0, 0, 9], [1, 1, 0]])
  it('compares the argmax with class indices or one-hot rows', () => {
    expect(accuracy(logits, f64([1, 0, 1, 0]))).toBe(0.75)
    expect(accuracy(logits, f64([[0, 1, 0], [1, 0, 0], [0, 1, 0], [0, 1, 0]]))).toBe(0.5)
  })
  it('thresholds a single logit at 0 for binary targets', () => {
    expect(accuracy(f64([[2], [-1], [0.5]]), f64([[1], [0], [0]]))).toBeCloseTo(2 / 3, 15)
    expect(accuracy(f64([2, -1]), f64([1, 0]))).toBe(1)
  })
  it('names itself on bad shapes', () => {
    expect(() => accuracy(logits, f64([1, 0]))).toThrow('accuracy: targets must be class indices [4] or one-hot rows [4, 3] for logits [4, 3]')
  })
})
