/**
 * Composition of gradient transformations, as optax's `chain`: the updates flow through the
 * transformations in order and the state is the tuple of their states. When every part declares
 * an element-wise rule, the chain declares their composition (the steps of each part in order,
 * on one buffer per leaf), so a chain of rules runs as one rule and `applyGradients` fuses it.
 *
 * Laws (checked in properties/optim.test.ts):
 * 1. identity: `chain()` returns its updates unchanged, and `chain(t)` behaves as `t`.
 * 2. associativity: `chain(chain(a, b), c)` and `chain(a, chain(b, c))` give bit-identical updates.
 */
import type { Tree } from '../tree/index.js'
import { type GradientTransformation, type OptState, gradientTransformation, ruleTransformation } from './GradientTransformation.js'
import type { LeafRule, RuleStep } from './LeafRule.js'

/**
 * The transformations of a chain, one per state of the tuple `S`. @category model
 * @example
 * ```ts
 * const parts: optim.Transformations<[optim.EmptyState, optim.CountState]> = [optim.clipByGlobalNorm(1), optim.sgd(0.1)]
 * ```
 */
export type Transformations<S extends ReadonlyArray<OptState>> = { readonly [K in keyof S]: GradientTransformation<S[K]> }

const checkStates = (count: number, state: unknown): ReadonlyArray<OptState> => {
  if (!Array.isArray(state) || state.length !== count) {
    throw new TypeError(
      `optim.chain: the state must be an array of ${count} states (one per transformation), got ${Array.isArray(state) ? `${state.length}` : typeof state}; pass the state that this chain's init returned`,
    )
  }
  return state as ReadonlyArray<OptState>
}

/**
 * The rule of a chain of parts that all declare one: their steps in order; the next state is
 * the tuple of the parts' next states.
 * @category internals
 */
export const composeRules = (rules: ReadonlyArray<LeafRule<OptState>>): LeafRule<ReadonlyArray<OptState>> => {
  // the name errors give: the optimizer's own (`optim.adam`) when all parts carry it
  const names = [...new Set(rules.map((r) => r.name))]
  return {
    name: names.length === 1 ? names[0]! : `optim.chain(${names.join(', ')})`,
    begin: (state) => {
      const states = checkStates(rules.length, state)
      const parts: ReadonlyArray<RuleStep<OptState>> = rules.map((r, i) => r.begin(states[i]!))
      return {
        steps: parts.flatMap((p) => p.steps),
        end: (next) => {
          let k = 0
          return Object.freeze(parts.map((p) => p.end(next.slice(k, (k += p.steps.length)))))
        },
      }
    },
  }
}

/**
 * Applies `transformations` in order: `update` feeds the updates of each into the next and returns
 * the tuple of their new states. `chain()` is the identity.
 * @example
 * ```ts
 * const opt = optim.chain(optim.clipByGlobalNorm(1), optim.adam(0.001)) // clip, then Adam
 * ```
 * @category combinators
 */
export const chain = <const S extends ReadonlyArray<OptState>>(...transformations: Transformations<S>): GradientTransformation<S> => {
  // The mapped tuple type guarantees one transformation per state; the loops work on the erased form.
  const ts = transformations as unknown as ReadonlyArray<GradientTransformation>
  // each part's state, in order, is the tuple S that the erased array cannot name
  const init = <T extends Tree>(params: T): S => Object.freeze(ts.map((t) => t.init(params))) as unknown as S
  const rules = ts.map((t) => t.rule)
  if (rules.every((r) => r !== undefined)) {
    // the composed rule's state is the tuple S (each part's rule gets its own state)
    return ruleTransformation(init, composeRules(rules) as unknown as LeafRule<S>)
  }
  return gradientTransformation(init, <T extends Tree>(updates: T, state: S, params: T): readonly [T, S] => {
    const states = checkStates(ts.length, state)
    let u = updates
    const next = new Array<OptState>(ts.length)
    for (let i = 0; i < ts.length; i++) {
      const [v, s] = ts[i]!.update(u, states[i]!, params)
      u = v
      next[i] = s
    }
    // the new states in order: the tuple S again
    return [u, Object.freeze(next) as unknown as S]
  })
}
