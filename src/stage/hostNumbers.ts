/**
 * Numbers among the arguments of a jitted function (an optimizer state's step count, passed in
 * with the state): while `jit` traces, each such number is a `HostNumber`, a marker that cannot
 * be read as a number, so the program cannot depend on its value by accident. Code that knows
 * how to use such a number without baking it into the program (`optim.applyGradients`: the
 * learning rate at the count, Adam's bias corrections) asks the marker's session for
 *
 * - scalar inputs (`scalars`): scalar tensors computed in JavaScript from this call's numbers on
 *   every call, and given to the program as inputs (the program is traced with their values at
 *   the example call; those constants become inputs), and
 * - result numbers (`numbers`): numbers of the result computed in JavaScript from this call's
 *   numbers (the next step count), put in place of their markers in the result of every call.
 *
 * So one program serves every call whatever the numbers are, and its numbers are those of the
 * eager function whose host computations ran on the same numbers. Nothing is global: a session
 * belongs to one trace, and its markers carry it to the code that reads them.
 *
 * Contract:
 * 1. A marker read as a number (arithmetic, comparison, a template string) throws a
 *    `StagingError` naming its argument path and the fix.
 * 2. A host computation is a pure function of the numbers it reads through `read`; it runs once
 *    per call, in the order the computations were asked for (a later one may read the numbers of
 *    an earlier one).
 */
import { type DType, type Tensor, isTensor, scalar } from '../tensor/index.js'
import { StagingError } from './StagingError.js'

const tag: unique symbol = Symbol('purenet.hostNumber')

/** Substitutes this call's numbers for the markers in a value (records and arrays copied where they hold one). @category staging */
export type HostRead = <T>(value: T) => T

/** A number argument of a jitted function, or a number of its result, while the function is traced. @category staging */
export interface HostNumber {
  readonly [tag]: HostSession
  /** Its place among the session's numbers (the arguments' first, then those of results). */
  readonly id: number
  /** Where it is: the argument path, or the computation that makes it. */
  readonly where: string
}

/** A host computation of scalar inputs, as the jit records it. @category internals */
export interface HostScalars {
  readonly kind: 'scalars'
  readonly compute: (read: HostRead) => ReadonlyArray<number>
  readonly dtype: DType
  /** The tensors of the example call: constants of the traced program, turned into its inputs. */
  readonly example: ReadonlyArray<Tensor>
}

/** A host computation of result numbers, as the jit records it. @category internals */
export interface HostResults {
  readonly kind: 'numbers'
  readonly compute: (read: HostRead) => ReadonlyArray<number>
  /** The ids of its markers. */
  readonly ids: ReadonlyArray<number>
}

/** The host side of one trace: its markers and the computations asked of it, in order. @category staging */
export interface HostSession {
  /** Scalar inputs of the program computed from this call's numbers (see the file's comment). */
  readonly scalars: (compute: (read: HostRead) => ReadonlyArray<number>, dtype: DType) => ReadonlyArray<Tensor>
  /** Numbers of the result computed from this call's numbers, as markers to put in the result. */
  readonly numbers: (compute: (read: HostRead) => ReadonlyArray<number>, where: string) => ReadonlyArray<HostNumber>
  /** The numbers of the example call (the trace), for code that needs an example value. */
  readonly read: HostRead
}

/**
 * Whether a value is a `HostNumber`. @category staging
 * @example
 * ```ts
 * isHostNumber(3) // false
 * ```
 */
export const isHostNumber = (u: unknown): u is HostNumber => typeof u === 'object' && u !== null && tag in u

// A record or array to walk into (not a tensor, not a marker, not a class instance).
const plain = (u: unknown): u is object =>
  typeof u === 'object' && u !== null && !isHostNumber(u) && !isTensor(u) && (Array.isArray(u) || Object.getPrototypeOf(u) === Object.prototype)

/**
 * The session of the first marker in a value (through records and arrays), or undefined when it
 * holds none. @category staging
 * @example
 * ```ts
 * hostSessionOf({ count: 0 }) // undefined: no marker (not inside a jit trace)
 * ```
 */
export const hostSessionOf = (u: unknown): HostSession | undefined => {
  if (isHostNumber(u)) return u[tag]
  if (!plain(u)) return undefined
  for (const v of Object.values(u)) {
    const s = hostSessionOf(v)
    if (s !== undefined) return s
  }
  return undefined
}


