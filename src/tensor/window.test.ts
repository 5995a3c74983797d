import { describe, expect, it } from 'vitest'
import { ShapeError } from './errors.js'
import { patchGeometry } from './window.js'

describe('patchGeometry', () => {
  it("'same' pads as TensorFlow: out = ceil(in / stride), the odd pixel at the bottom/right", () => {
    const g = patchGeometry('t', [1, 5, 7, 1], [3, 4], { padding: 'same', stride: 2 })
    expect([g.outH, g.outW]).toEqual([3, 4])
    expect([g.padTop, g.padBottom, g.padLeft, g.padRight]).toEqual([1, 1, 1, 2])
  })

  it("'valid' and explicit padding give floor((in + pads - dilated kernel) / stride) + 1", () => {
    const g = patchGeometry('t', [1, 7, 7, 1], [3, 3], { dilation: 2, stride: [1, 2], padding: [[1, 0], [0, 2]] })
    expect([g.outH, g.outW]).toEqual([4, 3])
  })

  it('names the op and the shape when the kernel does not fit, and refuses bad options', () => {
    expect(() => patchGeometry('conv2d', [1, 2, 2, 1], [3, 3])).toThrow(ShapeError)
    expect(() => patchGeometry('conv2d', [1, 2, 2, 1], [3, 3])).toThrow(/conv2d: .*smaller than the dilated kernel.*\[1, 2, 2, 1\]/)
    expect(() => patchGeometry('conv2d', [2, 2, 1], [1, 1])).toThrow(/NHWC/)
    expect(() => patchGeometry('conv2d', [1, 2, 2, 1], [1, 1], { stride: 0 })).toThrow(/stride must be an integer >= 1/)
    expect(() => patchGeometry('conv2d', [1, 2, 2, 1], [1, 1], { padding: -1 })).toThrow(/padding must be/)
  })
})
