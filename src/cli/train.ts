/**
 * `purenet train`: reads a layer spec (JSON, `nn.fromSpec`) and a CSV (or IDX images and their
 * labels, `idxData.ts`), trains with softmax cross-entropy (class labels) or mean squared error
 * (numbers), and saves a model file whose `extra` records how to read data for it
 * (`modelInfo.ts`). With `--checkpoint DIR` it writes a checkpoint every `--checkpoint-every`
 * epochs; with `--resume` it continues the run from the newest one (or starts it when there is
 * none), to the same parameters bit for bit.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as data from '../data/index.js'
import * as io from '../ioNamespace.js'
import { scanJson } from '../io/jsonText.js'
import { accuracy, mse, softmaxCrossEntropy } from '../losses/index.js'
import * as nn from '../nn/index.js'
import * as optim from '../optim/index.js'
import { key } from '../random/index.js'
import * as train from '../train/index.js'
import type { Tensor } from '../tensor/index.js'
import type { Tree } from '../tree/index.js'
import { readText } from './files.js'
import { checkCounts, networkInput, outputsInChunks, pixelScale, readIdxImages, readIdxLabels } from './idxData.js'
import { type Values, bool, natural, oneOf, parseFlags, positive, positiveInt, requiredText, text, usageOf } from './flags.js'
import type { ModelInfo, Scalers, TrainingInfo } from './modelInfo.js'
import { isOnnxPath, loadOnnxModel } from './onnxModel.js'
import { type Failure, type Outcome, type Terminal, inputError, usageError } from './outcome.js'
import { checkOutputs } from './outputs.js'
import { progress } from './progress.js'
import { readTrainingData } from './tabular.js'

/** The flags of `purenet train`. */
export const trainFlags = {
  model: requiredText('the network: a layer spec as JSON (e.g. examples/iris-spec.json), or an .onnx model whose weights the run starts from', '<spec.json>'),
  data: text('the training data: a CSV file with a header row (or --images and --labels)', '<train.csv>'),
  target: text('the column to predict; the other columns are the features', '<column>'),
  images: text('the training images instead of a CSV: an IDX file of unsigned bytes [n, height, width] (MNIST\'s format), pixels / 255: NHWC images [n, h, w, 1] for a spec starting with an image layer, rows otherwise', '<images-idx>'),
  labels: text('with --images: an IDX file of the images\' class indices 0..k-1 [n], for a network with k outputs', '<labels-idx>'),
  out: requiredText('where to save the trained model', '<model.json>'),
  epochs: positiveInt('passes over the data (default 10)'),
  batch: positiveInt('examples per step (default 32)'),
  optimizer: oneOf(['adam', 'sgd'], 'the optimizer (default adam)'),
  lr: positive('the learning rate (default 0.01 for adam, 0.1 for sgd)'),
  seed: natural('the random seed of the initial parameters, the order of the data and dropout (default 0)'),
  task: oneOf(['auto', 'classification', 'regression'], 'how to read the target (default auto: numbers are a regression target, labels are classes)'),
  normalize: oneOf(['standard', 'minmax', 'none'], 'scale the features, and a regression target, with constants fitted on the training data and saved in the model (default standard)'),
  checkpoint: text('a folder for checkpoints, written every --checkpoint-every epochs and at the end', '<dir>'),
  'checkpoint-every': positiveInt('epochs between checkpoints (default 1)'),
  keep: positiveInt('how many of the newest checkpoints to keep (default 3)'),
  resume: bool('continue from the newest checkpoint in --checkpoint (or start when there is none)'),
  help: bool('show this help'),
} as const

/** The usage of `purenet train`. */
export const trainUsage = usageOf('purenet train --model <spec.json> --data <train.csv> --target <column> --out <model.json> [options]\n       purenet train --model <spec.json> --images <images-idx> --labels <labels-idx> --out <model.json> [options]', trainFlags)

/** The data a run trains on, read and checked against the network. */
interface TrainingData {
  /** What the network reads (features scaled by `scaler`) and the targets. */
  readonly trainSet: data.Dataset
  /** The input as read, before scaling (for the hint of a diverging run). */
  readonly raw: Tensor
  readonly target: string
  readonly features: ReadonlyArray<string>
  readonly classes?: ReadonlyArray<string>
  readonly scaler?: Scalers
  /** The images' shape and factor, for data read from IDX files. */
  readonly images?: NonNullable<ModelInfo['images']>
  /** The line that says how the data was scaled, if it was. */
  readonly scaling?: string
}

