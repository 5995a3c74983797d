/**
 * `jit` of a call whose arguments hold numbers besides tensors (a training step's optimizer
 * state, whose step count is a number): the numbers are not part of the signature and not
 * constants of the program. While the function is traced each number is a `HostNumber` marker
 * (`hostNumbers.ts`); the code that reads one (`optim.applyGradients`) asks for scalar inputs
 * and result numbers computed in JavaScript on every call, so one program serves every call
 * (every step) and gives the numbers of the eager function. Numbers of the result that are not
 * markers are constants of the program (they cannot depend on a marker, which cannot be read).
 *
 * A call: the arguments' numbers are taken out (each replaced by an empty record), the rest is
 * flattened and checked against the programs compiled so far (the signature of `jit.ts` plus the
 * numbers' paths); the host computations run on the call's numbers, the program on the tensor
 * leaves and the scalar inputs, and the result numbers are put back at their paths.
 */
import { isTracer } from '../autodiff/trace.js'
import { type Tensor, isTensor } from '../tensor/index.js'
import { type Tree, type TreeDef, flatten, unflatten } from '../tree/index.js'
import { evaluate } from './evaluate.js'
import { type HostNumber, type HostRecord, hostSession, isHostNumber, runHost } from './hostNumbers.js'
import { lower } from './lower.js'
import type { Atom, Program, Var } from './Program.js'
import { trace } from './trace.js'

type Step = string | number

/**
 * What a jitted function takes and returns: trees of tensors, with numbers among them (`jit.ts`
 * point 5), as an optimizer's state holds its step count. @category staging
 * @example
 * ```ts
 * const args: JitValue = [{ w: tensor([1]) }, { count: 3 }]
 * ```
 */
export type JitValue = Tensor | number | ReadonlyArray<JitValue> | { readonly [key: string]: JitValue }

const isPlain = (u: unknown): u is object => typeof u === 'object' && u !== null && !isHostNumber(u) && !isTensor(u) && (Array.isArray(u) || Object.getPrototypeOf(u) === Object.prototype)

const pathText = (path: ReadonlyArray<Step>): string => path.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('')

/**
 * Whether a jit's arguments hold a number (anywhere in their records and arrays). @category internals
 */
export const holdsNumber = (u: unknown): boolean => typeof u === 'number' || (isPlain(u) && Object.values(u).some(holdsNumber))

// The arguments with every number replaced by an empty record (a node with no leaves), and the numbers and their paths.
const strip = (u: unknown, numbers: number[], paths: string[], path: Step[]): unknown => {
  if (typeof u === 'number') {
    numbers.push(u)
    paths.push(pathText(path))
    return Object.freeze({})
  }
  if (!isPlain(u)) return u
  if (Array.isArray(u)) return u.map((v, i) => strip(v, numbers, paths, [...path, i]))
  return Object.fromEntries(Object.entries(u).map(([k, v]) => [k, strip(v, numbers, paths, [...path, k])]))
}

// The example arguments rebuilt from the traced leaves (`traced`, in the stripped structure) with a marker per number.
const restore = (u: unknown, traced: unknown, markers: Iterator<HostNumber>): unknown => {
  if (typeof u === 'number') return markers.next().value
  if (!isPlain(u)) return traced
  if (Array.isArray(u)) return Object.freeze(u.map((v, i) => restore(v, (traced as ReadonlyArray<unknown>)[i], markers)))
  return Object.freeze(Object.fromEntries(Object.entries(u).map(([k, v]) => [k, restore(v, (traced as Readonly<Record<string, unknown>>)[k], markers)])))
}

// A number of the result: a marker (computed per call) or a constant, at its path.
interface OutNumber {
  readonly path: ReadonlyArray<Step>
  readonly value: HostNumber | number
}

// The result with its numbers and markers replaced by empty records, recording them.
const stripResult = (u: unknown, out: OutNumber[], path: Step[]): unknown => {
  if (typeof u === 'number' || isHostNumber(u)) {
    out.push({ path: [...path], value: u })
    return Object.freeze({})
  }
  if (!isPlain(u)) return u
  if (Array.isArray(u)) return u.map((v, i) => stripResult(v, out, [...path, i]))
  return Object.fromEntries(Object.entries(u).map(([k, v]) => [k, stripResult(v, out, [...path, k])]))
}

// `u` with `value` at `path` (the nodes on the way copied and frozen).
const setAt = (u: unknown, path: ReadonlyArray<Step>, at: number, value: number): unknown => {
  if (at === path.length) return value
  const s = path[at]!
  if (Array.isArray(u)) return Object.freeze(u.map((v, i) => (i === s ? setAt(v, path, at + 1, value) : v)))
  const r = u as Readonly<Record<string, unknown>>
  return Object.freeze(Object.fromEntries(Object.keys(r).map((k) => [k, k === s ? setAt(r[k], path, at + 1, value) : r[k]])))
}

