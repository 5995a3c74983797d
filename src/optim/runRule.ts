/**
 * The one generic loop that runs a leaf rule (`LeafRule.ts`) over the leaves of a tree, in two
 * modes: `update` (the outgoing updates and the next state, what a transformation's `update`
 * returns) and `apply` (the same state, and `params + updates` computed in the pass of the last
 * step, with a report of whether the gradients and everything new are finite). Both modes run
 * the same steps on the same arrays with the same rounding, so `applyUpdates(params, update(...))`
 * and `apply` agree to the bit. Nothing here knows an optimizer.
 *
 * Leaves are computed in the dtype of the updates: `Math.fround` after every operation when the
 * updates are float32, plain float64 arithmetic otherwise; moments keep their own dtype.
 */
import { isTracer } from '../autodiff/index.js'
import { cast, mul } from '../ops/index.js'
import { ShapeError, type Tensor, fromData, shapeEquals } from '../tensor/index.js'
import { type Tree, type TreeDef, flatten, leavesLike, unflatten } from '../tree/index.js'
import { type Floats, type Leaf, type LeafRule, type LeafStep, roundFloat32, roundFloat64 } from './LeafRule.js'

const alloc = (like: Floats, n: number): Floats => (like instanceof Float32Array ? new Float32Array(n) : new Float64Array(n))

const pathAt = (def: TreeDef, i: number): string => def.paths[i] || 'the root'

// The leaves of `tree` in the order of `def` (the structure of the leaves `ref`), checked: the
// same structure (else the `TreeError` of `tree.leavesLike`, naming the path) and the same shapes.
const leavesOf = (op: string, what: string, def: TreeDef, ref: ReadonlyArray<Tensor>, tree: unknown): Tensor[] => {
  const xs = leavesLike(def, tree, op)
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!
    if (!shapeEquals(x.shape, ref[i]!.shape)) {
      throw new ShapeError(`${op} at ${pathAt(def, i)}`, [ref[i]!.shape, x.shape], `the ${what} must have the shapes of the updates; pass the state that init returned for these parameters`)
    }
  }
  return xs
}

/** The leaves of one update, checked and ready for the loop, in the order of `def`. */
interface Prepared {
  readonly def: TreeDef
  readonly us: ReadonlyArray<Tensor>
  /** The parameters' leaves, or undefined when nothing reads them. */
  readonly ps: ReadonlyArray<Tensor> | undefined
  /** Per step, per moment, the moment's leaves. */
  readonly ms: ReadonlyArray<ReadonlyArray<ReadonlyArray<Tensor>>>
  /** Whether some leaf is traced (then the steps run as tensor ops, `MapStep.ops`). */
  readonly traced: boolean
}

const anyTraced = (xs: ReadonlyArray<Tensor>): boolean => {
  for (let i = 0; i < xs.length; i++) if (isTracer(xs[i]!)) return true
  return false
}

// The moments' leaves of every step, and the parameters' when a step reads them.
const prepare = (steps: ReadonlyArray<LeafStep>, def: TreeDef, us: ReadonlyArray<Tensor>, params: unknown, ps?: ReadonlyArray<Tensor>): Prepared => {
  const reader = steps.find((s) => s.kind === 'map' && s.readsParams)
  const pleaves = ps ?? (reader?.kind === 'map' ? leavesOf(reader.name, 'parameters', def, us, params) : undefined)
  const ms = steps.map((s) => (s.kind === 'map' ? s.moments.map((m) => leavesOf(s.name, 'state', def, us, m)) : []))
  const traced = anyTraced(us) || (pleaves !== undefined && anyTraced(pleaves)) || ms.some((step) => step.some(anyTraced))
  return { def, us, ps: pleaves, ms, traced }
}

// The leaf in `like`'s dtype (a step's tensor form may promote a float32 leaf with a float64 moment).
const asDType = (x: Tensor, like: Tensor): Tensor => (x.dtype === like.dtype ? x : cast(x, like.dtype))

