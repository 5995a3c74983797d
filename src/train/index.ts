/**
 * Training: a pure step from state and batch to the next state, `trainStates` (the lazy scan of
 * states), `fit` (its last element, with a history), and checkpoints: `fit` hands them to an injected
 * writer and `resume` continues from one, bit for bit (`checkpoint.ts`).
 */
export * from './TrainState.js'
export * from './step.js'
export * from './fit.js'
export * from './checkpoint.js'
export { type EarlyStopping, type Watch, type WithBest, earlyStoppingProblem, startWatch, watch, watchEpoch, watchedMetric } from './earlyStopping.js'
