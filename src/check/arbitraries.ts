/**
 * fast-check arbitraries for purenet values: shapes, tensors drawn from a primitive's smooth
 * domain, broadcast-compatible shapes, matrix-product shapes, parameter trees and random keys.
 * They are what the property suite in `properties/` draws from, exported so users can write the
 * same laws for their own layers:
 *
 * ```ts
 * fc.assert(fc.property(check.arbitraryTensor({ shape: [4, 3], dtype: 'float64' }), (x) =>
 *   check.checkGrad((p) => ops.sum(myLayer(p)), x).ok))
 * ```
 *
 * Values are small by default (|x| <= 2, at most 4 per axis) so finite differences stay well
 * conditioned and properties stay fast; every bound is an option.
 */
import fc from 'fast-check'
import type { Domain } from '../autodiff/index.js'
import { type Key, key } from '../random/index.js'
import { type DType, type Shape, type Tensor, sizeOf, tensor } from '../tensor/index.js'
import type { Tree } from '../tree/index.js'

/**
 * Bounds of `arbitraryShape`. @category arbitraries
 * @example
 * ```ts
 * const constraints: check.ShapeConstraints = { maxRank: 2, maxDim: 4 }
 * check.arbitraryShape(constraints)
 * ```
 */
export interface ShapeConstraints {
  /** Fewest axes (default 0: scalars included). */
  readonly minRank?: number
  /** Most axes (default 3). */
  readonly maxRank?: number
  /** Smallest dimension (default 1; 0 allows empty tensors). */
  readonly minDim?: number
  /** Largest dimension (default 4). */
  readonly maxDim?: number
}

const checkRange = (op: string, what: string, lo: number, hi: number): void => {
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 0 || hi < lo) {
    throw new RangeError(`${op}: ${what} must be integers with 0 <= min <= max, got min ${lo} and max ${hi}`)
  }
}

/**
 * Shapes of `minRank`..`maxRank` axes, each of `minDim`..`maxDim`. @category arbitraries
 * @example
 * ```ts
 * import fc from 'fast-check'
 * import { check } from 'purenet'
 *
 * fc.sample(check.arbitraryShape(), 3) // small shapes such as [], [2], [3, 1]
 * ```
 */
export const arbitraryShape = (constraints: ShapeConstraints = {}): fc.Arbitrary<Shape> => {
  const { minRank = 0, maxRank = 3, minDim = 1, maxDim = 4 } = constraints
  checkRange('arbitraryShape', 'ranks', minRank, maxRank)
  checkRange('arbitraryShape', 'dimensions', minDim, maxDim)
  return fc.array(fc.integer({ min: minDim, max: maxDim }), { minLength: minRank, maxLength: maxRank })
}

/**
 * Constraints of `arbitraryTensor`. @category arbitraries
 * @example
 * ```ts
 * const constraints: check.TensorConstraints = { shape: [2, 3], domain: 'positive' }
 * check.arbitraryTensor(constraints)
 * ```
 */
export interface TensorConstraints {
  /** A fixed shape, or an arbitrary of shapes (default `arbitraryShape()`). */
  readonly shape?: Shape | fc.Arbitrary<Shape>
  /** Default `float32`. */
  readonly dtype?: DType
  /** Smallest value (default -2; 0.1 for the `positive` domain). */
  readonly min?: number
  /** Largest value (default 2; 3 for `positive`). */
  readonly max?: number
  /**
   * Where values lie, as a primitive's `domain` (default `real`): `positive` stays above `gap`,
   * `nonzero` keeps |x| \>= `gap`, `unit` stays in [-0.9, 0.9], `separated` keeps every two
   * elements at least `gap` apart (no ties, so `max` and `maximum` are differentiable).
   */
  readonly domain?: Domain
  /** Distance kept from kinks and between separated elements (default 0.1). */
  readonly gap?: number
  /** Further points to keep `gap` away from (e.g. the bounds of a `clip`). */
  readonly awayFrom?: ReadonlyArray<number>
}

/**
 * The interval of values for a domain, after the defaults. @category arbitraries
 * @example
 * ```ts
 * check.domainRange('positive') // the range check.arbitraryTensor draws positive values from
 * ```
 */
export const domainRange = (domain: Domain, min?: number, max?: number, gap = 0.1): readonly [number, number] => {
  const [lo, hi] =
    domain === 'positive' ? [min ?? Math.max(gap, 0.1), max ?? 3]
      : domain === 'unit' ? [min ?? -0.9, max ?? 0.9]
        : [min ?? -2, max ?? 2]
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi)) {
    throw new RangeError(`arbitraryTensor: need finite min < max, got min ${lo} and max ${hi}`)
  }
  if (domain === 'positive' && lo <= 0) throw new RangeError(`arbitraryTensor: the positive domain needs min > 0, got ${lo}`)
  if (domain === 'unit' && (lo <= -1 || hi >= 1)) throw new RangeError(`arbitraryTensor: the unit domain needs -1 < min < max < 1, got [${lo}, ${hi}]`)
  return [lo, hi]
}

