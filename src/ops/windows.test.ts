import { describe, expect, it } from 'vitest'
import { grad } from '../autodiff/index.js'
import * as P from '../autodiff/primitives/index.js'
import { ShapeError, type Tensor, ones, tensor, toFlatArray } from '../tensor/index.js'
import * as O from './index.js'

// x: NHWC [1, 4, 5, 2] with ((i mod 7) - 3) / 4; w: HWIO [3, 2, 1, 4] with ((i mod 5) - 2) / 3.
const image = tensor(Array.from({ length: 40 }, (_, i) => ((i % 7) - 3) / 4), { shape: [1, 4, 5, 2], dtype: 'float64' })
const weights = tensor(Array.from({ length: 24 }, (_, i) => ((i % 5) - 2) / 3), { shape: [3, 2, 1, 4], dtype: 'float64' })

const close = (t: Tensor, want: ReadonlyArray<number>): void => {
  const got = toFlatArray(t)
  expect(got.length).toBe(want.length)
  got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 9))
}

describe('window ops against PyTorch 1.13 (values printed by torch.nn.functional on the same inputs, NCHW permuted)', () => {
  it('conv2d: stride (2, 1), padding (1, 0), dilation (1, 2), groups 2', () => {
    // F.conv2d(x.permute(0,3,1,2), w.permute(3,2,0,1), stride=(2,1), padding=(1,0), dilation=(1,2), groups=2)
    const y = O.conv2d(image, weights, { stride: [2, 1], padding: [[1, 1], [0, 0]], dilation: [1, 2], groups: 2 })
    expect(y.shape).toEqual([1, 2, 3, 4])
    close(y, [0.25, -0.1666666667, 0.75, -0.1666666667, -0.0833333333, 0.1666666667, -0.25, 1.0, 0.1666666667, -0.0833333333, -0.6666666667, -0.1666666667,
      -0.6666666667, 0.75, 0.8333333333, -0.0833333333, -0.4166666667, 0.0, 0.8333333333, 0.0833333333, 0.4166666667, -0.1666666667, -0.9166666667, -0.3333333333])
  })

  it('maxPool2d: window 2', () => {
    // F.max_pool2d(x, 2)
    close(O.maxPool2d(image, 2), [0.5, 0.75, 0.75, 0.5, 0.75, 0.5, 0.75, 0.75])
  })

  it('avgPool2d: window 3, stride 2, padding 1, padding not counted', () => {
    // F.avg_pool2d(x, 3, stride=2, padding=1, count_include_pad=False)
    close(O.avgPool2d(image, 3, { stride: 2, padding: 1 }), [-0.125, 0.125, 0.0416666667, 0.0, 0.0625, -0.125, 0.125, 0.0833333333, 0.0, 0.0555555556, -0.125, 0.125])
  })
})

describe('window ops', () => {
  it('the layout helpers are inverse permutations', () => {
    expect(O.nchwToNhwc(O.nhwcToNchw(image)).data).toEqual(image.data)
    expect(O.nhwcToNchw(image).shape).toEqual([1, 2, 4, 5])
  })

  it('the global pools reduce the spatial axes', () => {
    expect(O.globalAvgPool2d(image).shape).toEqual([1, 2])
    close(O.globalMaxPool2d(image), [0.75, 0.75])
  })

  it('maxPool2d with padding never picks a padding tap, even when every pixel is negative', () => {
    const neg = O.sub(O.mul(image, 0), 1)
    close(O.maxPool2d(neg, 3, { stride: 1, padding: 'same' }), Array.from({ length: 40 }, () => -1))
  })

  it('the gradient of maxPool2d is routed to each window maximum', () => {
    const x = tensor([[[[1], [5]], [[3], [2]]]], { dtype: 'float64' })
    const [g] = grad((xs: ReadonlyArray<Tensor>) => O.sum(O.maxPool2d(xs[0]!, 2)))([x])
    expect(toFlatArray(g!)).toEqual([0, 1, 0, 0])
  })

  it('conv1d is a conv2d of height 1', () => {
    const x = tensor([[[1], [2], [3], [4]]], { dtype: 'float64' })
    const w = tensor([[[1]], [[-1]]], { dtype: 'float64' })
    expect(toFlatArray(O.conv1d(x, w))).toEqual([-1, -1, -1])
    expect(O.conv1d(x, w, { padding: 'same' }).shape).toEqual([1, 4, 1])
  })

  it('bad shapes give ShapeErrors that name the op and the fix', () => {
    expect(() => O.conv2d(image, tensor([[1]]))).toThrow(ShapeError)
    expect(() => O.conv2d(image, tensor([[1]]))).toThrow(/conv2d: expects HWIO weights/)
    expect(() => O.conv2d(image, weights)).toThrow(/conv2d: the weights take 1 channels per group but the image has 2 channels in 1 group/)
    expect(() => O.conv2d(image, weights, { groups: 3 })).toThrow(/groups \(3\) must be a positive integer dividing/)
    expect(() => O.maxPool2d(tensor([[1, 2]]), 2)).toThrow(/rank 4/)
    expect(() => O.conv1d(image, weights)).toThrow(/conv1d: expects an input \[batch, length, channels\]/)
  })
})

describe('maxPool2d, the fused primitive', () => {
  // the composite it replaces: max over the taps, padding at -Infinity
  const composite = (x: Tensor, window: number, options: P.WindowOptions): Tensor => {
    const o = { ...options, stride: options.stride ?? window }
    const patches = P.extractPatches(x, window, o)
    const onImage = P.extractPatches(ones([1, x.shape[1]!, x.shape[2]!, 1], { dtype: x.dtype }), window, o)
    return P.max(P.where(onImage, patches, -Infinity), [3, 4])
  }
  const bits = (t: Tensor): number[] => Array.from(toFlatArray(t), (v) => (Object.is(v, -0) ? -0.5 : v))
  // relu-like inputs (many tied zeros in a window), overlapping and padded windows
  const x = tensor(Array.from({ length: 2 * 7 * 6 * 3 }, (_, i) => Math.max(0, ((i * 37) % 11) - 6) / 3), { shape: [2, 7, 6, 3] })
  const ct = (y: Tensor): Tensor => tensor(Array.from({ length: y.size }, (_, i) => ((i * 13) % 9) - 4.5), { shape: y.shape })
  it.each([[2, {}], [3, { stride: 2, padding: 'same' }], [2, { stride: 1, padding: [[1, 0], [0, 1]] }], [3, { stride: 1, dilation: 2 }]] as const)(
    'window %s, %j: the composite\'s values and gradient (ties split evenly) bit for bit', (window, options) => {
      const y = O.maxPool2d(x, window, options)
      expect(bits(y)).toEqual(bits(composite(x, window, options)))
      const c = ct(y)
      const loss = (f: (t: Tensor) => Tensor) => (t: Tensor): Tensor => P.sum(P.mul(f(t), c))
      expect(bits(grad(loss((t) => O.maxPool2d(t, window, options)))(x))).toEqual(bits(grad(loss((t) => composite(t, window, options)))(x)))
    })
})
