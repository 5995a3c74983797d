/**
 * Gradient checking: the derivatives purenet computes (`grad`, `jvp`, `hvp`) compared with
 * central finite differences in float64 (see `finiteDifferences.ts`), and the transpose law
 * `<u, J v> = <Jᵀ u, v>` between forward and reverse mode. Each check returns a report to assert
 * on rather than throwing, so a test can print the worst mismatch:
 *
 * ```ts
 * const report = check.checkGrad((p) => loss(layer.apply(p)(x)), params)
 * expect(report.ok, report.message).toBe(true)
 * ```
 *
 * The analytic derivatives are computed at `x` as given (so a float32 layer is checked in the
 * precision it runs in); the finite differences at a float64 copy of `x`. For the tightest
 * check, pass float64 parameters and inputs. A function that casts to float32 inside defeats
 * the float64 differences: check it with loose tolerances or remove the cast.
 */
import { type Out, grad, hvp, jvp, vjp } from '../autodiff/index.js'
import { type Key, key as makeKey, normal, split } from '../random/index.js'
import { type Tensor, fromData, strides } from '../tensor/index.js'
import { type Tree, type TreeDef, flatten, leaves, paths, unflatten } from '../tree/index.js'
import { defaultEps, numericJvp, scalarValue } from './finiteDifferences.js'

/**
 * Options of `checkGrad` and `checkHvp`. @category gradient checks
 * @example
 * ```ts
 * const options: check.CheckGradOptions = { rtol: 1e-4, directions: 8, key: random.key(0) }
 * check.checkGrad((x: Tensor) => ops.sum(ops.exp(x)), tensor([1, 2]), options)
 * ```
 */
export interface CheckGradOptions {
  /** The step of the central differences (default 1e-6). */
  readonly eps?: number
  /** Relative tolerance (default 1e-3): a comparison passes when |analytic - numeric| \<= atol + rtol·|numeric|. */
  readonly rtol?: number
  /** Absolute tolerance (default 1e-5, or 1e-4 when a leaf of `x` is float32). */
  readonly atol?: number
  /**
   * `'basis'` checks every scalar of `x` (2 evaluations of `f` and one JVP each); a number `k`
   * checks `k` random normal directions instead. Default: `'basis'` up to 64 scalars, else 8
   * random directions (for `checkHvp`, always 2 random directions by default).
   */
  readonly directions?: 'basis' | number
  /** The key of the random directions (default `random.key(0)`, so reports are reproducible). */
  readonly key?: Key
}

/**
 * One derivative compared with its finite-difference estimate. @category gradient checks
 * @example
 * ```ts
 * const worst: check.Comparison | undefined = check.checkGrad((x: Tensor) => ops.sum(ops.tanh(x)), tensor([1])).worst
 * ```
 */
export interface Comparison {
  /** Which derivative: the gradient (reverse mode), a JVP (forward mode), or a Hessian-vector product. */
  readonly mode: 'grad' | 'jvp' | 'hvp'
  /** The path of the leaf in `x` ('' for a lone tensor); undefined for a derivative along a whole-tree direction. */
  readonly path: string | undefined
  /** The element of that leaf (flat, row-major); undefined for a whole-tree direction. */
  readonly index: number | undefined
  /** The number of the random direction, or undefined along a coordinate axis. */
  readonly direction: number | undefined
  readonly analytic: number
  readonly numeric: number
  readonly absError: number
  /** atol + rtol·|numeric|: the largest error that passes. */
  readonly tolerance: number
}

/**
 * The outcome of `checkGrad` or `checkHvp`. @category gradient checks
 * @example
 * ```ts
 * const report: check.GradReport = check.checkLayer(nn.dense(2, 2))
 * if (!report.ok) throw new Error(report.message)
 * ```
 */
export interface GradReport {
  /** Whether every comparison was within tolerance (and finite). */
  readonly ok: boolean
  /** The number of comparisons made. */
  readonly checked: number
  /** The number of comparisons out of tolerance. */
  readonly failures: number
  readonly maxAbsError: number
  /** The largest |analytic - numeric| / max(|analytic|, |numeric|) (0 where both are 0). */
  readonly maxRelError: number
  /** The comparison furthest out of tolerance (largest error / tolerance); undefined when nothing was checked. */
  readonly worst: Comparison | undefined
  readonly directions: 'basis' | 'random'
  /** A one-paragraph summary naming the worst comparison, for `expect(report.ok, report.message)`. */
  readonly message: string
}

const isFloat32 = (x: Tree): boolean => leaves(x).some((l) => l.dtype === 'float32')

