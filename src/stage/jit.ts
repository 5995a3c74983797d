/**
 * `jit(f)`: `f` compiled once per input signature and run from then on as one planned program.
 *
 * Contract:
 * 1. The first call with a given signature (the arguments' tree structure, every leaf's shape
 *    and dtype) traces `f` (`trace.ts`) and lowers the program (`lower.ts`); later calls with the
 *    same signature run the compiled program and never call `f`. The cache is local to the jitted
 *    function (nothing global): `stats()` says how many programs it compiled.
 * 2. A compiled call returns what `f` returns (the same tree of fresh tensors), with the values
 *    of the eager `f` bit for bit (see `lower.ts`).
 * 3. Transparent to the other transformations: when a leaf of the arguments is a tracer (an
 *    enclosing `grad`, `vjp`, `jvp` or `trace`), the call is `f` itself, so `grad(jit(f))`
 *    differentiates `f` and `jit(grad(f))` compiles the backward program.
 * 4. Because the program is traced once, `f` must not read its values' numbers (a
 *    `StagingError` says where) and must not depend on anything but its arguments and the
 *    tensors it closes over (those are constants of the program, read once when it compiles).
 * 5. Numbers among the arguments (an optimizer state's step count) are neither part of the
 *    signature nor constants of the program (`jitNumbers.ts`): while `f` is traced each is a
 *    marker that throws a `StagingError` when read as a number, and only code that asks the
 *    marker for host computations reads it (`optim.applyGradients`: the learning rate at the
 *    count and Adam's bias corrections become scalar inputs of the program, computed in
 *    JavaScript on every call, and the next count a number of the result). So
 *    `jit((params, optState, x, y) => ...applyGradients(opt, g, optState, params)...)` compiles
 *    once and serves every step, with the numbers of the eager step.
 * 6. A call with the last signature walks its arguments without building a string; a top-level
 *    argument that is the very value of the previous call and frozen throughout (as parameter
 *    trees are) is not walked again, and the program does not copy an input array it copied last
 *    time (`lower.ts`): immutable values passed again cost nothing.
 */
import { isTracer } from '../autodiff/trace.js'
import { type Tensor, isTensor } from '../tensor/index.js'
import { type Tree, TreeError, flatten, unflatten } from '../tree/index.js'
import { evaluate } from './evaluate.js'
import { lower } from './lower.js'
import type { Program } from './Program.js'
import type { TreeDef } from '../tree/index.js'
import { trace } from './trace.js'
import { type JitValue, holdsNumber, jitNumbers } from './jitNumbers.js'

/**
 * What a jitted function has done so far. @category model
 * @example
 * ```ts
 * const f = jit((x: Tensor) => ops.tanh(x))
 * f(tensor([1]))
 * const stats: JitStats = f.stats() // { compiles: 1, calls: 1 }
 * ```
 */
export interface JitStats {
  /** Programs traced and compiled: one per distinct input signature. */
  readonly compiles: number
  /** Calls that ran a compiled program (not counting calls under another transformation). */
  readonly calls: number
}

/**
 * The sum of the statistics of several jitted functions (the programs a compiled optimizer or
 * training step keeps, one per signature). @category internals
 * @example
 * ```ts
 * const double = jit((x: Tensor) => ops.mul(x, 2))
 * double(tensor([1]))
 * const total: JitStats = sumStats([double, double]) // { compiles: 2, calls: 2 }
 * ```
 */
export const sumStats = (runs: Iterable<{ readonly stats: () => JitStats }>): JitStats => {
  let compiles = 0, calls = 0
  for (const r of runs) {
    const s = r.stats()
    compiles += s.compiles
    calls += s.calls
  }
  return { compiles, calls }
}

/**
 * A jitted function: `f`'s signature, and its statistics. @category model
 * @example
 * ```ts
 * const f: Jitted<[Tensor], Tensor> = jit((x: Tensor) => ops.exp(x))
 * ```
 */
