/**
 * `purenet eval`: the loss (softmax cross-entropy or mean squared error, as in training) and, for
 * a classification model, the accuracy of a model on a labelled CSV, read with the model's
 * feature columns and class labels. The features are scaled as in training (`extra.scaler`), and a
 * scaled regression target's outputs are unscaled, so the loss is in the target's own units.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as data from '../data/index.js'
import { accuracy, mse, softmaxCrossEntropy } from '../losses/index.js'
import { item } from '../tensor/index.js'
import { bool, parseFlags, requiredText, text, usageOf } from './flags.js'
import { loadUsableModel } from './loadModel.js'
import { type Outcome, type Terminal, inputError, usageError } from './outcome.js'
import { readLabelledData } from './tabular.js'

/** The flags of `purenet eval`. */
export const evalFlags = {
  model: requiredText('the trained model file', '<model.json>'),
  data: requiredText('labelled data: a CSV file with the model\'s feature columns and target', '<test.csv>'),
  target: text('the target column (default: the one the model was trained on)', '<column>'),
  help: bool('show this help'),
} as const

/** The usage of `purenet eval`. */
export const evalUsage = usageOf('purenet eval --model <model.json> --data <test.csv> [--target <column>]', evalFlags)

/** Runs `purenet eval` with the words after `eval`. */
export const evalCommand = async (argv: ReadonlyArray<string>, terminal: Terminal): Promise<Outcome> => {
  const parsed = parseFlags(argv, evalFlags)
  if (E.isLeft(parsed)) return usageError(parsed.left)
  const f = parsed.right.values
  const loaded = await loadUsableModel(f.model)
  if (E.isLeft(loaded)) return loaded
  const { model, info } = loaded.right
  const csv = await readLabelledData(f.data, f.target === undefined ? info : { ...info, target: f.target })
  if (E.isLeft(csv)) return csv
  const { x, y } = csv.right.dataset
  const scaler = info.scaler
  let logits
  try {
    logits = model.net.apply(model.params)(scaler?.features === undefined ? x : data.scale(scaler.features, x), { mode: 'eval' })
    if (scaler?.target !== undefined) logits = data.unscale(scaler.target, logits)
  } catch (e) {
    return inputError(`${f.model}: the network cannot read ${f.data} (${e instanceof Error ? e.message : String(e)})`)
  }
  const n = x.shape[0]!
  terminal.out(`examples  ${n}`)
  if (info.task === 'classification') {
    const acc = accuracy(logits, y)
    terminal.out(`loss      ${item(softmaxCrossEntropy(logits, y)).toFixed(4)}`)
    terminal.out(`accuracy  ${acc.toFixed(4)} (${Math.round(acc * n)} of ${n})`)
  } else {
    const loss = item(mse(logits, y))
    terminal.out(`loss      ${loss.toFixed(4)} (mean squared error; root ${Math.sqrt(loss).toFixed(4)})`)
  }
  return E.right(undefined)
}
