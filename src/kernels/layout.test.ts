import { describe, expect, it } from 'vitest'
import { type Shape, type Tensor, alloc, arange, fromData, sizeOf, strides, tensor, toArray } from '../tensor/index.js'
import { broadcastTo, concat, pad, slice, transpose } from './layout.js'
import { rng } from './seeded.fixture.js'


const iota = (shape: Shape, dtype: 'float32' | 'float64' = 'float64'): Tensor => {
  const d = alloc(dtype, sizeOf(shape))
  for (let i = 0; i < d.length; i++) d[i] = i + 1
  return fromData(shape, d)
}

// The multi-index of flat position k in a row-major shape.
const unravel = (k: number, shape: Shape): number[] => {
  const idx = new Array<number>(shape.length)
  for (let i = shape.length - 1; i >= 0; i--) {
    idx[i] = k % shape[i]!
    k = Math.floor(k / shape[i]!)
  }
  return idx
}
const ravel = (idx: ReadonlyArray<number>, shape: Shape): number => {
  const st = strides(shape)
  return idx.reduce((acc, v, i) => acc + v * st[i]!, 0)
}

const oracleTranspose = (x: Tensor, perm: ReadonlyArray<number>): number[] => {
  const shape = perm.map((p) => x.shape[p]!)
  const out: number[] = []
  for (let k = 0; k < sizeOf(shape); k++) {
    const oi = unravel(k, shape)
    const ii = new Array<number>(perm.length)
    perm.forEach((p, i) => (ii[p] = oi[i]!))
    out.push(x.data[ravel(ii, x.shape)]!)
  }
  return out
}

const shuffle = (next: () => number, n: number): number[] => {
  const p = Array.from({ length: n }, (_, i) => i)
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1))
    ;[p[i], p[j]] = [p[j]!, p[i]!]
  }
  return p
}

describe('transpose', () => {
  it('matches the oracle on random shapes and permutations of rank 0 to 5', () => {
    const next = rng(7)
    for (let trial = 0; trial < 120; trial++) {
      const rank = trial % 6
      const shape = Array.from({ length: rank }, () => Math.floor(next() * 4) + (trial % 17 === 0 ? 0 : 1))
      const x = iota(shape)
      const perm = shuffle(next, rank)
      const y = transpose(x, perm)
      expect(y.shape).toEqual(perm.map((p) => shape[p]!))
      expect(Array.from(y.data)).toEqual(oracleTranspose(x, perm))
    }
  })

  it('the blocked 2-D path is right across block edges (sizes around 32)', () => {
    for (const [m, n] of [[31, 33], [32, 32], [65, 3], [1, 70], [70, 1]] as const) {
      const x = iota([m, n])
      expect(Array.from(transpose(x, [1, 0]).data)).toEqual(oracleTranspose(x, [1, 0]))
    }
  })

  it('the identity permutation copies; the input is untouched; dtype is kept', () => {
    const x = iota([2, 3], 'float32')
    const y = transpose(x, [0, 1])
    expect(y.data).not.toBe(x.data)
    expect(toArray(y)).toEqual(toArray(x))
    expect(y.dtype).toBe('float32')
    expect(toArray(transpose(x, [1, 0]))).toEqual([[1, 4], [2, 5], [3, 6]])
    expect(toArray(x)).toEqual([[1, 2, 3], [4, 5, 6]])
  })

  it('transposing twice by a permutation and its inverse is the identity', () => {
    const x = iota([2, 3, 4, 5])
    const perm = [2, 0, 3, 1]
    const inv = new Array<number>(4)
    perm.forEach((p, i) => (inv[p] = i))
    expect(Array.from(transpose(transpose(x, perm), inv).data)).toEqual(Array.from(x.data))
  })
})

describe('broadcastTo', () => {
  it('materialises the broadcast copy', () => {
    expect(toArray(broadcastTo(tensor([1, 2, 3]), [2, 3]))).toEqual([[1, 2, 3], [1, 2, 3]])
    expect(toArray(broadcastTo(tensor([[1], [2]]), [2, 3]))).toEqual([[1, 1, 1], [2, 2, 2]])
    expect(toArray(broadcastTo(tensor(5), [2, 2]))).toEqual([[5, 5], [5, 5]])
    expect(toArray(broadcastTo(tensor([[1, 2]]), [2, 1, 2]))).toEqual([[[1, 2]], [[1, 2]]])
    expect(broadcastTo(tensor([1]), [0]).shape).toEqual([0])
    expect(toArray(broadcastTo(tensor(7), []))).toBe(7)
  })

  it('matches the per-element oracle for [2,1,3] -> [4,2,5,3]', () => {
    const x = iota([2, 1, 3])
    const to = [4, 2, 5, 3]
    const y = broadcastTo(x, to)
    for (let k = 0; k < y.size; k++) {
      const idx = unravel(k, to).slice(1)
      idx[1] = 0
      expect(y.data[k]).toBe(x.data[ravel(idx, x.shape)])
    }
  })
})

