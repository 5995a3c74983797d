/**
 * Fused steps: `update` followed by `applyUpdates` in one pass over each leaf, for the optimizers
 * whose whole chain is known (`sgd`, `adam`). `train.step` uses them when an optimizer offers one;
 * everything else (and any case a fused step declines) takes the op-by-op path.
 *
 * Contract of a fused step `fusedStep(grads, state, params)`:
 * 1. It returns the parameters and state that `applyUpdates(params, update(grads, state, params)[0])`
 *    and `update(...)[1]` give, bit for bit (the kernels of `kernels/optimizerSteps.ts` round every
 *    intermediate as the ops do), with `finite` telling whether every gradient element was finite.
 * 2. It returns `undefined` (and computes nothing) when it cannot promise 1: leaves of different
 *    shapes or dtypes, tracers, or a state of another shape. It may throw where `update` would;
 *    `train.step` then reruns the op-by-op path, so errors and their order stay those of `update`.
 * 3. It is pure, like `update`.
 */
import { isTracer } from '../autodiff/index.js'
import * as K from '../kernels/index.js'
import { type Tensor, isTensor, shapeEquals } from '../tensor/index.js'
import type { Tree } from '../tree/index.js'
import { type CountState, type OptState, countOf } from './GradientTransformation.js'
import type { AdamState } from './moments.js'
import type { Schedule } from './schedules.js'

/** What a fused step returns. @category model */
export interface FusedResult<T extends Tree, S> {
  readonly params: T
  readonly state: S
  /** Whether every element of every gradient leaf was finite. */
  readonly finite: boolean
  /**
   * Whether every element of the new parameters and state is finite; when absent, `train.step`
   * checks them itself.
   */
  readonly updatedFinite?: boolean
}

/** The optional fused form of an optimizer's update and its application. @category model */
export interface FusedStep<S> {
  readonly fusedStep: <T extends Tree>(grads: T, state: S, params: T) => FusedResult<T, S> | undefined
}

/** The fused step of an optimizer value, if it has one. @category internals */
export const fusedStepOf = <S>(optimizer: object): FusedStep<S>['fusedStep'] | undefined => {
  const f = (optimizer as Partial<FusedStep<S>>).fusedStep
  return typeof f === 'function' ? f : undefined
}

// The tree walks here skip what `tree.zipWith` does for its error messages (a path string per
// node): a mismatch only makes the fused step decline, and the op-by-op path then reports it.
const isRecord = (u: unknown): u is { readonly [key: string]: Tree } => typeof u === 'object' && u !== null && !Array.isArray(u) && !isTensor(u)

// Appends the leaves of `a` and of `b` to `xs` and `ys` in order; false when the structures differ.
const pairLeaves = (a: unknown, b: unknown, xs: Tensor[], ys: Tensor[]): boolean => {
  if (isTensor(a)) {
    if (!isTensor(b)) return false
    xs.push(a)
    ys.push(b)
    return true
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || b.length !== a.length) return false
    for (let i = 0; i < a.length; i++) if (!pairLeaves(a[i], b[i], xs, ys)) return false
    return true
  }
  if (!isRecord(a) || !isRecord(b)) return false
  const keys = Object.keys(a)
  if (keys.length !== Object.keys(b).length) return false
  for (const k of keys) if (!(k in b) || !pairLeaves(a[k], b[k], xs, ys)) return false
  return true
}

// `structure` with its leaves replaced by `values` in order, frozen as `tree.map` freezes.
const rebuild = <T extends Tree>(structure: T, values: ReadonlyArray<Tensor>): T => {
  let i = 0
  const build = (u: Tree): Tree => {
    if (isTensor(u)) return values[i++]!
    if (Array.isArray(u)) return Object.freeze(u.map(build))
    const out: { [key: string]: Tree } = {}
    for (const k of Object.keys(u)) out[k] = build((u as { readonly [key: string]: Tree })[k]!)
    return Object.freeze(out)
  }
  return build(structure) as T
}

