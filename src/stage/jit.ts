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
 */
import { isTracer } from '../autodiff/trace.js'
import type { Tensor } from '../tensor/index.js'
import { type Tree, TreeError, flatten, unflatten } from '../tree/index.js'
import { evaluate } from './evaluate.js'
import { lower } from './lower.js'
import type { Program } from './Program.js'
import type { TreeDef } from '../tree/index.js'
import { trace } from './trace.js'

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
 * A jitted function: `f`'s signature, and its statistics. @category model
 * @example
 * ```ts
 * const f: Jitted<[Tensor], Tensor> = jit((x: Tensor) => ops.exp(x))
 * ```
 */
export type Jitted<In extends ReadonlyArray<Tree>, Out extends Tree> = ((...args: In) => Out) & {
  readonly stats: () => JitStats
}

interface Compiled {
  /** The program's results from its argument leaves. */
  readonly run: (leaves: ReadonlyArray<Tensor>) => Tensor[]
  readonly outTree: TreeDef
}

// The signature of a call: the structure of the argument list and each leaf's dtype and shape.
const signature = (def: TreeDef, leaves: ReadonlyArray<Tensor>): string => {
  let s = JSON.stringify(def.root)
  for (const l of leaves) s += `|${l.dtype}[${l.shape.join(',')}]`
  return s
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
export const jit = <In extends ReadonlyArray<Tree>, Out extends Tree>(f: (...args: In) => Out): Jitted<In, Out> => {
  const cache = new Map<string, Compiled>()
  let compiles = 0
  let calls = 0
  const jitted = (...args: In): Out => {
    let leaves: Tensor[], def: TreeDef
    try {
      [leaves, def] = flatten(args as unknown as Tree, 'jit (arguments)')
    } catch (e) {
      if (e instanceof TreeError) {
        throw new TypeError(`${e.message}. A jitted function takes trees of tensors (tensors, arrays and records of them); close over numbers and other values, or pass a number as a tensor (scalar(x))`)
      }
      throw e
    }
    for (const l of leaves) if (isTracer(l)) return f(...args)
    const sig = signature(def, leaves)
    let c = cache.get(sig)
    if (c === undefined) {
      const program = trace(f)(...args)
      c = { run: compile(program), outTree: program.outTree }
      cache.set(sig, c)
      compiles++
    }
    calls++
    return unflatten(c.outTree, c.run(leaves)) as Out
  }
  return Object.assign(jitted, { stats: (): JitStats => ({ compiles, calls }) })
}