// The steps as tensor ops (`MapStep.ops`), for traced leaves: the updates and the new moment
// trees, the same numbers as the loops give.
const runOps = <T extends Tree>(steps: ReadonlyArray<LeafStep>, prep: Prepared): readonly [T, Tree[][]] => {
  const outs: Tensor[] = []
  // per step, per moment, the new leaves
  const next: Tensor[][][] = steps.map((s) => (s.kind === 'map' ? s.moments.map(() => []) : []))
  for (let i = 0; i < prep.us.length; i++) {
    const g = prep.us[i]!
    let u = g
    steps.forEach((s, k) => {
      if (s.kind === 'scale') {
        u = mul(u, s.factor)
        return
      }
      const moments = prep.ms[k]!.map((m) => m[i]!)
      const r = s.ops({ u, p: prep.ps?.[i], moments })
      u = asDType(r.out, g)
      r.next.forEach((m, j) => next[k]![j]!.push(asDType(m, moments[j]!)))
    })
    outs.push(u)
  }
  return [unflatten(prep.def, outs) as T, next.map((ms) => ms.map((leaves) => unflatten(prep.def, leaves)))]
}

const emptyFloats = new Float64Array(0)

// out = round(u · f)
const scaleInto = (n: number, round: (x: number) => number, u: Floats, out: Floats, f: number): void => {
  for (let j = 0; j < n; j++) out[j] = round(u[j]! * f)
}

// Runs the first `count` steps on leaf `i`: the first reads `u0`, each writes `out` (the later
// ones in place) and its new moments. Returns the new moment arrays of each step.
const runSteps = (steps: ReadonlyArray<LeafStep>, count: number, prep: Prepared, i: number, u0: Floats, out: Floats, round: (x: number) => number): Floats[][] => {
  const n = u0.length
  const p = prep.ps?.[i]!.data ?? emptyFloats
  const written: Floats[][] = []
  let u = u0
  for (let k = 0; k < count; k++) {
    const s = steps[k]!
    if (s.kind === 'scale') {
      scaleInto(n, round, u, out, round(s.factor))
      written.push([])
    } else {
      const moments = prep.ms[k]!.map((m) => m[i]!.data)
      const next = moments.map((m) => alloc(m, n))
      const leaf: Leaf = { n, round, u, out, p, moments, next }
      s.run(leaf)
      written.push(next)
    }
    u = out
  }
  return written
}

// The new moment trees of every step, from the arrays each leaf's steps wrote.
const momentTrees = (steps: ReadonlyArray<LeafStep>, prep: Prepared, written: ReadonlyArray<ReadonlyArray<ReadonlyArray<Floats>>>): Tree[][] =>
  steps.map((s, k) =>
    s.kind === 'scale' ? [] : s.moments.map((_, j) => unflatten(prep.def, prep.ms[k]![j]!.map((x, i) => fromData(x.shape, written[i]![k]![j]!)))))

const roundOf = (u: Floats): ((x: number) => number) => (u instanceof Float32Array ? roundFloat32 : roundFloat64)

/**
 * `update` of a transformation that declares `rule`: the outgoing updates (in the updates'
 * structure and dtypes, frozen) and the next state. With no steps, the updates pass unchanged
 * (the same tree).
 * @category internals
 */
export const runUpdate = <T extends Tree, S>(rule: LeafRule<S>, updates: T, state: S, params: T): readonly [T, S] => {
  const { steps, end } = rule.begin(state)
  const [us, def] = flatten(updates, rule.name)
  const prep = prepare(steps, def, us, params)
  if (steps.length === 0) return [updates, end([])]
  if (prep.traced) {
    const [out, moments] = runOps<T>(steps, prep)
    return [out, end(moments)]
  }
  const outs: Tensor[] = []
  const written: Floats[][][] = []
  for (let i = 0; i < prep.us.length; i++) {
    const g = prep.us[i]!
    const out = alloc(g.data, g.size)
    written.push(runSteps(steps, steps.length, prep, i, g.data, out, roundOf(g.data)))
    outs.push(fromData(g.shape, out))
  }
  return [unflatten(def, outs), end(momentTrees(steps, prep, written))]
}

// What the last pass found: sums of x·0 over the gradient and over the new parameter, 0 when
// every element is finite and NaN otherwise (x·0 is NaN for NaN and ±Infinity, and a NaN stays
// in a sum).
interface Sums {
  readonly gradients: number
  readonly params: number
}

