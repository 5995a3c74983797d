/**
 * How a compiled program (`lower.ts`) hands out its results: each call copies the result buffers
 * out of the program's memory into fresh memory of the caller's, as tensors.
 *
 * Contract:
 * 1. Immutability. A region of memory becomes a result's data once: it is written by the call
 *    that hands it out, before the tensor exists, and never again. Results are never views of the
 *    program's own memory (the next call overwrites that), so a tensor a user holds never changes,
 *    whatever later calls do (tested in `results.test.ts`).
 * 2. Few allocations. The results of a call are carved from an arena: one ArrayBuffer that serves
 *    `ARENA_CALLS` calls (at most `ARENA_BYTES` bytes, at least one call's results). A call takes
 *    the next unused region; when the arena is full, a fresh one replaces it (the old one lives on
 *    as long as a result in it does). So a batch-1 call allocates its typed-array views and
 *    tensors but, most of the time, no ArrayBuffer. The cost: a result held for long keeps the rest
 *    of its arena alive, at most `ARENA_BYTES` (64 KiB) or 256 calls' results, whichever is less.
 * 3. Each result's shape is one frozen array per program output, shared by the tensors of every
 *    call (a frozen array cannot change, so sharing it is safe), and each tensor is frozen, as
 *    `fromData` makes them.
 */
import type { Shape, Tensor } from '../tensor/index.js'

/** One result of a program: its buffer's index, shape, element count and dtype. @category internals */
export interface ResultSpec {
  readonly buffer: number
  readonly shape: Shape
  readonly size: number
  readonly f64: boolean
}

// An arena serves this many calls, within this many bytes (but always at least one call).
const ARENA_CALLS = 256
const ARENA_BYTES = 1 << 16

/**
 * The copy-out of a program's results (see the file's contract): `copy(views)` returns fresh
 * tensors holding the current values of `views[spec.buffer]` for each spec, in order.
 * @category internals
 */
export const resultCopier = (specs: ReadonlyArray<ResultSpec>): ((views: ReadonlyArray<Float32Array | Float64Array>) => Tensor[]) => {
  // byte offsets within a call's region; 8-byte steps keep every float64 view aligned
  let callBytes = 0
  const layout = specs.map((s) => {
    const at = callBytes
    callBytes += (s.size * (s.f64 ? 8 : 4) + 7) & ~7
    return { buffer: s.buffer, at, size: s.size, f64: s.f64, dtype: s.f64 ? ('float64' as const) : ('float32' as const), shape: Object.freeze(s.shape.slice()) }
  })
  const arenaBytes = Math.max(callBytes, Math.min(ARENA_BYTES, ARENA_CALLS * callBytes))
  let arena = new ArrayBuffer(0)
  let used = 0
  return (views) => {
    if (used + callBytes > arena.byteLength) {
      arena = new ArrayBuffer(arenaBytes)
      used = 0
    }
    const base = used
    used += callBytes
    const out: Tensor[] = new Array<Tensor>(layout.length)
    for (let i = 0; i < layout.length; i++) {
      const o = layout[i]!
      const d = o.f64 ? new Float64Array(arena, base + o.at, o.size) : new Float32Array(arena, base + o.at, o.size)
      d.set(views[o.buffer]!)
      // fromData's object, field for field (the same hidden class), with the shared frozen shape
      out[i] = Object.freeze({ dtype: o.dtype, shape: o.shape, size: o.size, data: d })
    }
    return out
  }
}
