/**
 * NumPy broadcasting (src/tensor/broadcast.ts) and the broadcasting binary kernel
 * (src/kernels/elementwise.ts): the shape rule against an oracle, and the kernel against the same
 * kernel applied to explicitly broadcast copies.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as K from '../src/kernels/index.js'
import { type DType, type Shape, type Tensor, ShapeError, alloc, broadcastShapes, broadcastedAxes, broadcastsTo, fromData, sizeOf } from '../src/tensor/index.js'

// The rule as NumPy's documentation states it, written independently of broadcastShapes:
// pad the shorter shape with leading 1s; each axis is the non-1 size if the sizes agree or one is 1.
const oracle = (a: Shape, b: Shape): number[] | 'error' => {
  const rank = Math.max(a.length, b.length)
  const pa = [...new Array<number>(rank - a.length).fill(1), ...a]
  const pb = [...new Array<number>(rank - b.length).fill(1), ...b]
  const out: number[] = []
  for (let i = 0; i < rank; i++) {
    const [x, y] = [pa[i]!, pb[i]!]
    if (x === y) out.push(x)
    else if (x === 1) out.push(y)
    else if (y === 1) out.push(x)
    else return 'error'
  }
  return out
}

const attempt = (a: Shape, b: Shape): Shape | 'error' => {
  try {
    return broadcastShapes('prop', a, b)
  } catch (e) {
    if (e instanceof ShapeError) return 'error'
    throw e
  }
}

// Any two shapes of rank <= 4 and dimensions 0..4: mostly incompatible.
const arbAnyShape: fc.Arbitrary<Shape> = fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 4 })

// Two shapes that broadcast: both are derived from one target by dropping leading axes and
// replacing some dimensions by 1.
const arbCompatible: fc.Arbitrary<readonly [Shape, Shape]> = fc
  .array(fc.integer({ min: 0, max: 4 }), { maxLength: 4 })
  .chain((target) => {
    const derive = fc
      .tuple(fc.integer({ min: 0, max: target.length }), fc.array(fc.boolean(), { minLength: target.length, maxLength: target.length }))
      .map(([drop, ones]) => target.map((d, i) => (ones[i] ? 1 : d)).slice(drop))
    return fc.tuple(derive, derive)
  })

const arbShapes = fc.oneof(arbCompatible, fc.tuple(arbAnyShape, arbAnyShape))

describe('broadcastShapes', () => {
  it('matches the oracle, including which pairs are errors', () => {
    fc.assert(
      fc.property(arbShapes, ([a, b]) => {
        expect(attempt(a, b)).toEqual(oracle(a, b))
      }),
      { numRuns: 400 },
    )
  })

  it('is commutative, in its result and in failing', () => {
    fc.assert(
      fc.property(arbShapes, ([a, b]) => {
        expect(attempt(a, b)).toEqual(attempt(b, a))
      }),
      { numRuns: 400 },
    )
  })

  it('both operands broadcast to the result, and the result is idempotent', () => {
    fc.assert(
      fc.property(arbCompatible, ([a, b]) => {
        const s = broadcastShapes('prop', a, b)
        expect(broadcastsTo(a, s)).toBe(true)
        expect(broadcastsTo(b, s)).toBe(true)
        expect(broadcastShapes('prop', s, s)).toEqual(s)
        expect(broadcastShapes('prop', a, s)).toEqual(s)
        // the axes broadcastedAxes names are exactly where a's (padded) dimension differs from s's
        const padded = [...new Array<number>(s.length - a.length).fill(-1), ...a]
        expect(broadcastedAxes(a, s)).toEqual(s.map((_, i) => i).filter((i) => padded[i] !== s[i]))
      }),
      { numRuns: 300 },
    )
  })

  it('an error names the op and both shapes', () => {
    fc.assert(
      fc.property(fc.tuple(arbAnyShape, arbAnyShape).filter(([a, b]) => oracle(a, b) === 'error'), ([a, b]) => {
        expect(() => broadcastShapes('myOp', a, b)).toThrow(`(shapes [${a.join(', ')}] and [${b.join(', ')}])`)
        expect(() => broadcastShapes('myOp', a, b)).toThrow(/^myOp: cannot broadcast/)
      }),
      { numRuns: 100 },
    )
  })
})

const arbTensorOf = (shape: Shape, dtype: DType): fc.Arbitrary<Tensor> => {
  const n = sizeOf(shape)
  return fc
    .array(fc.oneof(fc.integer({ min: -6, max: 6 }).map((v) => v / 2), fc.double({ noNaN: false })), { minLength: n, maxLength: n })
    .map((vs) => {
      const d = alloc(dtype, n)
      vs.forEach((v, i) => (d[i] = v))
      return fromData(shape, d)
    })
}
const arbDType = fc.constantFrom<DType>('float32', 'float64')
const ops = ['add', 'sub', 'mul', 'div', 'maximum', 'greater', 'equal'] as const

describe('binary kernel with broadcasting', () => {
  it('equals the kernel applied to explicitly broadcast copies, for every op and dtype pair', () => {
    fc.assert(
      fc.property(
        arbCompatible.chain(([a, b]) => fc.tuple(arbDType, arbDType).chain(([da, db]) => fc.tuple(arbTensorOf(a, da), arbTensorOf(b, db)))),
        fc.constantFrom(...ops),
        ([x, y], op) => {
          const shape = broadcastShapes('prop', x.shape, y.shape)
          const got = K[op](x, y)
          const want = K[op](K.broadcastTo(x, shape), K.broadcastTo(y, shape))
          expect(got.shape).toEqual(shape)
          expect(got.dtype).toBe(x.dtype === 'float64' || y.dtype === 'float64' ? 'float64' : 'float32')
          expect(want.dtype).toBe(got.dtype)
          // bit for bit: NaN payloads aside, Object.is equality (which also tells -0 from 0)
          Array.from(got.data).forEach((v, i) => expect(Object.is(v, want.data[i]) || (Number.isNaN(v) && Number.isNaN(want.data[i]!))).toBe(true))
        },
      ),
      { numRuns: 400 },
    )
  })

  it('is symmetric where the op is: add, mul, equal', () => {
    fc.assert(
      fc.property(
        arbCompatible.chain(([a, b]) => fc.tuple(arbTensorOf(a, 'float64'), arbTensorOf(b, 'float64'))),
        fc.constantFrom('add' as const, 'mul' as const, 'equal' as const),
        ([x, y], op) => {
          expect(Array.from(K[op](x, y).data)).toEqual(Array.from(K[op](y, x).data))
        },
      ),
      { numRuns: 200 },
    )
  })

  it('mismatched shapes throw a ShapeError naming the op and both shapes', () => {
    fc.assert(
      fc.property(fc.tuple(arbAnyShape, arbAnyShape).filter(([a, b]) => oracle(a, b) === 'error'), ([a, b]) => {
        const x = fromData(a, new Float32Array(sizeOf(a)))
        const y = fromData(b, new Float64Array(sizeOf(b)))
        expect(() => K.add(x, y, 'ops.add')).toThrow(ShapeError)
        expect(() => K.add(x, y, 'ops.add')).toThrow(`(shapes [${a.join(', ')}] and [${b.join(', ')}])`)
      }),
      { numRuns: 100 },
    )
  })
})
