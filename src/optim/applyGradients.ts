/**
 * An optimizer's whole step, `update` followed by `applyUpdates`, as one call: what `train.step`
 * runs after `valueAndGrad`, and what a training loop written by hand can call in place of the
 * two. When the optimizer declares an element-wise rule (every optimizer of `optim` does, and so
 * does a `chain` of transformations that all do), the rule and the addition to the parameters
 * run in one generic loop per leaf (`runRule.ts`); otherwise `update` and `applyUpdates` run.
 * Either way the numbers are those of `applyUpdates(params, update(grads, state, params)[0])`,
 * bit for bit, and the result says whether the gradients and everything new are finite (the
 * divergence check of `train.step`, computed in the same loop on the fused path).
 */
import { isTensor } from '../tensor/index.js'
import { type Tree, leaves } from '../tree/index.js'
import { applyUpdates } from './applyUpdates.js'
import type { LeafRule } from './LeafRule.js'
import { type Applied, runApply } from './runRule.js'

export type { Applied } from './runRule.js'

/**
 * What `applyGradients` needs of an optimizer: its `update`, and its rule if it declares one. @category model
 * @example
 * ```ts
 * const opt: optim.Updater<{ w: Tensor }, optim.CountState> = optim.sgd(0.1)
 * ```
 */
export interface Updater<P, S> {
  readonly update: (grads: P, state: S, params: P) => readonly [P, S]
  readonly rule?: LeafRule<S>
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
    let bad = 0
    for (const x of u.data) bad += x * 0
    return bad === 0
  }
  if (typeof u === 'number') return Number.isFinite(u)
  if (Array.isArray(u)) return u.every(allFiniteIn)
  if (typeof u === 'object' && u !== null) return Object.values(u).every(allFiniteIn)
  return true
}

/**
 * `applyGradients(optimizer, grads, state, params)`: the new parameters and optimizer state, as
 * `applyUpdates(params, updates)` and the state of `optimizer.update(grads, state, params)` give
 * them (bit for bit), with `gradientsFinite` and `updatedFinite` (every new parameter and
 * moment). The update of the lecture's loop, by hand:
 * `const next = optim.applyGradients(optimizer, grads, optState, params)`, then
 * `params = next.params` and `optState = next.state`.
 * @example
 * ```ts
 * const opt = optim.sgd(0.1)
 * const params = { w: tensor([1, 2]) }
 * const applied = optim.applyGradients(opt, { w: tensor([1, 1]) }, opt.init(params), params) // new params and state
 * ```
 * @category optimizers
 */
export const applyGradients = <P extends Tree, S>(optimizer: Updater<NoInfer<P>, S>, grads: P, state: S, params: P): Applied<P, S> => {
  // the fused loop declines (computing nothing) only where applyUpdates would cast a dtype
  const fused = optimizer.rule === undefined ? undefined : runApply(optimizer.rule, grads, state, params)
  if (fused !== undefined) return fused
  const [updates, next] = optimizer.update(grads, state, params)
  const newParams = applyUpdates(params, updates)
  return Object.freeze({ params: newParams, state: next, gradientsFinite: leaves(grads).every(allFiniteIn), updatedFinite: allFiniteIn(newParams) && allFiniteIn(next) })
}
