// Downloads of the current model: purenet's model file as the worker writes it, and the same
// model as ONNX, exported on the page from that file (io.decodeModel, then onnx.exportModel).
import * as E from 'fp-ts/lib/Either.js'
import { io, onnx } from 'purenet/browser'
import { download } from './dom.js'

/** Offers the worker's model file as it is. */
export const downloadModel = (text: string): void => download(text, 'application/json', 'purenet-model.json')

/** Offers the model of a model file as ONNX, or says why it cannot be. */
export const downloadOnnx = (text: string): string | undefined => {
  const model = io.decodeModel(text)
  if (E.isLeft(model)) return `ONNX download: ${model.left.message}`
  const bytes = onnx.exportModel(model.right.net, model.right.params)
  if (E.isLeft(bytes)) return `ONNX download: ${bytes.left.message}`
  download(new Uint8Array(bytes.right), 'application/octet-stream', 'purenet-model.onnx')
  return undefined
}
