/**
 * `parallel({ workers })` for Node: the pool's threads are `worker_threads` workers running
 * `poolWorkerNode.ts` (compiled to .js in the package; from the TypeScript sources, as under
 * vitest or tsx, the worker loads tsx's loader to run the .ts file).
 */
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import { type ParallelOptions, type Pool, type WorkerEndpoint, createPool } from './parallel/index.js'

const fromSource = import.meta.url.endsWith('.ts')
// tsx's loader API, which a worker started from the sources registers before importing a .ts file
const tsxApi = (): string => pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href

const spawn = (): WorkerEndpoint => {
  const worker = fromSource
    ? new Worker(`import(${JSON.stringify(tsxApi())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./poolWorkerNode.ts', import.meta.url).href)}) })`, { eval: true })
    : new Worker(new URL('./poolWorkerNode.js', import.meta.url))
  return {
    postMessage: (m) => worker.postMessage(m),
    onMessage: (listener) => void worker.on('message', listener),
    onError: (listener) => void worker.on('error', listener),
    terminate: async () => void (await worker.terminate()),
  }
}

/**
 * A pool of `workers` threads (the caller's included; `workers - 1` worker threads are started)
 * for `dataParallel` and the `pool` option of `train.step`/`train.fit`. Close it when done
 * (`await pool.close()`, in a `finally`): open workers keep Node running.
 * @example
 * const pool = await parallel({ workers: 2 })
 * try { train.fit({ net, loss, optimizer, data, epochs: 3, batchSize: 64, key: key(0), pool }) }
 * finally { await pool.close() }
 * @category parallel
 */
export const parallel = (options: ParallelOptions): Promise<Pool> => createPool(options, spawn)