// The required flag's message, as parseFlags words it.
const missing = (name: 'data' | 'target'): string => `--${name} ${trainFlags[name].value} is required: ${trainFlags[name].help}`

/** The training data of a CSV file, checked against the network and scaled as `--normalize` says. */
const csvTrainingData = async (f: Values<typeof trainFlags>, net: nn.Layer<Tree>, path: string, target: string): Promise<E.Either<Failure, TrainingData>> => {
  const csv = await readTrainingData(path, target, f.task ?? 'auto')
  if (E.isLeft(csv)) return csv
  const { dataset, features, classes } = csv.right
  if (Number.isFinite(net.inSize) && net.inSize !== features.length) {
    return inputError(`${f.model}: the network takes ${net.inSize} inputs, but ${path} has ${features.length} feature columns (${features.join(', ')}); make the first layer's inSize ${features.length}`)
  }
  const outputs = classes === undefined ? 1 : classes.length
  if (Number.isFinite(net.outSize) && net.outSize !== outputs) {
    return inputError(classes === undefined
      ? `${f.model}: the network has ${net.outSize} outputs, but the target "${target}" is a number (regression needs 1 output; pass --task classification if its values are class labels)`
      : `${f.model}: the network has ${net.outSize} outputs, but the target "${target}" has ${classes.length} classes (${classes.slice(0, 10).join(', ')}${classes.length > 10 ? ', ...' : ''}); make the last layer's outSize ${classes.length}`)
  }
  // Scaling, fitted on the training data and saved with the model (eval and predict apply it).
  const normalize = f.normalize ?? 'standard'
  const fitScaler = normalize === 'standard' ? data.standardize : normalize === 'minmax' ? data.minMax : undefined
  const scaledX = fitScaler?.(dataset.x)
  const scaledY = classes === undefined ? fitScaler?.(dataset.y) : undefined
  const how = normalize === 'standard' ? 'standardized (mean 0, standard deviation 1 on the training data)' : 'scaled to [0, 1] on the training data'
  return E.right({
    trainSet: data.dataset(scaledX?.data ?? dataset.x, scaledY?.data ?? dataset.y),
    raw: dataset.x,
    target: csv.right.target,
    features,
    ...(classes === undefined ? {} : { classes }),
    ...(scaledX === undefined ? {} : { scaler: { features: scaledX.scaler, ...(scaledY === undefined ? {} : { target: scaledY.scaler }) } }),
    ...(scaledX === undefined ? {} : { scaling: `features ${how}${scaledY === undefined ? '' : `, and so is the target "${target}": the training losses below are in its scaled units`}; the scaling is saved with the model` }),
  })
}

/** The training data of IDX images and labels (`idxData.ts`), checked against the network. */
const idxTrainingData = async (f: Values<typeof trainFlags>, net: nn.Layer<Tree>, imagesPath: string, labelsPath: string): Promise<E.Either<Failure, TrainingData>> => {
  if (!Number.isFinite(net.outSize)) return inputError(`${f.model}: the network's output size is not known, so the number of classes is not; end it with a dense layer of one output per class`)
  const images = await readIdxImages(imagesPath)
  if (E.isLeft(images)) return images
  const labels = await readIdxLabels(labelsPath, net.outSize)
  if (E.isLeft(labels)) return labels
  const counted = checkCounts(imagesPath, images.right, labelsPath, labels.right)
  if (E.isLeft(counted)) return counted
  const x = networkInput(images.right, net, f.model, imagesPath)
  if (E.isLeft(x)) return x
  return E.right({
    trainSet: data.dataset(x.right, labels.right),
    raw: x.right,
    target: 'label',
    features: [],
    classes: Array.from({ length: net.outSize }, (_, i) => String(i)),
    images: { shape: images.right.shape, scale: pixelScale },
  })
}

const dropPrefix = (message: string): string => message.replace(/^(io\.[A-Za-z]+|nn\.fromSpec|data\.[A-Za-z]+): /, '')

/**
 * When the feature columns' magnitudes (root mean square) differ by more than 1e3, the likely
 * cause of a diverging run: the text to add to its message; otherwise ''.
 */
