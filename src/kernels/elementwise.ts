/**
 * Element-wise kernels. Each loop is written out on its own (no per-element callback), so V8
 * compiles a tight monomorphic loop over the typed array. Every kernel allocates its output.
 * Unary kernels keep the input's dtype; binary kernels broadcast (NumPy rules) and promote.
 */
import { type Data, type DType, type Tensor, alloc, broadcastShapes, fromData, promote, shapeEquals, sizeOf, strides } from '../tensor/index.js'
import { type Loops, loops } from './binaryLoops.js'
import { expLoop, sigmoidLoop, tanhLoop } from './fastMath.js'
import { type Loops32, loops32, unary32 } from './float32Loops.js'
import { type WasmBinaryOp, binaryRowsWasm, binaryWasm, binaryWorthIt, unaryWasm, unaryWorthIt } from './wasm/elementwise.js'

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

/**
 * Applies a unary kernel element-wise. Float32 `exp`, `tanh` and `sigmoid` use the faster
 * float32-accurate loops of `fastMath.ts`, and on large tensors (with `relu`) the WebAssembly
 * SIMD maps of `wasm/elementwise.ts`, which give the same values (tanh within 2.7e-7 beyond
 * |x| > 7.9); float64 uses `Math.*` throughout.
 * @category kernels
 */
