/**
 * Element-wise kernels. Each loop is written out on its own (no per-element callback), so V8
 * compiles a tight monomorphic loop over the typed array. Every kernel allocates its output.
 * Unary kernels keep the input's dtype; binary kernels broadcast (NumPy rules) and promote.
 */
import { type Data, type DType, type Tensor, alloc, broadcastShapes, fromData, promote, shapeEquals, sizeOf, strides } from '../tensor/index.js'

/** Names of the unary kernels. @category kernels */
export type UnaryKernel =
  | 'neg' | 'exp' | 'log' | 'sqrt' | 'square' | 'abs' | 'sign' | 'relu' | 'step' | 'sigmoid'
  | 'tanh' | 'atan' | 'softplus' | 'reciprocal' | 'sin' | 'cos' | 'erf' | 'expm1' | 'log1p'

const out1 = (x: Tensor): Data => alloc(x.dtype, x.size)

// Abramowitz-Stegun 7.1.26 is too coarse for gradient checks; this is W. J. Cody's rational
// approximation as used by many libms, accurate to about 1e-7 relative, plenty for float32 GELU.
const erf1 = (x: number): number => {
  const ax = Math.abs(x)
  if (ax > 6) return x > 0 ? 1 : -1
  const t = 1 / (1 + 0.5 * ax)
  const y =
    1 -
    t *
      Math.exp(
        -ax * ax -
          1.26551223 +
          t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
      )
  return x >= 0 ? y : -y
}

/** Applies a unary kernel element-wise. @category kernels */
export const unary = (op: UnaryKernel, x: Tensor): Tensor => {
  const a = x.data
  const n = a.length
  const o = out1(x)
  switch (op) {
    case 'neg': for (let i = 0; i < n; i++) o[i] = -a[i]!; break
    case 'exp': for (let i = 0; i < n; i++) o[i] = Math.exp(a[i]!); break
    case 'log': for (let i = 0; i < n; i++) o[i] = Math.log(a[i]!); break
    case 'sqrt': for (let i = 0; i < n; i++) o[i] = Math.sqrt(a[i]!); break
    case 'square': for (let i = 0; i < n; i++) { const v = a[i]!; o[i] = v * v } break
    case 'abs': for (let i = 0; i < n; i++) o[i] = Math.abs(a[i]!); break
    case 'sign': for (let i = 0; i < n; i++) { const v = a[i]!; o[i] = v > 0 ? 1 : v < 0 ? -1 : 0 } break
    case 'relu': for (let i = 0; i < n; i++) { const v = a[i]!; o[i] = v > 0 ? v : 0 } break
    case 'step': for (let i = 0; i < n; i++) o[i] = a[i]! > 0 ? 1 : 0; break
    case 'sigmoid':
      // Two branches so that exp never overflows: for z >= 0 use 1/(1+e^-z), else e^z/(1+e^z).
      for (let i = 0; i < n; i++) {
        const v = a[i]!
        if (v >= 0) o[i] = 1 / (1 + Math.exp(-v))
        else { const e = Math.exp(v); o[i] = e / (1 + e) }
      }
      break
    case 'tanh': for (let i = 0; i < n; i++) o[i] = Math.tanh(a[i]!); break
    case 'atan': for (let i = 0; i < n; i++) o[i] = Math.atan(a[i]!); break
    case 'softplus':
      // log(1 + e^z) = max(z, 0) + log1p(e^-|z|): exact for large |z| in both directions.
      for (let i = 0; i < n; i++) { const v = a[i]!; o[i] = (v > 0 ? v : 0) + Math.log1p(Math.exp(-Math.abs(v))) }
      break
    case 'reciprocal': for (let i = 0; i < n; i++) o[i] = 1 / a[i]!; break
    case 'sin': for (let i = 0; i < n; i++) o[i] = Math.sin(a[i]!); break
    case 'cos': for (let i = 0; i < n; i++) o[i] = Math.cos(a[i]!); break
    case 'erf': for (let i = 0; i < n; i++) o[i] = erf1(a[i]!); break
    case 'expm1': for (let i = 0; i < n; i++) o[i] = Math.expm1(a[i]!); break
    case 'log1p': for (let i = 0; i < n; i++) o[i] = Math.log1p(a[i]!); break
  }
  return fromData(x.shape, o)
}

/** `x ** p` element-wise for a constant exponent. @category kernels */
export const powScalar = (x: Tensor, p: number): Tensor => {
  const a = x.data
  const n = a.length
  const o = out1(x)
  if (p === 2) for (let i = 0; i < n; i++) { const v = a[i]!; o[i] = v * v }
  else if (p === 1) o.set(a)
  else if (p === 0.5) for (let i = 0; i < n; i++) o[i] = Math.sqrt(a[i]!)
  else if (p === -1) for (let i = 0; i < n; i++) o[i] = 1 / a[i]!
  else for (let i = 0; i < n; i++) o[i] = Math.pow(a[i]!, p)
  return fromData(x.shape, o)
}

/** `x * s + t` element-wise for constants (one pass; used by optimizers and initialisers). @category kernels */
export const affine = (x: Tensor, s: number, t: number): Tensor => {
  const a = x.data
  const n = a.length
  const o = out1(x)
  for (let i = 0; i < n; i++) o[i] = a[i]! * s + t
  return fromData(x.shape, o)
}

/** Names of the binary kernels. @category kernels */
export type BinaryKernel = 'add' | 'sub' | 'mul' | 'div' | 'maximum' | 'minimum' | 'greater' | 'equal'

