/**
 * A model file for `eval` and `predict`: the network and parameters (`io.loadModel`, which
 * validates everything) and the description of the data it reads (`modelInfo.ts`).
 */
import * as E from 'fp-ts/lib/Either.js'
import * as io from '../ioNamespace.js'
import { type ModelInfo, decodeModelInfo } from './modelInfo.js'
import { extraKey, isOnnxPath, loadOnnxModel } from './onnxModel.js'
import { type Failure, inputError } from './outcome.js'

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
