/**
 * The gradient transformation, optax's shape: a pair of pure functions
 * `init(params) -> state` and `update(updates, state, params) -> [updates, state]`. An optimizer
 * is a gradient transformation whose output is the step to add to the parameters
 * (`applyUpdates`); clipping, momentum, Adam's scaling and weight decay are transformations too,
 * and `chain` composes them.
 *
 * Contract:
 * 1. `init` and `update` are pure: the same arguments give bit-identical results, and neither
 *    reads or writes anything but its arguments.
 * 2. A state is a frozen plain value made of numbers, tensors, records and arrays only (so it can
 *    be serialised); the step count lives in it.
 * 3. `update` returns updates with the structure, shapes and dtypes of its input updates, and a
 *    state with the structure of the one it was given.
 * 4. `params` is always passed to `update`, even when a transformation does not read it.
 * 5. A transformation whose update is element-wise declares it as a `rule` (`LeafRule.ts`), and
 *    its `update` is that rule run by `ruleSteps.ts`: `chain` composes the rules of its parts,
 *    and a compiled training step traces the composed rule once (its per-step scalars as inputs
 *    of the program) and fuses it with the gradient, to the same bits. Without a rule (clipping
 *    by global norm, a transformation written by hand), `update` is the only path.
 *
 * The methods are generic in the parameter tree, so one optimizer value serves any network, and
 * `update` returns updates of the type of its input. They are declared as methods so that every
 * optimizer widens to `Optimizer` (its state type forgotten), for tables of optimizers or a choice
 * made at run time (`const opt: Optimizer = useAdam ? adam(1e-3) : sgd(0.1)`); a state of the
 * wrong optimizer is still a type error where the state type is known, and a run-time error
 * otherwise.
 */
import type { Tensor } from '../tensor/index.js'
import type { Tree } from '../tree/index.js'
import type { LeafRule } from './LeafRule.js'
import { runUpdate } from './ruleSteps.js'

/**
 * The state of a transformation: numbers, tensors, and readonly records and arrays of them.
 * Trees of tensors (moments shaped like the parameters) are states.
 * @example
 * ```ts
 * const state: optim.OptState = { count: 0, mu: [tensor([0])] }
 * ```
 * @category model
 */
export type OptState = number | Tensor | ReadonlyArray<OptState> | { readonly [key: string]: OptState }

/**
 * A pure gradient transformation. `update(updates, state, params)` maps incoming updates
 * (gradients, at the head of a chain) to outgoing ones and the next state.
 * @example
 * ```ts
 * const clip: optim.GradientTransformation<optim.EmptyState> = optim.clipByGlobalNorm(1)
 * ```
 * @category model
 */
export interface GradientTransformation<S extends OptState = OptState> {
  init<T extends Tree>(params: T): S
  update<T extends Tree>(updates: T, state: S, params: T): readonly [T, S]
  /** The element-wise form of `update`, when it has one (contract 5). */
  readonly rule?: LeafRule<S>
}

/**
 * An optimizer: a gradient transformation whose updates are added to the parameters
 * (`params + updates`, by `applyUpdates`).
 * @example
 * ```ts
 * const opt: optim.Optimizer<optim.CountState> = optim.sgd(0.1)
 * ```
 * @category model
 */
export type Optimizer<S extends OptState = OptState> = GradientTransformation<S>

/**
 * The state of a transformation, read off its type. @category model
 * @example
 * ```ts
 * const opt = optim.adam(0.001)
 * type State = optim.StateOf<typeof opt> // AdamOptimizerState
 * ```
 */
export type StateOf<G> = G extends GradientTransformation<infer S> ? S : never

/**
 * The state of a transformation that counts its steps. @category model
 * @example
 * ```ts
 * const state: optim.CountState = optim.sgd(0.1).init({ w: tensor([1]) }) // { count: 0 }
 * ```
 */
export type CountState = {
  /** The number of updates made so far (0 after `init`). */
  readonly count: number
}

/**
 * The empty state of a stateless transformation. @category model
 * @example
 * ```ts
 * const state: optim.EmptyState = optim.clipByGlobalNorm(1).init({ w: tensor([1]) })
 * ```
 */
export type EmptyState = { readonly [key: string]: never }

/**
 * The one empty state, shared (it is frozen). @category constructors
 * @example
 * ```ts
 * const passThrough = optim.gradientTransformation(() => optim.emptyState, (updates, state) => [updates, state])
 * ```
 */
export const emptyState: EmptyState = Object.freeze({})

/**
 * Builds a transformation from its two functions, freezing the record. The functions must already
 * return frozen states.
 * @example
 * ```ts
 * // the sign of every gradient, as signSGD takes before the learning rate
 * const sign = optim.gradientTransformation(() => optim.emptyState, (updates, state) => [tree.map(updates, (u) => ops.sign(u)), state])
 * const signSgd = optim.chain(sign, optim.scale(-0.01))
 * ```
 * @category constructors
 */
export const gradientTransformation = <S extends OptState>(
  init: <T extends Tree>(params: T) => S,
  update: <T extends Tree>(updates: T, state: S, params: T) => readonly [T, S],
): GradientTransformation<S> => Object.freeze({ init, update })

/**
 * Builds a transformation from its element-wise rule: `update` runs the rule, and the rule is
 * declared on the value for `chain` and `applyGradients`. The rule's `end` must return frozen
 * states.
 * @category constructors
 * @example
 * ```ts
 * // the sign of every gradient as a declared rule (so chain and a jit training step can fuse it)
 * const sign = optim.ruleTransformation(() => optim.emptyState, {
 *   name: 'sign',
 *   begin: (state) => ({ steps: [{ kind: 'map', name: 'sign', moments: [], readsParams: false, scalars: [], ops: ({ u }) => ({ out: ops.sign(u), next: [] }) }], end: () => state }),
 * })
 * const signSgd = optim.chain(sign, optim.scale(-0.01))
 * ```
 */
export const ruleTransformation = <S extends OptState>(init: <T extends Tree>(params: T) => S, rule: LeafRule<S>): GradientTransformation<S> =>
  Object.freeze({ init, update: <T extends Tree>(updates: T, state: S, params: T): readonly [T, S] => runUpdate(rule, updates, state, params), rule })

/**
 * The step count of a counting state, with a clear error when the state is not one (e.g. the
 * state of another optimizer was passed).
 * @category internals
 */
export const countOf = (op: string, state: CountState): number => {
  const count = (state as Partial<CountState> | undefined)?.count
  if (typeof count !== 'number') throw new TypeError(`${op}: the state has no step count; pass the state that this optimizer's init (or its previous update) returned`)
  return count
}
