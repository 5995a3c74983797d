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
import { CONTROL_WORDS, DONE, ERROR_BYTES, ERROR_LENGTH, type Layout, type Request, STATUS, type Announcement } from './protocol.js'
import type { WireProgram } from './wire.js'

/** Options of `parallel`. @category parallel */
export interface ParallelOptions {
  /** Threads that compute, the caller's included (at least 1; 2 uses both cores of a 2-core machine). */
  readonly workers: number
  /** How long a call waits for a worker before it throws, in milliseconds (default 120,000). */
  readonly timeoutMs?: number
}

/** One worker thread as the pool sees it: a message channel and a way to end it. @category internals */
export interface WorkerEndpoint {
  readonly postMessage: (message: Request) => void
  readonly onMessage: (listener: (message: Announcement) => void) => void
  readonly onError: (listener: (error: Error) => void) => void
  readonly terminate: () => Promise<void>
}

/** A program loaded into every worker of a pool: its id and each worker's shared data buffer. @category internals */
export interface Loaded {
  readonly id: number
  readonly layout: Layout
  readonly data: ReadonlyArray<SharedArrayBuffer>
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
  const endpoints: WorkerEndpoint[] = []
  const controls: Int32Array[] = []
  const texts: Uint8Array[] = []
  const seqs: number[] = []
  let closed = false
  let nextId = 0
  const close = async (): Promise<void> => {
    closed = true
    await Promise.all(endpoints.splice(0).map((e) => e.terminate()))
  }
  try {
    await Promise.all(Array.from({ length: workers - 1 }, () => new Promise<void>((resolve, reject) => {
      const e = spawn()
      endpoints.push(e)
      const control = new SharedArrayBuffer(CONTROL_WORDS * 4)
      const errorText = new SharedArrayBuffer(ERROR_BYTES)
      controls.push(new Int32Array(control))
      texts.push(new Uint8Array(errorText))
      seqs.push(0)
      e.onError(reject)
      e.onMessage((m) => { if (m.type === 'ready') resolve() })
      e.postMessage({ type: 'init', control, errorText })
    })))
  } catch (e) {
    await close()
    throw new Error(`parallel: a worker failed to start: ${e instanceof Error ? e.message : String(e)}`)
  }
  const live = (): void => {
    if (closed) throw new Error('parallel: this pool is closed; create another with parallel({ workers })')
  }
  const wait = (w: number): void => {
    const control = controls[w]!
    const want = seqs[w]!
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const done = Atomics.load(control, DONE)
      if (done === want) break
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`parallel: worker ${w + 1} did not answer within ${timeoutMs} ms; it may have crashed (close the pool and create another)`)
      Atomics.wait(control, DONE, done, left)
    }
    if (Atomics.load(control, STATUS) !== 0) {
      const text = new TextDecoder().decode(texts[w]!.slice(0, Atomics.load(control, ERROR_LENGTH)))
      throw new Error(`parallel: worker ${w + 1} failed: ${text}`)
    }
  }
  const send = (w: number, make: (seq: number) => Request): void => {
    seqs[w] = seqs[w]! + 1
    endpoints[w]!.postMessage(make(seqs[w]!))
  }
  const channel: PoolChannel = {
    load: (program, layout) => {
      live()
      const id = nextId++
      const data = endpoints.map(() => new SharedArrayBuffer(layout.bytes))
      data.forEach((d, w) => send(w, (seq) => ({ type: 'load', seq, id, program, data: d, layout })))
      data.forEach((_, w) => wait(w))
      return { id, layout, data }
    },
    start: (w, program) => {
      live()
      send(w, (seq) => ({ type: 'run', seq, id: program.id }))
    },
    wait: (w) => {
      live()
      wait(w)
    },
  }
  return Object.freeze({ workers, closed: () => closed, close, channel })
}