// The program with the host scalars' constants turned into inputs, appended after the arguments' leaves.
const withScalarInputs = (program: Program, stripped: ReadonlyArray<unknown>, examples: ReadonlyArray<Tensor>): Program => {
  const index = new Map<Tensor, number>(examples.map((t, i) => [t, i]))
  let next = 0
  for (const v of program.inputs) next = Math.max(next, v.id + 1)
  for (const eq of program.equations) next = Math.max(next, eq.out.id + 1)
  const vars: Var[] = examples.map((t) => Object.freeze({ kind: 'var', id: next++, shape: t.shape, dtype: t.dtype }))
  const swap = (a: Atom): Atom => (a.kind === 'const' && index.has(a.value) ? vars[index.get(a.value)!]! : a)
  return Object.freeze({
    inputs: Object.freeze([...program.inputs, ...vars]),
    inTree: flatten([...stripped, examples] as Tree, 'jit (arguments)')[1] as Program['inTree'],
    constants: Object.freeze(program.constants.filter((c) => !index.has(c.value))),
    equations: Object.freeze(program.equations.map((eq) => Object.freeze({ ...eq, inputs: Object.freeze(eq.inputs.map(swap)) }))),
    outputs: Object.freeze(program.outputs.map(swap)),
    outTree: program.outTree,
  })
}

// As jit.ts: lowered, or interpreted where the engine refuses to generate code (a CSP without 'unsafe-eval').
const compile = (program: Program): ((leaves: ReadonlyArray<Tensor>) => Tensor[]) => {
  try {
    return lower(program).run
  } catch (e) {
    if (!(e instanceof EvalError)) throw e
    const run = evaluate(program)
    return (leaves) => flatten(run(...(unflatten(program.inTree, leaves) as ReadonlyArray<Tree>)), 'jit (results)')[0]
  }
}

interface Entry {
  readonly run: (leaves: ReadonlyArray<Tensor>) => Tensor[]
  readonly outTree: TreeDef
  readonly host: HostRecord
  readonly numbers: ReadonlyArray<OutNumber>
}

/**
 * The jit of calls whose arguments hold numbers: its own programs, keyed by the tensor
 * signature and the numbers' paths. @category internals
 */
export const jitNumbers = <In extends ReadonlyArray<unknown>, Out>(f: (...args: In) => Out) => {
  const cache = new Map<string, Entry>()
  let compiles = 0
  let calls = 0
  const made = (args: In, stripped: ReadonlyArray<unknown>, numbers: ReadonlyArray<number>, paths: ReadonlyArray<string>): Entry => {
    const host = hostSession(numbers, paths)
    const out: OutNumber[] = []
    const g = (...traced: ReadonlyArray<Tree>): Tree => {
      const markers = host.inputs[Symbol.iterator]()
      const full = restore(args, traced, markers) as In
      return stripResult(f(...full), out, []) as Tree
    }
    const program = trace(g)(...(stripped as ReadonlyArray<Tree>))
    const examples = host.computations.flatMap((c) => (c.kind === 'scalars' ? c.example : []))
    const p = withScalarInputs(program, stripped, examples)
    return { run: compile(p), outTree: p.outTree, host, numbers: out }
  }
  const call = (args: In): Out => {
    const numbers: number[] = [], paths: string[] = []
    const stripped = strip(args, numbers, paths, []) as ReadonlyArray<unknown>
    const [leaves, def] = flatten(stripped as Tree, 'jit (arguments)')
    // under another transformation the call is f itself, numbers and all (jit.ts point 3)
    for (const l of leaves) if (isTracer(l)) return f(...args)
    let sig = JSON.stringify(def.root) + '#' + paths.join(',')
    for (const l of leaves) sig += `|${l.dtype}[${l.shape.join(',')}]`
    let e = cache.get(sig)
    if (e === undefined) {
      e = made(args, stripped, numbers, paths)
      cache.set(sig, e)
      compiles++
    }
    calls++
    const [scalars, values] = runHost(e.host, numbers)
    let result: unknown = unflatten(e.outTree, e.run([...leaves, ...scalars]))
    for (const n of e.numbers) result = setAt(result, n.path, 0, typeof n.value === 'number' ? n.value : values[n.value.id]!)
    return result as Out
  }
  return Object.assign(call, { stats: () => ({ compiles, calls }) })
}