interface Tolerances {
  readonly eps: number
  readonly rtol: number
  readonly atol: number
}

const tolerances = (op: string, x: Tree, options: CheckGradOptions): Tolerances => {
  const eps = options.eps ?? defaultEps
  const rtol = options.rtol ?? 1e-3
  const atol = options.atol ?? (isFloat32(x) ? 1e-4 : 1e-5)
  for (const [name, v] of [['eps', eps], ['rtol', rtol], ['atol', atol]] as const) {
    if (!(v >= 0) || !Number.isFinite(v) || (name === 'eps' && v === 0)) {
      throw new RangeError(`${op}: ${name} must be a ${name === 'eps' ? 'positive' : 'non-negative'} finite number, got ${v}`)
    }
  }
  return { eps, rtol, atol }
}

const directionCount = (op: string, d: number): number => {
  if (!Number.isInteger(d) || d < 1) throw new RangeError(`${op}: directions must be 'basis' or a positive integer, got ${d}`)
  return d
}

const compare = (
  t: Tolerances,
  at: Pick<Comparison, 'mode' | 'path' | 'index' | 'direction'>,
  analytic: number,
  numeric: number,
): Comparison => ({ ...at, analytic, numeric, absError: Math.abs(analytic - numeric), tolerance: t.atol + t.rtol * Math.abs(numeric) })

// NaN errors compare false, so `passes` fails them: a NaN derivative is never ok.
const passes = (c: Comparison): boolean => c.absError <= c.tolerance

const badness = (c: Comparison): number => (passes(c) ? c.absError / (c.tolerance || 1) : Number.isNaN(c.absError) ? Infinity : c.absError / (c.tolerance || Number.MIN_VALUE))

const describeAt = (c: Comparison, x: Tree): string => {
  const what = c.mode === 'grad' ? 'the gradient' : c.mode === 'jvp' ? 'the JVP' : 'the Hessian-vector product'
  const dir = c.direction === undefined ? '' : ` along random direction ${c.direction}`
  if (c.path === undefined || c.index === undefined) return `${what}${dir}`
  const leaf = leaves(x)[paths(x).indexOf(c.path)]
  const st = leaf === undefined ? [] : strides(leaf.shape)
  const multi = st.map((s, i) => Math.floor(c.index! / s) % leaf!.shape[i]!)
  return `${what}${dir} at ${c.path === '' ? 'the input' : c.path}${multi.length === 0 ? '' : `[${multi.join(', ')}]`}`
}

const report = (op: string, x: Tree, comparisons: ReadonlyArray<Comparison>, directions: 'basis' | 'random'): GradReport => {
  let worst: Comparison | undefined
  let maxAbsError = 0
  let maxRelError = 0
  let failures = 0
  for (const c of comparisons) {
    if (!passes(c)) failures++
    maxAbsError = Math.max(maxAbsError, Number.isNaN(c.absError) ? Infinity : c.absError)
    const scale = Math.max(Math.abs(c.analytic), Math.abs(c.numeric))
    maxRelError = Math.max(maxRelError, Number.isNaN(c.absError) ? Infinity : scale === 0 ? 0 : c.absError / scale)
    if (worst === undefined || badness(c) > badness(worst)) worst = c
  }
  const summary = `max abs error ${maxAbsError.toExponential(2)}, max rel error ${maxRelError.toExponential(2)}`
  const message =
    worst === undefined
      ? `${op}: nothing to check (the input has no elements)`
      : failures === 0
        ? `${op}: ok, ${comparisons.length} comparisons against central differences (${summary})`
        : `${op}: ${failures} of ${comparisons.length} comparisons failed (${summary}); worst: ${describeAt(worst, x)} is ${worst.analytic} but finite differences give ${worst.numeric} ` +
          `(error ${worst.absError.toExponential(2)} > tolerance ${worst.tolerance.toExponential(2)}). ` +
          `Check the derivative rules of the operations between that input and the output, or loosen eps/rtol/atol if the function is badly conditioned there.`
  return { ok: failures === 0, checked: comparisons.length, failures, maxAbsError, maxRelError, worst, directions, message }
}

// A one-hot tangent tree: 1 at element j of leaf li, in each leaf's own dtype.
const basisVector = <T extends Tree>(def: TreeDef<T>, xs: ReadonlyArray<Tensor>, li: number, j: number): T =>
  unflatten(def, xs.map((l, k) => {
    const d = l.dtype === 'float64' ? new Float64Array(l.size) : new Float32Array(l.size)
    if (k === li) d[j] = 1
    return fromData(l.shape, d)
  }))

