/**
 * A pool of worker threads for a compiled step's data-parallel work: the caller creates it
 * (`parallel({ workers: 2 })` from `purenet`, or from `purenet/browser` inside a Web Worker),
 * passes it to `dataParallel` or to `train.step`/`train.fit` (`pool`), and closes it.
 *
 * Contract:
 * 1. `workers` counts the threads that compute, the caller's included: a pool of 2 starts one
 *    worker thread, and a step splits its batch in two, one shard on the caller's thread.
 * 2. Nothing is global: a pool is a value holding its workers; two pools never share anything.
 *    `close()` terminates its workers; using a closed pool throws.
 * 3. A call into a worker is synchronous for the caller: it posts a request and waits on shared
 *    memory (`Atomics.wait`), so a worker that stops answering makes the call throw after
 *    `timeoutMs` (default 120 s) rather than hang. Browsers forbid `Atomics.wait` on a page's main
 *    thread: there, create the pool inside a Web Worker.
 */
import { ARG, type Announcement, CONTROL_WORDS, DONE, ERROR_BYTES, ERROR_LENGTH, type Init, LOAD, type Layout, OP, REQUEST, RUN, STATUS, STOP, encode } from './protocol.js'
import type { WireProgram } from './wire.js'

/**
 * Options of `parallel`. @category parallel
 * @example
 * ```ts
 * const options: ParallelOptions = { workers: 2, timeoutMs: 60_000 }
 * const pool = await parallel(options)
 * await pool.close()
 * ```
 */
export interface ParallelOptions {
  /** Threads that compute, the caller's included (at least 1; 2 uses both cores of a 2-core machine). */
  readonly workers: number
  /** How long a call waits for a worker before it throws, in milliseconds (default 120,000). */
  readonly timeoutMs?: number
}

/** One worker thread as the pool sees it: a message channel and a way to end it. @category internals */
export interface WorkerEndpoint {
  readonly postMessage: (message: Init) => void
  readonly onMessage: (listener: (message: Announcement) => void) => void
  readonly onError: (listener: (error: Error) => void) => void
  readonly terminate: () => Promise<void>
}

/** A program loaded into every worker of a pool: its id, and each worker's data region (arena and byte offset). @category internals */
export interface Loaded {
  readonly id: number
  readonly layout: Layout
  readonly data: ReadonlyArray<{ readonly arena: SharedArrayBuffer; readonly base: number }>
}

/** The pool's machinery, for `dataParallel`. @category internals */
export interface PoolChannel {
  /** Sends a program to every worker and waits until each compiled it. */
  readonly load: (program: WireProgram, layout: Layout) => Loaded
  /** Asks worker `w` to run a loaded program on what its data buffer holds; returns at once. */
  readonly start: (w: number, program: Loaded) => void
  /** Waits until worker `w` finished its last request; throws its error. */
  readonly wait: (w: number) => void
}

/**
 * A pool of worker threads (see the file's contract).
 * @category parallel
 * @example
 * ```ts
 * const pool: Pool = await parallel({ workers: 2 })
 * try { console.log(pool.workers) } // 2: the caller's thread and one worker thread
 * finally { await pool.close() }
 * ```
 */
export interface Pool {
  /** Threads that compute, the caller's included. */
  readonly workers: number
  /** Whether `close` was called. */
  readonly closed: () => boolean
  /** Terminates the worker threads; the pool cannot be used afterwards. */
  readonly close: () => Promise<void>
  /** The machinery `dataParallel` uses. */
  readonly channel: PoolChannel
}

// A worker's arena may grow to this (reserved address space, not memory: pages are committed as written).
const ARENA_MAX = 1 << 30

// A growable SharedArrayBuffer (ES2024; the project's type library is ES2022).
const growable = (bytes: number, max: number): SharedArrayBuffer =>
  new (SharedArrayBuffer as unknown as new (n: number, o: { readonly maxByteLength: number }) => SharedArrayBuffer)(bytes, { maxByteLength: max })

const hasSharedMemory = (): boolean => typeof SharedArrayBuffer === 'function' && typeof Atomics === 'object'

/**
 * A pool over `workers - 1` threads made by `spawn` (each running `servePool`); resolves when
 * every worker is listening. Used by the Node and browser entries' `parallel`.
 * @category internals
 */
