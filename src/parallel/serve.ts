/**
 * The worker's side of a pool: `servePool(port)` answers the pool's requests (`protocol.ts`).
 * After the `init` message it waits on shared memory and never returns to its event loop: a
 * `LOAD` rebuilds a program from the wire (`wire.ts`) and compiles it with `jit`; a `RUN` reads
 * the program's input leaves from the arena, runs it and writes its result leaves back; each
 * answer is signalled with `Atomics.notify`. Everything a worker holds lives in this closure.
 */
import { type Jitted, evaluate, jit } from '../stage/index.js'
import { type Tensor, fromData } from '../tensor/index.js'
import type { Tree } from '../tree/index.js'
import { ARG, type Announcement, DONE, ERROR_LENGTH, type Init, LOAD, type Layout, OP, REQUEST, RUN, STATUS, STOP, decode, viewOf } from './protocol.js'
import { type WireProgram, fromWire } from './wire.js'

/** What a worker talks through: its side of the channel to the pool. @category internals */
export interface ServePort {
  readonly postMessage: (message: Announcement) => void
  readonly onMessage: (listener: (message: Init) => void) => void
}

interface Loaded {
  readonly run: Jitted<ReadonlyArray<Tensor>, Tree>
  readonly layout: Layout
}

/**
 * Serves a pool's requests until it stops the worker.
 * @category internals
 */
export const servePool = (port: ServePort): void => {
  port.onMessage((init) => {
    const control = new Int32Array(init.control)
    const errorText = new Uint8Array(init.errorText)
    const arena = init.arena
    const programs = new Map<number, Loaded>()
    const load = (id: number, at: number, length: number): void => {
      const { program, layout } = decode(new Uint8Array(arena, at, length)) as { readonly program: WireProgram; readonly layout: Layout }
      const run = evaluate(fromWire(program)) as unknown as (...leaves: ReadonlyArray<Tensor>) => Tree
      programs.set(id, { run: jit(run), layout })
    }
    const run = (id: number, base: number): void => {
      const p = programs.get(id)
      if (p === undefined) throw new RangeError(`parallel: a worker was asked to run program ${id}, which it never loaded`)
      const out = p.run(...p.layout.inputs.map((s) => fromData([...s.shape], viewOf(arena, base, s)))) as ReadonlyArray<Tensor>
      p.layout.outputs.forEach((s, i) => viewOf(arena, base, s).set(out[i]!.data))
    }
    let seen = Atomics.load(control, REQUEST)
    const serve = (): void => { for (;;) {
      Atomics.wait(control, REQUEST, seen)
      const seq = Atomics.load(control, REQUEST)
      if (seq === seen) continue
      seen = seq
      const op = Atomics.load(control, OP)
      if (op === STOP) return
      try {
        if (op === LOAD) load(control[ARG]!, control[ARG + 1]!, control[ARG + 2]!)
        else if (op === RUN) run(control[ARG]!, control[ARG + 1]!)
        else throw new RangeError(`parallel: a worker got an unknown request ${op}`)
        Atomics.store(control, STATUS, 0)
      } catch (e) {
        const text = new TextEncoder().encode(e instanceof Error ? `${e.name}: ${e.message}` : String(e)).subarray(0, errorText.length)
        errorText.set(text)
        Atomics.store(control, ERROR_LENGTH, text.length)
        Atomics.store(control, STATUS, 1)
      }
      Atomics.store(control, DONE, seq)
      Atomics.notify(control, DONE)
    } }
    // the pool waits for this before its first request; one turn of the event loop lets it leave
    port.postMessage({ type: 'ready' })
    setTimeout(serve, 0)
  })
}
