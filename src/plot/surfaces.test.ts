import { describe, expect, it } from 'vitest'
import { grad } from '../autodiff/transforms.js'
import { sum, square } from '../ops/index.js'
import { type Tensor, item, tensor, toFlatArray } from '../tensor/index.js'
import { beale, coordinate, rosenbrock, saddle, sampleSurface, testSurfaces } from './surfaces.js'

const at = (f: (p: Tensor) => Tensor, x: number, y: number): number => item(f(tensor([x, y], { dtype: 'float64' })))
const gradAt = (f: (p: Tensor) => Tensor, x: number, y: number): number[] => toFlatArray(grad(f)(tensor([x, y], { dtype: 'float64' })))

describe('test surfaces', () => {
  it('have their textbook values', () => {
    expect(at(rosenbrock.surface, 0, 0)).toBe(1)
    expect(at(rosenbrock.surface, -1, 2)).toBe(4 + 100)
    expect(at(beale.surface, 0, 0)).toBeCloseTo(1.5 ** 2 + 2.25 ** 2 + 2.625 ** 2, 12)
    expect(at(saddle.surface, 2, 3)).toBe(4 - 9)
  })

  it('are 0 with a zero gradient at their minimum, inside their domain', () => {
    for (const s of testSurfaces) {
      const m = s.minimum ?? [0, 0] // the saddle's stationary point
      expect(at(s.surface, m[0], m[1]), s.name).toBeCloseTo(0, 12)
      for (const g of gradAt(s.surface, m[0], m[1])) expect(g, s.name).toBeCloseTo(0, 10)
      expect(m[0]).toBeGreaterThanOrEqual(s.xDomain[0])
      expect(m[1]).toBeLessThanOrEqual(s.yDomain[1])
    }
  })

  it('are differentiable: grad matches the hand derivative', () => {
    const [gx, gy] = gradAt(rosenbrock.surface, -1, 2)
    // d/dx = -2(1 - x) - 400x(y - x²), d/dy = 200(y - x²)
    expect(gx).toBeCloseTo(-4 + 400, 10)
    expect(gy).toBeCloseTo(200, 10)
    expect(gradAt(saddle.surface, 1, 1)).toEqual([2, -2])
  })

  it('evaluate a batch [..., 2] element-wise', () => {
    const batch = tensor([[[0, 0], [1, 1]], [[2, 0], [0, 2]]])
    const v = saddle.surface(batch)
    expect(v.shape).toEqual([2, 2])
    expect(toFlatArray(v)).toEqual([0, 0, 4, -4])
    expect(() => coordinate(tensor([1, 2, 3]), 0)).toThrow('shape [..., 2], got [3]')
  })
})

describe('sampleSurface', () => {
  it('fills values[j][i] = f(xs[i], ys[j])', () => {
    const g = sampleSurface(saddle.surface, [0, 1, 2], [0, 1])
    expect(g.values).toEqual([[0, 1, 4], [-1, 0, 3]])
  })
  it('falls back to point-wise evaluation for a surface written for one point', () => {
    const g = sampleSurface((p) => sum(square(p)), [0, 1], [0, 2])
    expect(g.values).toEqual([[0, 1], [4, 5]])
  })
})
