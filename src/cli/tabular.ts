/**
 * CSV files as the command reads them, through `data.fromCsv` (RFC 4180, errors naming the line
 * and column): training data (every column but the target is a feature), labelled data for a
 * trained model (its features in its order, its class labels), and features alone for `predict`.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as data from '../data/index.js'
import { type Tensor, fromData } from '../tensor/index.js'
import { readFileChunks } from '../io/boundedRead.js'
import { maxFileBytes } from './files.js'
import type { ModelInfo } from './modelInfo.js'
import { type Failure, inputError } from './outcome.js'

const what = 'a CSV file with a header row'

// "data.fromCsv: line 3, ..." reads better on a command line as "file: line 3, ...".
const csvFailure = (path: string, e: data.DataError): E.Either<Failure, never> => inputError(`${path}: ${e.message.replace(/^data\.fromCsv: /, '')}`)

/**
 * Decodes a CSV file as it is read, chunk by chunk (`data.csvDecoder`): the file never becomes one
 * string, so memory is about the size of the dataset (4 bytes a feature cell) plus one chunk, and
 * a file of up to `maxFileBytes` (1 GiB) is read; a bigger one, a FIFO or a device is refused
 * before a byte is read.
 */
const readCsv = async (path: string, options: data.CsvOptions): Promise<E.Either<Failure | data.DataError, data.CsvData>> => {
  const decoder = data.csvDecoder(options)
  const utf8 = new TextDecoder('utf-8', { fatal: true })
  let notText = false
  const read = await readFileChunks(path, maxFileBytes, (chunk) => {
    try {
      return decoder.push(utf8.decode(chunk, { stream: true }))
    } catch {
      notText = true
      return false
    }
  })
  if (E.isLeft(read)) {
    const p = read.left
    return inputError(p.kind === 'not-a-file' ? `${path}: ${p.detail}; give the path of ${what}`
      : p.kind === 'system' ? `${path}: cannot read the file: ${p.detail}`
      : p.kind === 'too-big' ? `${path}: ${p.detail} the command reads (a CSV is held in memory as 4-byte numbers: split the file or sample it)`
      : `${path}: ${p.detail}`)
  }
  if (!notText) {
    try {
      decoder.push(utf8.decode())
    } catch {
      notText = true
    }
  }
  if (notText) return inputError(`${path}: not UTF-8 text; expected ${what}`)
  return decoder.end()
}

const isFailure = (e: Failure | data.DataError): e is Failure => !data.isDataError(e)

/** The task of `purenet train --task`: `auto` reads numbers as a regression target, labels as classes. */
export type TaskFlag = 'auto' | 'classification' | 'regression'

/** Training data: all columns but `target` are features. */
export const readTrainingData = async (path: string, target: string, task: TaskFlag): Promise<E.Either<Failure, data.CsvData>> => {
  const r = await readCsv(path, { target, task })
  return E.isRight(r) ? r : isFailure(r.left) ? E.left(r.left) : csvFailure(path, r.left)
}

/** Labelled data for a trained model: its features in its order, its target and classes. */
export const readLabelledData = async (path: string, info: ModelInfo): Promise<E.Either<Failure, data.CsvData>> => {
  const r = await readCsv(path, {
    target: info.target,
    features: info.features,
    task: info.task,
    ...(info.classes === undefined ? {} : { classes: info.classes }),
  })
  return E.isRight(r) ? r : isFailure(r.left) ? E.left(r.left) : csvFailure(path, r.left)
}

/**
 * The feature columns of a CSV, [n, features.length], in the order given; other columns (the
 * target, an id) are ignored. `fromCsv` always reads a target, so the first feature is read as a
 * numeric target and put back in front of the others.
 */
export const readFeatures = async (path: string, features: ReadonlyArray<string>): Promise<E.Either<Failure, Tensor>> => {
  const [first, ...rest] = features
  if (first === undefined) return inputError(`${path}: the model reads no feature columns`)
  if (rest.length === 0) {
    return inputError(`${path}: predicting with a one-feature model needs data.fromCsv to read a CSV without a target, which it cannot yet; add the model's target column (any values) to the CSV`)
  }
  const r = await readCsv(path, { target: first, features: rest, task: 'regression' })
  if (E.isLeft(r) && isFailure(r.left)) return E.left(r.left)
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
