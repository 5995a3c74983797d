/**
 * Feature scaling fitted on the training set: `standardize` (zero mean, unit variance per column)
 * and `minMax` (each column to [0, 1]) return the scaled data and a `Scaler`, a plain JSON value
 * holding the per-column constants, so that the same transform applies to new data (`scale`),
 * can be undone on predictions (`unscale`, for a scaled regression target), and is saved in a
 * model file's `extra` (e.g. `extra: { scaler }`) and read back with `decodeScaler`.
 *
 * A scaler maps column j by x ↦ (x − shift[j]) / scale[j]. Fit it on the training data only and
 * apply it to validation, test and new data: fitting on them leaks their statistics into training.
 *
 * Laws (checked in src/data/Scaler.test.ts):
 * 1. `standardize(x).data` has per-column mean 0 and (population) standard deviation 1, and
 *    `minMax(x).data` per-column minimum 0 and maximum 1, for columns that are not constant.
 * 2. `scale(s, x)` equals the fitted data when `x` is the training data; `unscale(s, scale(s, x))`
 *    is `x` up to rounding.
 * 3. A scaler survives a model file: `decodeScaler(JSON.parse(JSON.stringify(s)))` is `Right(s)`.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { type Tensor, ShapeError, fromData, showShape } from '../tensor/index.js'
import { type DataError, dataError, showValue } from './DataError.js'

const finite = new t.Type<number, number, unknown>('a finite number', (u): u is number => typeof u === 'number' && Number.isFinite(u), (u, c) => (typeof u === 'number' && Number.isFinite(u) ? t.success(u) : t.failure(u, c)), t.identity)
const positive = new t.Type<number, number, unknown>('a positive finite number', (u): u is number => typeof u === 'number' && Number.isFinite(u) && u > 0, (u, c) => (typeof u === 'number' && Number.isFinite(u) && u > 0 ? t.success(u) : t.failure(u, c)), t.identity)

/**
 * The io-ts codec of a `Scaler`:
 * `{ "kind": "standardize" | "minMax", "shift": [numbers], "scale": [positive numbers] }`
 * with as many shifts as scales.
 * @example
 * ```ts
 * data.ScalerCodec.is({ kind: 'standardize', shift: [0], scale: [1] }) // true
 * ```
 * @category codecs
 */
export const ScalerCodec = t.readonly(t.type({
  kind: t.keyof({ standardize: null, minMax: null }, "'standardize' or 'minMax'"),
  shift: t.readonlyArray(finite, 'an array of finite numbers'),
  scale: t.readonlyArray(positive, 'an array of positive numbers'),
}), 'Scaler')

/**
 * A fitted per-column affine transform x ↦ (x − shift[j]) / scale[j]: mean and standard deviation
 * for `standardize`, minimum and range for `minMax`. Plain JSON data (saved as it is in a model
 * file's `extra`).
 * @example
 * ```ts
 * const { scaler } = data.standardize(tensor([[1], [3]]))
 * const kept: data.Scaler = scaler // { kind: 'standardize', shift: [2], scale: [1] }
 * ```
 * @category model
 */
export type Scaler = t.TypeOf<typeof ScalerCodec>

/**
 * What `standardize` and `minMax` return: the scaled data and the scaler that made it. @category model
 * @example
 * ```ts
 * const scaled: data.Scaled = data.standardize(tensor([[1], [3]]))
 * scaled.data // [[-1], [1]]
 * ```
 */
export interface Scaled {
  readonly data: Tensor
  readonly scaler: Scaler
}

// The columns of a [n, k] tensor ([n] is one column).
const columnsOf = (op: string, x: Tensor): { readonly n: number; readonly k: number } => {
  if (x.shape.length === 1) return { n: x.shape[0]!, k: 1 }
  if (x.shape.length === 2) return { n: x.shape[0]!, k: x.shape[1]! }
  throw new ShapeError(op, [x.shape], `expects examples in rows, [n, columns] or [n], got ${showShape(x.shape)}; reshape first`)
}

const fit = (op: string, kind: Scaler['kind'], x: Tensor): Scaled => {
  const { n, k } = columnsOf(op, x)
  if (n === 0) throw new RangeError(`${op}: there are no rows to fit the scaler on`)
  const shift: number[] = []
  const scale: number[] = []
  for (let j = 0; j < k; j++) {
    let lo = Infinity
    let hi = -Infinity
    let sum = 0
    for (let i = 0; i < n; i++) {
      const v = x.data[i * k + j]!
      if (!Number.isFinite(v)) throw new RangeError(`${op}: row ${i}, column ${j} is ${v}; scale finite data only`)
      sum += v
      if (v < lo) lo = v
      if (v > hi) hi = v
    }
    const mean = sum / n
    let squares = 0
    for (let i = 0; i < n; i++) squares += (x.data[i * k + j]! - mean) ** 2
    const spread = kind === 'standardize' ? Math.sqrt(squares / n) : hi - lo
    shift.push(kind === 'standardize' ? mean : lo)
    // A constant column has no spread: it becomes 0 rather than NaN.
    scale.push(spread > 0 && Number.isFinite(spread) ? spread : 1)
  }
  const scaler: Scaler = Object.freeze({ kind, shift: Object.freeze(shift), scale: Object.freeze(scale) })
  return Object.freeze({ data: scale_(op, scaler, x), scaler })
}