// A standard normal direction in each leaf's dtype: drawn in float64 and rounded once, so the
// finite differences (float64) and the analytic derivative (leaf dtype) use the same vector.
const randomDirection = <T extends Tree>(def: TreeDef<T>, xs: ReadonlyArray<Tensor>, k: Key): T => {
  const keys = split(k, xs.length)
  return unflatten(def, xs.map((l, i) => {
    const v = normal(keys[i]!, l.shape, { dtype: 'float64' })
    return l.dtype === 'float64' ? v : fromData(l.shape, Float32Array.from(v.data))
  }))
}

const dotLeaves = (a: ReadonlyArray<Tensor>, b: ReadonlyArray<Tensor>): number => {
  let s = 0
  a.forEach((x, i) => {
    const y = b[i]!
    for (let j = 0; j < x.size; j++) s += x.data[j]! * y.data[j]!
  })
  return s
}

/**
 * Checks the derivatives of a scalar-valued `f` at a tree `x` against central finite
 * differences computed in float64: the gradient `grad(f)(x)` (reverse mode) and `jvp(f, x, v)`
 * (forward mode), along every coordinate (`directions: 'basis'`) or along random directions
 * drawn from `options.key`. Never throws for a wrong derivative: read `ok` and `message`.
 * @example
 * ```ts
 * const report = check.checkGrad((x: Tensor) => ops.sum(ops.tanh(x)), tensor([0.5, -1]))
 * report.ok // true; report.message names the worst comparison
 * ```
 * @category gradient checks
 */
export const checkGrad = <T extends Tree>(f: (x: T) => Tensor, x: T, options: CheckGradOptions = {}): GradReport => {
  const op = 'checkGrad'
  const t = tolerances(op, x, options)
  scalarValue(op, f(x))
  const [xs, def] = flatten(x, op)
  const ps = def.paths
  const total = xs.reduce((n, l) => n + l.size, 0)
  const directions = options.directions ?? (total <= 64 ? 'basis' : 8)
  const g = leaves(grad(f)(x))
  const fd = (v: T): number => scalarValue(op, numericJvp(f, x, v, { eps: t.eps }))
  const out: Comparison[] = []
  if (directions === 'basis') {
    xs.forEach((l, li) => {
      for (let j = 0; j < l.size; j++) {
        const e = basisVector(def, xs, li, j)
        const numeric = fd(e)
        const at = { path: ps[li]!, index: j, direction: undefined }
        out.push(compare(t, { mode: 'grad', ...at }, g[li]!.data[j]!, numeric))
        out.push(compare(t, { mode: 'jvp', ...at }, scalarValue(op, jvp(f, x, e)[1]), numeric))
      }
    })
    return report(op, x, out, 'basis')
  }
  const keys = split(options.key ?? makeKey(0), directionCount(op, directions))
  keys.forEach((k, d) => {
    const v = randomDirection(def, xs, k)
    const numeric = fd(v)
    const at = { path: undefined, index: undefined, direction: d }
    out.push(compare(t, { mode: 'grad', ...at }, dotLeaves(g, leaves(v)), numeric))
    out.push(compare(t, { mode: 'jvp', ...at }, scalarValue(op, jvp(f, x, v)[1]), numeric))
  })
  return report(op, x, out, 'random')
}

/**
 * Checks second derivatives of a scalar-valued `f`: `hvp(f)(x, v)` (forward over reverse mode)
 * against central differences of the gradient, (∇f(x + εv) - ∇f(x - εv)) / 2ε in float64,
 * element by element, along random directions (default 2) or every coordinate. Check the
 * gradient itself with `checkGrad` first: the differences here are taken of it.
 * @example
 * ```ts
 * check.checkHvp((x: Tensor) => ops.sum(ops.mul(ops.mul(x, x), x)), tensor([1, 2])).ok // true
 * ```
 * @category gradient checks
 */
export const checkHvp = <T extends Tree>(f: (x: T) => Tensor, x: T, options: CheckGradOptions = {}): GradReport => {
  const op = 'checkHvp'
  const t = tolerances(op, x, options)
  scalarValue(op, f(x))
  const [xs, def] = flatten(x, op)
  const ps = def.paths
  const directions = options.directions ?? 2
  const vs =
    directions === 'basis'
      ? xs.flatMap((l, li) => Array.from({ length: l.size }, (_, j) => basisVector(def, xs, li, j)))
      : split(options.key ?? makeKey(0), directionCount(op, directions)).map((k) => randomDirection(def, xs, k))
  const out: Comparison[] = []
  const gradF = grad(f)
  vs.forEach((v, d) => {
    const analytic = leaves(hvp(f)(x, v))
    const numeric = leaves(numericJvp(gradF, x, v, { eps: t.eps }))
    analytic.forEach((a, li) => {
      for (let j = 0; j < a.size; j++) {
        const at = { mode: 'hvp' as const, path: ps[li]!, index: j, direction: directions === 'basis' ? undefined : d }
        out.push(compare(t, at, a.data[j]!, numeric[li]!.data[j]!))
      }
    })
  })
  return report(op, x, out, directions === 'basis' ? 'basis' : 'random')
}

