/**
 * The main job (`npm start`): a 784-128-10 ReLU network trained on the bundled MNIST digits with
 * softmax cross-entropy and mini-batch SGD (or Adam), reporting per epoch the training loss, the
 * test accuracy and the throughput. `--model cnn` trains a LeNet-style convolutional network
 * instead (conv-relu-pool twice, then dense layers with dropout), with Adam by default.
 *
 *   npm start -- --epochs 20 --batch 64 --optimizer sgd --lr 0.1 --seed 0 [--json]
 *   npm start -- --model cnn [--json]
 */
import { SingleBar } from 'cli-progress'
import { type Tensor, type Tree, item, losses, nn, optim, random, train } from 'purenet'
import { bool, command, natural, oneOf, positive, positiveInt } from './cli.js'
import { loadMnist, withShiftedCopies } from './mnistData.js'

/** Options of a run. */
export interface MnistOptions {
  /** The network: 'dense' (default, the lecture's 784-128-10) or 'cnn' (LeNet-style). */
  readonly model?: 'dense' | 'cnn'
  readonly epochs: number
  readonly batch: number
  readonly optimizer: 'sgd' | 'adam'
  readonly lr: number
  /** Shifted copies of each training image added to the set (0: none; the cnn's default is 1). */
  readonly augment?: number
  readonly seed: number
  /** Use only this many training digits per class (quick runs). */
  readonly trainPerClass?: number
  /** Use only this many test digits per class (quick runs). */
  readonly testPerClass?: number
  /** Called after every step and at the end of every epoch (progress reporting). */
  readonly onStep?: (epoch: number, batch: number, batches: number) => void
  readonly onEpoch?: (record: EpochReport) => void
}

/** What one epoch reports. */
export interface EpochReport {
  readonly epoch: number
  readonly trainLoss: number
  readonly testAccuracy: number
  readonly samplesPerSecond: number
}

/** The network of the lecture: 784 inputs, 128 ReLU units, 10 logits. */
export const network = nn.serial(nn.dense(784, 128), nn.relu, nn.dense(128, 10))

const c1 = nn.conv2d([28, 28, 1], 16, 5, { padding: 'same', weights: 'heNormal' })
const p1 = nn.maxPool2d(c1.outShape, 2)
const c2 = nn.conv2d(p1.outShape, 32, 5, { weights: 'heNormal' })
const p2 = nn.maxPool2d(c2.outShape, 2)

/**
 * A LeNet-style network (LeCun et al., 1998, with ReLU, max pooling and dropout): 28x28x1 images
 * (the 784-pixel rows, read as NHWC), conv 5x5 to 16 channels ('same'), pool 2, conv 5x5 to 32
 * channels, pool 2, then dense 800-128-10 with dropout 0.4 before each dense layer.
 */
export const cnn = nn.serial(
  c1, nn.relu, p1, c2, nn.relu, p2, nn.flatten,
  nn.dropout(0.4), nn.dense(p2.outSize, 128, { weights: 'heNormal' }), nn.relu, nn.dropout(0.4), nn.dense(128, 10),
)

/** Trains and evaluates; returns the final figures and the per-epoch reports. */
export const run = (options: MnistOptions) => (options.model === 'cnn' ? runWith(cnn, options) : runWith(network, options))

