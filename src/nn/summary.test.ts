import { describe, expect, it } from 'vitest'
import { key } from '../random/index.js'
import { relu } from './activations.js'
import { dense } from './dense.js'
import { serial } from './serial.js'
import { batchNorm, conv2d, dropout, flatten, maxPool2d } from './index.js'
import { showSummary, summary } from './summary.js'

describe('summary', () => {
  const net = serial(dense(4, 16), relu, dense(16, 3))
  it('one row per layer of a serial: name, output shape, parameter count, tensors', () => {
    const s = summary(net)
    expect(s.parameters).toBe(4 * 16 + 16 + 16 * 3 + 3)
    expect(s.layers.map((l) => l.name)).toEqual(['[0] dense(4, 16)', '[1] relu', '[2] dense(16, 3)'])
    expect(s.layers.map((l) => l.outputShape)).toEqual([[null, 16], [null, 16], [null, 3]])
    expect(s.layers.map((l) => l.parameters)).toEqual([80, 0, 51])
    expect(s.layers[0]!.tensors).toEqual([{ path: 'w', shape: [4, 16], dtype: 'float32' }, { path: 'b', shape: [16], dtype: 'float32' }])
  })
  it('with parameters, their real dtypes and shapes; a non-serial network is one row', () => {
    const f64 = serial(dense(2, 2, { dtype: 'float64' }))
    expect(summary(f64, f64.init(key(0))).layers[0]!.tensors.map((t) => t.dtype)).toEqual(['float64', 'float64'])
    const one = summary(dense(3, 2))
    expect(one.layers).toHaveLength(1)
    expect(one.parameters).toBe(8)
  })
  it('prints as a table with a total', () => {
    const text = showSummary(summary(net, net.init(key(0))))
    expect(text.split('\n')).toEqual([
      'layer             output       parameters  tensors',
      '[0] dense(4, 16)  [batch, 16]          80  w [4, 16] float32, b [16] float32',
      '[1] relu          [batch, 16]           0',
      '[2] dense(16, 3)  [batch, 3]           51  w [16, 3] float32, b [3] float32',
      'total                                 131',
    ])
  })
  it('image layers show their output images [batch, h, w, c]; relu and dropout keep them; flatten gives features', () => {
    const c1 = conv2d([28, 28, 1], 16, 5, { padding: 'same' })
    const p1 = maxPool2d(c1.outShape, 2)
    const cnn = serial(c1, batchNorm(c1.outShape), relu, p1, dropout(0.1), flatten, dense(p1.outSize, 10))
    const s = summary(cnn)
    expect(s.layers.map((l) => l.outputShape)).toEqual([
      [null, 28, 28, 16], [null, 28, 28, 16], [null, 28, 28, 16], [null, 14, 14, 16], [null, 14, 14, 16], [null, 3136], [null, 10],
    ])
    expect(showSummary(s)).toMatch(/\[1\] batchNorm\(\[28, 28, 16\]\)\s+\[batch, 28, 28, 16\]/)
    // batchNorm's scale, offset and running statistics, 16 each
    expect(s.layers[1]!.parameters).toBe(64)
  })
})
