/**
 * The training workloads of issue 4, what a contender implements, and the shared set-up as plain
 * typed arrays: this module imports no library, so a child process that measures one
 * contender's memory loads nothing but that contender.
 *
 *   W1: MLP 784-128-10 ReLU, softmax cross-entropy, SGD 0.1, batch 64, the 8,000 bundled MNIST digits
 *   W2: MLP 784-512-10 ReLU, softmax cross-entropy, SGD 0.1, batch 256, the same digits
 *   W4: MLP 4-64-64-2 tanh, mean squared error, SGD 0.01, batch 32, 4,096 synthetic samples
 *   W4A, W1A: W4 and W1 with Adam (learning rate 1e-3, b1 0.9, b2 0.999, eps 1e-8) instead of SGD
 */
import { readFileSync, writeFileSync } from 'node:fs'

/** A workload's name. */
export type WorkloadId = 'w1' | 'w2' | 'w4' | 'w4a' | 'w1a'

/** What a contender needs to know to build the network and its training step. */
export interface WorkloadSpec {
  readonly id: WorkloadId
  readonly title: string
  /** Layer widths, input first: [784, 128, 10]. */
  readonly sizes: ReadonlyArray<number>
  /** The activation after every hidden layer (the last layer is linear). */
  readonly activation: 'relu' | 'tanh'
  readonly loss: 'softmaxCrossEntropy' | 'mse'
  readonly batchSize: number
  readonly learningRate: number
  /** The optimizer: SGD, or Adam (b1 0.9, b2 0.999, eps 1e-8) at `learningRate`. */
  readonly optimizer: 'sgd' | 'adam'
  /** The workload whose data and weights this one shares (itself for the SGD workloads). */
  readonly data: 'w1' | 'w2' | 'w4'
  /** The rate the table reports: samples per second (W1, W2) or steps per second (W4). */
  readonly unit: 'samples/s' | 'steps/s'
}

/** The workloads. */
export const workloads: Readonly<Record<WorkloadId, WorkloadSpec>> = {
  w1: { id: 'w1', title: 'W1 MLP 784-128-10 relu, softmax CE, SGD, batch 64, 8,000 MNIST digits', sizes: [784, 128, 10], activation: 'relu', loss: 'softmaxCrossEntropy', batchSize: 64, learningRate: 0.1, optimizer: 'sgd', data: 'w1', unit: 'samples/s' },
  w2: { id: 'w2', title: 'W2 MLP 784-512-10 relu, softmax CE, SGD, batch 256, 8,000 MNIST digits', sizes: [784, 512, 10], activation: 'relu', loss: 'softmaxCrossEntropy', batchSize: 256, learningRate: 0.1, optimizer: 'sgd', data: 'w2', unit: 'samples/s' },
  w4: { id: 'w4', title: 'W4 MLP 4-64-64-2 tanh, MSE, SGD, batch 32, 4,096 synthetic samples', sizes: [4, 64, 64, 2], activation: 'tanh', loss: 'mse', batchSize: 32, learningRate: 0.01, optimizer: 'sgd', data: 'w4', unit: 'steps/s' },
  w4a: { id: 'w4a', title: 'W4A: W4 with Adam 1e-3', sizes: [4, 64, 64, 2], activation: 'tanh', loss: 'mse', batchSize: 32, learningRate: 1e-3, optimizer: 'adam', data: 'w4', unit: 'steps/s' },
  w1a: { id: 'w1a', title: 'W1A: W1 with Adam 1e-3', sizes: [784, 128, 10], activation: 'relu', loss: 'softmaxCrossEntropy', batchSize: 64, learningRate: 1e-3, optimizer: 'adam', data: 'w1', unit: 'samples/s' },
}

/** The contenders of a workload: the plain-JS reference implements SGD only. */
export const contendersOf = (spec: WorkloadSpec): ReadonlyArray<ContenderName> => contenderNames.filter((n) => n !== 'plain-js' || spec.optimizer === 'sgd')

/** Data, initial weights and batch order: identical for every contender. */
export interface Setup {
  readonly spec: WorkloadSpec
  /** Number of samples. */
  readonly n: number
  /** Inputs, row-major [n, sizes[0]]. */
  readonly x: Float32Array
  /** Targets, row-major [n, sizes[last]] (one-hot rows for the classifiers). */
  readonly y: Float32Array
  /** Per layer: weights [in, out] row-major, then the bias [out]. */
  readonly weights: ReadonlyArray<{ readonly w: Float32Array; readonly b: Float32Array }>
  /** The sample order of each epoch, one permutation of 0..n-1 per epoch. */
  readonly orders: ReadonlyArray<Int32Array>
}

/** Steps in one epoch (the last batch may be short, as `train.fit` without `dropLast`). */
export const stepsPerEpoch = (s: Pick<Setup, 'n' | 'spec'>): number => Math.ceil(s.n / s.spec.batchSize)

