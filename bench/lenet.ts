/**
 * The LeNet-style training workload (issue 14): conv 5x5 to 16 channels ('same'), relu, max pool 2,
 * conv 5x5 to 32, relu, max pool 2, dense 800-128, relu, dense 128-10, softmax cross-entropy, SGD
 * lr 0.01, batch 64, MNIST 28x28 (the digits of examples/mnistData.ts, in order). purenet (jitted
 * step), PyTorch 1.13 on one thread (a child process, bench/lenet_torch.py) and TensorFlow.js's
 * cpu backend start from the same weights and train on the same batches; their losses are printed
 * side by side. TensorFlow.js's wasm backend (4.22) cannot run this workload: it has no
 * Conv2DBackpropFilter kernel, so the gradient of a convolution's weights throws there.
 *
 * After one untimed turn each (purenet's first step compiles its program), turns are interleaved
 * (purenet, PyTorch, tfjs-cpu, purenet, ...), each `--steps` steps; the median turn gives steps/s, and the ratios are what to read on a shared machine. Then the conv2
 * layer's kernels alone: forward, backward to the input (dX) and to the weights (dW), GFLOP/s.
 *
 *   npm run bench:lenet -- [--steps 5] [--rounds 5] [--no-torch] [--no-tfjs]
 */
import * as tf from '@tensorflow/tfjs'
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { createInterface } from 'node:readline'
import { type Tensor, losses, nn, ops, optim, random, tensor, toFlatArray, train, vjp } from 'purenet'
import { loadMnist } from '../examples/mnistData.js'
import { useTf } from './harness.js'

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`)
  return i < 0 ? fallback : Number(process.argv[i + 1])
}
const steps = arg('steps', 5)
const rounds = arg('rounds', 5)
const withTorch = !process.argv.includes('--no-torch')
const withTfjs = !process.argv.includes('--no-tfjs')
const BATCH = 64
const LR = 0.01

const c1 = nn.conv2d([28, 28, 1], 16, 5, { padding: 'same', weights: 'heNormal' })
const p1 = nn.maxPool2d(c1.outShape, 2)
const c2 = nn.conv2d(p1.outShape, 32, 5, { weights: 'heNormal' })
const p2 = nn.maxPool2d(c2.outShape, 2)
const net = nn.serial(c1, nn.relu, p1, c2, nn.relu, p2, nn.flatten, nn.dense(800, 128, { weights: 'heNormal' }), nn.relu, nn.dense(128, 10))

const { train: digits } = loadMnist({ trainPerClass: 40 })
const nBatches = Math.floor(digits.x.shape[0]! / BATCH)
const rowsOf = (t: Tensor, i: number, width: number): Float32Array => Float32Array.from(toFlatArray(t).slice(i * BATCH * width, (i + 1) * BATCH * width))
const batches = Array.from({ length: nBatches }, (_, i) => ({ x: tensor(rowsOf(digits.x, i, 784), { shape: [BATCH, 784] }), y: tensor(rowsOf(digits.y, i, 10), { shape: [BATCH, 10] }) }))

const params0 = net.init(random.key(0))
const weights = {
  w1: params0[0].w, b1: params0[0].b, w2: params0[3].w, b2: params0[3].b,
  w3: params0[7].w, b3: params0[7].b, w4: params0[9].w, b4: params0[9].b,
}

// purenet
const optimizer = optim.sgd(LR)
let state = train.initialState({ net, optimizer, key: random.key(0) })
state = { ...state, params: params0 }
const step = train.step({ net, loss: losses.softmaxCrossEntropy, optimizer })
let pStep = 0
const purenetTurn = (): { ms: number; losses: number[] } => {
  const out: number[] = []
  const t0 = performance.now()
  for (let i = 0; i < steps; i++) {
    const r = step(state, batches[pStep++ % nBatches]!)
    state = r.state
    out.push(r.loss)
  }
  return { ms: performance.now() - t0, losses: out }
}

// TensorFlow.js cpu: the same network written with tf ops (NHWC, HWIO, as purenet)
const tfTurn = await (async () => {
  if (!withTfjs) return undefined
  await useTf('cpu')
  const v = Object.fromEntries(Object.entries(weights).map(([k, t]) => [k, tf.variable(tf.tensor(Array.from(toFlatArray(t)), [...t.shape]))])) as Record<keyof typeof weights, tf.Variable>
  const xs = batches.map((b) => tf.tensor4d(Array.from(toFlatArray(b.x)), [BATCH, 28, 28, 1]))
  const ys = batches.map((b) => tf.tensor2d(Array.from(toFlatArray(b.y)), [BATCH, 10]))
  const sgd = tf.train.sgd(LR)
  let s = 0
  return (): { ms: number; losses: number[] } => {
    const out: number[] = []
    const t0 = performance.now()
    for (let i = 0; i < steps; i++) {
      const j = s++ % nBatches
      const loss = sgd.minimize(() => {
        let h: tf.Tensor4D = tf.maxPool(tf.relu(tf.add(tf.conv2d(xs[j]!, v.w1 as tf.Tensor4D, 1, "same"), v.b1)) as tf.Tensor4D, 2, 2, "valid")
        h = tf.maxPool(tf.relu(tf.add(tf.conv2d(h as tf.Tensor4D, v.w2 as tf.Tensor4D, 1, "valid"), v.b2)) as tf.Tensor4D, 2, 2, "valid")
        const flat = tf.reshape(h, [BATCH, 800])
        const logits = tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(flat, v.w3 as tf.Tensor2D), v.b3)), v.w4 as tf.Tensor2D), v.b4)
        return tf.losses.softmaxCrossEntropy(ys[j]!, logits) as tf.Scalar
      }, true)!
      out.push(loss.dataSync()[0]!)
      loss.dispose()
    }
    return { ms: performance.now() - t0, losses: out }
  }
})()

// PyTorch, one thread, in a child process
const torchTurn = await (async () => {
  if (!withTorch) return undefined
  const file = path.join(os.tmpdir(), `purenet-lenet-${process.pid}.json`)
  const list = (t: Tensor): number[] => Array.from(toFlatArray(t))
  writeFileSync(file, JSON.stringify({
    ...Object.fromEntries(Object.entries(weights).map(([k, t]) => [k, list(t)])),
    xs: batches.map((b) => list(b.x)), ys: batches.map((b) => list(b.y)), lr: LR,
  }))
  const child = spawn('/usr/bin/python3', [path.join(import.meta.dirname, 'lenet_torch.py'), file], { env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' }, stdio: ['pipe', 'pipe', 'inherit'] })
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]()
  const next = async (): Promise<string> => {
    const r = await lines.next()
    if (r.done === true) throw new Error('bench/lenet_torch.py ended early (is PyTorch installed at /usr/bin/python3?)')
    return r.value
  }
  console.log(`PyTorch: ${await next()}`)
  return Object.assign(async (): Promise<{ ms: number; losses: number[] }> => {
    child.stdin!.write(`steps ${steps}\n`)
    return JSON.parse(await next()) as { ms: number; losses: number[] }
  }, { close: () => child.stdin!.end() })
})()

const median = (xs: ReadonlyArray<number>): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const times: Record<string, number[]> = { purenet: [], pytorch: [], 'tfjs-cpu': [] }
const lossRows: Record<string, number[]> = { purenet: [], pytorch: [], 'tfjs-cpu': [] }
console.log(`LeNet-style training, batch ${BATCH}, SGD lr ${LR}: ${rounds} interleaved turns of ${steps} steps each; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`)
// one untimed turn each first: purenet's first step traces and compiles its program
purenetTurn()
if (torchTurn !== undefined) await torchTurn()
if (tfTurn !== undefined) tfTurn()
for (let r = 0; r < rounds; r++) {
  const a = purenetTurn()
  times.purenet!.push(a.ms / steps)
  lossRows.purenet!.push(...a.losses)
  if (torchTurn !== undefined) {
    const b = await torchTurn()
    times.pytorch!.push(b.ms / steps)
    lossRows.pytorch!.push(...b.losses)
  }
  if (tfTurn !== undefined) {
    const c = tfTurn()
    times['tfjs-cpu']!.push(c.ms / steps)
    lossRows['tfjs-cpu']!.push(...c.losses)
  }
}
torchTurn?.close()

// FLOPs of a step: forward convs and dense layers, backward twice the forward (conv1 needs no dX)
const conv1 = BATCH * 28 * 28 * 16 * 25 * 2
const conv2 = BATCH * 10 * 10 * 32 * 400 * 2
const dense = BATCH * (800 * 128 + 128 * 10) * 2
const flops = conv1 + conv2 + dense + conv1 + 2 * conv2 + 2 * dense
const pure = median(times.purenet!)
for (const [name, ts] of Object.entries(times)) {
  if (ts.length === 0) continue
  const ms = median(ts)
  console.log(`${name.padEnd(9)} ${ms.toFixed(1).padStart(7)} ms/step  ${(1000 / ms).toFixed(2).padStart(6)} steps/s  ${((flops / ms) / 1e6).toFixed(2).padStart(5)} GFLOP/s  purenet runs at ${(ms / pure).toFixed(2)}x its speed`)
}
console.log('losses (first 4 and last):')
for (const [name, ls] of Object.entries(lossRows)) {
  if (ls.length > 0) console.log(`  ${name.padEnd(9)} ${[...ls.slice(0, 4), ls[ls.length - 1]!].map((l) => l.toFixed(5)).join('  ')}`)
}

// conv2's kernels alone: [64, 14, 14, 16] * [5, 5, 16, 32] -> [64, 10, 10, 32]
const x = random.normal(random.key(1), [BATCH, 14, 14, 16])
const w = random.normal(random.key(2), [5, 5, 16, 32])
const ct = random.normal(random.key(3), [BATCH, 10, 10, 32])
const timeIt = (f: () => unknown, n = 10): number => {
  f()
  const t0 = performance.now()
  for (let i = 0; i < n; i++) f()
  return (performance.now() - t0) / n
}
const [, dxOf] = vjp((a: Tensor) => ops.conv2d(a, w), x)
const [, dwOf] = vjp((b: Tensor) => ops.conv2d(x, b), w)
const rows = [
  ['forward', timeIt(() => ops.conv2d(x, w))],
  ['backward dX', timeIt(() => dxOf(ct))],
  ['backward dW', timeIt(() => dwOf(ct))],
] as const
console.log(`purenet conv2 kernels (x [64, 14, 14, 16], w [5, 5, 16, 32], ${(conv2 / 1e6).toFixed(0)} MFLOP each):`)
for (const [name, ms] of rows) console.log(`  ${name.padEnd(12)} ${ms.toFixed(2).padStart(7)} ms  ${(conv2 / ms / 1e6).toFixed(1).padStart(5)} GFLOP/s`)