describe('slice and pad', () => {
  const oracleSlice = (x: Tensor, begin: number[], size: number[]): number[] => {
    const out: number[] = []
    for (let k = 0; k < sizeOf(size); k++) {
      const idx = unravel(k, size).map((v, i) => v + begin[i]!)
      out.push(x.data[ravel(idx, x.shape)]!)
    }
    return out
  }

  it('slice matches the oracle on random windows', () => {
    const next = rng(11)
    for (let trial = 0; trial < 80; trial++) {
      const rank = 1 + (trial % 4)
      const shape = Array.from({ length: rank }, () => 1 + Math.floor(next() * 5))
      const begin = shape.map((d) => Math.floor(next() * d))
      const size = shape.map((d, i) => Math.floor(next() * (d - begin[i]! + 1)))
      const x = iota(shape)
      const y = slice(x, begin, size)
      expect(y.shape).toEqual(size)
      expect(Array.from(y.data)).toEqual(oracleSlice(x, begin, size))
    }
  })

  it('slice of a scalar, of everything, and an empty slice', () => {
    expect(toArray(slice(tensor(3), [], []))).toBe(3)
    const x = iota([2, 3])
    expect(toArray(slice(x, [0, 0], [2, 3]))).toEqual(toArray(x))
    expect(slice(x, [2, 0], [0, 3]).shape).toEqual([0, 3])
    expect(toArray(slice(x, [1, 1], [1, 2]))).toEqual([[5, 6]])
  })

  it('pad writes the block into zeros and is the transpose of slice', () => {
    const next = rng(12)
    for (let trial = 0; trial < 60; trial++) {
      const rank = 1 + (trial % 4)
      const shape = Array.from({ length: rank }, () => 1 + Math.floor(next() * 5))
      const begin = shape.map((d) => Math.floor(next() * d))
      const size = shape.map((d, i) => Math.floor(next() * (d - begin[i]! + 1)))
      const block = iota(size)
      const y = pad(block, begin, shape)
      expect(y.shape).toEqual(shape)
      // inside the window: the block; outside: zeros
      for (let k = 0; k < y.size; k++) {
        const idx = unravel(k, shape)
        const inside = idx.every((v, i) => v >= begin[i]! && v < begin[i]! + size[i]!)
        const want = inside ? block.data[ravel(idx.map((v, i) => v - begin[i]!), size)]! : 0
        expect(y.data[k]).toBe(want)
      }
      expect(Array.from(slice(y, begin, size).data)).toEqual(Array.from(block.data))
    }
  })

  it('slice and pad copy long contiguous runs (whole trailing axes) as the oracle does, in both dtypes', () => {
    const next = rng(13)
    let runs = 0
    for (let trial = 0; trial < 120; trial++) {
      const rank = 1 + (trial % 4)
      const dtype = trial % 2 === 0 ? 'float32' : 'float64'
      const shape = Array.from({ length: rank }, () => 1 + Math.floor(next() * 12))
      // a random number of trailing axes taken whole, so the block is made of long runs
      const whole = Math.floor(next() * (rank + 1))
      const begin = shape.map((d, i) => (i >= rank - whole ? 0 : Math.floor(next() * d)))
      const size = shape.map((d, i) => (i >= rank - whole ? d : Math.floor(next() * (d - begin[i]! + 1))))
      const x = iota(shape, dtype)
      const y = slice(x, begin, size)
      expect(y.dtype).toBe(dtype)
      expect(Array.from(y.data)).toEqual(oracleSlice(x, begin, size))
      const block = iota(size, dtype)
      const padded = pad(block, begin, shape)
      for (let k = 0; k < padded.size; k++) {
        const idx = unravel(k, shape)
        const inside = idx.every((v, i) => v >= begin[i]! && v < begin[i]! + size[i]!)
        expect(padded.data[k]).toBe(inside ? block.data[ravel(idx.map((v, i) => v - begin[i]!), size)]! : 0)
      }
      let d = rank - 1
      while (d > 0 && size[d] === shape[d]) d--
      if (size.slice(d).reduce((a, b) => a * b, 1) >= 16) runs++
    }
    // the trials do reach the run-copying path
    expect(runs).toBeGreaterThan(30)
  })

  it('pad of a scalar into rank 0, and of an empty block', () => {
    expect(toArray(pad(tensor(4), [], []))).toBe(4)
    expect(toArray(pad(zeros0(), [1], [3]))).toEqual([0, 0, 0])
  })
})

const zeros0 = (): Tensor => fromData([0], new Float32Array(0))

describe('concat', () => {
  it('concatenates along every axis of random shapes, matching the oracle', () => {
    const next = rng(13)
    for (let trial = 0; trial < 60; trial++) {
      const rank = 1 + (trial % 4)
      const axis = Math.floor(next() * rank)
      const base = Array.from({ length: rank }, () => 1 + Math.floor(next() * 3))
      const parts = Array.from({ length: 1 + Math.floor(next() * 3) }, (_, p) => {
        const s = base.slice()
        s[axis] = Math.floor(next() * 3) + (p === 0 ? 1 : 0)
        const t = iota(s)
        return fromData(s, t.data.map((v) => v + 100 * p))
      })
      const y = concat(parts, axis, 'float64')
      const total = parts.reduce((n, t) => n + t.shape[axis]!, 0)
      expect(y.shape).toEqual(base.map((d, i) => (i === axis ? total : d)))
      for (let k = 0; k < y.size; k++) {
        const idx = unravel(k, y.shape)
        let a = idx[axis]!
        let p = 0
        while (a >= parts[p]!.shape[axis]!) a -= parts[p++]!.shape[axis]!
        const part = parts[p]!
        const ii = idx.slice()
        ii[axis] = a
        expect(y.data[k]).toBe(part.data[ravel(ii, part.shape)])
      }
    }
  })

  it('writes the requested dtype', () => {
    const y = concat([tensor([0.1]), tensor([0.2], { dtype: 'float64' })], 0, 'float64')
    expect(y.dtype).toBe('float64')
    expect(toArray(y)).toEqual([Math.fround(0.1), 0.2])
    expect(toArray(concat([arange(2), arange(3)], 0, 'float32'))).toEqual([0, 1, 0, 1, 2])
  })
})
