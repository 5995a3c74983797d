/**
 * Differentiable functions composed from primitives. None has derivative code of its own: their
 * derivatives follow from the primitives', at every order.
 */
import * as P from '../autodiff/primitives/index.js'
import { type Tensor, ShapeError, normalizeAxes, normalizeAxis, ones, sizeOf, tensor, zeros } from '../tensor/index.js'

/**
 * -x;  d(-x) = -dx. As x · (-1): the same values, -0 and NaN included. @category composites
 * @example
 * ```ts
 * ops.neg(tensor([1, -2])) // tensor [-1, 2]
 * ```
 */
export const neg = (x: Tensor): Tensor => P.mul(x, -1)

/**
 * The Heaviside step [x \> 0] (0 at 0, and for NaN). Piecewise constant: its derivative is zero. @category composites
 * @example
 * ```ts
 * ops.step(tensor([-1, 0, 2])) // tensor [0, 0, 1]
 * ```
 */
export const step = (x: Tensor): Tensor => P.greater(x, 0)

/**
 * The mean over `axes` (all when omitted): sum / count. @category composites
 * @example
 * ```ts
 * ops.mean(tensor([[1, 2], [3, 4]])) // tensor 2.5
 * ops.mean(tensor([[1, 2], [3, 4]]), 0) // tensor [2, 3]
 * ```
 */
export const mean = (x: Tensor, axes?: number | ReadonlyArray<number>, keepDims = false): Tensor => {
  const ax = normalizeAxes('mean', x.shape, axes)
  const n = sizeOf(ax.map((a) => x.shape[a]!))
  return P.mul(P.sum(x, ax, keepDims), 1 / n)
}

/**
 * The (biased) variance over `axes`: mean of squared deviations. @category composites
 * @example
 * ```ts
 * ops.variance(tensor([1, 2, 3, 4])) // tensor 1.25 (the population variance)
 * ```
 */
export const variance = (x: Tensor, axes?: number | ReadonlyArray<number>, keepDims = false): Tensor => {
  const ax = normalizeAxes('variance', x.shape, axes)
  return mean(P.square(P.sub(x, mean(x, ax, true))), ax, keepDims)
}

/**
 * min(a, b) element-wise = -max(-a, -b). @category composites
 * @example
 * ```ts
 * ops.minimum(tensor([1, 5]), 3) // tensor [1, 3]
 * ```
 */
export const minimum = (a: Tensor | number, b: Tensor | number): Tensor => neg(P.maximum(negate(a), negate(b)))

const negate = (x: Tensor | number): Tensor | number => (typeof x === 'number' ? -x : neg(x))

/**
 * The minimum over `axes` = -max(-x). @category composites
 * @example
 * ```ts
 * ops.min(tensor([[1, 5], [7, 2]]), 1) // tensor [1, 2]
 * ```
 */
export const min = (x: Tensor, axes?: number | ReadonlyArray<number>, keepDims = false): Tensor => neg(P.max(neg(x), axes, keepDims))

/**
 * Clips to [lo, hi]: lo where x \< lo, hi where x \> hi, x elsewhere. The derivative is 1 on the
 * closed interval [lo, hi], bounds included, and 0 outside, as PyTorch's `clamp` (not the even
 * split of `maximum`/`minimum` at ties); a NaN stays NaN.
 * @example
 * ```ts
 * ops.clip(tensor([-2, 0.5, 3]), 0, 1) // tensor [0, 0.5, 1]
 * ```
 * @category composites
 */
export const clip = (x: Tensor, lo: number, hi: number): Tensor => P.where(P.greater(lo, x), lo, P.where(P.greater(x, hi), hi, x))

/**
 * x^y for a tensor exponent, as exp(y · log x) (x \> 0). @category composites
 * @example
 * ```ts
 * ops.powTensor(tensor([2, 3]), tensor([3, 2])) // tensor [8, 9]
 * ```
 */
export const powTensor = (x: Tensor, y: Tensor | number): Tensor => P.exp(P.mul(y, P.log(x)))

/**
 * Leaky ReLU: x for x \> 0, alpha·x otherwise; leakyRelu'(0) = alpha, the one-sided choice of
 * PyTorch (as relu'(0) = 0). A `where` rather than max(x, alpha·x), whose tie at 0 would split
 * the derivative evenly and which is wrong for alpha \> 1.
 * @example
 * ```ts
 * ops.leakyRelu(tensor([-10, 0, 5]), 0.1) // tensor [-1, 0, 5]
 * ```
 * @category composites
 */
export const leakyRelu = (x: Tensor, alpha = 0.01): Tensor => P.where(P.greater(x, 0), x, P.mul(x, alpha))

/**
 * ELU: x for x \> 0, alpha·(e^x - 1) otherwise; elu'(0) = alpha, as PyTorch. The exponential
 * sees only the non-positive part of x, so it never overflows on the branch `where` discards.
 * @example
 * ```ts
 * ops.elu(tensor([-1, 0, 2])) // tensor [e^-1 - 1, 0, 2]
 * ```
 * @category composites
 */