export type Jitted<In extends ReadonlyArray<JitValue>, Out extends JitValue> = ((...args: In) => Out) & {
  readonly stats: () => JitStats
}

interface Compiled {
  /** The program's results from its argument leaves. */
  readonly run: (leaves: ReadonlyArray<Tensor>) => Tensor[]
  readonly outTree: TreeDef
  /** The signature it was compiled for, in the form `matches` checks. */
  readonly guard: Guard
}

// A signature as data: the arguments' structure and each leaf's dtype and shape.
interface Guard {
  readonly root: TreeNode
  readonly dtypes: ReadonlyArray<string>
  readonly shapes: ReadonlyArray<ReadonlyArray<number>>
}

type TreeNode = TreeDef['root']

// The signature of a call: the structure of the argument list and each leaf's dtype and shape.
const signature = (def: TreeDef, leaves: ReadonlyArray<Tensor>): string => {
  let s = JSON.stringify(def.root)
  for (const l of leaves) s += `|${l.dtype}[${l.shape.join(',')}]`
  return s
}

// The same signature, checked without building it: `args` has the structure `def` describes
// (arrays of the same lengths, records of the same keys in the same order) and leaf i is a tensor
// (not a tracer) of dtype `dtypes[i]` and shape `shapes[i]`; the leaves are pushed to `out` in
// flatten's order. A false here sends the call down the full path (flatten, string signature).
const matches = (node: TreeNode, u: unknown, guard: Guard, out: Tensor[]): boolean => {
  if (node.kind === 'leaf') {
    if (!isTensor(u) || isTracer(u)) return false
    const i = out.length
    if (u.dtype !== guard.dtypes[i]) return false
    const want = guard.shapes[i]!, have = u.shape
    if (have.length !== want.length) return false
    for (let d = 0; d < want.length; d++) if (have[d] !== want[d]) return false
    out.push(u)
    return true
  }
  if (typeof u !== 'object' || u === null || isTensor(u)) return false
  const items = node.items
  if (node.kind === 'array') {
    if (!Array.isArray(u) || u.length !== items.length) return false
    for (let i = 0; i < items.length; i++) if (!matches(items[i]!, (u as ReadonlyArray<unknown>)[i], guard, out)) return false
    return true
  }
  if (Array.isArray(u)) return false
  const keys = Object.keys(u), want = node.keys
  if (keys.length !== want.length) return false
  for (let i = 0; i < want.length; i++) {
    if (keys[i] !== want[i] || !matches(items[i]!, (u as Readonly<Record<string, unknown>>)[want[i]!], guard, out)) return false
  }
  return true
}

// Whether every array and record of a tree is frozen (its tensors are immutable anyway).
const deeplyFrozen = (u: object): boolean => {
  if (isTensor(u)) return true
  if (!Object.isFrozen(u)) return false
  for (const v of Object.values(u)) if (typeof v === 'object' && v !== null && !deeplyFrozen(v)) return false
  return true
}

// The program lowered, or interpreted by `evaluate` (the eager kernels, the same numbers) where
// the engine refuses to generate code: a page whose Content-Security-Policy lacks 'unsafe-eval'
// makes `new Function` throw an EvalError, and training there must still run.
const compile = (program: Program): Compiled['run'] => {
  try {
    return lower(program).run
  } catch (e) {
    if (!(e instanceof EvalError)) throw e
    const run = evaluate(program)
    return (leaves) => flatten(run(...(unflatten(program.inTree, leaves) as ReadonlyArray<Tree>)), 'jit (results)')[0]
  }
}

/**
 * Compiles `f` (see the file's contract): `jit(f)(...args)` equals `f(...args)`, traced and
 * lowered on the first call per signature and run as a planned program afterwards.
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(2, 8), nn.tanh, nn.dense(8, 1))
 * type Params = ReturnType<typeof net.init>
 * const step = jit((params: Params, x: Tensor, y: Tensor) => valueAndGrad((p: Params) => losses.mse(net.apply(p)(x), y))(params))
 * const [loss, grads] = step(net.init(random.key(0)), zeros([16, 2]), zeros([16, 1]))
 * ```
 * @category staging
 */