/** The indices of global step `t` (epoch t / stepsPerEpoch, batch t mod stepsPerEpoch). */
export const batchIndices = (s: Setup, t: number): Int32Array => {
  const per = stepsPerEpoch(s)
  const order = s.orders[Math.floor(t / per) % s.orders.length]!
  const b = t % per
  return order.subarray(b * s.spec.batchSize, Math.min(s.n, (b + 1) * s.spec.batchSize))
}

/** Writes a set-up to a file: a JSON header line, then the arrays' bytes in header order. */
export const writeSetup = (file: string, s: Setup): void => {
  const arrays: Array<Float32Array | Int32Array> = [s.x, s.y, ...s.weights.flatMap((l) => [l.w, l.b]), ...s.orders]
  const header = JSON.stringify({ id: s.spec.id, n: s.n, layers: s.weights.length, epochs: s.orders.length, lengths: arrays.map((a) => a.length) })
  const head = Buffer.from(header + '\n', 'utf8')
  const parts = [head, ...arrays.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength))]
  writeFileSync(file, Buffer.concat(parts))
}

/** Reads what `writeSetup` wrote. */
export const readSetup = (file: string): Setup => {
  const buf = readFileSync(file)
  const nl = buf.indexOf(10)
  const h = JSON.parse(buf.subarray(0, nl).toString('utf8')) as { id: WorkloadId; n: number; layers: number; epochs: number; lengths: number[] }
  let off = nl + 1
  let i = 0
  const next = <T extends Float32Array | Int32Array>(make: (b: ArrayBuffer, o: number, l: number) => T): T => {
    const len = h.lengths[i++]!
    // copy into an aligned buffer of its own
    const bytes = buf.subarray(off, off + 4 * len)
    off += 4 * len
    const ab = new ArrayBuffer(4 * len)
    new Uint8Array(ab).set(bytes)
    return make(ab, 0, len)
  }
  const f32 = (b: ArrayBuffer, o: number, l: number) => new Float32Array(b, o, l)
  const x = next(f32)
  const y = next(f32)
  const weights = Array.from({ length: h.layers }, () => ({ w: next(f32), b: next(f32) }))
  const orders = Array.from({ length: h.epochs }, () => next((b, o, l) => new Int32Array(b, o, l)))
  return { spec: workloads[h.id], n: h.n, x, y, weights, orders }
}

/** One contender's training loop over a set-up: `step(t)` trains on batch t and returns its loss. */
export interface Trainer {
  readonly step: (t: number) => number
  /** A contender that runs whole turns elsewhere (PyTorch): `count` steps, timed there. */
  readonly turn?: (count: number) => Promise<{ readonly ms: number; readonly losses: ReadonlyArray<number> }>
  /** Frees what the garbage collector cannot (tfjs's backend memory). */
  readonly dispose?: () => void
}

/**
 * The contenders of the training table, in the order they take turns. `purenet` is `train.step`
 * run eagerly (`jit: false`), `purenet-jit` the same step compiled (the default); `purenet-loop`
 * is the lecture's loop written by hand as the README writes it (`valueAndGrad`, then
 * `optim.applyGradients`), and `purenet-loop-jit` the same loop with its whole step (loss, gradient and
 * `applyGradients`, the optimizer state an argument) wrapped in `jit`; `purenet-jit-2w` is `train.step` compiled with a pool of two threads
 * (`parallel({ workers: 2 })`: each computes half the batch's loss and gradient). `pytorch` runs in a Python child (`pytorch.ts`) when `python3 -c 'import torch'` works.
 */
export const contenderNames = ['purenet', 'purenet-jit', 'purenet-jit-2w', 'purenet-loop', 'purenet-loop-jit', 'plain-js', 'tfjs-cpu', 'tfjs-wasm', 'pytorch'] as const

/** A contender's name. */
export type ContenderName = (typeof contenderNames)[number]

/** Builds a contender's trainer (the tfjs ones need an async backend switch first). */
export const makeTrainer = async (name: ContenderName, s: Setup): Promise<Trainer> => {
  switch (name) {
    case 'purenet': return (await import('./purenet.js')).purenetTrainer(s, false)
    case 'purenet-jit': return (await import('./purenet.js')).purenetTrainer(s, true)
    case 'purenet-jit-2w': return (await import('./purenet.js')).purenetPoolTrainer(s, 2)
    case 'purenet-loop': return (await import('./purenet.js')).purenetLoopTrainer(s)
    case 'purenet-loop-jit': return (await import('./purenet.js')).purenetLoopJitTrainer(s)
    case 'plain-js': return (await import('./plainjs.js')).plainTrainer(s)
    case 'tfjs-cpu': return (await import('./tfjs.js')).tfjsTrainer(s, 'cpu')
    case 'tfjs-wasm': return (await import('./tfjs.js')).tfjsTrainer(s, 'wasm')
    case 'pytorch': return (await import('./pytorch.js')).pytorchTrainer(s)
  }
}
