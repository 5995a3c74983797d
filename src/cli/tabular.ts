/**
 * CSV files as the command reads them, through `data.fromCsv` (RFC 4180, errors naming the line
 * and column): training data (every column but the target is a feature), labelled data for a
 * trained model (its features in its order, its class labels), and features alone for `predict`.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as data from '../data/index.js'
import { type Tensor, fromData } from '../tensor/index.js'
import { readText } from './files.js'
import type { ModelInfo } from './modelInfo.js'
import { type Failure, inputError } from './outcome.js'

const what = 'a CSV file with a header row'

// "data.fromCsv: line 3, ..." reads better on a command line as "file: line 3, ...".
const csvFailure = (path: string, e: data.DataError): E.Either<Failure, never> => inputError(`${path}: ${e.message.replace(/^data\.fromCsv: /, '')}`)

/** The task of `purenet train --task`: `auto` reads numbers as a regression target, labels as classes. */
export type TaskFlag = 'auto' | 'classification' | 'regression'

/** Training data: all columns but `target` are features. */
export const readTrainingData = async (path: string, target: string, task: TaskFlag): Promise<E.Either<Failure, data.CsvData>> => {
  const text = await readText(path, what)
  if (E.isLeft(text)) return text
  const r = data.fromCsv(text.right, { target, task })
  return E.isLeft(r) ? csvFailure(path, r.left) : r
}

/** Labelled data for a trained model: its features in its order, its target and classes. */
export const readLabelledData = async (path: string, info: ModelInfo): Promise<E.Either<Failure, data.CsvData>> => {
  const text = await readText(path, what)
  if (E.isLeft(text)) return text
  const r = data.fromCsv(text.right, {
    target: info.target,
    features: info.features,
    task: info.task,
    ...(info.classes === undefined ? {} : { classes: info.classes }),
  })
  return E.isLeft(r) ? csvFailure(path, r.left) : r
}

/**
 * The feature columns of a CSV, [n, features.length], in the order given; other columns (the
 * target, an id) are ignored. `fromCsv` always reads a target, so the first feature is read as a
 * numeric target and put back in front of the others.
 */
export const readFeatures = async (path: string, features: ReadonlyArray<string>): Promise<E.Either<Failure, Tensor>> => {
  const text = await readText(path, what)
  if (E.isLeft(text)) return text
  const [first, ...rest] = features
  if (first === undefined) return inputError(`${path}: the model reads no feature columns`)
  if (rest.length === 0) {
    return inputError(`${path}: predicting with a one-feature model needs data.fromCsv to read a CSV without a target, which it cannot yet; add the model's target column (any values) to the CSV`)
  }
  const r = data.fromCsv(text.right, { target: first, features: rest, task: 'regression' })
  if (E.isLeft(r)) return inputError(`${path}: ${r.left.message.replace(/^data\.fromCsv: /, '').replace(/ \(task is 'regression'\)$/, '')}`)
  const { x, y } = r.right.dataset
  const n = x.shape[0]!
  const k = features.length
  const out = new Float32Array(n * k)
  for (let i = 0; i < n; i++) {
    out[i * k] = y.data[i]!
    for (let j = 1; j < k; j++) out[i * k + j] = x.data[i * (k - 1) + j - 1]!
  }
  return E.right(fromData([n, k], out))
}
