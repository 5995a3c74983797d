/**
 * The WebAssembly SIMD element-wise maps on float32: a fast path behind `kernels/elementwise.ts`
 * for large tensors.
 *
 * Contract:
 * 1. Every function returns its result in a fresh Float32Array and never writes its inputs.
 *    add/sub/mul/div are bit-identical to the float32 loops of `float32Loops.ts` (f32x4
 *    arithmetic rounds as scalar float32 arithmetic does); exp and sigmoid are bit-identical to
 *    `fastMath.ts`'s loops (the same float64 operations on two lanes); tanh to its `tanh32` (the
 *    same float32 operations on four lanes). relu is `x <= 0 ? 0 : x` (a NaN stays NaN).
 *    Checked by `properties/kernels-wasm-elementwise.test.ts`.
 * 2. `elementwiseWasmAvailable` is false where the engine lacks WebAssembly SIMD; then nothing
 *    here may be called.
 * 3. As for the matmul (`./matmul.ts`): operands are copied into the module's one memory, the map
 *    runs there in place, and the result is copied out, so tensors stay garbage-collected values.
 *    The memory grows to fit the largest call seen and is reused.
 *
 * Whether a call pays for its copies is decided by the thresholds below (`binaryWorthIt`,
 * `unaryWorthIt`), measured with `npm run bench:kernels -- --threshold-elementwise`.
 */
import { elementwiseWasmBase64 } from './elementwise.generated.js'
import { type ModuleStatus, engineWasm, instantiateOrWhy, statusOf } from './instantiate.js'

type Map2 = (a: number, b: number, o: number, n: number) => void
type Rows2 = (a: number, b: number, o: number, rows: number, m: number, aRow: number, bRow: number) => void
type Map1 = (a: number, o: number, n: number) => void

interface ElementwiseExports {
  readonly memory: { readonly buffer: ArrayBuffer; readonly grow: (pages: number) => number }
  readonly heapBase: () => number
  readonly add: Map2
  readonly sub: Map2
  readonly mul: Map2
  readonly div: Map2
  readonly addRows: Rows2
  readonly subRows: Rows2
  readonly mulRows: Rows2
  readonly divRows: Rows2
  readonly exp: Map1
  readonly tanh: Map1
  readonly sigmoid: Map1
  readonly relu: Map1
}

/** The binary operations with a WebAssembly map. @category internals */
export type WasmBinaryOp = 'add' | 'sub' | 'mul' | 'div'
/** The unary operations with a WebAssembly map. @category internals */
export type WasmUnaryOp = 'exp' | 'tanh' | 'sigmoid' | 'relu'

// The module instance and its one growable memory: state of the same kind, and justified the same
// way, as the matmul module's (see ./matmul.ts): a call copies its operands in and its result out
// before returning, and the memory's contents never outlive a call.
const instantiated = instantiateOrWhy<ElementwiseExports>(elementwiseWasmBase64, engineWasm())
const wasm = instantiated.ok ? instantiated.exports : undefined

/** Whether this module compiled, or why not (for `activeKernels`). @category internals */
export const elementwiseStatus: ModuleStatus = statusOf(instantiated)

/** Whether the WebAssembly SIMD element-wise maps can run here. @category internals */
export const elementwiseWasmAvailable: boolean = wasm !== undefined

// The smallest element counts at which the wasm path, copies included, beats the JS loops.
// Measured with `npm run bench:kernels -- --threshold-elementwise` (Node 20, x64, 2026-11-25):
// at 256 elements wasm and JS were level within the noise (add 0.28 vs 0.26, exp 0.13 vs 0.13
// Gelem/s); from 1,024 up wasm won every op (add/mul/relu 2.2-2.9x, tanh 1.6x; exp and sigmoid
// 1.8x and 1.7-2.7x from 4,096 up, after their clamp became pmin/pmax). tanh, since it became
// float32 arithmetic on four lanes (its JavaScript twin, Math.fround after every operation, is
// slow): wasm 2.6x at 16 elements, 3.0x at 64, 5.2x at 256 (2026-11-30, load 4.3-4.9); so from 16.
const MIN_BINARY = 1024
const MIN_UNARY: Readonly<Record<WasmUnaryOp, number>> = { exp: 1024, tanh: 16, sigmoid: 1024, relu: 1024 }
// Keep memory well below what a wasm32 memory can address, as the matmul does.
const MAX_BYTES = 1 << 30

