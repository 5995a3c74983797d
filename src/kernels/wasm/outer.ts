/**
 * Batched outer products in WebAssembly SIMD, written straight into the result's buffer: the
 * fast path of `kernels/batchedMatmul.ts` for inner dimension 1 (per-example weight gradients).
 *
 * Contract:
 * 1. `outerProducts` returns C (batch x m x n, C[e][i, j] = A[e, i] · B[e, j]) in a fresh
 *    Float32Array. As for the gemm (`./matmul.ts`), the inputs are copied into the module's one
 *    memory, the products computed there and copied out; the memory grows to fit the largest call.
 * 2. The products are bit-identical to the scalar float32 loop (one rounding of a·b each).
 * 3. `outerWasmAvailable` is false where the engine lacks WebAssembly SIMD; then nothing here may
 *    be called.
 * Measured on W1's per-example gradient (64 outer products of 784 x 128, 26 MB): the SIMD loop
 * takes about 1 ms and the copy out about 3, against 11 ms for the scalar TypeScript loop. A fresh
 * instance per call, whose memory would become the result without a copy, was far slower: the
 * first touch of a new WebAssembly memory's pages cost about 100 ms there.
 */
import { engineWasm, instantiateOrWhy } from './instantiate.js'
import { outerWasmBase64 } from './outer.generated.js'

interface OuterExports {
  readonly memory: { readonly buffer: ArrayBuffer; readonly grow: (pages: number) => number }
  readonly heapBase: () => number
  readonly outer: (a: number, b: number, c: number, batch: number, m: number, n: number) => void
}

// The one instance and its memory, reused by every call: module state justified as for the gemm
// (a call copies its inputs in and its result out before returning; nothing outlives a call).
const instantiated = instantiateOrWhy<OuterExports>(outerWasmBase64, engineWasm())
const wasm = instantiated.ok ? instantiated.exports : undefined

/** Whether the WebAssembly outer products can run here. @category kernels */
export const outerWasmAvailable: boolean = wasm !== undefined

// A view of the memory, replaced when growing detached the old buffer.
let heap = wasm === undefined ? new Float32Array(0) : new Float32Array(wasm.memory.buffer)

// Memories of wasm32 are at most 4 GiB; keep well below, as the gemm does.
const MAX_BYTES = 1 << 30

/** Whether `outerProducts` should take a product of these sizes. @category kernels */
export const outerWorthIt = (batch: number, m: number, n: number): boolean =>
  wasm !== undefined && batch * m * n >= 1 << 14 && 4 * (batch * m * n + batch * (m + n)) + 1024 < MAX_BYTES

const align = (x: number): number => (x + 63) & ~63

/**
 * C[e] = a_e ⊗ b_e for float32 A (batch x m) and B (batch x n); call only when `outerWorthIt`.
 * @category kernels
 */
export const outerProducts = (A: Float32Array, B: Float32Array, batch: number, m: number, n: number): Float32Array => {
  const w = wasm!
  const c = align(w.heapBase())
  const size = batch * m * n
  const a = align(c + 4 * size)
  const b = align(a + 4 * A.length)
  const end = b + 4 * B.length
  const have = w.memory.buffer.byteLength
  if (end > have) w.memory.grow(Math.ceil((end - have) / 65536))
  if (heap.buffer !== w.memory.buffer) heap = new Float32Array(w.memory.buffer)
  heap.set(A, a >> 2)
  heap.set(B, b >> 2)
  w.outer(a, b, c, batch, m, n)
  return heap.slice(c >> 2, (c >> 2) + size)
}