export const elu = (x: Tensor, alpha = 1): Tensor => {
  const positive = P.greater(x, 0)
  return P.where(positive, x, P.mul(P.sub(P.exp(P.where(positive, 0, x)), 1), alpha))
}

/**
 * GELU, the tanh approximation x/2 · (1 + tanh(√(2/π) (x + 0.044715 x³))) used by BERT, GPT-2
 * and JAX's default `gelu`.
 * @example
 * ```ts
 * ops.gelu(tensor([-1, 0, 1])) // tensor [-0.159, 0, 0.841]
 * ```
 * @category composites
 */
export const gelu = (x: Tensor): Tensor => {
  const inner = P.mul(P.add(x, P.mul(P.mul(P.square(x), x), 0.044715)), Math.sqrt(2 / Math.PI))
  return P.mul(P.mul(x, 0.5), P.add(P.tanh(inner), 1))
}

// Numerical Recipes' erfcc coefficients: erfc(z) = t · exp(-z² + P(t)), t = 1 / (1 + z/2), z ≥ 0,
// with a fractional error below 1.2e-7 everywhere (Press et al., Numerical Recipes, 6.2).
const erfcCoefficients = [-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277]

/**
 * GELU by the Gaussian CDF, x · Φ(x) = x/2 · (1 + erf(x/√2)): PyTorch's default `GELU()` and
 * JAX's `gelu(approximate=False)`. Φ comes from erfc of |x|/√2 (fractional error below 1.2e-7,
 * so the far negative tail keeps its relative accuracy), composed from primitives.
 * @example
 * ```ts
 * ops.geluErf(tensor([-1, 0, 1])) // tensor [-0.159, 0, 0.841], x·Φ(x) exactly
 * ```
 * @category composites
 */
export const geluErf = (x: Tensor): Tensor => {
  const z = P.mul(P.abs(x), Math.SQRT1_2)
  const t = P.div(1, P.add(P.mul(z, 0.5), 1))
  let poly: Tensor | number = erfcCoefficients[erfcCoefficients.length - 1]!
  for (let i = erfcCoefficients.length - 2; i >= 0; i--) poly = P.add(P.mul(t, poly), erfcCoefficients[i]!)
  const tail = P.mul(P.mul(t, P.exp(P.sub(poly, P.square(z)))), 0.5) // Φ(-|x|) = erfc(|x|/√2) / 2
  return P.mul(x, P.where(P.greater(x, 0), P.sub(1, tail), tail))
}

/**
 * Swish / SiLU: x · σ(x). @category composites
 * @example
 * ```ts
 * ops.silu(tensor([-1, 0, 1])) // x·σ(x) = tensor [-0.269, 0, 0.731]
 * ```
 */
export const silu = (x: Tensor): Tensor => P.mul(x, P.sigmoid(x))

// Moves `axis` to the end and back, so the last-axis fused primitives serve any axis.
const alongAxis = (x: Tensor, axis: number, op: string, f: (x: Tensor) => Tensor): Tensor => {
  const a = normalizeAxis(op, x.shape, axis)
  const last = x.shape.length - 1
  if (a === last) return f(x)
  const perm = x.shape.map((_, i) => (i === a ? last : i === last ? a : i))
  return P.transpose(f(P.transpose(x, perm)), perm)
}

/**
 * softmax along `axis` (default: the last), stable for any input. @category composites
 * @example
 * ```ts
 * ops.softmax(tensor([[1, 2, 3]])) // [[0.090, 0.245, 0.665]], each row sums to 1
 * ```
 */
export const softmax = (x: Tensor, axis = -1): Tensor => alongAxis(x, axis, 'softmax', P.softmax)

/**
 * log softmax along `axis` (default: the last), stable for any input. @category composites
 * @example
 * ```ts
 * ops.logSoftmax(tensor([[1, 2, 3]])) // log of the softmax row, stable for large scores
 * ```
 */
export const logSoftmax = (x: Tensor, axis = -1): Tensor => alongAxis(x, axis, 'logSoftmax', P.logSoftmax)

/**
 * log(sum(e^x)) along `axis` (default: the last), stable for large inputs. @category composites
 * @example
 * ```ts
 * ops.logSumExp(tensor([[1000, 1000]])) // tensor [1000.693], no overflow
 * ```
 */
export const logSumExp = (x: Tensor, axis = -1, keepDims = false): Tensor => {
  const a = normalizeAxis('logSumExp', x.shape, axis)
  const kept = alongAxis(x, a, 'logSumExp', P.logSumExp)
  return keepDims ? kept : P.reshape(kept, x.shape.filter((_, i) => i !== a))
}

/**
 * Inserts an axis of size 1 at `axis` (in -(rank + 1)..rank, counted in the output). @category composites
 * @example
 * ```ts
 * ops.expandDims(tensor([1, 2, 3]), 0).shape // [1, 3]
 * ```
 */
