/**
 * Both cores, opt-in and explicit: a pool of worker threads the caller creates and closes, and
 * `dataParallel`, which runs a function's batch in shards across it (each shard by the same
 * traced program, compiled by `jit` on each thread) and averages the results in a fixed order.
 * `parallel({ workers })` itself is in the entries (`purenet` for Node's worker_threads,
 * `purenet/browser` for Web Workers), because starting a thread is the platform's business.
 *
 * Laws (checked in parallel.test.ts):
 * 1. agreement: `dataParallel(pool, f, o)(...args)` equals `f(...args)` within float rounding
 *    when f's results are means over the batch (loss and gradient of a mean loss).
 * 2. determinism: the same inputs give bit-identical results, call after call and pool after pool.
 * 3. a pool of one thread gives `jit(f)`'s results bit for bit.
 */
export { type Pool, type ParallelOptions, type WorkerEndpoint, createPool } from './Pool.js'
export { type DataParallelOptions, dataParallel } from './dataParallel.js'
export { type ServePort, servePool } from './serve.js'
