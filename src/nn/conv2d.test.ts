import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { decodeModel, encodeModel } from '../ioPure.js'
import { key, normal } from '../random/index.js'
import { ShapeError, type Tensor, tensor, toFlatArray, zeros } from '../tensor/index.js'
import { avgPool2d, conv2d, dense, flatten, fromSpec, maxPool2d, paramLayout, relu, serial, summary } from './index.js'

const x4 = normal(key(0), [2, 6, 6, 3], { dtype: 'float64' })

describe('conv2d layer', () => {
  it('states its image shapes and feature sizes, and computes conv2d(x, w) + b', () => {
    const c = conv2d([6, 6, 3], 4, 3, { padding: 'same', stride: 2, dtype: 'float64' })
    expect(c.inShape).toEqual([6, 6, 3])
    expect(c.outShape).toEqual([3, 3, 4])
    expect([c.inSize, c.outSize]).toEqual([108, 36])
    const p = c.init(key(1))
    expect(p.w.shape).toEqual([3, 3, 3, 4])
    expect(p.b.shape).toEqual([4])
    const ones = { w: tensor(Array.from({ length: 108 }, () => 1), { shape: [3, 3, 3, 4], dtype: 'float64' }), b: tensor([1, 2, 3, 4], { dtype: 'float64' }) }
    const y = c.apply(ones)(tensor(Array.from({ length: 108 }, () => 1), { shape: [1, 6, 6, 3], dtype: 'float64' }))
    expect(y.shape).toEqual([1, 3, 3, 4])
    // 'same' pads 0 above and left, 1 below and right (TensorFlow's rule): the top-left window is on the image
    expect(toFlatArray(y).slice(0, 4)).toEqual([28, 29, 30, 31])
    // the bottom-right window has one row and one column of padding: 2 x 2 taps of 3 channels
    expect(toFlatArray(y).slice(32)).toEqual([13, 14, 15, 16])
  })

  it('takes flat rows [batch, h·w·c] as well as NHWC images', () => {
    const c = conv2d([6, 6, 3], 2, 3, { dtype: 'float64' })
    const p = c.init(key(2))
    const rows: Tensor = tensor(x4.data, { shape: [2, 108], dtype: 'float64' })
    expect(toFlatArray(c.apply(p)(rows))).toEqual(toFlatArray(c.apply(p)(x4)))
  })

  it('names the layer and the likely fix for bad inputs and parameters', () => {
    const c = conv2d([6, 6, 3], 2, 3)
    const p = c.init(key(3))
    expect(() => c.apply(p)(zeros([2, 3, 6, 6]))).toThrow(ShapeError)
    expect(() => c.apply(p)(zeros([2, 3, 6, 6]))).toThrow(/conv2d\(\[6, 6, 3\], 2, 3\): expects images \[batch, 6, 6, 3\].*NCHW.*ops.nchwToNhwc/)
    expect(() => c.apply(p)(zeros([2, 100]))).toThrow(/or rows \[batch, 108\]/)
    expect(() => c.apply({ w: zeros([3, 3, 2, 2]), b: zeros([2]) })).toThrow(/expected w of shape \[3, 3, 3, 2\]/)
    expect(() => conv2d([6, 6, 3], 4, 3, { groups: 2 })).toThrow(/groups \(2\) must be a positive integer dividing both the channels \(3\)/)
    expect(() => conv2d([2, 2, 1], 4, 3)).toThrow(/smaller than the dilated kernel/)
  })
})

describe('pools and flatten', () => {
  it('maxPool2d and avgPool2d halve the image with window 2', () => {
    const m = maxPool2d([6, 6, 3], 2)
    expect(m.outShape).toEqual([3, 3, 3])
    expect(m.apply({})(x4).shape).toEqual([2, 3, 3, 3])
    const a = avgPool2d([6, 6, 3], 3, { stride: 1, padding: 'same' })
    expect(a.outShape).toEqual([6, 6, 3])
  })

  it('flatten turns images into rows and leaves rows alone', () => {
    expect(flatten.apply({})(x4).shape).toEqual([2, 108])
    const rows = zeros([2, 5])
    expect(flatten.apply({})(rows)).toBe(rows)
  })
})

describe('a LeNet-style network', () => {
  const c1 = conv2d([28, 28, 1], 4, 5, { padding: 'same' })
  const p1 = maxPool2d(c1.outShape, 2)
  const c2 = conv2d(p1.outShape, 8, 5)
  const p2 = maxPool2d(c2.outShape, 2)
  const net = serial(c1, relu, p1, c2, relu, p2, flatten, dense(p2.outSize, 10))

  it('chains by feature sizes and maps rows of 784 pixels to 10 logits', () => {
    expect([net.inSize, net.outSize]).toEqual([784, 10])
    expect(net.apply(net.init(key(4)))(zeros([3, 784])).shape).toEqual([3, 10])
  })

  it('a size mismatch is a ShapeError naming both layers', () => {
    expect(() => serial(c1, relu, maxPool2d([14, 14, 4], 2))).toThrow(/conv2d\(\[28, 28, 1\], 4, 5\) outputs 3136 features but maxPool2d\(\[14, 14, 4\], 2\) expects 784/)
  })

  it('its spec rebuilds it, its layout is its parameters, and a model file round-trips', () => {
    const params = net.init(key(5))
    const copy = fromSpec(JSON.parse(JSON.stringify(net.spec)))
    expect(E.isRight(copy) && copy.right.name === net.name).toBe(true)
    expect(paramLayout(net.spec)).toMatchObject({ node: 'array' })
    const back = decodeModel(encodeModel({ net, params }))
    if (E.isLeft(back)) throw new Error(back.left.message)
    const x = normal(key(6), [2, 784])
    expect(toFlatArray((back.right.net.apply as (p: unknown) => (x: Tensor) => Tensor)(back.right.params)(x))).toEqual(toFlatArray(net.apply(params)(x)))
    expect(summary(net).parameters).toBe(4 * 25 + 4 + 8 * 4 * 25 + 8 + 5 * 5 * 8 * 10 + 10)
  })

  it('fromSpec refuses bad conv fields with the path', () => {
    const bad = fromSpec({ kind: 'serial', layers: [{ kind: 'conv2d', inShape: [28, 28], filters: 4, kernel: [5, 5] }] })
    expect(E.isLeft(bad) && bad.left.message).toMatch(/layers\[0\]\.inShape: expected \[height, width, channels\]/)
  })
})