export const expandDims = (x: Tensor, axis: number): Tensor => {
  const rank = x.shape.length + 1
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new ShapeError('expandDims', [x.shape], `axis ${axis} is out of range: a new axis of a rank-${rank - 1} tensor goes at -${rank}..${rank - 1}`)
  }
  const a = axis < 0 ? axis + rank : axis
  const shape = [...x.shape.slice(0, a), 1, ...x.shape.slice(a)]
  return P.reshape(x, shape)
}

/**
 * Removes axes of size 1 (all of them when `axes` is omitted). @category composites
 * @example
 * ```ts
 * ops.squeeze(zeros([3, 1, 2, 1])).shape // [3, 2]
 * ```
 */
export const squeeze = (x: Tensor, axes?: number | ReadonlyArray<number>): Tensor => {
  const ax = axes === undefined ? x.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : normalizeAxes('squeeze', x.shape, axes)
  const wide = ax.find((a) => x.shape[a] !== 1)
  if (wide !== undefined) {
    throw new ShapeError('squeeze', [x.shape], `axis ${wide} has size ${x.shape[wide]}, not 1; only axes of size 1 can be removed (use sum or slice for the others)`)
  }
  return P.reshape(x, x.shape.filter((_, i) => !ax.includes(i)))
}

/**
 * Stacks tensors of one shape along a new axis. @category composites
 * @example
 * ```ts
 * ops.stack([tensor([1, 2]), tensor([3, 4])]) // [[1, 2], [3, 4]]
 * ```
 */
export const stack = (xs: ReadonlyArray<Tensor>, axis = 0): Tensor => P.concat(xs.map((x) => expandDims(x, axis)), axis)

/**
 * Zeros with the shape and dtype of `x` (a constant). @category composites
 * @example
 * ```ts
 * ops.zerosLike(tensor([[1, 2]])) // [[0, 0]]
 * ```
 */
export const zerosLike = (x: Tensor): Tensor => zeros(x.shape, { dtype: x.dtype })

/**
 * Ones with the shape and dtype of `x` (a constant). @category composites
 * @example
 * ```ts
 * ops.onesLike(tensor([[1, 2, 3]])) // [[1, 1, 1]]
 * ```
 */
export const onesLike = (x: Tensor): Tensor => ones(x.shape, { dtype: x.dtype })

/**
 * The inner product of two tensors of one shape: sum(a · b). @category composites
 * @example
 * ```ts
 * ops.vdot(tensor([1, 2, 3]), tensor([4, 5, 6])) // tensor 32
 * ```
 */
export const vdot = (a: Tensor, b: Tensor): Tensor => P.sum(P.mul(a, b))

/**
 * The index of the largest element along `axis` (default: the last), the first one on ties, as
 * NumPy's `argmax`; a NaN counts as a largest element. Not differentiable (an index is piecewise
 * constant): the input passes through `stopGradient`, so gradients through it are zero.
 *
 * Result: the shape of `x` without `axis` (with it as 1 when `keepDims`), and the dtype of `x`,
 * holding exact integers 0..n-1 (tensors hold floats only; float32 is exact up to 2^24, so a
 * float32 axis longer than that is refused). Composed as `(n - 1) - max(where(x = max(x), n - 1 - i, -1))`:
 * the largest reversed position among the maxima is the first maximum.
 * @example
 * ```ts
 * ops.argmax(tensor([[0.1, 2, 0.3], [5, 1, 5]])) // tensor [1, 0]
 * ```
 * @category composites
 */
export const argmax = (x: Tensor, axis = -1, keepDims = false): Tensor => {
  const a = normalizeAxis('argmax', x.shape, axis)
  const n = x.shape[a]!
  if (n === 0) throw new ShapeError('argmax', [x.shape], `axis ${a} has size 0, so it has no largest element`)
  if (x.dtype === 'float32' && n > 2 ** 24) {
    throw new ShapeError('argmax', [x.shape], `axis ${a} has ${n} elements, more than float32 counts exactly (2^24); cast x to float64 first`)
  }
  const v = P.stopGradient(x)
  const top = P.max(v, a, true)
  // A NaN is not equal to itself: count it as a maximum.
  const isTop = P.where(P.equal(v, v), P.equal(v, top), 1)
  const reversed = new Float64Array(n)
  for (let i = 0; i < n; i++) reversed[i] = n - 1 - i
  const positions = tensor(reversed, { shape: x.shape.map((_, i) => (i === a ? n : 1)), dtype: x.dtype })
  return P.sub(n - 1, P.max(P.where(isTop, positions, -1), a, keepDims))
}

/**
 * The index of the smallest element along `axis` (default: the last), the first one on ties:
 * `argmax(-x)`, with the same result shape, dtype and (zero) derivative.
 * @example
 * ```ts
 * ops.argmin(tensor([[3, 1, 2], [0, 5, 5]])) // tensor [1, 0]
 * ```
 * @category composites
 */
export const argmin = (x: Tensor, axis = -1, keepDims = false): Tensor => argmax(neg(P.stopGradient(x)), axis, keepDims)
export * from './windows.js'