// Leaves that a fused kernel can take: concrete tensors of one dtype and one shape.
const compatible = (groups: ReadonlyArray<ReadonlyArray<Tensor>>): boolean => {
  const first = groups[0]!
  for (const g of groups) if (g.length !== first.length) return false
  for (let i = 0; i < first.length; i++) {
    const p = first[i]!
    for (const g of groups) {
      const x = g[i]!
      if (isTracer(x) || x.dtype !== p.dtype || !shapeEquals(x.shape, p.shape)) return false
    }
  }
  return true
}

/**
 * The learning rate at step `count`, checked as `scaleByLearningRate` checks it.
 * @category internals
 */
export const checkedRate = (op: string, schedule: Schedule, count: number): number => {
  const rate = schedule(count)
  if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0) {
    throw new RangeError(`${op}: the learning-rate schedule gave ${String(rate)} at step ${count}; a learning rate must be a non-negative finite number`)
  }
  return rate
}

/** The fused step of `sgd`: `w ↦ w - learningRate(t) · g`. @category internals */
export const fusedSgd = (op: string, schedule: Schedule): FusedStep<CountState>['fusedStep'] =>
  <T extends Tree>(grads: T, state: CountState, params: T): FusedResult<T, CountState> | undefined => {
    const ps: Tensor[] = []
    const gs: Tensor[] = []
    if (!pairLeaves(params, grads, ps, gs) || !compatible([ps, gs])) return undefined
    const count = countOf(op, state)
    const scale = -checkedRate(op, schedule, count)
    let finite = true
    let updatedFinite = true
    const out = ps.map((p, i) => {
      const r = K.sgdLeaf(p, gs[i]!, scale)
      finite &&= r.finite
      updatedFinite &&= r.updatedFinite
      return r.params
    })
    const next = rebuild(params, out)
    return { params: next, state: Object.freeze({ count: count + 1 }), finite, updatedFinite }
  }

/** Adam's hyperparameters after validation. @category internals */
export interface AdamHyperparameters {
  readonly b1: number
  readonly b2: number
  readonly eps: number
}

/** The fused step of `adam` (the chain of Adam's scaling and the learning rate). @category internals */
export const fusedAdam = (op: string, h: AdamHyperparameters, schedule: Schedule): FusedStep<readonly [AdamState, CountState]>['fusedStep'] =>
  <T extends Tree>(grads: T, state: readonly [AdamState, CountState], params: T): FusedResult<T, readonly [AdamState, CountState]> | undefined => {
    const s = state as unknown as ReadonlyArray<OptState>
    if (!Array.isArray(s) || s.length !== 2) return undefined
    const [adamState, rateState] = state
    const ps: Tensor[] = []
    const gs: Tensor[] = []
    const mus: Tensor[] = []
    const nus: Tensor[] = []
    if (!pairLeaves(params, grads, ps, gs) || !pairLeaves(grads, adamState.mu, [], mus) || !pairLeaves(grads, adamState.nu, [], nus)) return undefined
    if (!compatible([ps, gs, mus, nus])) return undefined
    const t = countOf(op, adamState) + 1
    const count = countOf(op, rateState)
    const root2 = Math.sqrt(1 - h.b2 ** t)
    const constants: K.AdamConstants = { b1: h.b1, b2: h.b2, step: root2 / (1 - h.b1 ** t), epsilon: h.eps * root2, scale: -checkedRate(op, schedule, count) }
    let finite = true
    let updatedFinite = true
    const mu: Tensor[] = []
    const nu: Tensor[] = []
    const out = ps.map((p, i) => {
      const r = K.adamLeaf(p, gs[i]!, mus[i]!, nus[i]!, constants)
      finite &&= r.finite
      updatedFinite &&= r.updatedFinite
      mu.push(r.mu)
      nu.push(r.nu)
      return r.params
    })
    const next = rebuild(params, out)
    const moments = Object.freeze({ count: t, mu: rebuild(grads, mu), nu: rebuild(grads, nu) })
    return { params: next, state: Object.freeze([moments, Object.freeze({ count: count + 1 })] as const), finite, updatedFinite }
  }