/**
 * Options of `checkJvpVjp`. @category gradient checks
 * @example
 * ```ts
 * const options: check.CheckJvpVjpOptions = { rtol: 1e-5 }
 * check.checkJvpVjp((x: Tensor) => ops.sin(x), tensor([1]), random.key(0), options)
 * ```
 */
export interface CheckJvpVjpOptions {
  /** Relative tolerance against Σ|uᵢ (Jv)ᵢ| + Σ|(Jᵀu)ⱼ vⱼ| (default 1e-9, or 1e-4 with float32 anywhere). */
  readonly rtol?: number
  /** Absolute tolerance (default 1e-12). */
  readonly atol?: number
}

/**
 * The outcome of `checkJvpVjp`. @category gradient checks
 * @example
 * ```ts
 * const report: check.ConsistencyReport = check.checkJvpVjp((x: Tensor) => ops.exp(x), tensor([1]), random.key(0))
 * ```
 */
export interface ConsistencyReport {
  readonly ok: boolean
  /** \<u, J v\>, by forward mode. */
  readonly lhs: number
  /** \<Jᵀ u, v\>, by reverse mode. */
  readonly rhs: number
  readonly absError: number
  /** The error relative to the sums of absolute products, so cancellation does not inflate it. */
  readonly relError: number
  readonly message: string
}

const absDot = (a: ReadonlyArray<Tensor>, b: ReadonlyArray<Tensor>): number => {
  let s = 0
  a.forEach((x, i) => {
    const y = b[i]!
    for (let j = 0; j < x.size; j++) s += Math.abs(x.data[j]! * y.data[j]!)
  })
  return s
}

/**
 * Checks that forward and reverse mode agree for `f` (a tree to a tensor or a tree): with
 * random directions v (shaped like `x`) and u (shaped like `f(x)`) drawn from `key`,
 * `<u, J v>` by `jvp` equals `<Jᵀ u, v>` by `vjp`. No finite differences: this law holds
 * exactly up to rounding, at kinks too.
 * @example
 * ```ts
 * check.checkJvpVjp((x: Tensor) => ops.sin(x), tensor([0.5, 1]), random.key(0)).ok // <u, J v> = <Jᵀ u, v>
 * ```
 * @category gradient checks
 */
export const checkJvpVjp = <T extends Tree, O extends Out>(f: (x: T) => O, x: T, key: Key, options: CheckJvpVjpOptions = {}): ConsistencyReport => {
  const [kv, ku] = split(key, 2) as [Key, Key]
  const [xs, def] = flatten(x, 'checkJvpVjp')
  const v = randomDirection(def, xs, kv)
  const [y, pullback] = vjp(f, x)
  const [ys, yDef] = flatten(y, 'checkJvpVjp')
  const u = randomDirection(yDef, ys, ku)
  const jv = leaves(jvp(f, x, v)[1])
  const jtu = leaves(pullback(u))
  const us = leaves(u)
  const vs = leaves(v)
  const lhs = dotLeaves(us, jv)
  const rhs = dotLeaves(jtu, vs)
  const absError = Math.abs(lhs - rhs)
  const scale = absDot(us, jv) + absDot(jtu, vs)
  const relError = scale === 0 ? (absError === 0 ? 0 : Infinity) : absError / scale
  const f32 = isFloat32(x) || isFloat32(y)
  const rtol = options.rtol ?? (f32 ? 1e-4 : 1e-9)
  const atol = options.atol ?? 1e-12
  const ok = absError <= atol + rtol * scale
  const message = ok
    ? `checkJvpVjp: ok, <u, Jv> = ${lhs} and <Jᵀu, v> = ${rhs} (relative error ${relError.toExponential(2)})`
    : `checkJvpVjp: forward and reverse mode disagree: <u, Jv> = ${lhs} by jvp but <Jᵀu, v> = ${rhs} by vjp ` +
      `(relative error ${relError.toExponential(2)} > ${rtol}). Some VJP rule is not the transpose of its JVP rule.`
  return { ok, lhs, rhs, absError, relError, message }
}
