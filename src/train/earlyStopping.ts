/**
 * Early stopping: watch one value of the epoch records (by default `val_loss`, the loss on the
 * validation data) and stop the fold when it has not improved for `patience` epochs in a row;
 * optionally hand back the state of the best epoch. It is a pure fold over the history's epoch
 * records (`watch`), so a resumed run recomputes it from the checkpoint's history and stops at the
 * same epoch as the uninterrupted run.
 *
 * Improvement (as Keras's `EarlyStopping`): in `min` mode a value improves on the best so far when
 * it is below `best - minDelta`, in `max` mode when it is above `best + minDelta`; the first
 * epoch always improves. After each epoch, `wait` is the number of epochs since the last
 * improvement; the run stops when `wait` reaches `patience`.
 */
import type { Tree } from '../tree/index.js'
import type { EpochRecord, TrainState } from './TrainState.js'

/**
 * The `earlyStopping` option of `fit`. @category training
 * @example
 * ```ts
 * const earlyStopping: train.EarlyStopping = { metric: 'val_loss', patience: 5, minDelta: 1e-4 }
 * ```
 */
export interface EarlyStopping {
  /**
   * The value watched: `'val_loss'` (default; needs `validation`), `'loss'` (the epoch's mean
   * training loss) or any name of the epoch's metrics (`'val_accuracy'`, a key of `metrics`).
   */
  readonly metric?: string
  /** Stop after this many epochs in a row without improvement (a positive integer). */
  readonly patience: number
  /** The smallest change that counts as an improvement (default 0). */
  readonly minDelta?: number
  /** Whether lower (`'min'`) or higher (`'max'`) is better; default `'max'` for a name containing `accuracy`, else `'min'`. */
  readonly mode?: 'min' | 'max'
  /**
   * Return the state at the end of the best epoch rather than the last (default true). With
   * checkpoints, the best state is saved in each one, so a resumed run returns it too.
   */
  readonly restoreBest?: boolean
}

/**
 * Where early stopping stands after some epochs. Epochs are 0-based indices into `history.epochs`. @category training
 * @example
 * ```ts
 * const w: train.Watch = train.watch({ metric: 'loss', patience: 2 }, [{ epoch: 0, loss: 1, metrics: {} }])
 * ```
 */
export interface Watch {
  /** The epoch with the best value so far, `undefined` before the first epoch. */
  readonly bestEpoch: number | undefined
  readonly best: number
  /** Epochs since the last improvement. */
  readonly wait: number
  /** Whether the run should stop now. */
  readonly stop: boolean
}

/**
 * The watched value's name and direction, with defaults applied. @category training
 * @example
 * ```ts
 * train.watchedMetric({ patience: 5 }) // { metric: 'val_loss', mode: 'min' }
 * ```
 */
export const watchedMetric = (es: EarlyStopping): { readonly metric: string; readonly mode: 'min' | 'max' } => {
  const metric = es.metric ?? 'val_loss'
  return { metric, mode: es.mode ?? (metric.toLowerCase().includes('accuracy') ? 'max' : 'min') }
}

/**
 * Why an `earlyStopping` option is not valid, or `undefined` when it is. @category training
 * @example
 * ```ts
 * train.earlyStoppingProblem({ patience: -1 }, true) // a sentence naming the bad field, or undefined
 * ```
 */
export const earlyStoppingProblem = (es: EarlyStopping, hasValidation: boolean): string | undefined => {
  if (!Number.isSafeInteger(es.patience) || es.patience < 1) return `earlyStopping.patience must be a positive integer (epochs without improvement), got ${es.patience}`
  if (es.minDelta !== undefined && !(Number.isFinite(es.minDelta) && es.minDelta >= 0)) return `earlyStopping.minDelta must be a non-negative number, got ${es.minDelta}`
  if (es.mode !== undefined && es.mode !== 'min' && es.mode !== 'max') return `earlyStopping.mode must be 'min' or 'max', got ${String(es.mode)}`
  const { metric } = watchedMetric(es)
  if (metric.startsWith('val_') && !hasValidation) return `earlyStopping watches '${metric}', which needs validation data: pass validation: dataset, or watch 'loss'`
  return undefined
}

