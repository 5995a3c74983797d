/**
 * `.onnx` model files for the commands: `eval`, `predict`, `inspect` and `train` take one where
 * they take a model file (a file whose name ends in `.onnx`). The file's network and weights come
 * from `io.loadOnnx`; what `purenet train` recorded about the data (`extra`, `modelInfo.ts`) comes
 * from the metadata `purenet export` writes (`metadata_props["purenet.extra"]`, the JSON text of
 * the model file's `extra`). An ONNX file from elsewhere has no such metadata: `inspect` and
 * `train` read it all the same; `eval` and `predict` say what is missing.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as io from '../ioNamespace.js'
import type { OnnxError } from '../onnx/index.js'

/** The metadata key under which `purenet export` keeps a model file's `extra`. */
export const extraKey = 'purenet.extra'

/** Whether a path names an ONNX file (its name ends in `.onnx`, any case). */
export const isOnnxPath = (path: string): boolean => /\.onnx$/i.test(path)

/** An ONNX file read as a model: network, parameters, the input's shape, and `extra` from its metadata (`{}` when it has none). */
export interface OnnxModel {
  readonly model: io.SavedModel
  readonly inputShape: ReadonlyArray<number>
  readonly metadata: Readonly<Record<string, string>>
}

const isJsonObject = (u: unknown): u is io.JsonObject => typeof u === 'object' && u !== null && !Array.isArray(u)

/** Reads an ONNX file, or the message (without the `io.loadOnnx: ` prefix) saying why it cannot be read. */
export const loadOnnxModel = async (path: string): Promise<E.Either<string, OnnxModel>> => {
  const loaded = await io.loadOnnx(path)
  if (E.isLeft(loaded)) return E.left(dropSource(loaded.left))
  const text = loaded.right.metadata[extraKey]
  let extra: io.JsonObject = {}
  if (text !== undefined) {
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      parsed = undefined
    }
    if (!isJsonObject(parsed)) return E.left(`${path}: metadata "${extraKey}" is not a JSON object; the file was not written by purenet export, or was edited`)
    extra = parsed
  }
  // The network and its parameters come from importModel together: serial's parameters are the
  // array of its layers' parameters, which SavedModel types through the layer (ParamsOf).
  const model = { net: loaded.right.net, params: loaded.right.params, extra } as unknown as io.SavedModel
  return E.right({ model, inputShape: loaded.right.inputShape, metadata: loaded.right.metadata })
}

/** An `OnnxError`'s message without its source. */
export const dropSource = (e: OnnxError): string => e.message.replace(/^(io\.loadOnnx|io\.saveOnnx|onnx\.[a-zA-Z]+): /, '')
