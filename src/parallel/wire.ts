/**
 * A `Program` as plain data that crosses a worker boundary (`postMessage`), and back.
 *
 * A program's equations hold their primitive records, which are functions and cannot be cloned;
 * on the wire each is its name, and the receiving side takes the record of that name from the
 * same table of primitives (`autodiff/primitives/table.ts`). This is the one place primitives are
 * looked up by name, because a worker's module graph has its own copies of the records.
 *
 * Law: `fromWire(toWire(p))` has p's inputs, constants (the same numbers), equations (the same
 * primitives, parameters and variables) and outputs; its argument list and result are flat lists
 * of leaves (the trees are the caller's business).
 */
import { primitives } from '../autodiff/primitives/table.js'
import type { AnyRules } from '../autodiff/PrimitiveRules.js'
import type { Atom, Const, Equation, Program, Var } from '../stage/index.js'
import { type DType, fromData } from '../tensor/index.js'
import { type Tree, flatten } from '../tree/index.js'

/** A variable on the wire. @category internals */
export interface WireVar {
  readonly id: number
  readonly shape: ReadonlyArray<number>
  readonly dtype: DType
}

/** An atom on the wire: a variable or a constant, by id. @category internals */
export interface WireAtom {
  readonly kind: 'var' | 'const'
  readonly id: number
}

/** A program as structured-cloneable data. @category internals */
export interface WireProgram {
  readonly inputs: ReadonlyArray<WireVar>
  readonly constants: ReadonlyArray<{ readonly id: number; readonly shape: ReadonlyArray<number>; readonly data: Float32Array | Float64Array }>
  readonly equations: ReadonlyArray<{ readonly prim: string; readonly params: unknown; readonly inputs: ReadonlyArray<WireAtom>; readonly out: WireVar }>
  readonly outputs: ReadonlyArray<WireAtom>
}

const byName: ReadonlyMap<string, AnyRules> = new Map(Object.values(primitives).map((p) => [p.name, p as AnyRules]))

const wireVar = (v: Var): WireVar => ({ id: v.id, shape: [...v.shape], dtype: v.dtype })
const wireAtom = (a: Atom): WireAtom => ({ kind: a.kind, id: a.id })

/**
 * The program as data for `postMessage`. Throws a TypeError naming the primitive when an
 * equation's primitive is not in the table (a primitive made outside purenet's table cannot be
 * rebuilt in a worker) or its static parameters cannot be cloned.
 * @category internals
 */
export const toWire = (program: Program): WireProgram => ({
  inputs: program.inputs.map(wireVar),
  constants: program.constants.map((c) => ({ id: c.id, shape: [...c.value.shape], data: c.value.data.slice() })),
  equations: program.equations.map((e: Equation) => {
    if (byName.get(e.prim.name) !== e.prim) {
      throw new TypeError(`parallel: the primitive '${e.prim.name}' is not in purenet's table of primitives, so a worker cannot rebuild it; run this function without a pool`)
    }
    let params: unknown
    try {
      params = structuredClone(e.params)
    } catch (err) {
      throw new TypeError(`parallel: the static parameters of '${e.prim.name}' cannot be sent to a worker (${err instanceof Error ? err.message : String(err)}); run this function without a pool`)
    }
    return { prim: e.prim.name, params, inputs: e.inputs.map(wireAtom), out: wireVar(e.out) }
  }),
  outputs: program.outputs.map(wireAtom),
})

/**
 * The program a `WireProgram` describes, with flat argument and result lists (one leaf each).
 * @category internals
 */
export const fromWire = (w: WireProgram): Program => {
  const vars = new Map<number, Var>()
  const defineVar = (v: WireVar): Var => {
    const made: Var = Object.freeze({ kind: 'var', id: v.id, shape: Object.freeze([...v.shape]), dtype: v.dtype })
    vars.set(v.id, made)
    return made
  }
  const inputs = w.inputs.map(defineVar)
  const constants: Const[] = w.constants.map((c) => Object.freeze({ kind: 'const', id: c.id, value: fromData([...c.shape], c.data) }))
  const consts = new Map(constants.map((c) => [c.id, c]))
  const atom = (a: WireAtom): Atom => {
    const found = a.kind === 'var' ? vars.get(a.id) : consts.get(a.id)
    if (found === undefined) throw new RangeError(`parallel: a program sent to a worker reads ${a.kind} ${a.id}, which it does not define`)
    return found
  }
  const equations: Equation[] = w.equations.map((e) => {
    const prim = byName.get(e.prim)
    if (prim === undefined) throw new RangeError(`parallel: a program sent to a worker uses the primitive '${e.prim}', unknown to this worker's purenet (the page and the worker must load the same version)`)
    const ins = e.inputs.map(atom)
    return Object.freeze({ prim, params: e.params, inputs: ins, out: defineVar(e.out) })
  })
  const outputs = w.outputs.map(atom)
  const leafList = (n: number): Tree => Array.from({ length: n }, () => fromData([], new Float32Array(1)))
  return Object.freeze({
    inputs,
    inTree: flatten(leafList(inputs.length))[1],
    constants,
    equations,
    outputs,
    outTree: flatten(leafList(outputs.length))[1],
  }) as unknown as Program
}
