/**
 * Learning-rate schedules: pure functions from the step count (0 for the first update, as the
 * count stored in an optimizer's state) to a number. Wherever a learning rate is accepted, a
 * `number` or a `Schedule` may be given; a number is `constant(number)`.
 *
 * Laws (checked in src/optim/schedules.test.ts):
 * 1. A schedule built from finite, valid hyperparameters gives a finite number at every step.
 * 2. `warmup(s, { steps })` agrees with `s(t - steps)` from step `steps` on.
 */
import { fraction, nonNegative, nonNegativeInteger, positive, positiveInteger, toSchedule } from './hyperparameters.js'
import type { Schedule } from './Schedule.js'

export type { LearningRate, Schedule } from './Schedule.js'

const finite = (op: string, name: string, value: number): number => {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new RangeError(`${op}: ${name} must be a finite number, got ${String(value)}`)
  return value
}

/**
 * The same value at every step. @category schedules
 * @example
 * ```ts
 * optim.sgd(optim.schedules.constant(0.1)) // the same as sgd(0.1)
 * ```
 */
export const constant = (value: number): Schedule => {
  finite('optim.schedules.constant', 'value', value)
  return () => value
}

/**
 * `values[i]` for `boundaries[i - 1] <= step < boundaries[i]`: `values[0]` before the first
 * boundary, the last value from the last boundary on. Boundaries are increasing step counts and
 * there is one more value than boundaries (Keras's `PiecewiseConstantDecay`, with the switch at
 * the boundary itself as in optax).
 * @example
 * ```ts
 * const lr = optim.schedules.piecewiseConstant([1000, 2000], [0.1, 0.01, 0.001])
 * lr(1500) // 0.01
 * ```
 * @category schedules
 */
export const piecewiseConstant = (boundaries: ReadonlyArray<number>, values: ReadonlyArray<number>): Schedule => {
  const op = 'optim.schedules.piecewiseConstant'
  if (values.length !== boundaries.length + 1) {
    throw new RangeError(`${op}: needs one more value than boundaries, got ${boundaries.length} boundaries and ${values.length} values`)
  }
  boundaries.forEach((b, i) => {
    nonNegativeInteger(op, `boundaries[${i}]`, b)
    if (i > 0 && b <= boundaries[i - 1]!) throw new RangeError(`${op}: boundaries must increase, got ${boundaries[i - 1]} then ${b} at index ${i}`)
  })
  values.forEach((v, i) => finite(op, `values[${i}]`, v))
  const bs = boundaries.slice()
  const vs = values.slice()
  return (step) => {
    let i = 0
    while (i < bs.length && step >= bs[i]!) i++
    return vs[i]!
  }
}

/**
 * Options of `stepDecay`. @category schedules
 * @example
 * ```ts
 * const options: optim.schedules.StepDecayOptions = { stepSize: 1000, factor: 0.1 }
 * optim.schedules.stepDecay(0.1, options)
 * ```
 */
export interface StepDecayOptions {
  /** The number of steps between decays. */
  readonly stepSize: number
  /** The factor applied at every decay (default 0.1). */
  readonly factor?: number
}

/**
 * `initialValue · factor^floor(step / stepSize)` (PyTorch's `StepLR`).
 * @example
 * ```ts
 * const lr = optim.schedules.stepDecay(0.1, { stepSize: 100, factor: 0.5 })
 * lr(250) // 0.025
 * ```
 * @category schedules
 */
export const stepDecay = (initialValue: number, options: StepDecayOptions): Schedule => {
  const op = 'optim.schedules.stepDecay'
  finite(op, 'initialValue', initialValue)
  const stepSize = positiveInteger(op, 'stepSize', options.stepSize)
  const factor = nonNegative(op, 'factor', options.factor ?? 0.1)
  return (step) => initialValue * factor ** Math.floor(step / stepSize)
}

/**
 * Options of `exponentialDecay`. @category schedules
 * @example
 * ```ts
 * const options: optim.schedules.ExponentialDecayOptions = { transitionSteps: 100, decayRate: 0.9, staircase: true }
 * optim.schedules.exponentialDecay(0.1, options)
 * ```
 */
export interface ExponentialDecayOptions {
  /** The number of steps over which the value is multiplied by `decayRate` once. */
  readonly transitionSteps: number
  /** The factor per `transitionSteps` steps (positive; below 1 to decay). */
  readonly decayRate: number
  /** Decay in whole jumps every `transitionSteps` steps instead of smoothly (default false). */
  readonly staircase?: boolean
  /** Hold `initialValue` for this many steps first (default 0). */
  readonly transitionBegin?: number
  /** A bound the value does not pass (a floor when decaying, a ceiling when growing). */
  readonly endValue?: number
}