const affine = (op: string, s: Scaler, x: Tensor, inverse: boolean): Tensor => {
  const { n, k } = columnsOf(op, x)
  if (k !== s.shift.length) {
    throw new ShapeError(op, [x.shape], `the scaler was fitted on ${s.shift.length} column${s.shift.length === 1 ? '' : 's'}, the data has ${k}; scale data with the columns it was fitted on`)
  }
  const out = x.dtype === 'float64' ? new Float64Array(n * k) : new Float32Array(n * k)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const v = x.data[i * k + j]!
      out[i * k + j] = inverse ? v * s.scale[j]! + s.shift[j]! : (v - s.shift[j]!) / s.scale[j]!
    }
  }
  return fromData(x.shape, out)
}

const scale_ = (op: string, s: Scaler, x: Tensor): Tensor => affine(op, s, x, false)

/**
 * Standardises each column of `x` ([n, columns] or [n]) to mean 0 and standard deviation 1,
 * fitted on `x`: (x − mean) / std, with the population std (a constant column becomes 0).
 * @example
 * ```ts
 * const { data: xTrain, scaler } = data.standardize(tensor([[1, 200], [3, 400]]))
 * const xTest = data.scale(scaler, tensor([[2, 300]])) // [[0, 0]]
 * ```
 * @category scaling
 */
export const standardize = (x: Tensor): Scaled => fit('data.standardize', 'standardize', x)

/**
 * Rescales each column of `x` ([n, columns] or [n]) to [0, 1], fitted on `x`: (x − min) / (max − min)
 * (a constant column becomes 0). New data outside the training range maps outside [0, 1].
 * @example
 * ```ts
 * const { data: scaled, scaler } = data.minMax(tensor([[0], [5], [10]])) // [[0], [0.5], [1]]
 * ```
 * @category scaling
 */
export const minMax = (x: Tensor): Scaled => fit('data.minMax', 'minMax', x)

/**
 * Applies a fitted scaler to new data with the same columns: (x − shift) / scale, column by
 * column, in the dtype of `x`. A `ShapeError` when the number of columns differs.
 * @example
 * ```ts
 * const { scaler } = data.standardize(tensor([[1], [3]]))
 * data.scale(scaler, tensor([[2], [5]])) // [[0], [3]]: the training set's mean and deviation
 * ```
 * @category scaling
 */
export const scale = (scaler: Scaler, x: Tensor): Tensor => scale_('data.scale', scaler, x)

/**
 * Undoes a scaler: y · scale + shift, column by column. Turns the predictions of a network trained
 * on a scaled target back into the target's units.
 * @example
 * ```ts
 * const { scaler } = data.standardize(tensor([[100_000], [300_000]]))
 * const prices = data.unscale(scaler, tensor([[0], [1]])) // [[200000], [300000]]
 * ```
 * @category scaling
 */
export const unscale = (scaler: Scaler, y: Tensor): Tensor => affine('data.unscale', scaler, y, true)

/**
 * Decodes a scaler from outside (a model file's `extra.scaler`, parsed JSON): `Right` of the
 * scaler, or `Left(DataError)` naming the path of the first bad field. `path` names where `u`
 * was found, for the message.
 * @example
 * ```ts
 * const { scaler } = data.standardize(tensor([[1], [3]]))
 * data.decodeScaler(JSON.parse(JSON.stringify(scaler)), 'extra.scaler') // Right(scaler)
 * ```
 * @category codecs
 */
export const decodeScaler = (u: unknown, path = 'scaler'): E.Either<DataError, Scaler> => {
  const r = ScalerCodec.decode(u)
  if (E.isLeft(r)) {
    const first = r.left[0]
    const keys = first === undefined ? [] : first.context.slice(1).map((c) => c.key)
    const where = keys.reduce((p, key) => (/^\d+$/.test(key) ? `${p}[${key}]` : `${p}.${key}`), path)
    const expected = first?.context[first.context.length - 1]?.type.name ?? 'a scaler'
    const got = first === undefined || first.value === undefined ? 'missing' : `got ${showValue(first.value)}`
    return E.left(dataError('data.decodeScaler', `${where}: expected ${expected}, ${got}; a scaler is { kind: 'standardize' | 'minMax', shift: [...], scale: [...] }`, { path: where }))
  }
  const s = r.right
  if (s.shift.length !== s.scale.length) {
    return E.left(dataError('data.decodeScaler', `${path}: ${s.shift.length} shifts but ${s.scale.length} scales; a scaler has one of each per column`, { path }))
  }
  return E.right(Object.freeze({ kind: s.kind, shift: Object.freeze(s.shift.slice()), scale: Object.freeze(s.scale.slice()) }))
}
