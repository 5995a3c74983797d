/**
 * Training: a pure step from state and batch to the next state, a run plan (the options checked
 * once), the one scan of training over it, and its views: `trainStates` (the lazy scan of
 * states), `fit` (its last element, with a history), `fitEither` (a divergence as a value), and
 * checkpoints: `fit` hands them to an injected writer and `resume` continues from one, bit for bit
 * (`checkpoint.ts`).
 */
export * from './TrainState.js'
export * from './step.js'
export * from './FitOptions.js'
export * from './initialState.js'
export { type RunPlan, plan } from './plan.js'
export * from './fit.js'
export * from './fitAsync.js'
export * from './checkpoint.js'
export { type EarlyStopping, type Watch, type WithBest, earlyStoppingProblem, startWatch, watch, watchEpoch, watchedMetric } from './earlyStopping.js'
