/**
 * Compiling ahead: `ready()` compiles the module of compiled programs (`jit.as`: the gemm, the
 * element-wise maps and the fused backward rules on one memory, 5.3 KB) with the engine's
 * asynchronous `WebAssembly.compile`, so that a page's main thread, where some browsers refuse
 * to compile more than 4 KiB synchronously, gets the whole module for `jit` and not the gemm alone.
 *
 * Contract:
 * 1. `ready()` returns the same promise on every call (the compilation runs once per page, worker
 *    or process); it never rejects: where the engine has no asynchronous compile or refuses it,
 *    `jit` keeps compiling synchronously, as without `ready()`.
 * 2. Programs lowered after the promise resolved instantiate the compiled module (instantiating a
 *    compiled module is synchronous at any size); programs lowered before keep what they got.
 *    Values are the same either way: only which loops run differs.
 *
 * The compiled module is the one piece of state written here, once: like the eager gemm's
 * instance (`matmul.ts`), it is invisible, a function of constant bytes that changes no result.
 */
import { decode, engineWasm } from './instantiate.js'
import { jitWasmBase64 } from './jit.generated.js'

let compiledJit: object | undefined
let pending: Promise<void> | undefined

/** The module of `jit.as` once `ready()` compiled it, else undefined. @category internals */
export const precompiledJit = (): object | undefined => compiledJit

/**
 * Compiles purenet's larger WebAssembly module asynchronously, ahead of the first `jit` (and so
 * of `train.step`, `fit`, `fitAsync`): `await ready()` before training on a browser's main thread.
 * Resolves once, never rejects; harmless (and not needed) in Node and in workers.
 * @example
 * ```ts
 * await ready() // on a page's main thread, before the first jit or train.fit
 * const loss = jit((x: Tensor) => ops.sum(ops.square(x)))
 * ```
 * @category kernels
 */
export const ready = (): Promise<void> => {
  pending ??= (async () => {
    const api = engineWasm()
    if (api?.compile === undefined) return
    try {
      compiledJit = await api.compile(decode(jitWasmBase64))
    } catch {
      // no SIMD, or a Content-Security-Policy: the synchronous path reports why (activeKernels)
    }
  })()
  return pending
}
