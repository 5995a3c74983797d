/**
 * The messages between a pool (`Pool.ts`, the caller's thread) and its workers (`serve.ts`), and
 * the layout of the shared memory they use. A request is a `postMessage`; its answer is written
 * to shared memory and signalled with `Atomics.notify`, so the caller waits synchronously
 * (`Atomics.wait`) and a compiled step stays a plain function call.
 *
 * The control words (an Int32Array over a SharedArrayBuffer, one per worker):
 * - `DONE`: the sequence number of the last request the worker finished;
 * - `STATUS`: 0 when it succeeded, 1 when it failed (the message is in the error text buffer,
 *   UTF-8, its length in `ERROR_LENGTH`).
 */
import type { DType } from '../tensor/index.js'
import type { WireProgram } from './wire.js'

/** Index of the control word holding the last finished request. @category internals */
export const DONE = 0
/** Index of the control word holding the last request's status (0 ok, 1 failed). @category internals */
export const STATUS = 1
/** Index of the control word holding the error message's length in bytes. @category internals */
export const ERROR_LENGTH = 2
/** Control words per worker. @category internals */
export const CONTROL_WORDS = 4
/** Bytes of the error text buffer. @category internals */
export const ERROR_BYTES = 4096

/** Where a leaf lives in a program's shared data buffer. @category internals */
export interface Slot {
  readonly offset: number
  readonly shape: ReadonlyArray<number>
  readonly dtype: DType
}

/** The shared buffer of one loaded program: its input and output leaves, in order. @category internals */
export interface Layout {
  readonly inputs: ReadonlyArray<Slot>
  readonly outputs: ReadonlyArray<Slot>
  readonly bytes: number
}

/** A message from the pool to a worker. @category internals */
export type Request =
  | { readonly type: 'init'; readonly control: SharedArrayBuffer; readonly errorText: SharedArrayBuffer }
  | { readonly type: 'load'; readonly seq: number; readonly id: number; readonly program: WireProgram; readonly data: SharedArrayBuffer; readonly layout: Layout }
  | { readonly type: 'run'; readonly seq: number; readonly id: number }

/** A message from a worker to its pool (the only one: it is listening). @category internals */
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

/** A typed view of a slot in a shared buffer. @category internals */
export const viewOf = (data: SharedArrayBuffer, slot: Slot): Float32Array | Float64Array =>
  slot.dtype === 'float64' ? new Float64Array(data, slot.offset, size(slot.shape)) : new Float32Array(data, slot.offset, size(slot.shape))
