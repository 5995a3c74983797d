/**
 * `purenet predict`: the model's prediction for every row of a CSV, read with the model's feature
 * columns (other columns are ignored, so a labelled file works too). A classification model
 * writes the predicted class label, from the class mapping saved at training, and the probability
 * of every class; a regression model writes its outputs. The result is CSV, to `--out` or to
 * standard output. The features are scaled as in training (`extra.scaler`), and a scaled
 * regression target's outputs are unscaled back to its units. A model trained on IDX images
 * predicts the class of every image of an IDX file (`--images`, read as in training: `idxData.ts`).
 */
import * as E from 'fp-ts/lib/Either.js'
import * as data from '../data/index.js'
import { softmax } from '../ops/index.js'
import { type Tensor, toFlatArray } from '../tensor/index.js'
import { writeText } from './files.js'
import { bool, parseFlags, requiredText, text, usageOf } from './flags.js'
import { networkInput, outputsInChunks, readIdxImages } from './idxData.js'
import { dataSource, loadUsableModel, sourceFits } from './loadModel.js'
import { type Outcome, type Terminal, inputError, usageError } from './outcome.js'
import { checkOutputs } from './outputs.js'
import { readFeatures } from './tabular.js'

/** The flags of `purenet predict`. */
export const predictFlags = {
  model: requiredText('the trained model file', '<model.json>'),
  data: text('a CSV file with the model\'s feature columns (other columns are ignored)', '<x.csv>'),
  images: text('for a model trained on IDX images: an IDX file of images, read as in training', '<images-idx>'),
  out: text('where to write the predictions as CSV (default: standard output)', '<predictions.csv>'),
  help: bool('show this help'),
} as const

/** The usage of `purenet predict`. */
export const predictUsage = usageOf('purenet predict --model <model.json> --data <x.csv> [--out <predictions.csv>]\n       purenet predict --model <model.json> --images <images-idx> [--out <predictions.csv>]', predictFlags)

// RFC 4180: a field with a delimiter, a quote or a line break is quoted, quotes doubled.
const field = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s)

// Shortest text that reads back as the same float32.
const number = (v: number): string => {
  for (let digits = 1; digits <= 9; digits++) {
    const s = v.toPrecision(digits)
    if (Math.fround(Number(s)) === Math.fround(v)) return String(Number(s))
  }
  return String(v)
}

/** The predictions as CSV text: a header, then one row per example. */
const predictionsCsv = (outputs: Tensor, classes: ReadonlyArray<string> | undefined, target: string): string => {
  const n = outputs.shape[0]!
  const k = outputs.shape[1] ?? 1
  const rows: string[] = []
  if (classes !== undefined) {
    const p = toFlatArray(softmax(outputs))
    rows.push([target, ...classes.map((c) => `p(${c})`)].map(field).join(','))
    for (let i = 0; i < n; i++) {
      let best = 0
      for (let j = 1; j < k; j++) if (p[i * k + j]! > p[i * k + best]!) best = j
      rows.push([field(classes[best]!), ...Array.from({ length: k }, (_, j) => p[i * k + j]!.toFixed(4))].join(','))
    }
  } else {
    const y = toFlatArray(outputs)
    rows.push((k === 1 ? [target] : Array.from({ length: k }, (_, j) => `${target}[${j}]`)).map(field).join(','))
    for (let i = 0; i < n; i++) rows.push(Array.from({ length: k }, (_, j) => number(y[i * k + j]!)).join(','))
  }
  return `${rows.join('\n')}\n`
}

/** Runs `purenet predict` with the words after `predict`. */
export const predictCommand = async (argv: ReadonlyArray<string>, terminal: Terminal): Promise<Outcome> => {
  const parsed = parseFlags(argv, predictFlags)
  if (E.isLeft(parsed)) return usageError(parsed.left)
  const f = parsed.right.values
  const source = dataSource(f, 'predict')
  if (E.isLeft(source)) return source
  const input = source.right.kind === 'csv' ? { flag: 'data', path: source.right.path } : { flag: 'images', path: source.right.images }
  if (f.out !== undefined) {
    const writable = await checkOutputs([{ flag: 'out', path: f.out, kind: 'file' }], [{ flag: 'model', path: f.model }, input])
    if (E.isLeft(writable)) return writable
  }
  const loaded = await loadUsableModel(f.model)
  if (E.isLeft(loaded)) return loaded
  const { model, info } = loaded.right
  const fits = sourceFits(f.model, info, source.right)
  if (E.isLeft(fits)) return fits
  const images = source.right.kind === 'idx' ? await readIdxImages(source.right.images) : undefined
  if (images !== undefined && E.isLeft(images)) return images
  const x = images !== undefined && E.isRight(images) ? networkInput(images.right, model.net, f.model, input.path) : await readFeatures(input.path, info.features)
  if (E.isLeft(x)) return x
  let outputs: Tensor
  try {
    const scaler = info.scaler
    const apply = (rows: Tensor): Tensor => model.net.apply(model.params)(rows, { mode: 'eval' })
    // images go through in chunks: a whole image set through a convolution at once needs gigabytes
    outputs = images !== undefined ? outputsInChunks(apply, x.right) : apply(scaler?.features === undefined ? x.right : data.scale(scaler.features, x.right))
    if (scaler?.target !== undefined) outputs = data.unscale(scaler.target, outputs)
  } catch (e) {
    return inputError(`${f.model}: the network cannot read ${input.path} (${e instanceof Error ? e.message : String(e)})`)
  }
  const csv = predictionsCsv(outputs, info.task === 'classification' ? info.classes : undefined, info.target)
  if (f.out === undefined) {
    for (const line of csv.trimEnd().split('\n')) terminal.out(line)
    return E.right(undefined)
  }
  const written = await writeText(f.out, csv)
  if (E.isLeft(written)) return written
  terminal.out(`wrote ${x.right.shape[0]} predictions to ${f.out}`)
  return E.right(undefined)
}
