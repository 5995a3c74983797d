import { describe, expect, it } from 'vitest'
import { grad } from '../autodiff/index.js'
import * as P from '../autodiff/primitives/index.js'
import { key, normal, split, uniform } from '../random/index.js'
import { type Tensor, fromData, ones, tensor } from '../tensor/index.js'
import { maxPool2d, mul, sum } from './index.js'

// maxPool2d runs as the fused primitive maxPool (autodiff/primitives/maxPool.ts); it replaced the
// composite below, and must give its values and gradients bit for bit (Object.is on every element:
// ties, -0, NaN and Infinity included).
const composite = (x: Tensor, window: P.Pair, options: P.WindowOptions = {}): Tensor => {
  const o = { ...options, stride: options.stride ?? window }
  const padded = o.padding !== undefined && o.padding !== 'valid' && o.padding !== 0
  const patches = P.extractPatches(x, window, o)
  const onImage = P.extractPatches(ones([1, x.shape[1]!, x.shape[2]!, 1], { dtype: x.dtype }), window, o)
  return P.max(padded ? P.where(onImage, patches, -Infinity) : patches, [3, 4])
}

const identical = (a: Tensor, b: Tensor): boolean =>
  a.dtype === b.dtype && a.shape.join() === b.shape.join() && Array.from(a.data).every((v, i) => Object.is(v, b.data[i]))

const gradientOf = (pool: typeof composite, x: Tensor, ct: Tensor, window: P.Pair, options: P.WindowOptions): Tensor =>
  grad((v: Tensor) => sum(mul(pool(v, window, options), ct)))(x)

describe('maxPool2d, fused, against the composite max(extractPatches(x))', () => {
  it('gives the same values and gradients bit for bit, with ties, padding, strides and dilation, in float32 and float64', () => {
    let compared = 0
    for (let seed = 0; seed < 90; seed++) {
      const [kx, kc] = split(key(seed), 2) as [ReturnType<typeof key>, ReturnType<typeof key>]
      const dtype = seed % 3 === 0 ? 'float64' : 'float32'
      const shape = [1 + (seed % 2), 2 + (seed % 5), 3 + (seed % 4), 1 + (seed % 3)]
      const u = uniform(kx, shape, { dtype, min: -3, max: 3 })
      // whole numbers in [-3, 3) tie often; every fourth case keeps the uniform draws
      const x = fromData(u.shape, u.data.map((v) => (seed % 4 === 0 ? v : Math.floor(v))))
      const window: P.Pair = [1 + (seed % 3), 1 + ((seed >> 1) % 3)]
      const options: P.WindowOptions = { stride: [1 + (seed % 2), 1 + ((seed >> 2) % 2)], dilation: [1 + ((seed >> 3) % 2), 1], padding: (['valid', 'same', 1] as const)[seed % 3]! }
      let y: Tensor
      try {
        y = composite(x, window, options)
      } catch {
        continue // a window larger than the padded image
      }
      const ct = normal(kc, y.shape, { dtype })
      expect(identical(maxPool2d(x, window, options), y), `values, seed ${seed}`).toBe(true)
      expect(identical(gradientOf(maxPool2d, x, ct, window, options), gradientOf(composite, x, ct, window, options)), `gradient, seed ${seed}`).toBe(true)
      compared++
    }
    expect(compared).toBeGreaterThan(60)
  })

  it('routes NaN and Infinity as the composite does', () => {
    const x = tensor([[[[1], [NaN], [2]], [[3], [3], [-Infinity]], [[0], [-0], [5]]]])
    for (const ct of [tensor([[[[1], [Infinity]], [[-2], [NaN]]]]), tensor([[[[-0], [1]], [[2], [3]]]])]) {
      const options: P.WindowOptions = { stride: 1 }
      expect(identical(gradientOf(maxPool2d, x, ct, 2, options), gradientOf(composite, x, ct, 2, options))).toBe(true)
    }
    // the window with the NaN sends NaN to all its taps; the tie of 3s splits the other windows' cotangents
    expect(Array.from(gradientOf(maxPool2d, x, tensor([[[[-0], [1]], [[2], [3]]]]), 2, { stride: 1 }).data).some(Number.isNaN)).toBe(true)
  })
})