/** A copy of `u` with `f` applied to its markers (frozen, as the states that hold them). */
const mapMarkers = <T>(u: T, f: (m: HostNumber) => unknown): T => {
  if (isHostNumber(u)) return f(u) as T
  if (!plain(u)) return u
  if (Array.isArray(u)) return Object.freeze(u.map((v) => mapMarkers(v, f))) as T
  return Object.freeze(Object.fromEntries(Object.entries(u).map(([k, v]) => [k, mapMarkers(v, f)]))) as T
}

/**
 * The plain numbers of a value, in the order of its records' keys and arrays (markers skipped). @category staging
 * @example
 * ```ts
 * numbersIn([{ count: 1, mu: tensor([0]) }, { count: 2 }]) // [1, 2]
 * ```
 */
export const numbersIn = (u: unknown): number[] => {
  const out: number[] = []
  const go = (v: unknown): void => {
    if (typeof v === 'number') out.push(v)
    else if (plain(v)) for (const w of Object.values(v)) go(w)
  }
  go(u)
  return out
}

/**
 * `u` with its plain numbers replaced, in the order of `numbersIn`, by `values`. @category staging
 * @example
 * ```ts
 * withNumbers([{ count: 1 }, { count: 2 }], [5, 6]) // [{ count: 5 }, { count: 6 }]
 * ```
 */
export const withNumbers = <T>(u: T, values: ReadonlyArray<unknown>): T => {
  let i = 0
  const go = (v: unknown): unknown => {
    if (typeof v === 'number') return values[i++]
    if (!plain(v)) return v
    if (Array.isArray(v)) return Object.freeze(v.map(go))
    return Object.freeze(Object.fromEntries(Object.entries(v).map(([k, w]) => [k, go(w)])))
  }
  return go(u) as T
}

/** What a traced session recorded, for the jit that runs it. @category internals */
export interface HostRecord {
  readonly session: HostSession
  /** The markers of the arguments' numbers, in the order the numbers were found. */
  readonly inputs: ReadonlyArray<HostNumber>
  readonly computations: ReadonlyArray<HostScalars | HostResults>
  /** How many markers (arguments' and results'). */
  readonly size: () => number
}

/**
 * A session for one trace, with one marker per number of the example call (`numbers`, found at
 * the argument paths `paths`). @category internals
 */
export const hostSession = (numbers: ReadonlyArray<number>, paths: ReadonlyArray<string>): HostRecord => {
  const values: number[] = [...numbers]
  const computations: Array<HostScalars | HostResults> = []
  const marker = (id: number, where: string): HostNumber => {
    const fail = (): never => {
      throw new StagingError(
        `jit: the number ${where} was read while the function was traced (as a number, or as an operand of an op). A number argument of a jitted function is not a constant of its program: ` +
          'only optim.applyGradients reads one (an optimizer state\'s step count). Pass other numbers as tensors (scalar(x)), or close over them',
      )
    }
    // read as a number, or taken for a tensor by an op (its dtype, shape or data), it says what to do
    const m = { [tag]: session, id, where, valueOf: fail, toString: fail, [Symbol.toPrimitive]: fail }
    for (const k of ['dtype', 'shape', 'size', 'data']) Object.defineProperty(m, k, { get: fail, enumerable: false })
    return Object.freeze(m)
  }
  const read: HostRead = (u) => mapMarkers(u, (m) => values[m.id])
  const session: HostSession = {
    read,
    scalars: (compute, dtype) => {
      const example = compute(read).map((v) => scalar(v, dtype))
      computations.push({ kind: 'scalars', compute, dtype, example })
      return example
    },
    numbers: (compute, where) => {
      const vs = compute(read)
      const ids = vs.map((v) => {
        values.push(v)
        return values.length - 1
      })
      computations.push({ kind: 'numbers', compute, ids })
      return ids.map((id) => marker(id, where))
    },
  }
  const inputs = numbers.map((_, i) => marker(i, `argument ${paths[i]}`))
  return { session, inputs, computations, size: () => values.length }
}

/**
 * Runs a session's computations for one call: the scalar inputs in order, and every marker's
 * number (the call's arguments' first). @category internals
 */
export const runHost = (record: HostRecord, numbers: ReadonlyArray<number>): readonly [Tensor[], number[]] => {
  const values: number[] = new Array<number>(record.size())
  for (let i = 0; i < numbers.length; i++) values[i] = numbers[i]!
  const read: HostRead = (u) => mapMarkers(u, (m) => values[m.id])
  const scalars: Tensor[] = []
  for (const c of record.computations) {
    const vs = c.compute(read)
    if (c.kind === 'scalars') for (const v of vs) scalars.push(scalar(v, c.dtype))
    else c.ids.forEach((id, i) => { values[id] = vs[i]! })
  }
  return [scalars, values]
}
