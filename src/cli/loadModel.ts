/**
 * A model file for `eval` and `predict`: the network and parameters (`io.loadModel`, which
 * validates everything) and the description of the data it reads (`modelInfo.ts`).
 */
import * as E from 'fp-ts/lib/Either.js'
import * as io from '../ioNamespace.js'
import { type ModelInfo, decodeModelInfo } from './modelInfo.js'
import { extraKey, isOnnxPath, loadOnnxModel } from './onnxModel.js'
import { type Failure, inputError, usageError } from './outcome.js'

/** A model and how to read a CSV for it. */
export interface UsableModel {
  readonly model: io.SavedModel
  readonly info: ModelInfo
}

/** Loads a model file and its data description, or an `input` failure naming the file. */
export const loadUsableModel = async (path: string): Promise<E.Either<Failure, UsableModel>> => {
  const onnx = isOnnxPath(path) ? await loadOnnxModel(path) : undefined
  if (onnx !== undefined && E.isLeft(onnx)) return inputError(onnx.left)
  const model = onnx !== undefined && E.isRight(onnx) ? E.right(onnx.right.model) : await io.loadModel(path)
  if (E.isLeft(model)) return inputError(model.left.message.replace(/^io\.loadModel: /, ''))
  if (onnx !== undefined && E.isRight(onnx) && onnx.right.metadata[extraKey] === undefined) {
    return inputError(`${path}: the ONNX file has no purenet metadata ("${extraKey}"), so which CSV columns it reads is unknown; export the model with purenet export, which keeps what purenet train recorded`)
  }
  const info = decodeModelInfo(model.right.extra)
  if (E.isLeft(info)) return inputError(`${path}: ${info.left}`)
  const problem = classesProblem(info.right, model.right.net.outSize)
  if (problem !== undefined) return inputError(`${path}: ${problem}`)
  return E.right({ model: model.right, info: info.right })
}

/** Where `eval` or `predict` reads its examples: a CSV file, or IDX images (and labels). */
export type DataSource = { readonly kind: 'csv'; readonly path: string } | { readonly kind: 'idx'; readonly images: string; readonly labels?: string }

/**
 * The data source of `eval` (`labels: true`: labelled data) or `predict`, from its flags, or the
 * usage failure: none given, both given, `--labels` without `--images`, `--target` with images.
 */
export const dataSource = (
  f: { readonly data?: string | undefined; readonly target?: string | undefined; readonly images?: string | undefined; readonly labels?: string | undefined },
  command: 'eval' | 'predict',
): E.Either<Failure, DataSource> => {
  const csvWhat = command === 'eval' ? '--data <test.csv>' : '--data <x.csv>'
  if (f.data !== undefined && (f.images !== undefined || f.labels !== undefined)) return usageError(`--data and --images are two sources of examples; give one: ${csvWhat} for a model trained on a CSV, --images <images-idx> for one trained on IDX images`)
  if (f.images === undefined && f.labels !== undefined) return usageError('--labels needs --images <images-idx>, the images they label')
  if (f.images !== undefined) {
    if (f.target !== undefined) return usageError('--target names a CSV column; with --images the targets are the classes in --labels')
    if (command === 'eval' && f.labels === undefined) return usageError('--images needs --labels <labels-idx>, the class of each image')
    return E.right({ kind: 'idx', images: f.images, ...(f.labels === undefined ? {} : { labels: f.labels }) })
  }
  if (f.data === undefined) return usageError(`${csvWhat} is required: ${command === 'eval' ? 'labelled data: a CSV file with the model\'s feature columns and target' : 'a CSV file with the model\'s feature columns (other columns are ignored)'} (or --images for a model trained on IDX images)`)
  return E.right({ kind: 'csv', path: f.data })
}

/** That a model reads the data source given: IDX images for a model trained on them, a CSV otherwise. */
export const sourceFits = (modelPath: string, info: ModelInfo, source: DataSource): E.Either<Failure, void> => {
  const images = info.images
  if (images !== undefined && source.kind === 'csv') {
    return inputError(`${modelPath}: the model was trained on IDX images ([${images.shape.join(', ')}] each), not CSV columns; give --images <images-idx>${source.path === '' ? '' : ` instead of --data ${source.path}`}`)
  }
  if (images === undefined && source.kind === 'idx') {
    return inputError(`${modelPath}: the model was trained on CSV columns (${info.features.slice(0, 5).join(', ')}${info.features.length > 5 ? ', ...' : ''}), not IDX images; give --data <file.csv>`)
  }
  return E.right(undefined)
}

/**
 * What is wrong with a classification model's class labels, if anything: one non-empty, distinct
 * label per output of the network (a label per column of `predict`'s probabilities).
 */
export const classesProblem = (info: ModelInfo, outputs: number): string | undefined => {
  const classes = info.classes
  if (info.task !== 'classification' || classes === undefined) return undefined
  if (Number.isFinite(outputs) && classes.length !== outputs) {
    return `extra.classes has ${classes.length} labels, but the network has ${outputs} outputs (one per class); the model file is inconsistent: retrain it or correct extra.classes`
  }
  const seen = new Set<string>()
  for (const [i, label] of classes.entries()) {
    if (label.trim() === '') return `extra.classes[${i}] is ${JSON.stringify(label)}; a class label is a non-empty string`
    if (seen.has(label)) return `extra.classes[${i}] repeats the label ${JSON.stringify(label)}; class labels are distinct`
    seen.add(label)
  }
  return undefined
}