// Moves a value that is closer than `gap` to one of `points` out to the nearer side.
const pushAway = (v: number, points: ReadonlyArray<number>, gap: number): number => {
  let x = v
  for (const p of points) if (Math.abs(x - p) < gap) x = x < p ? p - gap : p + gap
  return x
}

/**
 * `n` numbers in [lo, hi] with every two at least `gap` apart, in random order: distinct slots
 * of width 2·gap, jittered within the middle half of each slot. When [lo, hi] has fewer slots
 * than `n`, the slots run on past `hi`.
 * @example
 * ```ts
 * import fc from 'fast-check'
 * import { check } from 'purenet'
 *
 * fc.sample(check.arbitrarySeparated(3, -1, 1, 0.1), 1) // three numbers in [-1, 1], at least 0.1 apart
 * ```
 * @category arbitraries
 */
export const arbitrarySeparated = (n: number, lo: number, hi: number, gap: number): fc.Arbitrary<number[]> => {
  const slots = Math.max(n, Math.floor((hi - lo) / (2 * gap)))
  return fc
    .tuple(
      fc.uniqueArray(fc.integer({ min: 0, max: slots - 1 }), { minLength: n, maxLength: n }),
      fc.array(fc.double({ min: -0.5, max: 0.5, noNaN: true }), { minLength: n, maxLength: n }),
    )
    .map(([ks, js]) => ks.map((k, i) => lo + (k + 0.5 + 0.5 * js[i]!) * 2 * gap))
}

/**
 * `n` numbers from a domain (see `TensorConstraints.domain`), for when several tensors must be
 * drawn together (e.g. the two arguments of `maximum`, separated from each other).
 * @example
 * ```ts
 * import fc from 'fast-check'
 * import { check } from 'purenet'
 *
 * fc.sample(check.arbitraryValues(4, { min: 0, max: 1 }), 1) // four numbers in [0, 1]
 * ```
 * @category arbitraries
 */
export const arbitraryValues = (n: number, constraints: Omit<TensorConstraints, 'shape' | 'dtype'> = {}): fc.Arbitrary<number[]> => {
  const domain = constraints.domain ?? 'real'
  const gap = constraints.gap ?? 0.1
  if (!(gap > 0)) throw new RangeError(`arbitraryTensor: gap must be positive, got ${gap}`)
  const [lo, hi] = domainRange(domain, constraints.min, constraints.max, gap)
  const away = [...(domain === 'nonzero' ? [0] : []), ...(constraints.awayFrom ?? [])]
  if (domain === 'separated') return arbitrarySeparated(n, lo, hi, gap)
  const value = fc.double({ min: lo, max: hi, noNaN: true })
  const values = fc.array(value, { minLength: n, maxLength: n })
  return away.length === 0 ? values : values.map((vs) => vs.map((v) => pushAway(v, away, gap)))
}

/**
 * Tensors with values from a domain: by default float32, of any `arbitraryShape()`, with values
 * in [-2, 2]. Draw float64 tensors for gradient checks.
 * @example
 * ```ts
 * import fc from 'fast-check'
 * import { check, ops } from 'purenet'
 *
 * fc.assert(fc.property(check.arbitraryTensor({ shape: [3], domain: 'positive' }), (x) => ops.log(x).shape.length === 1), { numRuns: 10 })
 * ```
 * @category arbitraries
 */
export const arbitraryTensor = (constraints: TensorConstraints = {}): fc.Arbitrary<Tensor> => {
  const { shape, dtype = 'float32' } = constraints
  const shapes = shape === undefined ? arbitraryShape() : shape instanceof fc.Arbitrary ? shape : fc.constant(shape)
  return shapes.chain((s) => arbitraryValues(sizeOf(s), constraints).map((vs) => tensor(vs, { shape: s, dtype })))
}

/**
 * Constraints of `arbitraryBroadcastShapes`. @category arbitraries
 * @example
 * ```ts
 * import { check } from 'purenet'
 *
 * const shapes = check.arbitraryBroadcastShapes({ count: 3 })
 * ```
 */
export interface BroadcastConstraints extends ShapeConstraints {
  /** How many shapes (default 2). */
  readonly count?: number
}

/**
 * `count` shapes that broadcast together (NumPy rules): a common shape from which each operand
 * drops some leading axes and turns some others into 1, e.g. [3, 1] and [4].
 * @example
 * ```ts
 * import fc from 'fast-check'
 * import { check } from 'purenet'
 *
 * fc.sample(check.arbitraryBroadcastShapes(), 3) // e.g. [[2, 1], [3]]: shapes that broadcast together
 * ```
 * @category arbitraries
 */
