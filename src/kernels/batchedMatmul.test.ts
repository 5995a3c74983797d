import { describe, expect, it } from 'vitest'
import { type DType, type Tensor, alloc, fromData } from '../tensor/index.js'
import { batchedMatmul } from './batchedMatmul.js'
import { matmul } from './matmul.js'
import { rng } from './seeded.fixture.js'
import { outerWasmAvailable, outerWorthIt } from './wasm/outer.js'

const random = (next: () => number, shape: ReadonlyArray<number>, dtype: DType): Tensor => {
  const d = alloc(dtype, shape.reduce((a, b) => a * b, 1))
  for (let i = 0; i < d.length; i++) d[i] = next() * 2 - 1
  return fromData(shape, d)
}

// example e of a [batch, r, c] stack, as a matrix
const slot = (t: Tensor, e: number): Tensor => {
  const [, r, c] = t.shape as [number, number, number]
  return fromData([r, c], t.data.slice(e * r * c, (e + 1) * r * c))
}

describe('batchedMatmul kernel', () => {
  const orientations = [[false, false], [false, true], [true, false], [true, true]] as const
  it.each(orientations)('equals one matmul per example, bit for bit (transposeA=%s, transposeB=%s)', (ta, tb) => {
    const next = rng(7)
    for (const dtype of ['float32', 'float64'] as const) {
      for (const [batch, m, k, n] of [[3, 5, 4, 6], [2, 17, 33, 9], [4, 3, 1, 5], [1, 1, 1, 1], [0, 2, 2, 2]] as const) {
        const a = random(next, [batch, ...(ta ? [k, m] : [m, k])], dtype)
        const b = random(next, [batch, ...(tb ? [n, k] : [k, n])], dtype)
        const c = batchedMatmul(a, b, ta, tb)
        expect(c.shape).toEqual([batch, m, n])
        expect(c.dtype).toBe(dtype)
        for (let e = 0; e < batch; e++) expect(Array.from(slot(c, e).data)).toEqual(Array.from(matmul(slot(a, e), slot(b, e), ta, tb).data))
      }
    }
  })

  it('takes the WebAssembly outer products for a per-example gradient and gives the scalar float32 products', () => {
    const next = rng(11)
    const [batch, m, n] = [8, 97, 130] // n not a multiple of 4: the SIMD loop's tail runs
    expect(outerWorthIt(batch, m, n)).toBe(outerWasmAvailable)
    const a = random(next, [batch, 1, m], 'float32')
    const b = random(next, [batch, 1, n], 'float32')
    const c = batchedMatmul(a, b, true, false)
    for (let e = 0; e < batch; e++) {
      for (let i = 0; i < m; i += 7) {
        for (let j = 0; j < n; j++) expect(c.data[(e * m + i) * n + j]).toBe(Math.fround(a.data[e * m + i]! * b.data[e * n + j]!))
      }
    }
  })
})