export const jit = <In extends ReadonlyArray<JitValue>, Out extends JitValue>(f: (...args: In) => Out): Jitted<In, Out> => {
  const cache = new Map<string, Compiled>()
  let compiles = 0
  let calls = 0
  // the entry that ran last: a loop calls with one signature, checked here without a string
  let last: Compiled | undefined
  // the programs of calls whose arguments hold numbers (point 5), made on the first such call
  let numbered: ReturnType<typeof jitNumbers<In, Out>> | undefined
  // Per top-level argument of the last fast call: the value, and its leaves when the whole
  // argument (every array and record in it) was frozen. A frozen tree cannot change and tensors
  // are immutable, so the same frozen value passed again (a network's parameters, call after call)
  // has the same leaves, and its walk is skipped. Reset whenever `last` changes.
  let memoArgs: unknown[] = []
  let memoLeaves: Array<ReadonlyArray<Tensor> | undefined> = []
  const fastLeaves = (c: Compiled, args: ReadonlyArray<unknown>): Tensor[] | undefined => {
    const root = c.guard.root
    if (root.kind !== 'array' || root.items.length !== args.length) return undefined
    const out: Tensor[] = []
    for (let i = 0; i < args.length; i++) {
      const a = args[i], memo = memoLeaves[i]
      if (memo !== undefined && a === memoArgs[i]) {
        for (const l of memo) out.push(l)
        continue
      }
      const from = out.length
      if (!matches(root.items[i]!, a, c.guard, out)) return undefined
      // remembered from its second call on: a value seen once (new parameters each training step)
      // costs no frozenness check
      memoLeaves[i] = a === memoArgs[i] && typeof a === 'object' && a !== null && !isTensor(a) && deeplyFrozen(a) ? out.slice(from) : undefined
      memoArgs[i] = a
    }
    return out
  }
  const jitted = (...args: In): Out => {
    if (last !== undefined) {
      const fast = fastLeaves(last, args)
      if (fast !== undefined) {
        calls++
        const results = last.run(fast)
        return (last.outTree.root.kind === 'leaf' ? results[0] : unflatten(last.outTree, results)) as Out
      }
    }
    if (numbered !== undefined && holdsNumber(args)) return numbered(args)
    let leaves: Tensor[], def: TreeDef
    try {
      [leaves, def] = flatten(args as unknown as Tree, 'jit (arguments)')
    } catch (e) {
      if (e instanceof TreeError) {
        if (holdsNumber(args)) return (numbered ??= jitNumbers(f))(args)
        throw new TypeError(`${e.message}. A jitted function takes trees of tensors (tensors, arrays and records of them); close over numbers and other values, or pass a number as a tensor (scalar(x))`)
      }
      throw e
    }
    for (const l of leaves) if (isTracer(l)) return f(...args)
    const sig = signature(def, leaves)
    let c = cache.get(sig)
    if (c === undefined) {
      // no numbers among the arguments here (those calls take `numbered`): the arguments are trees
      const program = trace(f as unknown as (...xs: ReadonlyArray<Tree>) => Tree)(...(args as unknown as ReadonlyArray<Tree>))
      c = { run: compile(program), outTree: program.outTree, guard: { root: def.root, dtypes: leaves.map((l) => l.dtype), shapes: leaves.map((l) => l.shape.slice()) } }
      cache.set(sig, c)
      compiles++
    }
    calls++
    if (last !== c) { memoArgs = []; memoLeaves = [] }
    last = c
    return unflatten(c.outTree, c.run(leaves)) as Out
  }
  return Object.assign(jitted, {
    stats: (): JitStats => {
      const n = numbered?.stats() ?? { compiles: 0, calls: 0 }
      return { compiles: compiles + n.compiles, calls: calls + n.calls }
    },
  })
}