export const arbitraryBroadcastShapes = (constraints: BroadcastConstraints = {}): fc.Arbitrary<ReadonlyArray<Shape>> => {
  const count = constraints.count ?? 2
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`arbitraryBroadcastShapes: count must be a positive integer, got ${count}`)
  return arbitraryShape(constraints).chain((full) => {
    const operand = fc
      .tuple(
        // mostly full rank, so broadcasting happens along kept axes more often than by rank
        fc.oneof({ arbitrary: fc.constant(0), weight: 2 }, { arbitrary: fc.integer({ min: 0, max: full.length }), weight: 1 }),
        fc.array(fc.boolean(), { minLength: full.length, maxLength: full.length }))
      .map(([drop, ones]): Shape => full.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d)))
    // Each operand is derived from `full`, so any choice broadcasts; the common shape may be
    // smaller than `full` when every operand dropped or flattened an axis, which is still valid.
    return fc.array(operand, { minLength: count, maxLength: count })
  })
}

/**
 * Two shapes that broadcast together, e.g. [3, 1] and [4]. @category arbitraries
 * @example
 * ```ts
 * import fc from 'fast-check'
 * import { check } from 'purenet'
 *
 * fc.assert(fc.property(check.arbitraryBroadcastPair(), ([a, b]) => a.length >= 0 && b.length >= 0)) // two shapes that broadcast together
 * ```
 */
export const arbitraryBroadcastPair = (constraints: ShapeConstraints = {}): fc.Arbitrary<readonly [Shape, Shape]> =>
  arbitraryBroadcastShapes({ ...constraints, count: 2 }).map(([a, b]) => [a!, b!] as const)

/**
 * The operand shapes and flags of a valid `matmul(a, b, { transposeA, transposeB })`. @category arbitraries
 * @example
 * ```ts
 * import fc from 'fast-check'
 * import { check } from 'purenet'
 *
 * const [shapes]: check.MatmulShapes[] = fc.sample(check.arbitraryMatmulShapes(), 1)
 * ```
 */
export interface MatmulShapes {
  readonly a: Shape
  readonly b: Shape
  readonly transposeA: boolean
  readonly transposeB: boolean
}

/**
 * Shapes for `matmul` with dimensions in 1..`maxDim` (default 4) and every transposition. @category arbitraries
 * @example
 * ```ts
 * import fc from 'fast-check'
 * import { check } from 'purenet'
 *
 * fc.sample(check.arbitraryMatmulShapes({ maxDim: 4 }), 2) // shapes a·b can multiply
 * ```
 */
export const arbitraryMatmulShapes = (constraints: { readonly maxDim?: number } = {}): fc.Arbitrary<MatmulShapes> => {
  const dim = fc.integer({ min: 1, max: constraints.maxDim ?? 4 })
  return fc.record({ m: dim, k: dim, n: dim, transposeA: fc.boolean(), transposeB: fc.boolean() }).map(({ m, k, n, transposeA, transposeB }) => ({
    a: transposeA ? [k, m] : [m, k],
    b: transposeB ? [n, k] : [k, n],
    transposeA,
    transposeB,
  }))
}

/**
 * Constraints of `arbitraryTree`. @category arbitraries
 * @example
 * ```ts
 * const constraints: check.TreeConstraints = { maxDepth: 1, maxWidth: 2 }
 * check.arbitraryTree(constraints)
 * ```
 */
export interface TreeConstraints {
  /** The leaves (default: float32 tensors of at most 2 axes of at most 3). */
  readonly leaf?: fc.Arbitrary<Tensor>
  /** Nesting depth of arrays and records (default 2). */
  readonly maxDepth?: number
  /** Most entries of one array or record (default 3). */
  readonly maxWidth?: number
}

/**
 * Parameter trees: tensors, non-empty arrays and non-empty records nested up to `maxDepth`,
 * so every tree has at least one leaf.
 * @example
 * ```ts
 * import fc from 'fast-check'
 * import { check, tree } from 'purenet'
 *
 * fc.assert(fc.property(check.arbitraryTree(), (t) => tree.sameStructure(t, tree.zerosLike(t))), { numRuns: 10 })
 * ```
 * @category arbitraries
 */
export const arbitraryTree = (constraints: TreeConstraints = {}): fc.Arbitrary<Tree> => {
  const leaf = constraints.leaf ?? arbitraryTensor({ shape: arbitraryShape({ maxRank: 2, maxDim: 3 }) })
  const width = constraints.maxWidth ?? 3
  const names = fc.constantFrom('w', 'b', 'scale', 'bias', 'dense', 'layer1', 'x')
  const at = (depth: number): fc.Arbitrary<Tree> =>
    depth <= 0
      ? leaf
      : fc.oneof(
          leaf,
          fc.array(at(depth - 1), { minLength: 1, maxLength: width }),
          fc.dictionary(names, at(depth - 1), { minKeys: 1, maxKeys: width, noNullPrototype: true }),
        )
  return at(constraints.maxDepth ?? 2)
}

/**
 * Random keys from integer seeds. @category arbitraries
 * @example
 * ```ts
 * import fc from 'fast-check'
 * import { check, random } from 'purenet'
 *
 * fc.assert(fc.property(check.arbitraryKey(), (key) => random.isKey(key)), { numRuns: 10 })
 * ```
 */
export const arbitraryKey = (): fc.Arbitrary<Key> => fc.nat().map(key)
