/**
 * Issue 4 §2, measured: would splitting a float32 matmul across both cores pay on this machine?
 * A prototype, not a library path: one `worker_threads` worker with its own instance of
 * purenet's WebAssembly gemm module computes the lower half of the rows of C while the main thread
 * computes the upper half with `kernels/wasm/matmul.ts`; the operands travel through
 * SharedArrayBuffers (the main thread copies the worker's block of op(A) and all of B in, and the
 * worker's rows of C out), the hand-off is an `Atomics.notify`/`Atomics.wait` pair, so the call
 * stays synchronous as purenet's kernels must. The table compares it with the one-thread kernel,
 * interleaved, on the products of W1, W2 and the kernel table.
 *
 *   npx tsx bench/parallel-matmul.ts [--quick]
 */
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import { gemmWasmBase64 } from '../src/kernels/wasm/gemm.generated.js'
import * as W from '../src/kernels/wasm/matmul.js'
import { machineLine, randomData } from './harness.js'

// The worker: plain JavaScript (evaluated, so no TypeScript loader is needed in the thread).
const workerSource = `
const { workerData } = require('node:worker_threads')
const w = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(workerData.b64, 'base64')), {}).exports
const ctrl = new Int32Array(workerData.ctrl)
const A = new Float32Array(workerData.a), B = new Float32Array(workerData.b), C = new Float32Array(workerData.c)
const align = (x) => (x + 63) & ~63
const base = align(w.SCRATCH_END.value)
let seen = 0
for (;;) {
  Atomics.wait(ctrl, 0, seen)
  seen = Atomics.load(ctrl, 0)
  if (ctrl[7] === 1) break
  const m = ctrl[2], k = ctrl[3], n = ctrl[4], ta = ctrl[5], tb = ctrl[6]
  const a = base, b = align(a + 4 * m * k), c = align(b + 4 * k * n), ap = align(c + 4 * m * n)
  const bp = align(ap + w.packedABytes(m, k)), end = bp + w.packedBBytes(k, n)
  const have = w.memory.buffer.byteLength
  if (end > have) w.memory.grow(Math.ceil((end - have) / 65536))
  const heap = new Float32Array(w.memory.buffer)
  heap.set(A.subarray(0, m * k), a >> 2)
  heap.set(B.subarray(0, k * n), b >> 2)
  w.gemm(a, b, c, m, k, n, ta, tb, ap, bp)
  C.set(heap.subarray(c >> 2, (c >> 2) + m * n))
  Atomics.store(ctrl, 1, seen)
  Atomics.notify(ctrl, 1)
}
`

const MAX = 1 << 20 // floats per shared operand (4 MiB): enough for 1024 x 1024 halves and B

interface Shared {
  readonly ctrl: Int32Array
  readonly sA: Float32Array
  readonly sB: Float32Array
  readonly sC: Float32Array
}

// Columns [c0, c1) of a k x m row-major matrix, as a contiguous k x (c1 - c0) matrix.
const columns = (A: Float32Array, k: number, m: number, c0: number, c1: number, out: Float32Array): Float32Array => {
  const w = c1 - c0
  for (let r = 0; r < k; r++) out.set(A.subarray(r * m + c0, r * m + c1), r * w)
  return out
}

