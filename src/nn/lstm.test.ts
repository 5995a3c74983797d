import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { checkGrad } from '../check/index.js'
import { sum } from '../ops/index.js'
import { key } from '../random/index.js'
import { ShapeError, type Tensor, tensor, toFlatArray, zeros } from '../tensor/index.js'
import { fromSpec, lstm, paramLayout } from './index.js'

// PyTorch 1.13's numbers, written by fixtures/pytorch-layers.py
const fixture = JSON.parse(readFileSync(new URL('./fixtures/pytorch-layers.json', import.meta.url), 'utf8')) as { readonly lstm: { readonly y: ReadonlyArray<number> } }

const f64 = (n: number, f: (k: number) => number, shape: ReadonlyArray<number>): Tensor => tensor(Array.from({ length: n }, (_, k) => f(k)), { shape, dtype: 'float64' })

describe('lstm', () => {
  // the formulas of fixtures/pytorch-layers.py
  const params = {
    wi: f64(16, (k) => ((k % 7) - 3) / 5, [2, 8]),
    wh: f64(16, (k) => ((k % 5) - 2) / 4, [2, 8]),
    bi: f64(8, (k) => k / 10, [8]),
    bh: f64(8, (k) => -k / 20, [8]),
  }
  const x = f64(6, (k) => ((k % 4) - 1.5) / 2, [1, 3, 2])

  it('matches PyTorch 1.13 nn.LSTM (batch_first, same weights transposed)', () => {
    const y = lstm(2, 2, 3, { dtype: 'float64' }).apply(params)(x)
    expect(y.shape).toEqual([1, 3, 2])
    expect(fixture.lstm.y).toHaveLength(6)
    toFlatArray(y).forEach((v, i) => expect(v).toBeCloseTo(fixture.lstm.y[i]!, 12))
  })

  it('has gradients that match finite differences (backpropagation through time)', () => {
    const layer = lstm(2, 2, 3, { dtype: 'float64' })
    const f = (args: ReadonlyArray<Tensor>) => sum(layer.apply({ wi: args[0]!, wh: args[1]!, bi: args[2]!, bh: args[3]! })(args[4]!))
    const r = checkGrad(f, [params.wi, params.wh, params.bi, params.bh, x])
    expect(r.ok, r.message).toBe(true)
  })

  it('round-trips through its spec, with the parameter layout of its init', () => {
    const layer = lstm(3, 4, 5)
    const rebuilt = fromSpec(JSON.parse(JSON.stringify(layer.spec)))
    expect(rebuilt._tag).toBe('Right')
    if (rebuilt._tag === 'Right') expect(rebuilt.right.name).toBe(layer.name)
    const p = layer.init(key(0))
    expect(p.wi.shape).toEqual([3, 16])
    expect(p.wh.shape).toEqual([4, 16])
    expect(JSON.stringify(paramLayout(layer.spec))).toContain('[4,16]')
  })

  it('names the layer for a bad input shape', () => {
    const layer = lstm(2, 2, 3)
    expect(() => layer.apply(layer.init(key(0)))(zeros([1, 4, 2]))).toThrow(ShapeError)
    expect(() => layer.apply(layer.init(key(0)))(zeros([1, 4, 2]))).toThrow(/lstm\(2, 2, length 3\): expects sequences \[batch, 3, 2\] or rows \[batch, 6\]/)
  })
})
