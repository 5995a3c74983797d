/**
 * A model file for `eval` and `predict`: the network and parameters (`io.loadModel`, which
 * validates everything) and the description of the data it reads (`modelInfo.ts`).
 */
import * as E from 'fp-ts/lib/Either.js'
import * as io from '../io/index.js'
import { type ModelInfo, decodeModelInfo } from './modelInfo.js'
import { type Failure, inputError } from './outcome.js'

/** A model and how to read a CSV for it. */
export interface UsableModel {
  readonly model: io.SavedModel
  readonly info: ModelInfo
}

/** Loads a model file and its data description, or an `input` failure naming the file. */
export const loadUsableModel = async (path: string): Promise<E.Either<Failure, UsableModel>> => {
  const model = await io.loadModel(path)
  if (E.isLeft(model)) return inputError(model.left.message.replace(/^io\.loadModel: /, ''))
  const info = decodeModelInfo(model.right.extra)
  if (E.isLeft(info)) return inputError(`${path}: ${info.left}`)
  return E.right({ model: model.right, info: info.right })
}
