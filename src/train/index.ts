/**
 * Training: a pure step from state and batch to the next state, `trainStates` (the lazy scan of
 * states) and `fit` (its last element, with a history).
 */
export * from './TrainState.js'
export * from './step.js'
export * from './fit.js'
