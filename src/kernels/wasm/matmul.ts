/**
 * The WebAssembly SIMD float32 matmul: the fast path behind `kernels/matmul.ts`.
 *
 * Contract:
 * 1. `gemm` computes C = op(A) · op(B) for row-major float32 A, B and returns C in a fresh
 *    Float32Array; it never writes its inputs. The result agrees with the portable TypeScript
 *    kernel within float32 rounding (checked by `properties/kernels-wasm.test.ts`).
 * 2. `wasmAvailable` is false where the engine lacks WebAssembly SIMD (or WebAssembly at all);
 *    then nothing here may be called and callers use the portable kernel.
 * 3. No `dispose`: inputs are copied into the module's memory, the product is computed there and
 *    copied out, so tensors stay ordinary garbage-collected values. The memory grows to fit the
 *    largest product seen (WebAssembly memories cannot shrink) and is reused by every later call.
 *
 * The module is compiled synchronously from bytes embedded in `gemm.generated.ts` (built from
 * `gemm.as` by `scripts/build-wasm.mjs`), so importing purenet stays synchronous and needs no
 * file or network access; the module is under 4 KiB, the limit browsers put on synchronous
 * compilation on their main thread.
 */
import { gemmWasmBase64 } from './gemm.generated.js'
import { type ModuleStatus, engineWasm, instantiateOrWhy, statusOf } from './instantiate.js'
import { jitWasmBase64 } from './jit.generated.js'

interface GemmExports {
  readonly memory: { readonly buffer: ArrayBuffer; readonly grow: (pages: number) => number }
  readonly SCRATCH_END: { readonly value: number }
  readonly packedABytes: (m: number, k: number) => number
  readonly packedBBytes: (k: number, n: number) => number
  readonly gemm: (a: number, b: number, c: number, m: number, k: number, n: number, ta: number, tb: number, ap: number, bp: number) => void
}

// The one module instance, and with it the one growable memory all products are computed in.
// This is the only mutable state of the kernels, justified because it is invisible: a call copies
// its inputs in and its result out before returning, JavaScript runs one call at a time per realm
// (each worker gets its own instance), and the memory's contents never outlive a call.
const instantiated = instantiateOrWhy<GemmExports>(gemmWasmBase64, engineWasm())
const wasm = instantiated.ok ? instantiated.exports : undefined

/** Whether this module compiled, or why not (for `activeKernels`). @category internals */
export const gemmStatus: ModuleStatus = statusOf(instantiated)

/** Whether the WebAssembly SIMD matmul can run here. @category kernels */
export const wasmAvailable: boolean = wasm !== undefined

// The size below which copying the operands in and the result out would cost more than the SIMD
// kernel saves. Measured with `npm run bench:kernels -- --threshold` (Node 20, x64): the wasm path
// (copies and call included) beat the portable kernel at every size tried, down to 2x2·2x2, so
// every non-empty product goes to wasm. Kept as a constant for engines where calls cost more.
const MIN_MACS = 1
// Keep memory well below the 4 GiB a wasm32 memory can address (and the 2 GiB some engines allow).
const MAX_BYTES = 1 << 30

const align = (x: number): number => (x + 63) & ~63

// Where A starts: above the kernel's own scratch, cache-line aligned.
const base = wasm === undefined ? 0 : align(wasm.SCRATCH_END.value)

// A view of the module's memory, replaced only when growing the memory detached the old buffer
// (part of the module state justified above; saves an allocation per call on small products).
let heap = wasm === undefined ? new Float32Array(0) : new Float32Array(wasm.memory.buffer)

/**
 * Whether a float32 product of these dimensions should go to the WebAssembly kernel: it is
 * available, the product is large enough to pay for the copies, and it fits the memory limit.
 * @category kernels
 */
export const worthIt = (m: number, k: number, n: number): boolean =>
  wasm !== undefined && m > 0 && k > 0 && n > 0 && m * k * n >= MIN_MACS && 4 * (m * k + k * n + m * n) < MAX_BYTES