/** C = op(A)·op(B), rows split between this thread and the worker. */
const gemm2 = ({ ctrl, sA, sB, sC }: Shared, A: Float32Array, B: Float32Array, m: number, k: number, n: number, ta: boolean, tb: boolean): Float32Array => {
  const m1 = m >> 1
  const m2 = m - m1
  if (ta) columns(A, k, m, m1, m, sA)
  else sA.set(A.subarray(m1 * k, m * k))
  sB.set(B)
  ctrl[2] = m2; ctrl[3] = k; ctrl[4] = n; ctrl[5] = ta ? 1 : 0; ctrl[6] = tb ? 1 : 0
  const seq = Atomics.add(ctrl, 0, 1) + 1
  Atomics.notify(ctrl, 0)
  const A1 = ta ? columns(A, k, m, 0, m1, new Float32Array(k * m1)) : A.subarray(0, m1 * k)
  const C1 = W.gemm(A1, B, m1, k, n, ta, tb)
  for (let done = Atomics.load(ctrl, 1); done !== seq; done = Atomics.load(ctrl, 1)) Atomics.wait(ctrl, 1, done)
  const C = new Float32Array(m * n)
  C.set(C1)
  C.set(sC.subarray(0, m2 * n), m1 * n)
  return C
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!

/** Prints the table: the two-thread prototype against the one-thread kernel, interleaved. */
export const runParallelMatmulBench = async (quick: boolean): Promise<void> => {
  const ctrlBuf = new SharedArrayBuffer(8 * 4)
  const buffers = { a: new SharedArrayBuffer(4 * MAX), b: new SharedArrayBuffer(4 * MAX), c: new SharedArrayBuffer(4 * MAX) }
  const sh: Shared = { ctrl: new Int32Array(ctrlBuf), sA: new Float32Array(buffers.a), sB: new Float32Array(buffers.b), sC: new Float32Array(buffers.c) }
  const ctrl = sh.ctrl
  const worker = new Worker(workerSource, { eval: true, workerData: { b64: gemmWasmBase64, ctrl: ctrlBuf, ...buffers } })
  try {
    console.log(`Two-thread matmul prototype against the one-thread WebAssembly kernel (${machineLine()})\n`)
    console.log('| product | one thread GFLOP/s median (min-max) | two threads GFLOP/s median (min-max) | two / one | max abs difference |')
    console.log('| --- | --- | --- | --- | --- |')
    const cases: Array<[string, number, number, number, boolean, boolean]> = [
      ['W1 forward x·w1 64x784·784x128 (NN)', 64, 784, 128, false, false],
      ['W1 dW1 = xᵀ·dh 784x64·64x128 (TN)', 784, 64, 128, true, false],
      ['W2 forward x·w1 256x784·784x512 (NN)', 256, 784, 512, false, false],
      ['W2 dW1 = xᵀ·dh 784x256·256x512 (TN)', 784, 256, 512, true, false],
      ['256x512·512x512 (NN)', 256, 512, 512, false, false],
      ['256x512·512x512 (NT)', 256, 512, 512, false, true],
      ...(quick ? [] : [['1024x1024·1024x1024 (NN)', 1024, 1024, 1024, false, false] as [string, number, number, number, boolean, boolean]]),
    ]
    for (const [name, m, k, n, ta, tb] of cases) {
      const A = randomData(m * k, 1)
      const B = randomData(k * n, 2)
      const one = (): Float32Array => W.gemm(A, B, m, k, n, ta, tb)
      const two = (): Float32Array => gemm2(sh, A, B, m, k, n, ta, tb)
      const r1 = one(), r2 = two()
      let diff = 0
      for (let i = 0; i < r1.length; i++) diff = Math.max(diff, Math.abs(r1[i]! - r2[i]!))
      const flops = 2 * m * k * n
      const reps = Math.max(1, Math.round(3e8 / flops))
      const t1: number[] = [], t2: number[] = []
      for (let s = 0; s < (quick ? 5 : 9); s++) {
        for (const [f, ts] of [[one, t1], [two, t2]] as const) {
          const t0 = performance.now()
          for (let i = 0; i < reps; i++) f()
          ts.push((performance.now() - t0) / reps)
        }
      }
      const g = (ms: number): string => (flops / ms / 1e6).toFixed(1)
      console.log(`| ${name} | ${g(median(t1))} (${g(Math.max(...t1))}-${g(Math.min(...t1))}) | ${g(median(t2))} (${g(Math.max(...t2))}-${g(Math.min(...t2))}) | ${(median(t1) / median(t2)).toFixed(2)}x | ${diff.toExponential(1)} |`)
    }
  } finally {
    ctrl[7] = 1
    Atomics.add(ctrl, 0, 1)
    Atomics.notify(ctrl, 0)
    await worker.terminate()
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runParallelMatmulBench(process.argv.includes('--quick'))
}
