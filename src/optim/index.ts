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
 * // or both in one call, with the divergence checks (what train.step runs, compiled with the gradient under jit):
 * const applied = optim.applyGradients(opt, grads, state, params) // { params, state, gradientsFinite, updatedFinite }
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
 * 6. one path: `applyGradients(opt, g, s, p)` (for an optimizer with a rule, one compiled program
 *    that the optimizer value keeps: `CompiledRule.ts`) gives the parameters and state of
 *    `applyUpdates(p, opt.update(g, s, p)[0])` and `opt.update(g, s, p)[1]` (op by op), bit for
 *    bit, in float32 and float64.
 * 7. compiled: `jit` of a function that runs `update` and `applyUpdates`, with the rule's per-step
 *    scalars as arguments (what `train.step` compiles), gives the numbers of the eager
 *    `applyGradients` bit for bit, in float32 and float64, and compiles once for every step.
 *
 * States are frozen plain values (numbers, tensors, records, arrays) and hold the step count.
 * An element-wise transformation declares its math once, as a leaf rule in tensor ops
 * (`LeafRule.ts`): its `update` runs the rule (`ruleSteps.ts`), `chain` composes rules, and a
 * compiled training step traces the composed rule once, its per-step scalars (bias corrections,
 * the learning rate at the count) as inputs of the program, so the compiler fuses it with the
 * gradient and one program serves every step. Adding an optimizer that
 * is a chain of existing transformations touches `optimizers.ts` (and this index's export); a
 * new element-wise transformation is one `ruleTransformation(init, rule)` in its file.
 */
export type { CountState, EmptyState, GradientTransformation, OptState, Optimizer, StateOf } from './GradientTransformation.js'
export { emptyState, gradientTransformation, ruleTransformation } from './GradientTransformation.js'
export type { LeafRule, LeafStep, MapStep, RuleStep, Scalar, ScaleStep, TensorLeaf, TensorStep } from './LeafRule.js'
export { scalarsOf, stepsShape } from './LeafRule.js'
export { runSteps } from './ruleSteps.js'
export { applyUpdates } from './applyUpdates.js'
export { type Applied, type Updater, allFiniteIn, applyGradients } from './applyGradients.js'
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
