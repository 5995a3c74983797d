/**
 * An optimizer's whole step, `update` followed by `applyUpdates`, as one call: what `train.step`
 * runs after `valueAndGrad` when it does not compile the step, and what a training loop written
 * by hand can call in place of the two. The numbers are those of
 * `applyUpdates(params, update(grads, state, params)[0])`, and the result says whether the
 * gradients and everything new are finite (the divergence check of `train.step`; computed when
 * first read). Outside `jit`, an optimizer with an element-wise rule runs its whole step as one
 * compiled program that the optimizer value keeps (`CompiledRule.ts`), to the bits of the op-by-op
 * path; inside `jit` (a compiled `train.step`, or a loop's whole step wrapped in `jit`, its state
 * an argument: `hostStep.ts`) the same ops are traced and fused with the rest of the step.
 */
import { isTensor } from '../tensor/index.js'
import { type Tree, leaves } from '../tree/index.js'
import { applyUpdates } from './applyUpdates.js'
import type { LeafRule } from './LeafRule.js'
import { hostSessionOf } from '../stage/index.js'
import { hostStep } from './hostStep.js'

/**
 * What `applyGradients` returns: new parameters and state, and what was finite. @category model
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
 * What `applyGradients` needs of an optimizer: its `update` (and its rule, which a compiled step reads). @category model
 * @example
 * ```ts
 * const opt: optim.Updater<{ w: Tensor }, optim.CountState> = optim.sgd(0.1)
 * ```
 */
export interface Updater<P, S> {
  readonly update: (grads: P, state: S, params: P) => readonly [P, S]
  readonly rule?: LeafRule<S>
  /** The compiled whole step (`GradientTransformation.compiled`), when the optimizer has one. */
  compiled?(grads: P, state: S, params: P): readonly [P, S] | undefined
}

/**
 * Whether every number in a value is finite: the elements of its tensors and its plain numbers
 * (step counts), through records and arrays; other values (strings, flags) are not numbers to check.
 * @example
 * ```ts
 * optim.allFiniteIn({ w: tensor([1, 2]) }) // true
 * optim.allFiniteIn({ w: tensor([NaN]) }) // false
 * ```
 * @category internals
 */
export const allFiniteIn = (u: unknown): boolean => {
  if (isTensor(u)) {
    // x·0 is 0 for a finite x and NaN for NaN and ±Infinity, and a NaN stays in a sum
    const d = u.data
    let bad = 0
    for (let i = 0; i < d.length; i++) bad += d[i]! * 0
    return bad === 0
  }
  if (typeof u === 'number') return Number.isFinite(u)
  if (Array.isArray(u)) return u.every(allFiniteIn)
  if (typeof u === 'object' && u !== null) return Object.values(u).every(allFiniteIn)
  return true
}

/**
 * `applyGradients(optimizer, grads, state, params)`: the new parameters and optimizer state,
 * `applyUpdates(params, updates)` and the state of `optimizer.update(grads, state, params)`, with
 * `gradientsFinite` and `updatedFinite` (every new parameter and moment). The update of the
 * lecture's loop, by hand: `const next = optim.applyGradients(optimizer, grads, optState, params)`,
 * then `params = next.params` and `optState = next.state`.
 * @example
 * ```ts
 * const opt = optim.sgd(0.1)
 * const params = { w: tensor([1, 2]) }
 * const applied = optim.applyGradients(opt, { w: tensor([1, 1]) }, opt.init(params), params) // new params and state
 * ```
 * @category optimizers
 */
export const applyGradients = <P extends Tree, S>(optimizer: Updater<NoInfer<P>, S>, grads: P, state: S, params: P): Applied<P, S> => {
  // the rule's whole step as one compiled program (CompiledRule.ts), else op by op: the same numbers
  // inside jit, with the state's step count an argument of the jitted function (hostStep.ts)
  const session = hostSessionOf(state)
  if (session !== undefined) {
    const [p, s] = hostStep(optimizer.rule, session, grads, state, params)
    return applied(grads, p, s)
  }
  const compiled = optimizer.compiled?.(grads, state, params)
  if (compiled !== undefined) return applied(grads, compiled[0], compiled[1])
  const [updates, next] = optimizer.update(grads, state, params)
  return applied(grads, applyUpdates(params, updates), next)
}

// The result record. The finiteness flags are computed when first read (each a pass over its
// leaves' data): a loop that never reads them pays nothing, and inside `jit` (where data cannot
// be read) they are not read unless asked for.
const applied = <P extends Tree, S>(grads: P, params: P, state: S): Applied<P, S> => {
  let gradientsFinite: boolean | undefined
  let updatedFinite: boolean | undefined
  return Object.freeze({
    params,
    state,
    get gradientsFinite(): boolean {
      return (gradientsFinite ??= leaves(grads).every(allFiniteIn))
    },
    get updatedFinite(): boolean {
      return (updatedFinite ??= allFiniteIn(params) && allFiniteIn(state))
    },
  })
}
