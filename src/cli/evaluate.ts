/**
 * `purenet eval`: the loss (softmax cross-entropy or mean squared error, as in training) and, for
 * a classification model, the accuracy of a model on a labelled CSV, read with the model's
 * feature columns and class labels. The features are scaled as in training (`extra.scaler`), and a
 * scaled regression target's outputs are unscaled, so the loss is in the target's own units.
 * A model trained on IDX images is evaluated on IDX images and labels (`--images`, `--labels`,
 * read as in training: `idxData.ts`).
 */
import * as E from 'fp-ts/lib/Either.js'
import * as data from '../data/index.js'
import { accuracy, mse, softmaxCrossEntropy } from '../losses/index.js'
import { type Tensor, item } from '../tensor/index.js'
import { bool, parseFlags, requiredText, text, usageOf } from './flags.js'
import { checkCounts, networkInput, outputsInChunks, readIdxImages, readIdxLabels } from './idxData.js'
import { dataSource, loadUsableModel, sourceFits } from './loadModel.js'
import type { ModelInfo } from './modelInfo.js'
import { type Failure, type Outcome, type Terminal, inputError, usageError } from './outcome.js'
import type * as io from '../ioNamespace.js'
import { readLabelledData } from './tabular.js'

/** The flags of `purenet eval`. */
export const evalFlags = {
  model: requiredText('the trained model file', '<model.json>'),
  data: text('labelled data: a CSV file with the model\'s feature columns and target', '<test.csv>'),
  target: text('the target column (default: the one the model was trained on)', '<column>'),
  images: text('for a model trained on IDX images: an IDX file of images, read as in training', '<images-idx>'),
  labels: text('with --images: an IDX file of their class indices', '<labels-idx>'),
  help: bool('show this help'),
} as const

/** The usage of `purenet eval`. */
export const evalUsage = usageOf('purenet eval --model <model.json> --data <test.csv> [--target <column>]\n       purenet eval --model <model.json> --images <images-idx> --labels <labels-idx>', evalFlags)

/** The model's inputs and targets from IDX files, read as `train --images` read them. */
const idxLabelled = async (model: io.SavedModel, info: ModelInfo, modelPath: string, imagesPath: string, labelsPath: string): Promise<E.Either<Failure, { readonly x: Tensor; readonly y: Tensor }>> => {
  const images = await readIdxImages(imagesPath)
  if (E.isLeft(images)) return images
  const labels = await readIdxLabels(labelsPath, info.classes?.length ?? model.net.outSize)
  if (E.isLeft(labels)) return labels
  const counted = checkCounts(imagesPath, images.right, labelsPath, labels.right)
  if (E.isLeft(counted)) return counted
  const x = networkInput(images.right, model.net, modelPath, imagesPath)
  return E.isLeft(x) ? x : E.right({ x: x.right, y: labels.right })
}

/** Runs `purenet eval` with the words after `eval`. */
export const evalCommand = async (argv: ReadonlyArray<string>, terminal: Terminal): Promise<Outcome> => {
  const parsed = parseFlags(argv, evalFlags)
  if (E.isLeft(parsed)) return usageError(parsed.left)
  const f = parsed.right.values
  const source = dataSource(f, 'eval')
  if (E.isLeft(source)) return source
  const loaded = await loadUsableModel(f.model)
  if (E.isLeft(loaded)) return loaded
  const { model, info } = loaded.right
  const fits = sourceFits(f.model, info, source.right)
  if (E.isLeft(fits)) return fits
  const read = f.images !== undefined && f.labels !== undefined
    ? await idxLabelled(model, info, f.model, f.images, f.labels)
    : await readLabelledData(f.data ?? '', f.target === undefined ? info : { ...info, target: f.target })
  if (E.isLeft(read)) return read
  const { x, y } = 'dataset' in read.right ? read.right.dataset : read.right
  const scaler = info.scaler
  let logits
  try {
    const apply = (rows: Tensor): Tensor => model.net.apply(model.params)(rows, { mode: 'eval' })
    // images go through in chunks: a whole image set through a convolution at once needs gigabytes
    logits = info.images !== undefined ? outputsInChunks(apply, x) : apply(scaler?.features === undefined ? x : data.scale(scaler.features, x))
    if (scaler?.target !== undefined) logits = data.unscale(scaler.target, logits)
  } catch (e) {
    return inputError(`${f.model}: the network cannot read ${f.data ?? f.images} (${e instanceof Error ? e.message : String(e)})`)
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
