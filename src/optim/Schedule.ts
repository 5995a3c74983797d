/**
 * The type of a learning rate: a number, or a schedule of the step count. Its own file so that
 * the hyperparameter checks and the schedules (which use those checks) both import it without a
 * cycle.
 */

/**
 * A learning rate as a function of the step count (0, 1, 2, ...). @category model
 * @example
 * ```ts
 * const halving: optim.Schedule = (step) => 0.1 * 0.5 ** Math.floor(step / 100)
 * optim.sgd(halving)
 * ```
 */
export type Schedule = (step: number) => number

/**
 * A fixed learning rate or a schedule. @category model
 * @example
 * ```ts
 * const fixed: optim.LearningRate = 0.1
 * const decaying: optim.LearningRate = optim.schedules.cosineDecay(0.1, { decaySteps: 1000 })
 * ```
 */
export type LearningRate = number | Schedule