/**
 * C = op(A) · op(B) on float32 data with the WebAssembly SIMD kernel: A is m x k (k x m when
 * `transposeA`), B is k x n (n x k when `transposeB`), row-major; returns C, m x n, in a fresh
 * array. Call only when `wasmAvailable`; `worthIt(m, k, n)` says whether it is also faster.
 * @category kernels
 */
export const gemm = (A: Float32Array, B: Float32Array, m: number, k: number, n: number, transposeA: boolean, transposeB: boolean): Float32Array => {
  const w = wasm!
  // an empty product is zeros (k = 0) or nothing (m or n = 0); the kernel needs m, k, n > 0
  if (m === 0 || k === 0 || n === 0) return new Float32Array(m * n)
  // byte layout: scratch | A | B | C | packed A | packed B
  const a = base
  const b = align(a + 4 * m * k)
  const c = align(b + 4 * k * n)
  const ap = align(c + 4 * m * n)
  const bp = align(ap + w.packedABytes(m, k))
  const end = bp + w.packedBBytes(k, n)
  const have = w.memory.buffer.byteLength
  if (end > have) w.memory.grow(Math.ceil((end - have) / 65536))
  if (heap.buffer !== w.memory.buffer) heap = new Float32Array(w.memory.buffer)
  heap.set(A, a >> 2)
  heap.set(B, b >> 2)
  w.gemm(a, b, c, m, k, n, transposeA ? 1 : 0, transposeB ? 1 : 0, ap, bp)
  return heap.slice(c >> 2, (c >> 2) + m * n)
}

/** A private instance of the gemm module, for a compiled program that plans its own buffers (`stage/lower.ts`). @category internals */
export interface GemmInstance {
  /** The instance's memory; it grows only when its owner calls `grow`. */
  readonly memory: { readonly buffer: ArrayBuffer; readonly grow: (pages: number) => number }
  /** The first byte above the kernel's own scratch, 64-byte aligned: where the owner's buffers may start. */
  readonly base: number
  /** C (m x n at byte address c) = op(A) · op(B), by byte addresses; m, k, n > 0; ap and bp hold `packedABytes` and `packedBBytes`. */
  readonly gemm: (a: number, b: number, c: number, m: number, k: number, n: number, ta: number, tb: number, ap: number, bp: number) => void
  readonly packedABytes: (m: number, k: number) => number
  readonly packedBBytes: (k: number, n: number) => number
  /**
   * The WebAssembly element-wise maps of `elementwise.as` on the same memory (o[i] = f(a[i]) for
   * i < n rounded up to whole vectors; byte addresses), or undefined where only the gemm module
   * could be compiled (a browser's main thread compiles at most 4 KiB synchronously).
   */
  readonly maps: { readonly [op in 'exp' | 'tanh' | 'sigmoid' | 'relu']: (a: number, o: number, n: number) => void } | undefined
  /**
   * The binary maps of `elementwise.as` on the same memory: `add(a, b, o, n)` (o[i] = a[i] + b[i])
   * and `addRows(a, b, o, rows, m, aRow, bRow)` (o[r·m + j] = a[r·aRow + j] + b[r·bRow + j]), and
   * the same for sub, mul and div; undefined where `maps` is.
   */
  readonly binaryMaps: {
    readonly [op in 'add' | 'sub' | 'mul' | 'div']: {
      readonly map: (a: number, b: number, o: number, n: number) => void
      readonly rows: (a: number, b: number, o: number, rows: number, m: number, aRow: number, bRow: number) => void
    }
  } | undefined
  /**
   * The kernels of `jit.as` on the same memory (byte addresses; lengths rounded up to whole
   * vectors): the activation backward rules `(d, y, o, n)` and `sumRows(a, o, rows, m)`, the sum
   * of `rows` rows of m; undefined where `maps` is.
   */
  readonly compiled: {
    readonly tanhBackward: (d: number, y: number, o: number, n: number) => void
    readonly sigmoidBackward: (d: number, y: number, o: number, n: number) => void
    readonly reluBackward: (d: number, x: number, o: number, n: number) => void
    readonly sumRows: (a: number, o: number, rows: number, m: number) => void
    /** `rowTimesMatrix(a, b, c, k, n)`: gemm's c = a · B for one row of a, without packing. */
    readonly rowTimesMatrix: (a: number, b: number, c: number, k: number, n: number) => void
  } | undefined
}