export const scaleHint = (x: Tensor, features: ReadonlyArray<string>): string => {
  const [n, k] = [x.shape[0] ?? 0, x.shape[1] ?? 1]
  const rms = Array.from({ length: k }, (_, j) => {
    let s = 0
    for (let i = 0; i < n; i++) s += x.data[i * k + j]! ** 2
    return Math.sqrt(s / Math.max(1, n))
  })
  const nonzero = rms.map((r, j) => [r, j] as const).filter(([r]) => r > 0 && Number.isFinite(r))
  if (nonzero.length < 2) return ''
  const big = nonzero.reduce((a, b) => (b[0] > a[0] ? b : a))
  const small = nonzero.reduce((a, b) => (b[0] < a[0] ? b : a))
  const ratio = big[0] / small[0]
  if (ratio <= 1e3) return ''
  const show = (v: number): string => Number(v.toPrecision(2)).toLocaleString('en-US', { maximumFractionDigits: 6 })
  return `; the features' scales differ by a factor of ${show(ratio)} (${features[big[1]] ?? big[1]} ~${show(big[0])}, ${features[small[1]] ?? small[1]} ~${show(small[0])}): scale them with --normalize standard`
}

/** The network of a layer spec file (JSON, `nn.fromSpec`), or the failure naming the file. */
const readSpecNetwork = async (path: string): Promise<E.Either<Failure, nn.Layer<Tree>>> => {
  const specText = await readText(path, 'a layer spec (JSON)')
  if (E.isLeft(specText)) return specText
  // A spec is small: its structure is checked before JSON.parse builds it (a 13M-layer file is refused, not parsed).
  const specShape = scanJson(specText.right, { maxNodes: 2 ** 20 })
  if (specShape !== undefined) return inputError(`${path}: ${specShape.detail.replace('options.maxNodes', 'the most a spec file may have')}; expected a layer spec`)
  let specJson: unknown
  try {
    specJson = JSON.parse(specText.right)
  } catch (e) {
    return inputError(`${path}: not valid JSON (${e instanceof Error ? e.message : String(e)}); expected a layer spec such as {"kind": "serial", "layers": [...]}`)
  }
  if (typeof specJson === 'object' && specJson !== null && (specJson as { format?: unknown }).format === io.modelFormat) {
    return inputError(`${path}: this is a model file; --model of train takes a layer spec (the "architecture" of a model file is one)`)
  }
  const decodedNet = nn.fromSpec(specJson)
  if (E.isLeft(decodedNet)) return inputError(`${path}: ${dropPrefix(decodedNet.left.message)}`)
  return E.right(decodedNet.right)
}

/** The state a run starts from when it starts from a file's weights: a fresh run's, with those parameters. */
const startFrom = (params: Tree, optimizer: optim.Optimizer, net: nn.Layer<Tree>, seed: number): train.TrainState<Tree, optim.OptState> => {
  const fresh = train.initialState({ net, optimizer, key: key(seed) })
  return Object.freeze({ ...fresh, params, optState: optimizer.init(params) })
}

