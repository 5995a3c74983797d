/**
 * The type of a learning rate: a number, or a schedule of the step count. Its own file so that
 * the hyperparameter checks and the schedules (which use those checks) both import it without a
 * cycle.
 */

/** A learning rate as a function of the step count (0, 1, 2, ...). @category model */
export type Schedule = (step: number) => number

/** A fixed learning rate or a schedule. @category model */
export type LearningRate = number | Schedule