const runWith = <P extends Tree>(network: nn.Layer<P, number, number>, options: MnistOptions) => {
  const { train: original, test } = loadMnist({
    ...(options.trainPerClass === undefined ? {} : { trainPerClass: options.trainPerClass }),
    ...(options.testPerClass === undefined ? {} : { testPerClass: options.testPerClass }),
  })
  // data augmentation: copies of the images moved by up to 2 pixels, the shifts drawn from a key of the seed
  const augment = options.augment ?? 0
  const trainSet = augment > 0 ? withShiftedCopies(original, augment, 2, random.foldIn(random.key(options.seed), 1)) : original
  const optimizer: optim.Optimizer = options.optimizer === 'adam' ? optim.adam(options.lr) : optim.sgd(options.lr)
  const testAccuracy = (params: typeof state.params): number => toNumber(losses.accuracy(network.apply(params)(test.x), test.y))
  const n = trainSet.x.shape[0]!
  const batches = Math.ceil(n / options.batch)
  const reports: EpochReport[] = []
  let state = train.initialState({ net: network, optimizer, key: random.key(options.seed) })
  let epochLoss = 0
  let epochStart = performance.now()
  let trainingMs = 0
  for (const snap of train.trainStates({
    net: network,
    loss: losses.softmaxCrossEntropy,
    optimizer,
    data: trainSet,
    epochs: options.epochs,
    batchSize: options.batch,
    key: random.key(options.seed),
  })) {
    state = snap.state
    epochLoss += snap.loss
    options.onStep?.(snap.epoch, snap.batch, batches)
    if (snap.epochEnd) {
      const ms = performance.now() - epochStart
      trainingMs += ms
      const report = { epoch: snap.epoch + 1, trainLoss: epochLoss / batches, testAccuracy: testAccuracy(state.params), samplesPerSecond: (n / ms) * 1000 }
      reports.push(report)
      options.onEpoch?.(report)
      epochLoss = 0
      epochStart = performance.now()
    }
  }
  const last = reports[reports.length - 1]
  return {
    testAccuracy: last?.testAccuracy ?? testAccuracy(state.params),
    trainLoss: last?.trainLoss ?? NaN,
    epochs: options.epochs,
    samplesPerSecond: trainingMs > 0 ? (n * options.epochs * 1000) / trainingMs : 0,
    reports,
    params: state.params,
  }
}

const toNumber = (x: number | Tensor): number => (typeof x === 'number' ? x : item(x))

// Epochs of the cnn by default: enough for >= 98% test accuracy on the bundled split (README).
const CNN_EPOCHS = 12

const flags = {
  model: oneOf(['dense', 'cnn'], 'dense (784-128-10, the default) or cnn (LeNet-style convolutional network)'),
  epochs: positiveInt('number of epochs (default 20 for dense, 12 for cnn)'),
  batch: positiveInt('mini-batch size (default 64)'),
  optimizer: oneOf(['sgd', 'adam'], 'sgd or adam (default sgd for dense, adam for cnn)'),
  lr: positive('learning rate (default 0.1 for sgd, 0.001 for adam)'),
  augment: natural('shifted copies of each training image to add (default 0 for dense, 1 for cnn)'),
  seed: natural('random seed (default 0)'),
  json: bool('print one JSON line with the final figures'),
  help: bool('show this help'),
}

command({ name: 'mnist', usage: 'npm start --', url: import.meta.url }, flags, (f) => {
  const model = f.model ?? 'dense'
  const optimizer = f.optimizer ?? (model === 'cnn' ? 'adam' : 'sgd')
  const options = { model, epochs: f.epochs ?? (model === 'cnn' ? CNN_EPOCHS : 20), batch: f.batch ?? 64, optimizer, lr: f.lr ?? (optimizer === 'adam' ? 0.001 : 0.1), augment: f.augment ?? (model === 'cnn' ? 1 : 0), seed: f.seed ?? 0 }
  const json = f.json === true
  const log = (s: string): void => { if (!json) process.stdout.write(`${s}\n`) }
  log(`purenet MNIST: ${model === 'cnn' ? cnn.name : network.name}, ${options.optimizer} lr=${options.lr}, batch ${options.batch}, ${options.epochs} epochs${options.augment > 0 ? `, ${options.augment} shifted cop${options.augment === 1 ? 'y' : 'ies'} of each image` : ''}, seed ${options.seed}`)
  const bar = json || !process.stdout.isTTY ? undefined : new SingleBar({ format: 'epoch {epoch} [{bar}] {value}/{total} batches', hideCursor: true })
  const result = run({
    ...options,
    onStep: (epoch, batch, batches) => {
      if (bar === undefined) return
      if (batch === 0) bar.start(batches, 0, { epoch: epoch + 1 })
      bar.update(batch + 1, { epoch: epoch + 1 })
      if (batch === batches - 1) bar.stop()
    },
    onEpoch: (r) =>
      log(`epoch ${String(r.epoch).padStart(2)}  train loss ${r.trainLoss.toFixed(4)}  test accuracy ${(100 * r.testAccuracy).toFixed(2)}%  ${Math.round(r.samplesPerSecond)} samples/s`),
  })
  const summary = { testAccuracy: result.testAccuracy, trainLoss: result.trainLoss, epochs: result.epochs, samplesPerSecond: Math.round(result.samplesPerSecond) }
  if (json) process.stdout.write(`${JSON.stringify(summary)}\n`)
  else log(`final: test accuracy ${(100 * summary.testAccuracy).toFixed(2)}%, ${summary.samplesPerSecond} samples/s`)
})