/** Runs `purenet train` with the words after `train`; `now` gives milliseconds for the throughput. */
export const trainCommand = async (argv: ReadonlyArray<string>, terminal: Terminal, now: () => number): Promise<Outcome> => {
  const parsed = parseFlags(argv, trainFlags)
  if (E.isLeft(parsed)) return usageError(parsed.left)
  const f = parsed.right.values
  if (f.resume === true && f.checkpoint === undefined) return usageError('--resume needs --checkpoint <dir>, the folder of the run to continue')
  if (f.checkpoint === undefined && (f['checkpoint-every'] !== undefined || f.keep !== undefined)) {
    return usageError(`--${f.keep === undefined ? 'checkpoint-every' : 'keep'} needs --checkpoint <dir>`)
  }
  // Two sources of data: a CSV (--data, --target), or IDX images and labels (--images, --labels).
  const idx = f.images !== undefined || f.labels !== undefined
  if (idx && f.data !== undefined) return usageError('--data and --images are two sources of training data; give one: --data <train.csv> --target <column>, or --images <images-idx> --labels <labels-idx>')
  if (idx && f.target !== undefined) return usageError('--target names a CSV column; with --images the targets are the classes in --labels')
  if (idx && f.images === undefined) return usageError('--labels needs --images <images-idx>, the images they label')
  if (idx && f.labels === undefined) return usageError('--images needs --labels <labels-idx>, the class of each image')
  if (idx && f.task !== undefined) return usageError('--task says how to read a CSV target; IDX labels are always classes')
  if (idx && f.normalize !== undefined) return usageError('--normalize scales CSV columns; IDX images are always read as pixels / 255, in [0, 1] (add a batchNorm layer to normalise further)')
  if (!idx && f.data === undefined) return usageError(missing('data'))
  if (!idx && f.target === undefined) return usageError(missing('target'))
  const dataPath = f.data ?? f.images ?? ''
  // Every output is checked before any work: never an input, and writable now rather than after the run.
  const writable = await checkOutputs(
    [{ flag: 'out', path: f.out, kind: 'file' }, ...(f.checkpoint === undefined ? [] : [{ flag: 'checkpoint', path: f.checkpoint, kind: 'folder' as const }])],
    [{ flag: 'model', path: f.model }, ...(f.data === undefined ? [] : [{ flag: 'data', path: f.data }]), ...(f.images === undefined ? [] : [{ flag: 'images', path: f.images }]), ...(f.labels === undefined ? [] : [{ flag: 'labels', path: f.labels }])],
  )
  if (E.isLeft(writable)) return writable

  // The network: a layer spec, or an ONNX file whose weights the run starts from.
  const onnxStart = isOnnxPath(f.model) ? await loadOnnxModel(f.model) : undefined
  if (onnxStart !== undefined && E.isLeft(onnxStart)) return inputError(onnxStart.left)
  const startModel = onnxStart !== undefined && E.isRight(onnxStart) ? onnxStart.right.model : undefined
  // importModel's network is a serial of built-in layers, whose parameters are a tree (as fromSpec's are).
  const decodedNet = startModel === undefined ? await readSpecNetwork(f.model) : E.right(startModel.net as unknown as nn.Layer<Tree>)
  if (E.isLeft(decodedNet)) return decodedNet
  const net = decodedNet.right

  // The data, and whether it fits the network.
  const read = f.images !== undefined && f.labels !== undefined
    ? await idxTrainingData(f, net, f.images, f.labels)
    : await csvTrainingData(f, net, dataPath, f.target ?? '')
  if (E.isLeft(read)) return read
  const { trainSet, features, classes, scaler } = read.right
  const task: ModelInfo['task'] = classes === undefined ? 'regression' : 'classification'
  const normalize = idx ? 'none' : f.normalize ?? 'standard'

  // The run.
  const optimizerName = f.optimizer ?? 'adam'
  const lr = f.lr ?? (optimizerName === 'adam' ? 0.01 : 0.1)
  const training: TrainingInfo = { optimizer: optimizerName, lr, batch: f.batch ?? 32, epochs: f.epochs ?? 10, seed: f.seed ?? 0 }
  const info: ModelInfo = { target: read.right.target, features, task, ...(classes === undefined ? {} : { classes }), training, ...(scaler === undefined ? {} : { scaler }), ...(read.right.images === undefined ? {} : { images: read.right.images }) }
  // ModelInfo is JSON by construction (strings, numbers, arrays and records of them), but an
  // interface has no index signature, so TypeScript cannot see it as a JsonObject
  const extra = info as unknown as io.JsonObject
  const optimizer: optim.Optimizer = optimizerName === 'adam' ? optim.adam(lr) : optim.sgd(lr)
  const examples = trainSet.x.shape[0]!
  const stepsPerEpoch = Math.ceil(examples / training.batch)
  let lastAccuracy: number | undefined
  const metrics = classes === undefined
    ? undefined
    : (params: Tree): Readonly<Record<string, number>> => {
        // images go through in chunks: a whole image set through a convolution at once needs gigabytes
        lastAccuracy = accuracy(idx ? outputsInChunks((x) => net.apply(params)(x), trainSet.x) : net.apply(params)(trainSet.x), trainSet.y)
        return { accuracy: lastAccuracy }
      }
  const checkpointFolder = f.checkpoint
  // Everything but the epochs that makes a run what it is: a resume with any other value is refused
  // (the data itself is checked by its fingerprint, taken of the scaled data io.resume sees; the
  // network by its spec).
  const settings: io.JsonObject = {
    optimizer: optimizerName, lr, loss: classes === undefined ? 'mse' : 'softmaxCrossEntropy', batch: training.batch, seed: training.seed,
    task, normalize, target: read.right.target, features: [...features], ...(classes === undefined ? {} : { classes: [...classes] }),
    ...(read.right.images === undefined ? {} : { images: [...read.right.images.shape] }),
  }
  let startStep = 0
  if (checkpointFolder !== undefined && f.resume !== true) {
    // Said now rather than at the first checkpoint, an epoch into the run.
    const existing = await io.listCheckpoints(checkpointFolder)
    if (E.isLeft(existing)) return inputError(dropPrefix(existing.left.message))
    const newest = existing.right[existing.right.length - 1]
    if (newest !== undefined) return inputError(`${checkpointFolder}: the folder already holds checkpoints (the newest after step ${newest.step}); pass --resume to continue that run, or give an empty folder`)
  }
  if (checkpointFolder !== undefined && f.resume === true) {
    const latest = await io.latestCheckpoint(checkpointFolder, { net })
    if (E.isLeft(latest)) return inputError(dropPrefix(latest.left.message))
    startStep = latest.right?.checkpoint.state.step ?? 0
    terminal.out(latest.right === undefined ? `no checkpoint in ${checkpointFolder}: starting the run` : `resuming from ${latest.right.file} (step ${startStep})`)
  }
  terminal.out(`training ${net.name} on ${examples} examples of ${dataPath} (${task}${classes === undefined ? '' : `, ${classes.length} classes`}): ${optimizerName} lr ${lr}, batch ${training.batch}, ${training.epochs} epochs, seed ${training.seed}`)
  if (read.right.scaling !== undefined) terminal.out(read.right.scaling)
  const shape = read.right.images?.shape
  if (shape !== undefined) terminal.out(`images ${shape[0]}x${shape[1]}x${shape[2]} (height, width, channels), pixels / 255 in [0, 1], labels ${f.labels} (classes 0..${(classes?.length ?? 1) - 1})`)
  const report = progress(terminal, { epochs: training.epochs, stepsPerEpoch, examples, startStep }, now)
  const options: train.FitOptions<Tree, optim.OptState> = {
    net,
    loss: classes === undefined ? mse : softmaxCrossEntropy,
    optimizer,
    data: trainSet,
    epochs: training.epochs,
    batchSize: training.batch,
    key: key(training.seed),
    ...(startModel === undefined ? {} : { initialState: startFrom(startModel.params as Tree, optimizer, net, training.seed) }),
    ...(metrics === undefined ? {} : { metrics }),
    ...(checkpointFolder === undefined
      ? {}
      : { checkpoint: io.checkpoints(checkpointFolder, { every: { epochs: f['checkpoint-every'] ?? 1 }, keep: f.keep ?? 3, extra, data: trainSet, settings }) }),
    onStep: (s) => report.step(s.epoch, s.loss, s.epochEnd, () => (s.epochEnd && lastAccuracy !== undefined ? `  accuracy ${lastAccuracy.toFixed(4)}` : '')),
  }
  let result: train.FitResult<Tree, optim.OptState>
  try {
    if (checkpointFolder !== undefined && f.resume === true) {
      const r = await io.resume(checkpointFolder, { ...options, settings })
      if (E.isLeft(r)) return inputError(dropPrefix(r.left.message))
      result = r.right
    } else {
      result = train.fit(options)
    }
  } catch (e) {
    report.abort()
    // Divergence and a checkpoint that cannot be written are the run's failures, not bugs.
    if (e instanceof train.DivergenceError) {
      const what = e.what === 'loss' ? `the loss is ${e.value}` : e.what === 'gradient' ? 'the gradient is not finite' : 'the update made the parameters or the optimizer state not finite'
      return inputError(`training diverged at step ${e.step}: ${what}; try a smaller --lr (it is ${lr})${normalize === 'none' && !idx ? scaleHint(read.right.raw, features) : ''}`)
    }
    if (e instanceof RangeError && /allocation failed|Invalid typed array length|Invalid array length/i.test(e.message)) {
      return inputError(`${f.model}: the network is too big for this machine's memory (${e.message}); make its layers smaller`)
    }
    if (e instanceof Error && e.message.startsWith('io.checkpoints: ')) return inputError(dropPrefix(e.message))
    throw e
  }
  report.finish()
  const { state, history } = result
  const saved = await io.saveModel(f.out, { net, params: state.params, step: state.step, key: state.key, history, extra })
  if (E.isLeft(saved)) return inputError(dropPrefix(saved.left.message))
  const last = history.epochs[history.epochs.length - 1]
  terminal.out(`saved ${f.out}${last === undefined ? '' : ` (epoch ${last.epoch + 1}: loss ${last.loss.toFixed(4)}${last.metrics['accuracy'] === undefined ? '' : `, training accuracy ${last.metrics['accuracy'].toFixed(4)}`})`}`)
  return E.right(undefined)
}