// o = round(p + round(u · f)): the last scale step (the learning rate; f = 1 when the rule does
// not end in one, and round(u · 1) = u) and the addition, in one loop with the sums. When no step
// ran before it, `u` is the gradient and is read once (plain SGD).
const addScaled = (n: number, round: (x: number) => number, p: Floats, u: Floats, f: number, g: Floats, o: Floats): Sums => {
  let bad = 0
  let badOut = 0
  if (u === g) {
    for (let j = 0; j < n; j++) {
      const v = g[j]!
      bad += v * 0
      const x = round(p[j]! + round(v * f))
      o[j] = x
      badOut += x * 0
    }
  } else {
    for (let j = 0; j < n; j++) {
      const x = round(p[j]! + round(u[j]! * f))
      o[j] = x
      bad += g[j]! * 0
      badOut += x * 0
    }
  }
  return { gradients: bad, params: badOut }
}

// the sum of m·0: 0 when every element is finite
const nonFinite = (m: Floats): number => {
  let bad = 0
  for (let j = 0; j < m.length; j++) bad += m[j]! * 0
  return bad
}

/**
 * What `apply` returns: new parameters and state, and what was finite. @category model
 * @example
 * ```ts
 * const opt = optim.sgd(0.1)
 * const params = { w: tensor([1]) }
 * const applied: optim.Applied<typeof params, optim.CountState> = optim.applyGradients(opt, { w: tensor([1]) }, opt.init(params), params)
 * ```
 */
export interface Applied<T, S> {
  readonly params: T
  readonly state: S
  /** Whether every element of every gradient leaf was finite. */
  readonly gradientsFinite: boolean
  /** Whether every element of the new parameters and of the new state's moments is finite. */
  readonly updatedFinite: boolean
}

/**
 * `update` followed by `applyUpdates`, fused: the steps of `rule` on each leaf, with the last
 * scale step (the learning rate) and the addition to the parameter in one loop that also checks
 * the gradient and the new parameter. Returns undefined, computing nothing, when a parameter's
 * dtype differs from its gradient's (`applyUpdates` then casts, and the caller takes that path)
 * or the parameters do not match the gradients.
 * @category internals
 */
export const runApply = <T extends Tree, S>(rule: LeafRule<S>, grads: T, state: S, params: T): Applied<T, S> | undefined => {
  const [pleaves, def] = flatten(params, 'optim.applyGradients')
  const gleaves = leavesLike(def, grads, 'optim.applyGradients')
  for (let i = 0; i < gleaves.length; i++) {
    const p = pleaves[i]!
    const g = gleaves[i]!
    if (p.dtype !== g.dtype || !shapeEquals(p.shape, g.shape)) return undefined
  }
  const { steps, end } = rule.begin(state)
  const prep = prepare(steps, def, gleaves, params, pleaves)
  // traced leaves take the path of update and applyUpdates, in tensor ops
  if (prep.traced) return undefined
  const last = steps[steps.length - 1]
  const folded = last?.kind === 'scale' ? last.factor : undefined
  const count = folded === undefined ? steps.length : steps.length - 1
  const next: Tensor[] = []
  const written: Floats[][][] = []
  let bad = 0
  let badOut = 0
  for (let i = 0; i < prep.us.length; i++) {
    const g = prep.us[i]!.data
    const p = prep.ps![i]!.data
    const n = g.length
    const round = roundOf(g)
    // the updates before the last scale: a scratch buffer of this leaf (the gradient itself when no step runs)
    const u = count === 0 ? g : alloc(g, n)
    const w = runSteps(steps, count, prep, i, g, u, round)
    if (folded !== undefined) w.push([])
    written.push(w)
    const o = alloc(p, n)
    const sums = addScaled(n, round, p, u, folded === undefined ? 1 : round(folded), g, o)
    bad += sums.gradients
    badOut += sums.params
    for (const ms of w) for (const m of ms) badOut += nonFinite(m)
    next.push(fromData(prep.ps![i]!.shape, o))
  }
  return Object.freeze({
    params: unflatten(def, next),
    state: end(momentTrees(steps, prep, written)),
    gradientsFinite: bad === 0,
    updatedFinite: badOut === 0,
  })
}
