/**
 * The one runner of leaf rules (`LeafRule.ts`): the steps of a rule on every leaf of a tree, in
 * tensor ops. `update` of a rule transformation runs it with the step's scalars as JavaScript
 * numbers (eagerly, or under `grad`/`jvp`); a compiled training step runs the same function
 * inside its traced program with the scalars as scalar tensors (inputs of the program), so one
 * program serves every step and the optimizer's math is fused by the compiler. Nothing here
 * knows an optimizer.
 *
 * Leaves are computed in the dtype of the updates; a step whose ops promote a leaf (a float64
 * moment with float32 updates) is cast back; moments keep their own dtype.
 */
import { cast, mul } from '../ops/index.js'
import { ShapeError, type DType, type Tensor, isTensor, shapeEquals } from '../tensor/index.js'
import { type Tree, type TreeDef, flatten, leavesLike, unflatten } from '../tree/index.js'
import type { LeafRule, LeafStep, Scalar } from './LeafRule.js'

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

// The leaf in `like`'s dtype (a step's tensor form may promote a float32 leaf with a float64 moment).
const asDType = (x: Tensor, like: Tensor): Tensor => (x.dtype === like.dtype ? x : cast(x, like.dtype))

/**
 * The steps on every leaf: the outgoing updates (in the updates' structure and dtypes) and, per
 * step, the new moment trees (none for a scale step). `moments` holds, per step, the step's
 * moment trees (the steps' own `moments` for an eager update; the program's inputs in a compiled
 * step); `scalars`, per step, its per-step numbers (`scalarsOf`), as numbers or scalar tensors.
 * Checks that the moments (and the parameters, when a step reads them) match the updates.
 * @category internals
 * @example
 * ```ts
 * const params = { w: tensor([1, 2]) }
 * const [updates] = optim.runSteps([{ kind: 'scale', factor: -0.1 }], { w: tensor([0.5, -0.5]) }, params, [[]], [[-0.1]], 'mySgd') // { w: [-0.05, 0.05] }
 * ```
 */
export const runSteps = <T extends Tree>(
  steps: ReadonlyArray<LeafStep>,
  updates: T,
  params: T,
  moments: ReadonlyArray<ReadonlyArray<Tree>>,
  scalars: ReadonlyArray<ReadonlyArray<Scalar>>,
  op: string,
): readonly [T, Tree[][]] => {
  const [us, def] = flatten(updates, op)
  const reader = steps.find((s) => s.kind === 'map' && s.readsParams)
  const ps = reader?.kind === 'map' ? leavesOf(reader.name, 'parameters', def, us, params) : undefined
  const ms = steps.map((s, k) => (s.kind === 'map' ? moments[k]!.map((m) => leavesOf(s.name, 'state', def, us, m)) : []))
  // a scalar tensor in each leaf dtype, cast once (a number is a weak scalar and needs no cast)
  const casts = new Map<Tensor, Map<DType, Tensor>>()
  const inDType = (s: Scalar, dtype: DType): Scalar => {
    if (!isTensor(s) || s.dtype === dtype) return s
    let byType = casts.get(s)
    if (byType === undefined) casts.set(s, (byType = new Map()))
    let c = byType.get(dtype)
    if (c === undefined) byType.set(dtype, (c = cast(s, dtype)))
    return c
  }
  const outs: Tensor[] = []
  const next: Tensor[][][] = steps.map((s) => (s.kind === 'map' ? s.moments.map(() => []) : []))
  for (let i = 0; i < us.length; i++) {
    const g = us[i]!
    let u = g
    steps.forEach((s, k) => {
      const ss = scalars[k]!.map((x) => inDType(x, g.dtype))
      if (s.kind === 'scale') {
        u = mul(u, ss[0]!)
        return
      }
      const leafMoments = ms[k]!.map((m) => m[i]!)
      const r = s.ops({ u, p: ps?.[i], moments: leafMoments }, ss)
      u = asDType(r.out, g)
      r.next.forEach((m, j) => next[k]![j]!.push(asDType(m, leafMoments[j]!)))
    })
    outs.push(u)
  }
  return [unflatten(def, outs) as T, next.map((m) => m.map((leaves) => unflatten(def, leaves)))]
}

/**
 * `update` of a transformation that declares `rule`: the outgoing updates (in the updates'
 * structure and dtypes) and the next state, the step's scalars as numbers. With no steps, the
 * updates pass unchanged (the same tree).
 * @category internals
 */
export const runUpdate = <T extends Tree, S>(rule: LeafRule<S>, updates: T, state: S, params: T): readonly [T, S] => {
  const { steps, end } = rule.begin(state)
  if (steps.length === 0) {
    flatten(updates, rule.name)
    return [updates, end([])]
  }
  const moments = steps.map((s) => (s.kind === 'map' ? s.moments : []))
  const scalars = steps.map((s) => (s.kind === 'scale' ? [s.factor] : s.scalars))
  const [out, next] = runSteps(steps, updates, params, moments, scalars, rule.name)
  return [out, end(next)]
}
