import { describe, expect, it } from 'vitest'
import { type DType, type Shape, type Tensor, ShapeError, broadcastShapes, fromData, alloc, sizeOf, tensor, toArray } from '../tensor/index.js'
import * as E from './elementwise.js'
import { cast, map, powScalar, select } from './elementwise.js'
import { rng } from './seeded.fixture.js'


const random = (next: () => number, shape: Shape, dtype: DType = 'float64'): Tensor => {
  const d = alloc(dtype, sizeOf(shape))
  for (let i = 0; i < d.length; i++) d[i] = Math.round((next() * 8 - 4) * 4) / 4
  return fromData(shape, d)
}

// The oracle: for each output multi-index, read each input at the broadcast index, one at a time.
const oracleBinary = (f: (a: number, b: number) => number, x: Tensor, y: Tensor): { shape: Shape; data: number[] } => {
  const shape = broadcastShapes('oracle', x.shape, y.shape)
  const n = sizeOf(shape)
  const data: number[] = []
  const at = (t: Tensor, idx: number[]): number => {
    const lead = idx.length - t.shape.length
    let flat = 0
    for (let i = 0; i < t.shape.length; i++) {
      const d = t.shape[i]!
      flat = flat * d + (d === 1 ? 0 : idx[lead + i]!)
    }
    return t.data[flat]!
  }
  for (let k = 0; k < n; k++) {
    const idx = new Array<number>(shape.length)
    let r = k
    for (let i = shape.length - 1; i >= 0; i--) {
      idx[i] = r % shape[i]!
      r = Math.floor(r / shape[i]!)
    }
    data.push(f(at(x, idx), at(y, idx)))
  }
  return { shape, data }
}

const binaryOracles = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  maximum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b)),
  greater: (a, b) => (a > b ? 1 : 0),
  equal: (a, b) => (a === b ? 1 : 0),
} as const satisfies Record<string, (a: number, b: number) => number>
type BinaryName = keyof typeof binaryOracles

// Every path through `binary`: equal shapes, scalar either side, a suffix row either side,
// size-equal shapes that differ by leading 1s, and the general strided walk.
const shapePairs: ReadonlyArray<readonly [Shape, Shape, string]> = [
  [[2, 3], [2, 3], 'equal shapes'],
  [[], [], 'scalar and scalar'],
  [[2, 3], [], 'scalar on the right'],
  [[], [2, 3], 'scalar on the left'],
  [[1], [4, 5], 'size-1 tensor on the left'],
  [[4, 5], [1, 1], 'size-1 tensor of rank 2 on the right'],
  [[4, 3], [3], 'suffix row on the right'],
  [[3], [4, 3], 'suffix row on the left'],
  [[2, 4, 3], [4, 3], 'suffix matrix on the right'],
  [[4, 3], [2, 4, 3], 'suffix matrix on the left'],
  [[2, 3], [1, 2, 3], 'same size, leading 1'],
  [[3, 1], [1, 4], 'general [3,1]x[1,4]'],
  [[1, 4], [3, 1], 'general [1,4]x[3,1]'],
  [[2, 1, 3], [4, 1], 'general [2,1,3]x[4,1]'],
  [[4, 1], [2, 1, 3], 'general [4,1]x[2,1,3]'],
  [[4, 3], [1, 3], 'row with a leading 1 (not a suffix)'],
  [[4, 3], [4, 1], 'column'],
  [[2, 3, 1, 5], [3, 4, 1], 'general rank 4'],
  [[0, 3], [3], 'empty output'],
  [[1, 3], [0, 1], 'empty from broadcasting 1 against 0'],
]