interface JitExports extends GemmExports {
  readonly tanhBackward: (d: number, y: number, o: number, n: number) => void
  readonly sigmoidBackward: (d: number, y: number, o: number, n: number) => void
  readonly reluBackward: (d: number, x: number, o: number, n: number) => void
  readonly sumRows: (a: number, o: number, rows: number, m: number) => void
  readonly rowTimesMatrix: (a: number, b: number, c: number, k: number, n: number) => void
  readonly heapBase: () => number
  readonly exp: (a: number, o: number, n: number) => void
  readonly tanh: (a: number, o: number, n: number) => void
  readonly sigmoid: (a: number, o: number, n: number) => void
  readonly relu: (a: number, o: number, n: number) => void
  readonly add: (a: number, b: number, o: number, n: number) => void
  readonly sub: (a: number, b: number, o: number, n: number) => void
  readonly mul: (a: number, b: number, o: number, n: number) => void
  readonly div: (a: number, b: number, o: number, n: number) => void
  readonly addRows: (a: number, b: number, o: number, rows: number, m: number, aRow: number, bRow: number) => void
  readonly subRows: (a: number, b: number, o: number, rows: number, m: number, aRow: number, bRow: number) => void
  readonly mulRows: (a: number, b: number, o: number, rows: number, m: number, aRow: number, bRow: number) => void
  readonly divRows: (a: number, b: number, o: number, rows: number, m: number, aRow: number, bRow: number) => void
}

/**
 * A fresh instance of the WebAssembly SIMD gemm with a memory of its own, or undefined where
 * WebAssembly SIMD is missing. Unlike `gemm` above, nothing is copied: the caller places the
 * operands in the instance's memory and calls the kernel by address, so a compiled program
 * (`jit`) keeps its buffers there from one call to the next. The instance is the caller's
 * state, not the module's: the shared instance of the eager path is never touched.
 * @category internals
 */
// A module's exports, or undefined where it cannot be instantiated (the eager loaders report why).
const exportsOf = <T>(b64: string): T | undefined => {
  const i = instantiateOrWhy<T>(b64, engineWasm())
  return i.ok ? i.exports : undefined
}

export const gemmInstance = (): GemmInstance | undefined => {
  const j = exportsOf<JitExports>(jitWasmBase64)
  if (j !== undefined) {
    const maps = Object.freeze({ exp: j.exp, tanh: j.tanh, sigmoid: j.sigmoid, relu: j.relu })
    const binaryMaps = Object.freeze({
      add: { map: j.add, rows: j.addRows }, sub: { map: j.sub, rows: j.subRows }, mul: { map: j.mul, rows: j.mulRows }, div: { map: j.div, rows: j.divRows },
    })
    return Object.freeze({ memory: j.memory, base: align(Math.max(j.SCRATCH_END.value, j.heapBase())), gemm: j.gemm, packedABytes: j.packedABytes, packedBBytes: j.packedBBytes, maps, binaryMaps,
      compiled: Object.freeze({ tanhBackward: j.tanhBackward, sigmoidBackward: j.sigmoidBackward, reluBackward: j.reluBackward, sumRows: j.sumRows, rowTimesMatrix: j.rowTimesMatrix }) })
  }
  const w = exportsOf<GemmExports>(gemmWasmBase64)
  if (w === undefined) return undefined
  return Object.freeze({ memory: w.memory, base: align(w.SCRATCH_END.value), gemm: w.gemm, packedABytes: w.packedABytes, packedBBytes: w.packedBBytes, maps: undefined, binaryMaps: undefined, compiled: undefined })
}
