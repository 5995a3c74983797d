/**
 * Element-wise kernels, one typed function per operation (`exp(x)`, `add(a, b)`): no dispatch on
 * names. Each loop is written out on its own (no per-element callback), so V8 compiles a tight
 * monomorphic loop over the typed array. Every kernel allocates its output. Unary kernels keep
 * the input's dtype; binary kernels broadcast (NumPy rules) and promote.
 */
import { type Data, type DType, type Tensor, alloc, broadcastShapes, fromData, promote, shapeEquals, sizeOf, strides } from '../tensor/index.js'
import { type Loops, loops } from './binaryLoops.js'
import { expLoop, sigmoidLoop, tanhLoop } from './fastMath.js'
import { type Loops32, loops32 } from './float32Loops.js'
import { type WasmBinaryOp, type WasmUnaryOp, binaryRowsWasm, binaryWasm, binaryWorthIt, unaryWasm, unaryWorthIt } from './wasm/elementwise.js'

// A loop over a whole array: o[i] = f(a[i]) for i < n. Each kernel below has its own loop (no
// per-element callback), so V8 compiles a tight loop for each operation.
type Loop = (a: Data, o: Data, n: number) => void
// The same loop for float32 only, where an operation has one: V8 specialises it to Float32Array.
type Loop32 = (a: Float32Array, o: Float32Array, n: number) => void

const out1 = (x: Tensor): Data => alloc(x.dtype, x.size)

// Applies one operation's loops: the float32 one when there is one and the data is float32.
const map1 = (x: Tensor, loop: Loop, loop32?: Loop32): Tensor => {
  const a = x.data
  const o = out1(x)
  if (loop32 !== undefined && a instanceof Float32Array && o instanceof Float32Array) loop32(a, o, a.length)
  else loop(a, o, a.length)
  return fromData(x.shape, o)
}

// Large float32 tensors go to the WebAssembly SIMD map of `op` (same values; see
// wasm/elementwise.ts), the rest to the loops.
const mapWasm = (op: WasmUnaryOp, x: Tensor, loop: Loop, loop32: Loop32): Tensor => {
  const a = x.data
  return a instanceof Float32Array && unaryWorthIt(op, a.length) ? fromData(x.shape, unaryWasm(op, a)) : map1(x, loop, loop32)
}

/**
 * A unary element-wise kernel from a function of one number: one call per element, so slower
 * than the written-out loops below (which the hot operations use). Keeps the input's dtype.
 * @category kernels
 */
export const map = (x: Tensor, f: (v: number) => number): Tensor =>
  map1(x, (a, o, n) => {
    for (let i = 0; i < n; i++) o[i] = f(a[i]!)
  })

const exp64: Loop = (a, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.exp(a[i]!) }
/** e^x element-wise (float32 through the float32-accurate loop of `fastMath.ts`, or wasm when large). @category kernels */
export const exp = (x: Tensor): Tensor => mapWasm('exp', x, exp64, expLoop)

const log64: Loop = (a, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.log(a[i]!) }
/** Natural logarithm element-wise. @category kernels */
export const log = (x: Tensor): Tensor => map1(x, log64)

const sqrt64: Loop = (a, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.sqrt(a[i]!) }
/** Square root element-wise. @category kernels */
export const sqrt = (x: Tensor): Tensor => map1(x, sqrt64)

const square64: Loop = (a, o, n) => { for (let i = 0; i < n; i++) { const v = a[i]!; o[i] = v * v } }
const square32: Loop32 = (a, o, n) => { for (let i = 0; i < n; i++) { const v = a[i]!; o[i] = v * v } }
/** x² element-wise. @category kernels */
export const square = (x: Tensor): Tensor => map1(x, square64, square32)

const abs64: Loop = (a, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.abs(a[i]!) }
/** |x| element-wise. @category kernels */
export const abs = (x: Tensor): Tensor => map1(x, abs64)

const sign64: Loop = (a, o, n) => { for (let i = 0; i < n; i++) { const v = a[i]!; o[i] = v > 0 ? 1 : v < 0 ? -1 : 0 } }
/** The sign (-1, 0 or 1) element-wise. @category kernels */
export const sign = (x: Tensor): Tensor => map1(x, sign64)

const relu64: Loop = (a, o, n) => { for (let i = 0; i < n; i++) { const v = a[i]!; o[i] = v <= 0 ? 0 : v } }
const relu32: Loop32 = (a, o, n) => { for (let i = 0; i < n; i++) { const v = a[i]!; o[i] = v <= 0 ? 0 : v } }
/** max(0, x) element-wise; a NaN stays NaN. @category kernels */
export const relu = (x: Tensor): Tensor => mapWasm('relu', x, relu64, relu32)

// Two branches so that exp never overflows: for z >= 0 use 1/(1+e^-z), else e^z/(1+e^z).
const sigmoid64: Loop = (a, o, n) => {
  for (let i = 0; i < n; i++) {
    const v = a[i]!
    if (v >= 0) o[i] = 1 / (1 + Math.exp(-v))
    else { const e = Math.exp(v); o[i] = e / (1 + e) }
  }
}
/** The logistic function element-wise, without overflow (float32 through `fastMath.ts`, or wasm when large). @category kernels */
export const sigmoid = (x: Tensor): Tensor => mapWasm('sigmoid', x, sigmoid64, sigmoidLoop)