/**
 * `initialValue · decayRate^((step - transitionBegin) / transitionSteps)`, with the exponent
 * floored when `staircase`, held at `initialValue` before `transitionBegin` and bounded by
 * `endValue` (optax's `exponential_decay`).
 * @example
 * ```ts
 * const lr = optim.schedules.exponentialDecay(0.1, { transitionSteps: 100, decayRate: 0.5 })
 * lr(100) // 0.05
 * ```
 * @category schedules
 */
export const exponentialDecay = (initialValue: number, options: ExponentialDecayOptions): Schedule => {
  const op = 'optim.schedules.exponentialDecay'
  finite(op, 'initialValue', initialValue)
  const transitionSteps = positiveInteger(op, 'transitionSteps', options.transitionSteps)
  const rate = positive(op, 'decayRate', options.decayRate, 'use a value below 1 to decay (e.g. 0.96)')
  const begin = nonNegativeInteger(op, 'transitionBegin', options.transitionBegin ?? 0)
  const staircase = options.staircase ?? false
  const end = options.endValue === undefined ? undefined : finite(op, 'endValue', options.endValue)
  return (step) => {
    if (step < begin) return initialValue
    const p = (step - begin) / transitionSteps
    const v = initialValue * rate ** (staircase ? Math.floor(p) : p)
    if (end === undefined) return v
    return rate < 1 ? Math.max(v, end) : Math.min(v, end)
  }
}

/**
 * Options of `cosineDecay`. @category schedules
 * @example
 * ```ts
 * const options: optim.schedules.CosineDecayOptions = { decaySteps: 1000, alpha: 0.01 }
 * optim.schedules.cosineDecay(0.1, options)
 * ```
 */
export interface CosineDecayOptions {
  /** The number of steps from `initialValue` down to `alpha · initialValue`. */
  readonly decaySteps: number
  /** The final value as a fraction of the initial one, in [0, 1] (default 0). */
  readonly alpha?: number
}

/**
 * Cosine annealing (Loshchilov and Hutter's SGDR without restarts, optax's `cosine_decay_schedule`):
 * `initialValue · ((1 - alpha) · (1 + cos(π · min(step, decaySteps) / decaySteps)) / 2 + alpha)`.
 * @example
 * ```ts
 * const lr = optim.schedules.cosineDecay(0.1, { decaySteps: 1000 })
 * lr(0) // 0.1
 * lr(1000) // 0
 * ```
 * @category schedules
 */
export const cosineDecay = (initialValue: number, options: CosineDecayOptions): Schedule => {
  const op = 'optim.schedules.cosineDecay'
  finite(op, 'initialValue', initialValue)
  const decaySteps = positiveInteger(op, 'decaySteps', options.decaySteps)
  const alpha = fraction(op, 'alpha', options.alpha ?? 0)
  return (step) => {
    const cosine = 0.5 * (1 + Math.cos((Math.PI * Math.min(step, decaySteps)) / decaySteps))
    return initialValue * ((1 - alpha) * cosine + alpha)
  }
}

/**
 * A straight line from `initialValue` at step 0 to `endValue` at step `transitionSteps`, then
 * `endValue` (optax's `linear_schedule`).
 * @example
 * ```ts
 * const lr = optim.schedules.linear(0.1, 0, 1000)
 * lr(500) // 0.05
 * ```
 * @category schedules
 */
export const linear = (initialValue: number, endValue: number, transitionSteps: number): Schedule => {
  const op = 'optim.schedules.linear'
  finite(op, 'initialValue', initialValue)
  finite(op, 'endValue', endValue)
  positiveInteger(op, 'transitionSteps', transitionSteps)
  return (step) => (step >= transitionSteps ? endValue : initialValue + ((endValue - initialValue) * step) / transitionSteps)
}

/**
 * Options of `warmup`. @category schedules
 * @example
 * ```ts
 * const options: optim.schedules.WarmupOptions = { steps: 500, initialValue: 0 }
 * optim.schedules.warmup(0.1, options)
 * ```
 */
export interface WarmupOptions {
  /** The number of warm-up steps. */
  readonly steps: number
  /** The value at step 0 (default 0). */
  readonly initialValue?: number
}

/**
 * Linear warm-up composed with another schedule: from `initialValue` at step 0 rising linearly to
 * `schedule(0)` at step `steps`, then `schedule(step - steps)` (so the schedule starts where the
 * warm-up ends, as optax's `join_schedules`). A number stands for a constant schedule.
 * @example
 * ```ts
 * const lr = optim.schedules.warmup(optim.schedules.cosineDecay(0.1, { decaySteps: 900 }), { steps: 100 })
 * const opt = optim.adam(lr)
 * ```
 * @category schedules
 */
export const warmup = (schedule: number | Schedule, options: WarmupOptions): Schedule => {
  const op = 'optim.schedules.warmup'
  const after = toSchedule(op, schedule, 'schedule')
  const steps = positiveInteger(op, 'steps', options.steps)
  const start = finite(op, 'initialValue', options.initialValue ?? 0)
  const peak = after(0)
  return (step) => (step < steps ? start + ((peak - start) * step) / steps : after(step - steps))
}
