/**
 * `parallel({ workers })` for browsers: the pool's threads are module Web Workers running
 * `poolWorkerBrowser.js` of the compiled package. Needs SharedArrayBuffer (a cross-origin
 * isolated page: `Cross-Origin-Opener-Policy: same-origin`, `Cross-Origin-Embedder-Policy:
 * require-corp`) and `Atomics.wait`, which browsers allow in workers only: create the pool inside
 * a Web Worker (the playground trains in one). Elsewhere `parallel` rejects with the reason;
 * `parallel({ workers: 1 })` works everywhere and runs on the calling thread.
 */
import { type ParallelOptions, type Pool, type WorkerEndpoint, createPool } from './parallel/index.js'

interface WebWorker {
  postMessage: (m: unknown) => void
  addEventListener: (type: 'message' | 'error', listener: (e: { readonly data?: unknown; readonly message?: string }) => void) => void
  terminate: () => void
}
// The global Worker of browsers (the project's type libraries have no DOM); spelt out as
// `new Worker(new URL(..., import.meta.url), { type: 'module' })` so bundlers (Vite, webpack 5)
// recognise the worker and bundle its module.
declare const Worker: new (url: URL, options: { readonly type: 'module' }) => WebWorker

const spawn = (): WorkerEndpoint => {
  if (typeof Worker === 'undefined') throw new Error('parallel: this environment has no Web Workers')
  const worker = new Worker(new URL('./poolWorkerBrowser.js', import.meta.url), { type: 'module' })
  return {
    postMessage: (m) => worker.postMessage(m),
    onMessage: (listener) => worker.addEventListener('message', (e) => listener(e.data as Parameters<typeof listener>[0])),
    onError: (listener) => worker.addEventListener('error', (e) => listener(new Error(e.message ?? 'the worker script failed to load'))),
    terminate: async () => worker.terminate(),
  }
}

// Browsers throw on Atomics.wait outside workers: a page's main thread has no WorkerGlobalScope.
const canWait = (): boolean => typeof (globalThis as { readonly WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined'

/**
 * A pool of `workers` threads (the caller's included) made of Web Workers, for `dataParallel` and
 * the `pool` option of `train.step`/`train.fit`. Call it inside a Web Worker of a cross-origin
 * isolated page; close it when done (`await pool.close()`).
 * @category parallel
 */
export const parallel = async (options: ParallelOptions): Promise<Pool> => {
  if (options.workers > 1 && !canWait()) {
    throw new Error('parallel: a browser page\'s main thread cannot wait for workers (Atomics.wait is forbidden there); create the pool inside a Web Worker, or use parallel({ workers: 1 })')
  }
  return createPool(options, spawn)
}