const tanh64: Loop = (a, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.tanh(a[i]!) }
/**
 * tanh element-wise: float32 by `fastMath.ts`'s `tanh32` (float32 arithmetic, 7 ulp at most), in
 * JavaScript or, when large, its WebAssembly SIMD twin (the same bits); float64 by `Math.tanh`.
 * @category kernels
 */
export const tanh = (x: Tensor): Tensor => mapWasm('tanh', x, tanh64, tanhLoop)

const atan64: Loop = (a, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.atan(a[i]!) }
/** Arctangent element-wise. @category kernels */
export const atan = (x: Tensor): Tensor => map1(x, atan64)

// log(1 + e^z) = max(z, 0) + log1p(e^-|z|): exact for large |z| in both directions.
const softplus64: Loop = (a, o, n) => { for (let i = 0; i < n; i++) { const v = a[i]!; o[i] = (v > 0 ? v : 0) + Math.log1p(Math.exp(-Math.abs(v))) } }
/** log(1 + e^x) element-wise, exact for large |x|. @category kernels */
export const softplus = (x: Tensor): Tensor => map1(x, softplus64)

const sin64: Loop = (a, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.sin(a[i]!) }
/** Sine element-wise. @category kernels */
export const sin = (x: Tensor): Tensor => map1(x, sin64)

const cos64: Loop = (a, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.cos(a[i]!) }
/** Cosine element-wise. @category kernels */
export const cos = (x: Tensor): Tensor => map1(x, cos64)

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

/** One binary operation: its shared loops, its float32 loops and its WebAssembly map, where it has them. */
interface BinaryOp {
  readonly name: string
  readonly loops: Loops
  readonly loops32?: Loops32
  readonly wasm?: WasmBinaryOp
}

/** A broadcasting binary kernel; `opName` names the operation in a shape error. @category kernels */
export type BinaryKernel = (x: Tensor, y: Tensor, opName?: string) => Tensor

const binaryKernel = (op: BinaryOp): BinaryKernel => (x, y, opName = op.name) => binary(op, x, y, opName)

/** a + b, broadcasting. @category kernels */
export const add: BinaryKernel = binaryKernel({ name: 'add', loops: loops.add, loops32: loops32.add, wasm: 'add' })
/** a - b, broadcasting. @category kernels */
export const sub: BinaryKernel = binaryKernel({ name: 'sub', loops: loops.sub, loops32: loops32.sub, wasm: 'sub' })
/** a · b, broadcasting. @category kernels */
export const mul: BinaryKernel = binaryKernel({ name: 'mul', loops: loops.mul, loops32: loops32.mul, wasm: 'mul' })
/** a / b, broadcasting. @category kernels */
export const div: BinaryKernel = binaryKernel({ name: 'div', loops: loops.div, loops32: loops32.div, wasm: 'div' })
/** max(a, b), broadcasting; a NaN on either side propagates. @category kernels */
export const maximum: BinaryKernel = binaryKernel({ name: 'maximum', loops: loops.maximum })
/** [a > b] as 0 or 1, broadcasting. @category kernels */
export const greater: BinaryKernel = binaryKernel({ name: 'greater', loops: loops.greater })
/** [a = b] as 0 or 1, broadcasting. @category kernels */
export const equal: BinaryKernel = binaryKernel({ name: 'equal', loops: loops.equal })

// Every case runs the contiguous loops of `binaryLoops.ts`: equal shapes and a scalar operand in
// one loop, an operand that repeats along the leading axes (a bias row) as one loop per row, and
// any other broadcast as one loop per row of the output's last axis (with a scalar loop where an
// operand is broadcast along that axis, e.g. a column).
const binary = (op: BinaryOp, x: Tensor, y: Tensor, opName: string): Tensor => {
  const f32 = op.loops32
  if (f32 !== undefined && x.data instanceof Float32Array && y.data instanceof Float32Array) {
    const r = binary32(f32, op.wasm, x, y, x.data, y.data, opName)
    if (r !== undefined) return r
  }
  const dtype: DType = promote(x.dtype, y.dtype)
  const shape = shapeEquals(x.shape, y.shape) ? x.shape : broadcastShapes(opName, x.shape, y.shape)
  const n = sizeOf(shape)
  const o = alloc(dtype, n)
  const a = x.data
  const b = y.data
  if (n === 0) return fromData(shape, o)
  const f: Loops = op.loops
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
const binary32 = (f: Loops32, wasmOp: WasmBinaryOp | undefined, x: Tensor, y: Tensor, a: Float32Array, b: Float32Array, opName: string): Tensor | undefined => {
  const shape = shapeEquals(x.shape, y.shape) ? x.shape : broadcastShapes(opName, x.shape, y.shape)
  const n = sizeOf(shape)
  if (wasmOp !== undefined && binaryWorthIt(n)) {
    if (a.length === n && b.length === n) return fromData(shape, binaryWasm(wasmOp, a, b))
    if (a.length === n && b.length > 1 && isSuffix(y.shape, shape)) return fromData(shape, binaryRowsWasm(wasmOp, a, b, n / b.length, b.length, true))
    if (b.length === n && a.length > 1 && isSuffix(x.shape, shape)) return fromData(shape, binaryRowsWasm(wasmOp, a, b, n / a.length, a.length, false))
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
