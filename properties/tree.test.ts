/**
 * The tree laws numbered in src/tree/Tree.ts, and the vector-space laws of src/ops/treeArithmetic.ts.
 * Leaves hold quarter-integers of small magnitude, so sums and products are exact in float64 and
 * the arithmetic laws can be checked with equality rather than a tolerance.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as K from '../src/kernels/index.js'
import { type Shape, type Tensor, fromData, item, toFlatArray } from '../src/tensor/index.js'
import { type Tree, add, dot, flatten, leaves, map, norm, paths, scale, sub, unflatten, zerosLike, zipWith } from '../src/ops/treeNamespace.js'

const arbShape: fc.Arbitrary<Shape> = fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 2 })

const arbTensorOf = (shape: Shape): fc.Arbitrary<Tensor> =>
  fc
    .array(fc.integer({ min: -32, max: 32 }), { minLength: shape.reduce((n, d) => n * d, 1), maxLength: shape.reduce((n, d) => n * d, 1) })
    // + 0 turns -0 into 0, so that equality of trees is not confused by the sign of zero
    .map((vs) => fromData(shape, Float64Array.from(vs, (v) => v / 4 + 0)))

const arbTensor: fc.Arbitrary<Tensor> = arbShape.chain(arbTensorOf)

const { tree: arbTree } = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', maxDepth: 3, withCrossShrink: true },
    arbTensor,
    fc.array(tie('tree'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('w', 'b', 'gamma', 'x y', 'layer0'), tie('tree'), { maxKeys: 3 }),
  ),
}))

// A second (and third) tree with the structure and leaf shapes of the first.
const arbLike = (t: Tree): fc.Arbitrary<Tree> => fc.tuple(...leaves(t).map((x) => arbTensorOf(x.shape))).map((ls) => unflatten(t, ls))
const arbPair = arbTree.chain((a) => fc.tuple(fc.constant(a), arbLike(a)))
const arbTriple = arbTree.chain((a) => fc.tuple(fc.constant(a), arbLike(a), arbLike(a)))

// Leaf-wise affine maps x * s + t, with s and t exact in float64 so composition stays exact.
const arbAffine = fc.record({ s: fc.integer({ min: -4, max: 4 }), t: fc.integer({ min: -8, max: 8 }).map((v) => v / 2) })
const affine = ({ s, t }: { s: number; t: number }) => (x: Tensor): Tensor => K.map(x, (v) => v * s + t)

// Trees as comparable values: the structure (paths), and each leaf's shape and elements.
const view = (t: Tree) => ({ paths: paths(t), leaves: leaves(t).map((x) => ({ shape: x.shape, dtype: x.dtype, data: toFlatArray(x) })) })

const runs = { numRuns: 100 }

describe('tree laws', () => {
  it('1. map identity: map(t, x => x) equals t', () => {
    fc.assert(
      fc.property(arbTree, (t) => {
        const m = map(t, (x) => x)
        expect(m).toEqual(t)
        // the very same leaves, in the same order
        leaves(m).forEach((x, i) => expect(x).toBe(leaves(t)[i]))
      }),
      runs,
    )
  })

  it('2. map composition: map(map(t, f), g) equals map(t, x => g(f(x)))', () => {
    fc.assert(
      fc.property(arbTree, arbAffine, arbAffine, (t, fp, gp) => {
        const f = affine(fp)
        const g = affine(gp)
        expect(view(map(map(t, f), g))).toEqual(view(map(t, (x) => g(f(x)))))
      }),
      runs,
    )
  })

  it('3. flatten round trip: unflatten(t, leaves(t)) equals t, and leaves(unflatten(s, ls)) is ls', () => {
    fc.assert(
      fc.property(arbPair, ([t, other]) => {
        const [ls, structure] = flatten(t)
        expect(unflatten(structure, ls)).toEqual(t)
        const newLeaves = leaves(other)
        const rebuilt = unflatten(structure, newLeaves)
        expect(leaves(rebuilt)).toEqual(newLeaves)
        leaves(rebuilt).forEach((x, i) => expect(x).toBe(newLeaves[i]))
        expect(paths(rebuilt)).toEqual(paths(t))
      }),
      runs,
    )
  })

  it('4. zipWith agrees with map on one tree: zipWith(t, t, (a, _) => a) equals t', () => {
    fc.assert(
      fc.property(arbTree, (t) => {
        expect(zipWith(t, t, (a) => a)).toEqual(t)
      }),
      runs,
    )
  })

  it('zipWith is leaf-wise: leaves(zipWith(a, b, f)) = leaves(a) zipped with leaves(b) by f, with the paths', () => {
    fc.assert(
      fc.property(arbPair, ([a, b]) => {
        const f = (x: Tensor, y: Tensor): Tensor => K.sub(x, y)
        const seen: string[] = []
        const z = zipWith(a, b, (x, y, path) => {
          seen.push(path)
          return f(x, y)
        })
        expect(seen).toEqual(paths(a))
        const lb = leaves(b)
        expect(leaves(z).map(toFlatArray)).toEqual(leaves(a).map((x, i) => toFlatArray(f(x, lb[i]!))))
      }),
      runs,
    )
  })
})

describe('tree arithmetic laws (exact on quarter-integers)', () => {
  const scalarOf = (t: Tensor): number => item(t)

  it('add is commutative and associative, zerosLike is its identity, sub undoes it', () => {
    fc.assert(
      fc.property(arbTriple, ([a, b, c]) => {
        expect(view(add(a, b))).toEqual(view(add(b, a)))
        expect(view(add(add(a, b), c))).toEqual(view(add(a, add(b, c))))
        expect(view(add(a, zerosLike(a)))).toEqual(view(a))
        expect(view(sub(add(a, b), b))).toEqual(view(a))
      }),
      runs,
    )
  })

  it('scale distributes over add and composes: s(a + b) = sa + sb, s(ta) = (st)a, 1a = a', () => {
    fc.assert(
      fc.property(arbPair, fc.integer({ min: -3, max: 3 }), fc.integer({ min: -3, max: 3 }), ([a, b], s, t) => {
        // + 0 for the same -0 reason as above: 0 * -x is -0
        const clean = (x: Tree) => map(x, (l) => K.map(l, (v) => v * 1 + 0))
        expect(view(clean(scale(add(a, b), s)))).toEqual(view(clean(add(scale(a, s), scale(b, s)))))
        expect(view(clean(scale(scale(a, t), s)))).toEqual(view(clean(scale(a, s * t))))
        expect(view(scale(a, 1))).toEqual(view(a))
      }),
      runs,
    )
  })

  it('dot is symmetric, bilinear and positive: dot(a, a) >= 0, = 0 exactly when a is all zeros', () => {
    fc.assert(
      fc.property(arbTriple, fc.integer({ min: -3, max: 3 }), ([a, b, c], s) => {
        expect(dot(a, b).shape).toEqual([])
        expect(scalarOf(dot(a, b))).toBe(scalarOf(dot(b, a)))
        expect(scalarOf(dot(scale(a, s), b))).toBe(s * scalarOf(dot(a, b)) + 0)
        expect(scalarOf(dot(add(a, b), c))).toBe(scalarOf(dot(a, c)) + scalarOf(dot(b, c)))
        const aa = scalarOf(dot(a, a))
        const allZero = leaves(a).every((x) => toFlatArray(x).every((v) => v === 0))
        expect(aa).toBeGreaterThanOrEqual(0)
        expect(aa === 0).toBe(allZero)
        expect(scalarOf(norm(a))).toBeCloseTo(Math.sqrt(aa), 10)
      }),
      runs,
    )
  })
})