export const createPool = async (options: ParallelOptions, spawn: () => WorkerEndpoint): Promise<Pool> => {
  const { workers } = options
  if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`parallel: workers must be a whole number >= 1 (the threads that compute, the caller's included), got ${workers}`)
  if (workers > 1 && !hasSharedMemory()) {
    throw new Error('parallel: SharedArrayBuffer is not available here; in a browser the page must be cross-origin isolated (headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp), or use parallel({ workers: 1 })')
  }
  const timeoutMs = options.timeoutMs ?? 120_000
  interface Remote {
    readonly endpoint: WorkerEndpoint
    readonly control: Int32Array
    readonly text: Uint8Array
    readonly arena: SharedArrayBuffer
    top: number
    seq: number
  }
  const remotes: Remote[] = []
  let closed = false
  let nextId = 0
  const close = async (): Promise<void> => {
    if (!closed) for (const r of remotes) request(r, STOP, [])
    closed = true
    await Promise.all(remotes.splice(0).map((r) => r.endpoint.terminate()))
  }
  const request = (r: Remote, op: number, args: ReadonlyArray<number>): void => {
    r.seq++
    Atomics.store(r.control, OP, op)
    args.forEach((a, i) => Atomics.store(r.control, ARG + i, a))
    Atomics.store(r.control, REQUEST, r.seq)
    Atomics.notify(r.control, REQUEST)
  }
  // a region of a worker's arena, 64-byte aligned, growing the arena when needed
  const allocate = (r: Remote, bytes: number): number => {
    const at = Math.ceil(r.top / 64) * 64
    r.top = at + bytes
    const arena = r.arena as SharedArrayBuffer & { readonly grow?: (n: number) => void; readonly maxByteLength?: number }
    if (r.top > arena.byteLength) {
      if (arena.grow === undefined || r.top > (arena.maxByteLength ?? 0)) throw new RangeError(`parallel: a worker's shared memory cannot hold ${r.top} bytes (the limit is ${arena.maxByteLength ?? arena.byteLength}); use a smaller batch or no pool`)
      arena.grow(Math.min(arena.maxByteLength!, Math.max(r.top, 2 * arena.byteLength)))
    }
    return at
  }
  try {
    await Promise.all(Array.from({ length: workers - 1 }, () => new Promise<void>((resolve, reject) => {
      const endpoint = spawn()
      const control = new SharedArrayBuffer(CONTROL_WORDS * 4)
      const errorText = new SharedArrayBuffer(ERROR_BYTES)
      const arena = growable(1 << 20, ARENA_MAX)
      remotes.push({ endpoint, control: new Int32Array(control), text: new Uint8Array(errorText), arena, top: 0, seq: 0 })
      endpoint.onError(reject)
      endpoint.onMessage((m: Announcement) => { if (m.type === 'ready') resolve() })
      endpoint.postMessage({ type: 'init', control, errorText, arena })
    })))
  } catch (e) {
    closed = true
    await Promise.all(remotes.splice(0).map((r) => r.endpoint.terminate()))
    throw new Error(`parallel: a worker failed to start: ${e instanceof Error ? e.message : String(e)}`)
  }
  const live = (): void => {
    if (closed) throw new Error('parallel: this pool is closed; create another with parallel({ workers })')
  }
  const wait = (w: number): void => {
    const r = remotes[w]!
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const done = Atomics.load(r.control, DONE)
      if (done === r.seq) break
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`parallel: worker ${w + 1} did not answer within ${timeoutMs} ms; it may have crashed (close the pool and create another)`)
      Atomics.wait(r.control, DONE, done, left)
    }
    if (Atomics.load(r.control, STATUS) !== 0) {
      const text = new TextDecoder().decode(r.text.slice(0, Atomics.load(r.control, ERROR_LENGTH)))
      throw new Error(`parallel: worker ${w + 1} failed: ${text}`)
    }
  }
  const channel: PoolChannel = {
    load: (program, layout) => {
      live()
      const id = nextId++
      const json = encode({ program, layout })
      const data = remotes.map((r) => {
        const base = allocate(r, layout.bytes)
        const at = allocate(r, json.length)
        new Uint8Array(r.arena, at, json.length).set(json)
        request(r, LOAD, [id, at, json.length])
        return { arena: r.arena, base }
      })
      remotes.forEach((_, w) => wait(w))
      return { id, layout, data }
    },
    start: (w, program) => {
      live()
      request(remotes[w]!, RUN, [program.id, program.data[w]!.base])
    },
    wait: (w) => {
      live()
      wait(w)
    },
  }
  return Object.freeze({ workers, closed: () => closed, close, channel })
}