describe('binary kernels against a per-element oracle', () => {
  const next = rng(1)
  for (const [sa, sb, label] of shapePairs) {
    for (const op of Object.keys(binaryOracles) as BinaryName[]) {
      it(`${op}: ${label} ${JSON.stringify(sa)} x ${JSON.stringify(sb)}`, () => {
        const x = random(next, sa)
        const y = random(next, sb)
        // keep division away from 0 so the oracle and kernel agree exactly
        const yy = op === 'div' ? map(E.abs(y), (v) => v + 0.5) : y
        const got = E[op](x, yy)
        const want = oracleBinary(binaryOracles[op], x, yy)
        expect(got.shape).toEqual(want.shape)
        expect(got.size).toBe(sizeOf(want.shape))
        expect(Array.from(got.data)).toEqual(want.data)
      })
    }
  }

  // float32 operands take the float32 loops (float32Loops.ts) in the common cases: the same oracle,
  // rounded to float32
  const next32 = rng(2)
  for (const [sa, sb, label] of shapePairs) {
    for (const op of Object.keys(binaryOracles) as BinaryName[]) {
      it(`${op} on float32: ${label} ${JSON.stringify(sa)} x ${JSON.stringify(sb)}`, () => {
        const x = random(next32, sa, 'float32')
        const y = random(next32, sb, 'float32')
        const yy = op === 'div' ? map(E.abs(y), (v) => v + 0.5) : y
        const got = E[op](x, yy)
        const want = oracleBinary(binaryOracles[op], x, yy)
        expect(got.dtype).toBe('float32')
        expect(got.shape).toEqual(want.shape)
        expect(Array.from(got.data)).toEqual(want.data.map(Math.fround))
      })
    }
  }

  it('scalar and scalar gives a scalar', () => {
    const got = E.add(tensor(2), tensor(3))
    expect(got.shape).toEqual([])
    expect(toArray(got)).toBe(5)
  })

  it('does not write its inputs and returns a fresh buffer', () => {
    const x = tensor([[1, 2], [3, 4]])
    const y = tensor([10, 20])
    const before = Array.from(x.data)
    const z = E.add(x, y)
    expect(Array.from(x.data)).toEqual(before)
    expect(z.data).not.toBe(x.data)
    expect(E.mul(x, tensor(1)).data).not.toBe(x.data)
  })

  it('promotes mixed dtypes to float64 in every path', () => {
    const a32 = tensor([[1, 2]], { dtype: 'float32' })
    const b64 = tensor([0.1], { dtype: 'float64' })
    expect(E.add(a32, b64).dtype).toBe('float64')
    expect(E.add(b64, a32).dtype).toBe('float64')
    expect(E.add(a32, a32).dtype).toBe('float32')
    expect(E.add(tensor([[1], [2]]), tensor([1, 2], { dtype: 'float64' })).dtype).toBe('float64')
    // float64 arithmetic, not float32 rounding of the float64 operand
    expect(E.add(tensor([1]), b64).data[0]).toBe(1 + 0.1)
  })

  it('maximum propagates NaN from either side', () => {
    const x = tensor([NaN, 1, NaN], { dtype: 'float64' })
    const y = tensor([1, NaN, NaN], { dtype: 'float64' })
    for (const v of E.maximum(x, y).data) expect(v).toBeNaN()
  })

  it('a mismatch throws ShapeError naming the op given by the caller and both shapes', () => {
    expect(() => E.add(tensor([1, 2, 3]), tensor([1, 2]), 'ops.add')).toThrow(ShapeError)
    expect(() => E.add(tensor([1, 2, 3]), tensor([1, 2]), 'ops.add')).toThrow(/ops\.add: .*\[3\] and \[2\]/)
    expect(() => E.mul(tensor([[1, 2]]), tensor([1, 2, 3]))).toThrow(/mul: .*\[1, 2\] and \[3\]/)
  })
})