// One loop over equal-length runs: o[oi + k] = a[ai + k*as] (op) b[bi + k*bs], as/bs in {0,1}.
const run = (op: BinaryKernel, a: Data, ai: number, as: number, b: Data, bi: number, bs: number, o: Data, oi: number, n: number): void => {
  switch (op) {
    case 'add': for (let k = 0; k < n; k++) o[oi + k] = a[ai + k * as]! + b[bi + k * bs]!; break
    case 'sub': for (let k = 0; k < n; k++) o[oi + k] = a[ai + k * as]! - b[bi + k * bs]!; break
    case 'mul': for (let k = 0; k < n; k++) o[oi + k] = a[ai + k * as]! * b[bi + k * bs]!; break
    case 'div': for (let k = 0; k < n; k++) o[oi + k] = a[ai + k * as]! / b[bi + k * bs]!; break
    case 'maximum': for (let k = 0; k < n; k++) { const x = a[ai + k * as]!, y = b[bi + k * bs]!; o[oi + k] = x >= y || x !== x ? x : y } break
    case 'minimum': for (let k = 0; k < n; k++) { const x = a[ai + k * as]!, y = b[bi + k * bs]!; o[oi + k] = x <= y || x !== x ? x : y } break
    case 'greater': for (let k = 0; k < n; k++) o[oi + k] = a[ai + k * as]! > b[bi + k * bs]! ? 1 : 0; break
    case 'equal': for (let k = 0; k < n; k++) o[oi + k] = a[ai + k * as]! === b[bi + k * bs]! ? 1 : 0; break
  }
}

/**
 * A broadcasting binary kernel. Fast paths: equal shapes, a scalar operand, and an operand that
 * repeats along the leading axes (a bias row); every other case walks the output with strides.
 * @category kernels
 */
export const binary = (op: BinaryKernel, x: Tensor, y: Tensor, opName: string = op): Tensor => {
  const dtype: DType = promote(x.dtype, y.dtype)
  const shape = shapeEquals(x.shape, y.shape) ? x.shape : broadcastShapes(opName, x.shape, y.shape)
  const n = sizeOf(shape)
  const o = alloc(dtype, n)
  const a = x.data
  const b = y.data
  if (n === 0) return fromData(shape, o)
  if (a.length === n && b.length === n) {
    run(op, a, 0, 1, b, 0, 1, o, 0, n)
  } else if (b.length === 1 && a.length === n) {
    run(op, a, 0, 1, b, 0, 0, o, 0, n)
  } else if (a.length === 1 && b.length === n) {
    run(op, a, 0, 0, b, 0, 1, o, 0, n)
  } else if (a.length === n && isSuffix(y.shape, shape)) {
    const m = b.length
    for (let r = 0; r < n; r += m) run(op, a, r, 1, b, 0, 1, o, r, m)
  } else if (b.length === n && isSuffix(x.shape, shape)) {
    const m = a.length
    for (let r = 0; r < n; r += m) run(op, a, 0, 1, b, r, 1, o, r, m)
  } else {
    general(op, x, y, shape, o)
  }
  return fromData(shape, o)
}

// Whether `s` equals the trailing axes of `full` (so it repeats whole along the leading axes).
const isSuffix = (s: ReadonlyArray<number>, full: ReadonlyArray<number>): boolean => {
  const lead = full.length - s.length
  for (let i = 0; i < s.length; i++) if (s[i] !== full[lead + i]) return false
  return true
}

// Strides of `s` seen from a broadcast `shape`: 0 along broadcast axes.
const broadcastStrides = (s: ReadonlyArray<number>, shape: ReadonlyArray<number>): number[] => {
  const st = strides(s)
  const lead = shape.length - s.length
  return shape.map((_, i) => (i < lead || s[i - lead] === 1 ? 0 : st[i - lead]!))
}

const general = (op: BinaryKernel, x: Tensor, y: Tensor, shape: ReadonlyArray<number>, o: Data): void => {
  const rank = shape.length
  const sa = broadcastStrides(x.shape, shape)
  const sb = broadcastStrides(y.shape, shape)
  const inner = shape[rank - 1]!
  const ia = sa[rank - 1]!
  const ib = sb[rank - 1]!
  const idx = new Array<number>(rank).fill(0)
  const outer = o.length / inner
  let ai = 0
  let bi = 0
  for (let r = 0; r < outer; r++) {
    run(op, x.data, ai, ia, y.data, bi, ib, o, r * inner, inner)
    // advance the multi-index over the outer axes
    for (let d = rank - 2; d >= 0; d--) {
      idx[d]!++
      ai += sa[d]!
      bi += sb[d]!
      if (idx[d]! < shape[d]!) break
      ai -= sa[d]! * shape[d]!
      bi -= sb[d]! * shape[d]!
      idx[d] = 0
    }
  }
}

/** Casts to a dtype (a copy even when the dtype is the same). @category kernels */
export const cast = (x: Tensor, dtype: DType): Tensor => {
  const o = alloc(dtype, x.size)
  o.set(x.data)
  return fromData(x.shape, o)
}

/** `where(mask, a, b)`: picks `a` where mask is non-zero, else `b`; all three of one shape. @category kernels */
export const select = (mask: Tensor, a: Tensor, b: Tensor): Tensor => {
  const o = alloc(promote(a.dtype, b.dtype), a.size)
  const m = mask.data, x = a.data, y = b.data
  for (let i = 0; i < o.length; i++) o[i] = m[i] !== 0 ? x[i]! : y[i]!
  return fromData(a.shape, o)
}
