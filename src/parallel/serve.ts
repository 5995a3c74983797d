/**
 * The worker's side of a pool: `servePool(port)` answers the pool's requests (`protocol.ts`).
 * A `load` rebuilds a program from the wire (`wire.ts`) and compiles it with `jit`; a `run`
 * reads the program's input leaves from the shared buffer, runs it and writes its result leaves
 * back, then signals the pool. Everything a worker holds lives in this call's closure.
 */
import { type Jitted, evaluate, jit } from '../stage/index.js'
import { type Tensor, fromData } from '../tensor/index.js'
import type { Tree } from '../tree/index.js'
import { type Announcement, CONTROL_WORDS, DONE, ERROR_LENGTH, type Layout, type Request, STATUS, viewOf } from './protocol.js'
import { fromWire } from './wire.js'

/** What a worker talks through: its side of the channel to the pool. @category internals */
export interface ServePort {
  readonly postMessage: (message: Announcement) => void
  readonly onMessage: (listener: (message: Request) => void) => void
}

interface Loaded {
  readonly run: Jitted<ReadonlyArray<Tensor>, Tree>
  readonly data: SharedArrayBuffer
  readonly layout: Layout
}

/**
 * Serves a pool's requests on `port` until the pool terminates the worker.
 * @category internals
 */
export const servePool = (port: ServePort): void => {
  let control: Int32Array<ArrayBufferLike> = new Int32Array(CONTROL_WORDS)
  let errorText: Uint8Array<ArrayBufferLike> = new Uint8Array(0)
  const programs = new Map<number, Loaded>()
  const finish = (seq: number, error: unknown): void => {
    if (error === undefined) Atomics.store(control, STATUS, 0)
    else {
      const text = new TextEncoder().encode(error instanceof Error ? `${error.name}: ${error.message}` : String(error)).subarray(0, errorText.length)
      errorText.set(text)
      Atomics.store(control, ERROR_LENGTH, text.length)
      Atomics.store(control, STATUS, 1)
    }
    Atomics.store(control, DONE, seq)
    Atomics.notify(control, DONE)
  }
  const load = (r: Extract<Request, { type: 'load' }>): void => {
    const program = fromWire(r.program)
    const run = evaluate(program) as unknown as (...leaves: ReadonlyArray<Tensor>) => Tree
    programs.set(r.id, { run: jit(run), data: r.data, layout: r.layout })
  }
  const run = (r: Extract<Request, { type: 'run' }>): void => {
    const p = programs.get(r.id)
    if (p === undefined) throw new RangeError(`parallel: a worker was asked to run program ${r.id}, which it never loaded`)
    const inputs = p.layout.inputs.map((s) => fromData([...s.shape], viewOf(p.data, s)))
    const out = p.run(...inputs) as ReadonlyArray<Tensor>
    p.layout.outputs.forEach((s, i) => viewOf(p.data, s).set(out[i]!.data))
  }
  port.onMessage((r) => {
    if (r.type === 'init') {
      control = new Int32Array(r.control)
      errorText = new Uint8Array(r.errorText)
      return
    }
    try {
      if (r.type === 'load') load(r)
      else run(r)
      finish(r.seq, undefined)
    } catch (e) {
      finish(r.seq, e)
    }
  })
  port.postMessage({ type: 'ready' })
}