/** Whether a float32 binary map of n elements should go to wasm. @category internals */
export const binaryWorthIt = (n: number): boolean => wasm !== undefined && n >= MIN_BINARY && 8 * n < MAX_BYTES

/** Whether a float32 unary map of n elements should go to wasm. @category internals */
export const unaryWorthIt = (op: WasmUnaryOp, n: number): boolean => wasm !== undefined && n >= MIN_UNARY[op] && 4 * n < MAX_BYTES

// Buffers start on a 64-byte boundary, which also pads each to whole 16-byte vectors: the maps
// run ceil(n / 4) vectors and the padding lanes are never copied out.
const align = (x: number): number => (x + 63) & ~63
const base = wasm === undefined ? 0 : align(wasm.heapBase())

// A view of the memory, replaced only when growing it detached the old buffer.
let heap = wasm === undefined ? new Float32Array(0) : new Float32Array(wasm.memory.buffer)

// Makes room for `end` bytes and returns the (possibly new) view.
const reserve = (w: ElementwiseExports, end: number): Float32Array => {
  const have = w.memory.buffer.byteLength
  if (end > have) w.memory.grow(Math.ceil((end - have) / 65536))
  if (heap.buffer !== w.memory.buffer) heap = new Float32Array(w.memory.buffer)
  return heap
}

/**
 * o[i] = a[i] (op) b[i] on equal-length float32 arrays, in a fresh array. Call only when
 * `elementwiseWasmAvailable`.
 * @category internals
 */
export const binaryWasm = (op: WasmBinaryOp, a: Float32Array, b: Float32Array): Float32Array => {
  const w = wasm!
  const n = a.length
  const pa = base
  const pb = align(pa + 4 * n)
  const h = reserve(w, align(pb + 4 * n))
  h.set(a, pa >> 2)
  h.set(b, pb >> 2)
  w[op](pa, pb, pa, n)
  return h.slice(pa >> 2, (pa >> 2) + n)
}

/**
 * A row broadcast on float32, in a fresh array of rows · m: with `rowOnRight`,
 * o[r·m + j] = a[r·m + j] (op) b[j] (a bias: `b` has length m); otherwise
 * o[r·m + j] = a[j] (op) b[r·m + j]. Call only when `elementwiseWasmAvailable`.
 * @category internals
 */
export const binaryRowsWasm = (op: WasmBinaryOp, a: Float32Array, b: Float32Array, rows: number, m: number, rowOnRight: boolean): Float32Array => {
  const w = wasm!
  const n = rows * m
  const pa = base
  const pb = align(pa + 4 * a.length)
  const h = reserve(w, align(pb + 4 * b.length))
  h.set(a, pa >> 2)
  h.set(b, pb >> 2)
  // the output overwrites the full-size operand, never the repeated row
  const po = rowOnRight ? pa : pb
  if (op === 'add') w.addRows(pa, pb, po, rows, m, rowOnRight ? m : 0, rowOnRight ? 0 : m)
  else if (op === 'sub') w.subRows(pa, pb, po, rows, m, rowOnRight ? m : 0, rowOnRight ? 0 : m)
  else if (op === 'mul') w.mulRows(pa, pb, po, rows, m, rowOnRight ? m : 0, rowOnRight ? 0 : m)
  else w.divRows(pa, pb, po, rows, m, rowOnRight ? m : 0, rowOnRight ? 0 : m)
  return h.slice(po >> 2, (po >> 2) + n)
}

/**
 * o[i] = op(a[i]) on float32, in a fresh array. Call only when `elementwiseWasmAvailable`.
 * @category internals
 */
export const unaryWasm = (op: WasmUnaryOp, a: Float32Array): Float32Array => {
  const w = wasm!
  const n = a.length
  const pa = base
  const h = reserve(w, align(pa + 4 * n))
  h.set(a, pa >> 2)
  w[op](pa, pa, n)
  return h.slice(pa >> 2, (pa >> 2) + n)
}
