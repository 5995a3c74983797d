/**
 * Central finite differences in float64: the independent oracle that `checkGrad` compares
 * derivatives against. They call the function on concrete float64 copies of its arguments and
 * never enter the interpreters, so an error in a derivative rule cannot hide in its own check.
 *
 * The central difference (f(x + εv) - f(x - εv)) / 2ε has error O(ε²) from truncation and
 * O(δ/ε) from rounding (δ ≈ 1.1e-16 in float64); ε = 1e-6 balances the two for functions whose
 * third derivative is moderate. In float32 the rounding term alone would be about 6e-2, which is
 * why every evaluation here is made in float64.
 */
import { type Tensor, ShapeError, describe, fromData, shapeEquals } from '../tensor/index.js'
import { type Out } from '../autodiff/index.js'
import { type Tree, flatten, map, unflatten, zipWith } from '../tree/index.js'

/**
 * Options of the finite-difference functions. @category finite differences
 * @example
 * ```ts
 * const options: check.FiniteDifferenceOptions = { eps: 1e-5 }
 * check.numericGrad((x: Tensor) => ops.sum(ops.exp(x)), tensor([0]), options)
 * ```
 */
export interface FiniteDifferenceOptions {
  /** The step ε of the central difference (default 1e-6). */
  readonly eps?: number
}

/**
 * The default step of the central differences. @category finite differences
 * @example
 * ```ts
 * check.numericGrad((x: Tensor) => ops.sum(ops.exp(x)), tensor([0]), { eps: check.defaultEps })
 * ```
 */
export const defaultEps = 1e-6

/**
 * A float64 copy of a tensor (its values read from `data`, so a tracer gives its concrete value). @category finite differences
 * @example
 * ```ts
 * check.toFloat64(tensor([1, 2])).dtype // 'float64'
 * ```
 */
export const toFloat64 = (t: Tensor): Tensor => fromData(t.shape, Float64Array.from(t.data))

/**
 * A float64 copy of every leaf of a tree, keeping the structure. @category finite differences
 * @example
 * ```ts
 * check.treeToFloat64({ w: tensor([1]) }).w.dtype // 'float64'
 * ```
 */
export const treeToFloat64 = <T extends Tree>(x: T): T => map(x, toFloat64)

const checkEps = (op: string, eps: number): number => {
  if (!(eps > 0) || !Number.isFinite(eps)) throw new RangeError(`${op}: eps must be a positive finite number, got ${eps}`)
  return eps
}

/**
 * The number held by the scalar output of `f`, for the differences of a scalar function.
 * @example
 * ```ts
 * check.scalarValue('myLoss', ops.sum(tensor([1, 2]))) // 3; throws naming myLoss for a non-scalar
 * ```
 * @category finite differences
 */
export const scalarValue = (op: string, y: unknown): number => {
  if (typeof y !== 'object' || y === null || !('data' in y) || !('shape' in y)) {
    throw new TypeError(`${op}: the function must return a scalar tensor, got ${typeof y}`)
  }
  const t = y as Tensor
  if (t.size !== 1) {
    throw new ShapeError(op, [t.shape], `the function must return a scalar (one element), got ${describe(t)}; reduce it (sum, mean), or check a tensor-valued function with checkJvpVjp`)
  }
  return t.data[0]!
}

// x + s·v on float64 leaves, as a fresh tree.
const shift = <T extends Tree>(x: T, v: T, s: number): T =>
  zipWith(x, v, (a, b) => {
    const o = new Float64Array(a.size)
    for (let i = 0; i < o.length; i++) o[i] = a.data[i]! + s * b.data[i]!
    return fromData(a.shape, o)
  }, 'finite differences (point and direction)')

/**
 * The gradient of a scalar-valued `f` at `x` by central differences, one coordinate at a time
 * (2 evaluations of `f` per scalar of `x`), in float64: a tree shaped like `x`, of float64 leaves.
 * @example
 * ```ts
 * check.numericGrad((x: Tensor) => ops.sum(ops.square(x)), tensor([1, 2])) // ≈ tensor [2, 4], in float64
 * ```
 * @category finite differences
 */
export const numericGrad = <T extends Tree>(f: (x: T) => Tensor, x: T, options: FiniteDifferenceOptions = {}): T => {
  const eps = checkEps('numericGrad', options.eps ?? defaultEps)
  const x64 = treeToFloat64(x)
  const [xs, def] = flatten(x64, 'numericGrad')
  const grads = xs.map((leaf, li) => {
    const g = new Float64Array(leaf.size)
    for (let j = 0; j < leaf.size; j++) {
      const at = (s: number): number => {
        const d = Float64Array.from(leaf.data)
        d[j] = d[j]! + s
        const args = xs.map((l, k) => (k === li ? fromData(l.shape, d) : l))
        return scalarValue('numericGrad', f(unflatten(def, args)))
      }
      g[j] = (at(eps) - at(-eps)) / (2 * eps)
    }
    return fromData(leaf.shape, g)
  })
  return unflatten(def, grads)
}

/**
 * The directional derivative of `f` at `x` along `v` by one central difference, in float64:
 * (f(x + εv) - f(x - εv)) / 2ε, a tree shaped like `f`'s output, of float64 leaves. `v` has the
 * structure and shapes of `x`.
 * @example
 * ```ts
 * check.numericJvp((x: Tensor) => ops.exp(x), tensor([0, 1]), tensor([1, 1])) // ≈ e^x · v
 * ```
 * @category finite differences
 */
export const numericJvp = <T extends Tree, O extends Out>(f: (x: T) => O, x: T, v: T, options: FiniteDifferenceOptions = {}): O => {
  const eps = checkEps('numericJvp', options.eps ?? defaultEps)
  const x64 = treeToFloat64(x)
  const v64 = treeToFloat64(v)
  zipWith(x64, v64, (a, b, path) => {
    if (!shapeEquals(a.shape, b.shape)) throw new ShapeError(`numericJvp: direction at ${path || 'the root'}`, [a.shape, b.shape], 'the direction must have the point\'s shape')
    return a
  }, 'numericJvp (point and direction)')
  const plus = f(shift(x64, v64, eps))
  const minus = f(shift(x64, v64, -eps))
  return zipWith(plus, minus, (p, m) => {
    const o = new Float64Array(p.size)
    for (let i = 0; i < o.length; i++) o[i] = (p.data[i]! - m.data[i]!) / (2 * eps)
    return fromData(p.shape, o)
  }, 'numericJvp (outputs)')
}
