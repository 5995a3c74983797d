/**
 * `dataParallel(pool, f, { batched })`: `f` run on shards of its batch, one shard per thread of
 * the pool, each compiled by `jit` (the caller's shard) or by the worker from the same traced
 * program (the others), and the shards' results combined as a mean weighted by shard size.
 *
 * Contract:
 * 1. `f`'s result leaves must be means over the examples of the batch (the leading axis of
 *    every leaf of every argument marked `batched`): the loss of a mean loss and its gradient
 *    are. Then `dataParallel(pool, f)(...args)` equals `f(...args)` up to float rounding (the
 *    sums over the batch are split in shards), within 1e-5 relative in float32 for the networks
 *    of the tests.
 * 2. Deterministic: the batch is cut in the same shards every time (sizes differ by at most one,
 *    larger first; shard 0 on the caller's thread) and the results are added in shard order,
 *    so the same inputs give bit-identical outputs whatever the workers' timing.
 * 3. One program per shard signature, traced once (as `jit`) and sent to the workers once; the
 *    parameters and the shard go through shared memory at every call, the results come back so.
 * 4. A batch smaller than the pool, or a pool of one thread, runs `jit(f)` on the caller's thread.
 */
import { type Jitted, type Program, jit, trace } from '../stage/index.js'
import { type Data, type Tensor, fromData } from '../tensor/index.js'
import { type Tree, type TreeDef, flatten, unflatten } from '../tree/index.js'
import type { Loaded, Pool } from './Pool.js'
import { type Slot, layoutOf, viewOf } from './protocol.js'
import { toWire } from './wire.js'

/**
 * Options of `dataParallel`. @category parallel
 * @example
 * ```ts
 * // f(params, xs, ys): the parameters whole on every thread, xs and ys split along the batch axis
 * const options: DataParallelOptions = { batched: [false, true, true] }
 * ```
 */
export interface DataParallelOptions {
  /** For each argument of `f`, whether it is batched (split along the leading axis of its leaves). */
  readonly batched: ReadonlyArray<boolean>
}

interface Sharded {
  readonly outTree: TreeDef
  readonly remote: Loaded | undefined
}

const slotOf = (shape: ReadonlyArray<number>, dtype: Tensor['dtype']): Omit<Slot, 'offset'> => ({ shape, dtype })

// Rows [start, start + count) of a tensor along its leading axis, as a view.
const rows = (t: Tensor, start: number, count: number): Tensor => {
  const row = t.shape.slice(1).reduce((a, b) => a * b, 1)
  return fromData([count, ...t.shape.slice(1)], t.data.subarray(start * row, (start + count) * row) as Data)
}

/**
 * `f` on shards of its batch across the pool's threads, the results averaged by shard size
 * (see the file's contract).
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(2, 8), nn.tanh, nn.dense(8, 1))
 * type Params = ReturnType<typeof net.init>
 * const [params, x, y] = [net.init(random.key(0)), random.normal(random.key(1), [64, 2]), zeros([64, 1])]
 * const pool = await parallel({ workers: 2 })
 * try {
 *   const lossAndGrad = dataParallel(pool, (p: Params, xs: Tensor, ys: Tensor) => valueAndGrad((q: Params) => losses.mse(net.apply(q)(xs), ys))(p), { batched: [false, true, true] })
 *   const [loss, grads] = lossAndGrad(params, x, y)
 * } finally { await pool.close() }
 * ```
 * @category parallel
 */