describe('unary kernels', () => {
  const xs = [-3, -1, -0.5, 0, 0.5, 1, 3]
  const oracles = {
    exp: Math.exp,
    log: Math.log,
    sqrt: Math.sqrt,
    square: (v) => v * v,
    abs: Math.abs,
    sign: Math.sign,
    relu: (v) => Math.max(v, 0),
    sigmoid: (v) => 1 / (1 + Math.exp(-v)),
    tanh: Math.tanh,
    atan: Math.atan,
    softplus: (v) => Math.log(1 + Math.exp(v)),
    sin: Math.sin,
    cos: Math.cos,
  } as const satisfies Record<string, (v: number) => number>
  const x = tensor(xs, { dtype: 'float64' })
  for (const op of Object.keys(oracles) as Array<keyof typeof oracles>) {
    it(`${op} matches Math on float64 and keeps shape and dtype`, () => {
      const y = E[op](x)
      expect(y.shape).toEqual([7])
      expect(y.dtype).toBe('float64')
      xs.forEach((v, i) => {
        const want = oracles[op](v)
        const got = y.data[i]!
        if (Number.isNaN(want)) expect(got).toBeNaN()
        else if (!Number.isFinite(want)) expect(got).toBe(want)
        else expect(got).toBeCloseTo(want, 12)
      })
    })
  }

  it('float32 relu and square (their float32 loops) match the float64 kernels', () => {
    const v = [-3, -1, -0.5, 0, 0.5, 1, 3, -0, 2.5]
    for (const op of ['relu', 'square'] as const) {
      const got = E[op](tensor(v, { dtype: 'float32' }))
      expect(got.dtype).toBe('float32')
      expect(Array.from(got.data)).toEqual(Array.from(E[op](tensor(v, { dtype: 'float64' })).data))
    }
  })

  it('keeps float32, shape and leaves the input alone', () => {
    const t = tensor([[1, -2], [3, -4]])
    const y = E.relu(t)
    expect(y.dtype).toBe('float32')
    expect(toArray(y)).toEqual([[1, 0], [3, 0]])
    expect(toArray(t)).toEqual([[1, -2], [3, -4]])
  })

  it('sigmoid and softplus stay finite and exact at large |x|', () => {
    const big = tensor([-1000, 1000, -40, 40], { dtype: 'float64' })
    const sg = E.sigmoid(big).data
    expect(sg[0]).toBe(0)
    expect(sg[1]).toBe(1)
    // relative error, since the value is about 4e-18
    expect(Math.abs(sg[2]! / (1 / (1 + Math.exp(40))) - 1)).toBeLessThan(1e-14)
    expect(sg[3]).toBe(1 / (1 + Math.exp(-40)))
    const sp = E.softplus(big).data
    expect(sp[0]).toBe(0)
    expect(sp[1]).toBe(1000)
    expect(sp[2]).toBeCloseTo(Math.exp(-40), 30)
    expect(sp[3]).toBeCloseTo(40, 12)
  })

  it('relu at 0 gives 0, as PyTorch; sign(0) is 0', () => {
    const z = tensor([0])
    expect(E.relu(z).data[0]).toBe(0)
    expect(E.sign(z).data[0]).toBe(0)
  })
})

describe('powScalar, map, cast, select', () => {
  it('powScalar agrees with Math.pow on each special case and the general one', () => {
    const x = tensor([0.5, 2, 3], { dtype: 'float64' })
    for (const p of [2, 1, 0.5, -1, 3, -2.5, 0]) {
      const y = powScalar(x, p)
      expect(y.data).not.toBe(x.data)
      Array.from(x.data).forEach((v, i) => expect(y.data[i]).toBeCloseTo(Math.pow(v, p), 12))
    }
  })

  it('map applies a function of one number and keeps the dtype', () => {
    const y = map(tensor([1, 2]), (v) => v * 3 - 1)
    expect(y.dtype).toBe('float32')
    expect(toArray(y)).toEqual([2, 5])
  })

  it('cast converts and always copies', () => {
    const x = tensor([0.1], { dtype: 'float64' })
    const y = cast(x, 'float32')
    expect(y.dtype).toBe('float32')
    expect(y.data[0]).toBe(Math.fround(0.1))
    const z = cast(y, 'float32')
    expect(z.data).not.toBe(y.data)
    expect(cast(y, 'float64').data[0]).toBe(Math.fround(0.1))
  })

  it('select picks a where the mask is non-zero, and promotes', () => {
    const m = tensor([1, 0, -1, 0])
    const a = tensor([1, 2, 3, 4])
    const b = tensor([10, 20, 30, 40], { dtype: 'float64' })
    const s = select(m, a, b)
    expect(toArray(s)).toEqual([1, 20, 3, 40])
    expect(s.dtype).toBe('float64')
  })
})
