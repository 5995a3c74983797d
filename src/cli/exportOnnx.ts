/**
 * `purenet export`: a model file as an ONNX file that ONNX Runtime (Node, Python, C++ and the
 * servers built on it) runs. The model file's `extra` (what `purenet train` recorded about the
 * data) goes into the ONNX file's metadata, so `eval`, `predict` and `inspect` read the .onnx file
 * as they read the model file.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as io from '../ioNamespace.js'
import { exportOpsets } from '../onnx/index.js'
import { checkOutputs } from './outputs.js'
import { bool, parseFlags, positiveInt, requiredText, usageOf } from './flags.js'
import { dropSource, extraKey } from './onnxModel.js'
import { type Outcome, type Terminal, inputError, usageError } from './outcome.js'

/** The flags of `purenet export`. */
export const exportFlags = {
  model: requiredText('the model file to export', '<model.json>'),
  out: requiredText('where to write the ONNX file', '<model.onnx>'),
  opset: positiveInt(`the ONNX opset, ${exportOpsets.min} to ${exportOpsets.max} (default ${exportOpsets.min})`),
  help: bool('show this help'),
} as const

/** The usage of `purenet export`. */
export const exportUsage = usageOf('purenet export --model <model.json> --out <model.onnx> [--opset N]', exportFlags)

/** Runs `purenet export` with the words after `export`. */
export const exportCommand = async (argv: ReadonlyArray<string>, terminal: Terminal): Promise<Outcome> => {
  const parsed = parseFlags(argv, exportFlags)
  if (E.isLeft(parsed)) return usageError(parsed.left)
  const f = parsed.right.values
  const opset = f.opset ?? exportOpsets.min
  if (opset < exportOpsets.min || opset > exportOpsets.max) return usageError(`--opset must be ${exportOpsets.min} to ${exportOpsets.max}, got ${opset}`)
  const writable = await checkOutputs([{ flag: 'out', path: f.out, kind: 'file' }], [{ flag: 'model', path: f.model }])
  if (E.isLeft(writable)) return writable
  const loaded = await io.loadModel(f.model)
  if (E.isLeft(loaded)) return inputError(loaded.left.message.replace(/^io\.loadModel: /, ''))
  const { net, params, extra } = loaded.right
  const metadata = extra === undefined || Object.keys(extra).length === 0 ? {} : { [extraKey]: JSON.stringify(extra) }
  const saved = await io.saveOnnx(f.out, net, params, { opset, metadata })
  if (E.isLeft(saved)) return inputError(`${f.model}: ${dropSource(saved.left).replace(`${f.out}: `, '')}`)
  terminal.out(`wrote ${f.out}: ${net.name} as ONNX (opset ${opset}, input "x" [batch, ${net.inSize}], output "y" [batch, ${net.outSize}])`)
  return E.right(undefined)
}