export const unary = (op: UnaryKernel, x: Tensor): Tensor => {
  const a = x.data
  const n = a.length
  if (a instanceof Float32Array && (op === 'exp' || op === 'tanh' || op === 'sigmoid' || op === 'relu') && unaryWorthIt(op, n)) {
    return fromData(x.shape, unaryWasm(op, a))
  }
  const o = out1(x)
  if (a instanceof Float32Array && o instanceof Float32Array) {
    if (op === 'tanh') { tanhLoop(a, o, n); return fromData(x.shape, o) }
    if (op === 'exp') { expLoop(a, o, n); return fromData(x.shape, o) }
    if (op === 'sigmoid') { sigmoidLoop(a, o, n); return fromData(x.shape, o) }
    const loop = unary32(op)
    if (loop !== undefined) { loop(a, o, n); return fromData(x.shape, o) }
  }
  switch (op) {
    case 'neg': for (let i = 0; i < n; i++) o[i] = -a[i]!; break
    case 'exp': for (let i = 0; i < n; i++) o[i] = Math.exp(a[i]!); break
    case 'log': for (let i = 0; i < n; i++) o[i] = Math.log(a[i]!); break
    case 'sqrt': for (let i = 0; i < n; i++) o[i] = Math.sqrt(a[i]!); break
    case 'square': for (let i = 0; i < n; i++) { const v = a[i]!; o[i] = v * v } break
    case 'abs': for (let i = 0; i < n; i++) o[i] = Math.abs(a[i]!); break
    case 'sign': for (let i = 0; i < n; i++) { const v = a[i]!; o[i] = v > 0 ? 1 : v < 0 ? -1 : 0 } break
    case 'relu': for (let i = 0; i < n; i++) { const v = a[i]!; o[i] = v <= 0 ? 0 : v } break
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

/**
 * A broadcasting binary kernel. Every case runs the contiguous loops of `binaryLoops.ts`: equal
 * shapes and a scalar operand in one loop, an operand that repeats along the leading axes (a bias
 * row) as one loop per row, and any other broadcast as one loop per row of the output's last
 * axis (with a scalar loop where an operand is broadcast along that axis, e.g. a column).
 * @category kernels
 */
export const binary = (op: BinaryKernel, x: Tensor, y: Tensor, opName: string = op): Tensor => {
  const f32 = loops32[op]
  if (f32 !== undefined && x.data instanceof Float32Array && y.data instanceof Float32Array) {
    const r = binary32(f32, op, x, y, x.data, y.data, opName)
    if (r !== undefined) return r
  }
  const dtype: DType = promote(x.dtype, y.dtype)
  const shape = shapeEquals(x.shape, y.shape) ? x.shape : broadcastShapes(opName, x.shape, y.shape)
  const n = sizeOf(shape)
  const o = alloc(dtype, n)
  const a = x.data
  const b = y.data
  if (n === 0) return fromData(shape, o)
  const f: Loops = loops[op]
  if (a.length === n && b.length === n) {
    f.vv(a, 0, b, 0, o, 0, n)
  } else if (b.length === 1 && a.length === n) {
    f.vs(a, 0, b[0]!, o, 0, n)
  } else if (a.length === 1 && b.length === n) {
    f.sv(a[0]!, b, 0, o, 0, n)
  } else if (a.length === n && isSuffix(y.shape, shape)) {
    const m = b.length
    for (let r = 0; r < n; r += m) f.vv(a, r, b, 0, o, r, m)
  } else if (b.length === n && isSuffix(x.shape, shape)) {
    const m = a.length
    for (let r = 0; r < n; r += m) f.vv(a, 0, b, r, o, r, m)
  } else {
    general(f, x, y, shape, o)
  }
  return fromData(shape, o)
}

// Float32 operands in the common cases, with the float32 loops; undefined for the rest (which
// the shared loops take). A function of its own, so that its loops stay specialised to float32.
// Large same-shape and row-broadcast add/sub/mul/div go to the WebAssembly SIMD maps, which
// give bit-identical results (see wasm/elementwise.ts).
const binary32 = (f: Loops32, op: BinaryKernel, x: Tensor, y: Tensor, a: Float32Array, b: Float32Array, opName: string): Tensor | undefined => {
  const shape = shapeEquals(x.shape, y.shape) ? x.shape : broadcastShapes(opName, x.shape, y.shape)
  const n = sizeOf(shape)
  if (isWasmOp(op) && binaryWorthIt(n)) {
    if (a.length === n && b.length === n) return fromData(shape, binaryWasm(op, a, b))
    if (a.length === n && b.length > 1 && isSuffix(y.shape, shape)) return fromData(shape, binaryRowsWasm(op, a, b, n / b.length, b.length, true))
    if (b.length === n && a.length > 1 && isSuffix(x.shape, shape)) return fromData(shape, binaryRowsWasm(op, a, b, n / a.length, a.length, false))
  }
  const o = new Float32Array(n)
  if (a.length === n && b.length === n) f.vv(a, 0, b, 0, o, 0, n)
  else if (n === 0) return fromData(shape, o)
  else if (b.length === 1 && a.length === n) f.vs(a, 0, b[0]!, o, 0, n)
  else if (a.length === 1 && b.length === n) f.sv(a[0]!, b, 0, o, 0, n)
  else if (a.length === n && isSuffix(y.shape, shape)) f.vr(a, b, o, n / b.length, b.length)
  else if (b.length === n && isSuffix(x.shape, shape)) f.rv(a, b, o, n / a.length, a.length)
  else return undefined
  return fromData(shape, o)
}

const isWasmOp = (op: BinaryKernel): op is WasmBinaryOp => op === 'add' || op === 'sub' || op === 'mul' || op === 'div'

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

// One contiguous loop per row of the last axis; along it each operand has stride 1 or 0.
const general = (f: Loops, x: Tensor, y: Tensor, shape: ReadonlyArray<number>, o: Data): void => {
  const rank = shape.length
  const sa = broadcastStrides(x.shape, shape)
  const sb = broadcastStrides(y.shape, shape)
  const inner = shape[rank - 1]!
  const ia = sa[rank - 1]!
  const ib = sb[rank - 1]!
  const a = x.data
  const b = y.data
  const idx = new Array<number>(rank).fill(0)
  const outer = o.length / inner
  let ai = 0
  let bi = 0
  for (let r = 0; r < outer; r++) {
    const oi = r * inner
    if (ia === 1 && ib === 1) f.vv(a, ai, b, bi, o, oi, inner)
    else if (ia === 1) f.vs(a, ai, b[bi]!, o, oi, inner)
    else if (ib === 1) f.sv(a[ai]!, b, bi, o, oi, inner)
    else {
      f.vs(a, ai, b[bi]!, o, oi, 1)
      o.fill(o[oi]!, oi + 1, oi + inner)
    }
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