export const dataParallel = <In extends ReadonlyArray<Tree>, Out extends Tree>(pool: Pool, f: (...args: In) => Out, options: DataParallelOptions): Jitted<In, Out> => {
  const local = jit(f)
  const cache = new Map<string, Sharded>()
  let compiles = 0
  let calls = 0
  const run = (...args: In): Out => {
    if (args.length !== options.batched.length) {
      throw new RangeError(`dataParallel: the function takes ${args.length} arguments but options.batched has ${options.batched.length} entries; give one boolean per argument`)
    }
    const flat = args.map((a, i) => flatten(a, `dataParallel (argument ${i})`))
    const batchSizes = new Set(flat.flatMap(([ls], i) => (options.batched[i] === true ? ls.map((l) => l.shape[0] ?? -1) : [])))
    if (batchSizes.size !== 1 || batchSizes.has(-1)) {
      throw new RangeError(`dataParallel: every leaf of a batched argument needs the same leading (batch) axis; found leading sizes ${[...batchSizes].map((s) => (s === -1 ? 'none (a scalar)' : s)).join(', ') || 'none (no batched argument)'}`)
    }
    const n = [...batchSizes][0]!
    const threads = Math.min(pool.workers, n)
    if (threads <= 1) return local(...args)
    const sizes = Array.from({ length: threads }, (_, j) => Math.floor(n / threads) + (j < n % threads ? 1 : 0))
    const starts = sizes.map((_, j) => sizes.slice(0, j).reduce((a, b) => a + b, 0))
    const shardArgs = (j: number): In =>
      args.map((a, i) => (options.batched[i] === true ? unflatten(flat[i]![1], flat[i]![0].map((l) => rows(l, starts[j]!, sizes[j]!))) : a)) as unknown as In
    const shards = sizes.map((_, j) => shardArgs(j))
    const remotes: Sharded[] = shards.slice(1).map((s) => {
      const [leaves, def] = flatten(s as unknown as Tree, 'dataParallel')
      const sig = JSON.stringify(def.root) + leaves.map((l) => `|${l.dtype}[${l.shape.join(',')}]`).join('')
      let c = cache.get(sig)
      if (c === undefined) {
        const program: Program = trace(f)(...s)
        const outSlots = program.outputs.map((o) => (o.kind === 'var' ? slotOf(o.shape, o.dtype) : slotOf(o.value.shape, o.value.dtype)))
        const layout = layoutOf(program.inputs.map((v) => slotOf(v.shape, v.dtype)), outSlots)
        c = { outTree: program.outTree, remote: pool.channel.load(toWire(program), layout) }
        cache.set(sig, c)
        compiles++
      }
      return c
    })
    // hand every worker its shard, compute shard 0 here, then collect in shard order
    remotes.forEach((r, w) => {
      const loaded = r.remote!
      const leaves = flatten(shards[w + 1] as unknown as Tree, 'dataParallel')[0]
      loaded.layout.inputs.forEach((s, i) => viewOf(loaded.data[w]!.arena, loaded.data[w]!.base, s).set(leaves[i]!.data))
      pool.channel.start(w, loaded)
    })
    const mine = local(...shards[0]!)
    const [acc, outDef] = flatten(mine, 'dataParallel (result)')
    // out = round(w0·mine) + round(w1·shard 1) + ..., each sum rounded in the leaf's dtype; the
    // first pass reads shard 0 and shard 1 together, so two threads cost one pass over the results
    const sums = acc.map((t) => (t.dtype === 'float64' ? new Float64Array(t.size) : new Float32Array(t.size)))
    remotes.forEach((r, w) => {
      pool.channel.wait(w)
      const loaded = r.remote!
      const weight = sizes[w + 1]! / n
      const w0 = sizes[0]! / n
      loaded.layout.outputs.forEach((s, i) => {
        const v = viewOf(loaded.data[w]!.arena, loaded.data[w]!.base, s)
        const out = sums[i]!
        const first = acc[i]!.data
        if (out instanceof Float32Array) {
          if (w === 0) for (let k = 0; k < out.length; k++) out[k] = Math.fround(w0 * first[k]!) + Math.fround(weight * v[k]!)
          else for (let k = 0; k < out.length; k++) out[k] = out[k]! + Math.fround(weight * v[k]!)
        } else if (w === 0) for (let k = 0; k < out.length; k++) out[k] = w0 * first[k]! + weight * v[k]!
        else for (let k = 0; k < out.length; k++) out[k] = out[k]! + weight * v[k]!
      })
    })
    calls++
    return unflatten(outDef, sums.map((d, i) => fromData([...acc[i]!.shape], d))) as Out
  }
  return Object.assign(run, { stats: () => ({ compiles: compiles + local.stats().compiles, calls }) })
}
