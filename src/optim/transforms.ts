/**
 * The stateless and step-counting gradient transformations: scaling (by a constant, a schedule or
 * a learning rate), decoupled weight decay and clipping by global norm. Each works on whole
 * leaves with tensor ops, at most a couple of temporaries per leaf, and keeps the dtype of the
 * updates (numbers are weak scalars in ops).
 */
import { add, mul } from '../ops/index.js'
import { norm } from '../ops/treeArithmetic.js'
import { item } from '../tensor/index.js'
import { type Tree, map, zipWith } from '../tree/index.js'
import { checkedRate } from './fused.js'
import { type CountState, type EmptyState, type GradientTransformation, countOf, emptyState, gradientTransformation } from './GradientTransformation.js'
import { nonNegative, positive, toSchedule } from './hyperparameters.js'
import type { LearningRate, Schedule } from './schedules.js'

/** Leaves the updates as they are; the state is empty. `chain()` behaves as this. @category transformations */
export const identity = (): GradientTransformation<EmptyState> =>
  gradientTransformation(
    () => emptyState,
    (updates, state) => [updates, state],
  )

/** Multiplies the updates by a constant: `u ↦ factor · u`. @category transformations */
export const scale = (factor: number): GradientTransformation<EmptyState> => {
  if (typeof factor !== 'number' || !Number.isFinite(factor)) throw new RangeError(`optim.scale: factor must be a finite number, got ${String(factor)}`)
  return gradientTransformation(
    () => emptyState,
    (updates, state) => [map(updates, (u) => mul(u, factor)), state],
  )
}

const initCount = (): CountState => Object.freeze({ count: 0 })

/**
 * Multiplies the updates by `schedule(count)`, the schedule at the number of updates made so far
 * (0 at the first): `u ↦ schedule(t) · u`. The state is the count.
 * @category transformations
 */
export const scaleBySchedule = (schedule: Schedule): GradientTransformation<CountState> => {
  const op = 'optim.scaleBySchedule'
  if (typeof schedule !== 'function') throw new TypeError(`${op}: schedule must be a function from the step count to a number, got ${typeof schedule}`)
  return gradientTransformation(initCount, (updates, state) => {
    const count = countOf(op, state)
    const factor = schedule(count)
    if (typeof factor !== 'number' || !Number.isFinite(factor)) throw new RangeError(`${op}: the schedule gave ${String(factor)} at step ${count}; a schedule must give finite numbers`)
    return [map(updates, (u) => mul(u, factor)), Object.freeze({ count: count + 1 })]
  })
}

/**
 * The descent step of a learning rate: `u ↦ -learningRate(t) · u`, where `t` is the number of
 * updates made so far and a number is a constant learning rate. One `mul` per leaf; the state is
 * the count. A learning rate must be a non-negative finite number, also when a schedule gives it.
 * @category transformations
 */
export const scaleByLearningRate = (learningRate: LearningRate): GradientTransformation<CountState> =>
  learningRateTransformation('optim.scaleByLearningRate', learningRate)

/**
 * `scaleByLearningRate` with the name of the optimizer that uses it, for error messages.
 * @category internals
 */
export const learningRateTransformation = (op: string, learningRate: LearningRate): GradientTransformation<CountState> => {
  const schedule = toSchedule(op, learningRate)
  return gradientTransformation(initCount, (updates, state) => {
    const count = countOf(op, state)
    const rate = checkedRate(op, schedule, count)
    return [map(updates, (u) => mul(u, -rate)), Object.freeze({ count: count + 1 })]
  })
}

/**
 * Decoupled weight decay (Loshchilov and Hutter's AdamW): `u ↦ u + weightDecay · params`. Placed
 * before `scaleByLearningRate`, the decay is scaled by the learning rate as in PyTorch and optax.
 * @category transformations
 */
export const addDecayedWeights = (weightDecay: number): GradientTransformation<EmptyState> =>
  decayedWeightsTransformation('optim.addDecayedWeights', weightDecay)

/** `addDecayedWeights` with the name of the optimizer that uses it. @category internals */
export const decayedWeightsTransformation = (op: string, weightDecay: number): GradientTransformation<EmptyState> => {
  nonNegative(op, 'weightDecay', weightDecay, 'typical values are 1e-4 to 1e-2')
  return gradientTransformation(
    () => emptyState,
    <T extends Tree>(updates: T, state: EmptyState, params: T): readonly [T, EmptyState] =>
      weightDecay === 0 ? [updates, state] : [zipWith(updates, params, (u, p) => add(u, mul(p, weightDecay)), op), state],
  )
}

/**
 * Clips by global norm: when the Euclidean norm `n` of all leaves taken together exceeds
 * `maxNorm`, every leaf is scaled by `maxNorm / n`; otherwise the updates are returned unchanged
 * (the same tree, no copy). A NaN norm scales by NaN, so divergence stays visible.
 * @category transformations
 */
export const clipByGlobalNorm = (maxNorm: number): GradientTransformation<EmptyState> => {
  positive('optim.clipByGlobalNorm', 'maxNorm', maxNorm, 'typical values are 0.5 to 10')
  return gradientTransformation(
    () => emptyState,
    (updates, state) => {
      const n = item(norm(updates))
      if (n <= maxNorm) return [updates, state]
      const factor = maxNorm / n
      return [map(updates, (u) => mul(u, factor)), state]
    },
  )
}
