/**
 * How a pool (`Pool.ts`, the caller's thread) and its workers (`serve.ts`) talk. One message only,
 * `init`, goes by `postMessage` (while the pool is being created, asynchronously); after it, every
 * request and every answer goes through shared memory and `Atomics.wait`/`Atomics.notify`,
 * because the caller waits synchronously (a compiled step stays a plain function call) and a
 * browser delivers a blocked worker's `postMessage` to its own nested worker only when it returns
 * to its event loop (measured: a pool on messages hung in Chromium).
 *
 * Shared memory per worker:
 * - the control words (Int32Array): `REQUEST` (the caller's request count), `OP` and `ARG0..3` (the
 *   request), `DONE` (the last request the worker finished), `STATUS` (0 ok, 1 failed) and
 *   `ERROR_LENGTH` (the UTF-8 message's length in the error text buffer);
 * - the arena: a growable SharedArrayBuffer where the caller writes a program to load (as
 *   `encode`d JSON) and each loaded program's data (its input and output leaves, `Layout`).
 */
import type { DType } from '../tensor/index.js'

/** Index of the control word holding the last finished request. @category internals */
export const DONE = 0
/** Index of the control word holding the last request's status (0 ok, 1 failed). @category internals */
export const STATUS = 1
/** Index of the control word holding the error message's length in bytes. @category internals */
export const ERROR_LENGTH = 2
/** Index of the control word holding the caller's request count. @category internals */
export const REQUEST = 3
/** Index of the control word holding the request's operation. @category internals */
export const OP = 4
/** Index of the first of the request's four arguments. @category internals */
export const ARG = 5
/** Control words per worker. @category internals */
export const CONTROL_WORDS = 10
/** Bytes of the error text buffer. @category internals */
export const ERROR_BYTES = 4096

/** Operations: load a program (id, JSON offset, JSON length, data offset), run one (id, data offset), stop. @category internals */
export const LOAD = 1
/** @category internals */
export const RUN = 2
/** @category internals */
export const STOP = 3

/** Where a leaf lives in a program's data region (offset from the region's start). @category internals */
export interface Slot {
  readonly offset: number
  readonly shape: ReadonlyArray<number>
  readonly dtype: DType
}

/** A program's data region: its input and output leaves, in order. @category internals */
export interface Layout {
  readonly inputs: ReadonlyArray<Slot>
  readonly outputs: ReadonlyArray<Slot>
  readonly bytes: number
}

/** The one message by `postMessage`, from the pool to a worker. @category internals */
export interface Init {
  readonly type: 'init'
  readonly control: SharedArrayBuffer
  readonly errorText: SharedArrayBuffer
  readonly arena: SharedArrayBuffer
}

/** The one message from a worker to its pool: it is listening. @category internals */
export type Announcement = { readonly type: 'ready' }

const size = (shape: ReadonlyArray<number>): number => shape.reduce((a, b) => a * b, 1)

/** The layout of a program's leaves: each slot 8-byte aligned, inputs then outputs. @category internals */
export const layoutOf = (inputs: ReadonlyArray<Omit<Slot, 'offset'>>, outputs: ReadonlyArray<Omit<Slot, 'offset'>>): Layout => {
  let bytes = 0
  const place = (s: Omit<Slot, 'offset'>): Slot => {
    const slot = { offset: bytes, shape: [...s.shape], dtype: s.dtype }
    bytes += Math.ceil((size(s.shape) * (s.dtype === 'float64' ? 8 : 4)) / 8) * 8
    return slot
  }
  const ins = inputs.map(place)
  const outs = outputs.map(place)
  return { inputs: ins, outputs: outs, bytes: Math.max(bytes, 8) }
}

/** A typed view of a slot of the data region at byte `base` of the arena. @category internals */
export const viewOf = (arena: SharedArrayBuffer, base: number, slot: Slot): Float32Array | Float64Array =>
  slot.dtype === 'float64' ? new Float64Array(arena, base + slot.offset, size(slot.shape)) : new Float32Array(arena, base + slot.offset, size(slot.shape))

// JSON keeps neither typed arrays nor NaN, ±Infinity and -0: they travel as tagged objects.
const replacer = (_key: string, v: unknown): unknown => {
  if (v instanceof Float32Array) return { $t: 'f32', v: Array.from(v) }
  if (v instanceof Float64Array) return { $t: 'f64', v: Array.from(v) }
  if (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0))) return { $n: Object.is(v, -0) ? '-0' : String(v) }
  return v
}
const reviver = (_key: string, v: unknown): unknown => {
  if (typeof v !== 'object' || v === null) return v
  const r = v as { readonly $t?: string; readonly v?: number[]; readonly $n?: string }
  if (r.$n !== undefined) return r.$n === '-0' ? -0 : Number(r.$n)
  if (r.$t === 'f32') return Float32Array.from(r.v!)
  if (r.$t === 'f64') return Float64Array.from(r.v!)
  return v
}

/** A value as UTF-8 JSON bytes that keep typed arrays and non-finite numbers. @category internals */
export const encode = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value, replacer))

/** What `encode` wrote (read from shared memory: copied first, as TextDecoder wants). @category internals */
export const decode = (bytes: Uint8Array): unknown => JSON.parse(new TextDecoder().decode(bytes.slice()), reviver)