/** The value an epoch record gives the watched metric; throws naming the values there are. @category training */
export const watchedValue = (metric: string, record: EpochRecord): number => {
  const v = metric === 'loss' ? record.loss : record.metrics[metric]
  if (v === undefined) {
    throw new RangeError(`train.fit: earlyStopping.metric '${metric}' is not among the values of epoch ${record.epoch + 1} (loss${Object.keys(record.metrics).map((k) => `, ${k}`).join('')}); name one of them`)
  }
  return v
}

/**
 * The start of the watch, before any epoch. @category training
 * @example
 * ```ts
 * train.watchEpoch({ metric: 'loss', patience: 3 }, train.startWatch, { epoch: 0, loss: 0.5, metrics: {} })
 * ```
 */
export const startWatch: Watch = Object.freeze({ bestEpoch: undefined, best: NaN, wait: 0, stop: false })

/**
 * The watch after one more epoch record (pure). @category training
 * @example
 * ```ts
 * const w = train.watchEpoch({ metric: 'loss', patience: 3 }, train.startWatch, { epoch: 0, loss: 0.5, metrics: {} })
 * ```
 */
export const watchEpoch = (es: EarlyStopping, w: Watch, record: EpochRecord): Watch => {
  const { metric, mode } = watchedMetric(es)
  const v = watchedValue(metric, record)
  const delta = es.minDelta ?? 0
  const better = w.bestEpoch === undefined || (mode === 'min' ? v < w.best - delta : v > w.best + delta)
  const wait = better ? 0 : w.wait + 1
  return Object.freeze({ bestEpoch: better ? record.epoch : w.bestEpoch, best: better ? v : w.best, wait, stop: wait >= es.patience })
}

/**
 * The watch after the epochs of a history: the fold `watchEpoch` over them. @category training
 * @example
 * ```ts
 * const w = train.watch({ metric: 'loss', patience: 2 }, [{ epoch: 0, loss: 1, metrics: {} }, { epoch: 1, loss: 1.1, metrics: {} }])
 * w.bestEpoch // 0
 * ```
 */
export const watch = (es: EarlyStopping, epochs: ReadonlyArray<EpochRecord>): Watch => epochs.reduce((w, r) => watchEpoch(es, w, r), startWatch)

/**
 * The optimizer state that a checkpoint of a run with `earlyStopping.restoreBest` holds: the
 * optimizer's own state, and the state of the best epoch so far (absent before the first epoch
 * ends). It lives there because a checkpoint file keeps parameters, optimizer state, step and key
 * and nothing else; `resume` takes it apart again.
 * @category checkpoints
 * @example
 * ```ts
 * const params = { w: tensor([1]) }
 * const state: train.WithBest<typeof params, optim.CountState> = { optimizer: { count: 3 }, best: { params, optState: { count: 2 }, step: 2 } }
 * ```
 */
export interface WithBest<P, S> {
  readonly optimizer: S
  readonly best?: { readonly params: P; readonly optState: S; readonly step: number }
}

/** A state whose optimizer state also carries the best state (for a checkpoint). @category checkpoints */
export const withBest = <P extends Tree, S>(state: TrainState<P, S>, best: TrainState<P, S> | undefined): TrainState<P, WithBest<P, S>> =>
  Object.freeze({
    ...state,
    optState: Object.freeze(best === undefined ? { optimizer: state.optState } : { optimizer: state.optState, best: Object.freeze({ params: best.params, optState: best.optState, step: best.step }) }),
  })

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> => typeof u === 'object' && u !== null && !Array.isArray(u)

/**
 * Whether an optimizer state has the form `WithBest` (a record of `optimizer` and perhaps `best`).
 * The form is checked, not the types of `P` and `S` (`resumeProblem` checks that the parts fit
 * the run), so name them only for a state that a run of the same network and optimizer wrote.
 * @category checkpoints
 */
export const isWithBest = <P = unknown, S = unknown>(u: unknown): u is WithBest<P, S> =>
  isRecord(u) && Object.hasOwn(u, 'optimizer') && Object.keys(u).every((k) => k === 'optimizer' || k === 'best') &&
  (!Object.hasOwn(u, 'best') || (isRecord(u['best']) && Object.hasOwn(u['best'], 'params') && Object.hasOwn(u['best'], 'optState') && typeof u['best']['step'] === 'number'))
