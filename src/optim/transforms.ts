/**
 * The stateless and step-counting gradient transformations: scaling (by a constant, a schedule or
 * a learning rate), decoupled weight decay and clipping by global norm. All but clipping are
 * element-wise and declare their rule (`LeafRule.ts`); clipping needs the norm of the whole tree
 * first, so its `update` uses tensor ops. Each keeps the dtype of the updates.
 */
import { add, mul } from '../ops/index.js'
import { norm } from '../ops/treeArithmetic.js'
import { item } from '../tensor/index.js'
import { type Tree, map } from '../tree/index.js'
import { type CountState, type EmptyState, type GradientTransformation, countOf, emptyState, gradientTransformation, ruleTransformation } from './GradientTransformation.js'
import { nonNegative, positive, toSchedule } from './hyperparameters.js'
import type { LeafStep } from './LeafRule.js'
import type { LearningRate, Schedule } from './schedules.js'

const initEmpty = (): EmptyState => emptyState
const initCount = (): CountState => Object.freeze({ count: 0 })
const noSteps: ReadonlyArray<LeafStep> = Object.freeze([])
const scaleStep = (factor: number): ReadonlyArray<LeafStep> => [{ kind: 'scale', factor }]

/**
 * Leaves the updates as they are; the state is empty. `chain()` behaves as this. @category transformations
 * @example
 * ```ts
 * const opt = optim.chain(optim.identity(), optim.sgd(0.1)) // the same as sgd(0.1)
 * ```
 */
export const identity = (): GradientTransformation<EmptyState> =>
  ruleTransformation(initEmpty, { name: 'optim.identity', begin: (state) => ({ steps: noSteps, end: () => state }) })

/**
 * Multiplies the updates by a constant: `u ↦ factor · u`. @category transformations
 * @example
 * ```ts
 * const opt = optim.chain(optim.scaleByAdam(), optim.scale(-0.001)) // adam(0.001) by hand
 * ```
 */
export const scale = (factor: number): GradientTransformation<EmptyState> => {
  if (typeof factor !== 'number' || !Number.isFinite(factor)) throw new RangeError(`optim.scale: factor must be a finite number, got ${String(factor)}`)
  const steps = scaleStep(factor)
  return ruleTransformation(initEmpty, { name: 'optim.scale', begin: (state) => ({ steps, end: () => state }) })
}

/**
 * Multiplies the updates by `schedule(count)`, the schedule at the number of updates made so far
 * (0 at the first): `u ↦ schedule(t) · u`. The state is the count.
 * @example
 * ```ts
 * const opt = optim.chain(optim.scaleByAdam(), optim.scaleBySchedule((step) => -0.001 / Math.sqrt(step + 1)))
 * ```
 * @category transformations
 */
export const scaleBySchedule = (schedule: Schedule): GradientTransformation<CountState> => {
  const op = 'optim.scaleBySchedule'
  if (typeof schedule !== 'function') throw new TypeError(`${op}: schedule must be a function from the step count to a number, got ${typeof schedule}`)
  return ruleTransformation(initCount, {
    name: op,
    begin: (state) => {
      const count = countOf(op, state)
      const factor = schedule(count)
      if (typeof factor !== 'number' || !Number.isFinite(factor)) throw new RangeError(`${op}: the schedule gave ${String(factor)} at step ${count}; a schedule must give finite numbers`)
      return { steps: scaleStep(factor), end: () => Object.freeze({ count: count + 1 }) }
    },
  })
}

/**
 * The learning rate at step `count`, checked: a learning rate must be a non-negative finite number.
 * @category internals
 */
export const checkedRate = (op: string, schedule: Schedule, count: number): number => {
  const rate = schedule(count)
  if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0) {
    throw new RangeError(`${op}: the learning-rate schedule gave ${String(rate)} at step ${count}; a learning rate must be a non-negative finite number`)
  }
  return rate
}

/**
 * The descent step of a learning rate: `u ↦ -learningRate(t) · u`, where `t` is the number of
 * updates made so far and a number is a constant learning rate. The state is the count. A
 * learning rate must be a non-negative finite number, also when a schedule gives it.
 * @example
 * ```ts
 * const opt = optim.chain(optim.clipByGlobalNorm(1), optim.scaleByLearningRate(optim.schedules.cosineDecay(0.1, { decaySteps: 1000 })))
 * ```
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
  return ruleTransformation(initCount, {
    name: op,
    begin: (state) => {
      const count = countOf(op, state)
      return { steps: scaleStep(-checkedRate(op, schedule, count)), end: () => Object.freeze({ count: count + 1 }) }
    },
  })
}

/**
 * Decoupled weight decay (Loshchilov and Hutter's AdamW): `u ↦ u + weightDecay · params`. Placed
 * before `scaleByLearningRate`, the decay is scaled by the learning rate as in PyTorch and optax.
 * @example
 * ```ts
 * const opt = optim.chain(optim.addDecayedWeights(1e-4), optim.sgd(0.1)) // L2-style decay, then SGD
 * ```
 * @category transformations
 */
export const addDecayedWeights = (weightDecay: number): GradientTransformation<EmptyState> =>
  decayedWeightsTransformation('optim.addDecayedWeights', weightDecay)

/** `addDecayedWeights` with the name of the optimizer that uses it. @category internals */
export const decayedWeightsTransformation = (op: string, weightDecay: number): GradientTransformation<EmptyState> => {
  nonNegative(op, 'weightDecay', weightDecay, 'typical values are 1e-4 to 1e-2')
  const steps: ReadonlyArray<LeafStep> = weightDecay === 0 ? noSteps : [{
    kind: 'map',
    name: op,
    moments: [],
    readsParams: true,
    scalars: [],
    ops: ({ u, p }) => ({ out: add(u, mul(p!, weightDecay)), next: [] }),
  }]
  return ruleTransformation(initEmpty, { name: op, begin: (state) => ({ steps, end: () => state }) })
}

/**
 * Clips by global norm: when the Euclidean norm `n` of all leaves taken together exceeds
 * `maxNorm`, every leaf is scaled by `maxNorm / n`; otherwise the updates are returned unchanged
 * (the same tree, no copy). A NaN norm scales by NaN, so divergence stays visible. Not
 * element-wise (the norm comes first), so it declares no rule.
 * @example
 * ```ts
 * const opt = optim.chain(optim.clipByGlobalNorm(1), optim.sgd(0.1))
 * ```
 * @category transformations
 */
export const clipByGlobalNorm = (maxNorm: number): GradientTransformation<EmptyState> => {
  positive('optim.clipByGlobalNorm', 'maxNorm', maxNorm, 'typical values are 0.5 to 10')
  return gradientTransformation(
    initEmpty,
    <T extends Tree>(updates: T, state: EmptyState): readonly [T, EmptyState] => {
      const n = item(norm(updates))
      if (n <= maxNorm) return [updates, state]
      const factor = maxNorm / n
      return [map(updates, (u) => mul(u, factor)), state]
    },
  )
}
