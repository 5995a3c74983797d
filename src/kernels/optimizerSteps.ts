/**
 * Fused optimizer steps for one parameter leaf: the new parameter (and moments) in one pass over
 * the arrays, instead of one pass and one fresh buffer per tensor op. Each computes exactly the
 * numbers the op-by-op path computes (`optim`'s `update` followed by `applyUpdates`): in float32
 * every intermediate is rounded to float32 (`Math.fround`) where the op-by-op path stores a
 * float32 tensor, and every constant is rounded as a float32 weak scalar, so both paths agree to
 * the bit. The same pass also reports whether every gradient element was finite, and whether
 * every new parameter and moment is, which is the divergence check of `train.step` for free (an
 * update that overflows, such as SGD with a learning rate of 3e38, is caught before its state is
 * handed out).
 *
 * Leaves must share one dtype and one shape (the caller checks and otherwise takes the op-by-op
 * path). Inputs are never written; outputs are fresh.
 */
import { type Tensor, fromData } from '../tensor/index.js'

/** The result of a fused SGD leaf step. @category kernels */
export interface SgdLeafStep {
  readonly params: Tensor
  /** Whether every element of the gradient was finite. */
  readonly finite: boolean
  /** Whether every element of the new parameter is finite. */
  readonly updatedFinite: boolean
}

/**
 * p + (g · scale) per element, with `scale = -learningRate`: SGD's update and its application.
 * @category kernels
 */
export const sgdLeaf = (p: Tensor, g: Tensor, scale: number): SgdLeafStep => {
  const a = p.data
  const b = g.data
  const n = a.length
  let bad = 0
  let badOut = 0
  if (a instanceof Float32Array && b instanceof Float32Array) {
    const o = new Float32Array(n)
    const s = Math.fround(scale)
    for (let i = 0; i < n; i++) {
      const v = b[i]!
      bad += v * 0 // NaN once any element is NaN or ±Infinity, else 0
      const w = Math.fround(a[i]! + Math.fround(v * s)) // the float32 sum, which may overflow where the float64 one does not
      o[i] = w
      badOut += w * 0
    }
    return { params: fromData(p.shape, o), finite: bad === 0, updatedFinite: badOut === 0 }
  }
  const o = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const v = b[i]!
    bad += v * 0
    const w = a[i]! + v * scale
    o[i] = w
    badOut += w * 0
  }
  return { params: fromData(p.shape, o), finite: bad === 0, updatedFinite: badOut === 0 }
}

/** Adam's per-step constants (see `optim/moments.ts`): step t's folded bias corrections. @category kernels */
export interface AdamConstants {
  readonly b1: number
  readonly b2: number
  /** √(1 - b2^t) / (1 - b1^t). */
  readonly step: number
  /** eps · √(1 - b2^t). */
  readonly epsilon: number
  /** -learningRate. */
  readonly scale: number
}

/** The result of a fused Adam leaf step. @category kernels */
export interface AdamLeafStep {
  readonly params: Tensor
  readonly mu: Tensor
  readonly nu: Tensor
  /** Whether every element of the gradient was finite. */
  readonly finite: boolean
  /** Whether every element of the new parameter and moments is finite. */
  readonly updatedFinite: boolean
}

/**
 * Adam's moments, update and its application for one leaf:
 * mu' = b1·mu + (1 - b1)·g, nu' = b2·nu + (1 - b2)·g², p' = p + scale · (mu'·step / (√nu' + epsilon)).
 * @category kernels
 */
export const adamLeaf = (p: Tensor, g: Tensor, mu: Tensor, nu: Tensor, c: AdamConstants): AdamLeafStep => {
  const pa = p.data, ga = g.data, ma = mu.data, va = nu.data
  const n = pa.length
  let bad = 0
  let badOut = 0
  if (pa instanceof Float32Array && ga instanceof Float32Array && ma instanceof Float32Array && va instanceof Float32Array) {
    const f = Math.fround
    const po = new Float32Array(n), mo = new Float32Array(n), vo = new Float32Array(n)
    const b1 = f(c.b1), c1 = f(1 - c.b1), b2 = f(c.b2), c2 = f(1 - c.b2)
    const step = f(c.step), eps = f(c.epsilon), scale = f(c.scale)
    for (let i = 0; i < n; i++) {
      const u = ga[i]!
      bad += u * 0
      const m = f(f(ma[i]! * b1) + f(u * c1))
      const v = f(f(va[i]! * b2) + f(f(u * u) * c2))
      mo[i] = m
      vo[i] = v
      const out = f(f(m * step) / f(f(Math.sqrt(v)) + eps))
      const w = f(pa[i]! + f(out * scale))
      po[i] = w
      badOut += w * 0 + m * 0 + v * 0
    }
    return { params: fromData(p.shape, po), mu: fromData(mu.shape, mo), nu: fromData(nu.shape, vo), finite: bad === 0, updatedFinite: badOut === 0 }
  }
  const po = new Float64Array(n), mo = new Float64Array(n), vo = new Float64Array(n)
  const c1 = 1 - c.b1, c2 = 1 - c.b2
  for (let i = 0; i < n; i++) {
    const u = ga[i]!
    bad += u * 0
    const m = ma[i]! * c.b1 + u * c1
    const v = va[i]! * c.b2 + u * u * c2
    mo[i] = m
    vo[i] = v
    const w = pa[i]! + ((m * c.step) / (Math.sqrt(v) + c.epsilon)) * c.scale
    po[i] = w
    badOut += w * 0 + m * 0 + v * 0
  }
  return { params: fromData(p.shape, po), mu: fromData(mu.shape, mo), nu: fromData(nu.shape, vo), finite: bad === 0, updatedFinite: badOut === 0 }
}
