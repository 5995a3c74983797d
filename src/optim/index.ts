/**
 * Optimizers as values, in optax's shape. A gradient transformation is a pair of pure functions
 * `init(params) -> state` and `update(updates, state, params) -> [updates, state]`; an optimizer
 * is one whose updates are added to the parameters by `applyUpdates`. `chain` composes
 * transformations (`adamw = chain(scaleByAdam(), addDecayedWeights(λ), scaleByLearningRate(lr))`),
 * and a learning rate is a number or a schedule of the step count (`schedules`).
 *
 * ```ts
 * const opt = optim.adam(1e-3)
 * let state = opt.init(params)
 * const [updates, next] = opt.update(grads, state, params)
 * params = optim.applyUpdates(params, updates)
 * state = next
 * ```
 *
 * Laws (checked by the properties of the same names in properties/optim.test.ts, for every
 * optimizer of one table):
 * 1. convergence: on a convex quadratic `sum(a·(w - c)²)`, a suitable learning rate brings `w`
 *    to `c` within a fixed number of steps.
 * 2. state structure: `update` returns a state with the structure (records, arrays, numbers,
 *    tensor shapes and dtypes) of the one it was given, and updates shaped like the gradients.
 * 3. chain identity: `chain()` returns its updates unchanged; `chain(t)` behaves as `t`.
 * 4. chain associativity: `chain(chain(a, b), c)` and `chain(a, chain(b, c))` give bit-identical
 *    updates.
 * 5. determinism: the same inputs give bit-identical updates and states.
 *
 * States are frozen plain values (numbers, tensors, records, arrays) and hold the step count.
 * Optimizer arithmetic works on whole leaves with tensor ops, keeping the parameters' dtype.
 * `sgd` and `adam` also carry a fused step (`fused.ts`) that `train.step` runs instead of
 * `update` + `applyUpdates`: the same numbers to the bit, one pass per leaf.
 */
export type { CountState, EmptyState, GradientTransformation, OptState, Optimizer, StateOf } from './GradientTransformation.js'
export { emptyState, gradientTransformation } from './GradientTransformation.js'
export { applyUpdates } from './applyUpdates.js'
export { chain, type Transformations } from './chain.js'
export { addDecayedWeights, clipByGlobalNorm, identity, scale, scaleByLearningRate, scaleBySchedule } from './transforms.js'
export {
  type AdamOptions, type AdamState, type RmsOptions, type RmsState, type StandardDeviationState, type TraceOptions, type TraceState,
  scaleByAdam, scaleByRms, scaleByStandardDeviation, trace,
} from './moments.js'
export {
  type AdamOptimizerState, type AdamWOptions, type AdamWState, type MomentumOptions, type MomentumState, type RmspropOptions, type RmspropState,
  adam, adamw, momentum, rmsprop, sgd,
} from './optimizers.js'
export type { LearningRate, Schedule } from './schedules.js'
export * as schedules from './schedules.js'
