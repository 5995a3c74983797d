/**
 * Soak test (not part of `npm test`): 20,000 training steps of W1 (784-128-10 ReLU, softmax
 * cross-entropy, SGD 0.1, batch 64) on the bundled MNIST digits, through `train.fit` with a
 * checkpoint every 2,000 steps (the newest 2 kept), sampling the heap and the resident set size
 * every 1,000 steps. Each sample is taken after a full garbage collection when node runs with
 * --expose-gc (the npm script does), so the heap figure is what training retains, not what it
 * has not collected yet. It prints the samples and the growth from the first sample to the last.
 *
 *   npm run bench:soak                       # 20,000 steps
 *   npm run bench:soak -- --steps 4000       # a shorter run
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { io, losses, nn, optim, random, train } from '../src/index.js'
import { parseFlags, positiveInt, usage } from '../examples/cli.js'
import { loadMnist } from '../examples/mnistData.js'

const flags = {
  steps: positiveInt('training steps (default 20000)'),
  every: positiveInt('steps between samples (default 1000)'),
}
const parsed = parseFlags(process.argv.slice(2), flags)
if (E.isLeft(parsed)) {
  process.stderr.write(`${parsed.left}\n${usage('npm run bench:soak --', flags)}\n`)
  process.exit(2)
}
const steps = parsed.right.steps ?? 20_000
const every = parsed.right.every ?? 1000

const collect = (globalThis as { gc?: () => void }).gc
const mib = (n: number): string => (n / 2 ** 20).toFixed(1)

const { train: data } = loadMnist()
const net = nn.serial(nn.dense(784, 128), nn.relu, nn.dense(128, 10))
const batchSize = 64
const stepsPerEpoch = Math.ceil(data.x.shape[0]! / batchSize)
const folder = mkdtempSync(join(tmpdir(), 'purenet-soak-'))

interface Sample { readonly step: number; readonly heap: number; readonly rss: number; readonly seconds: number }
const samples: Sample[] = []
const started = performance.now()
const sample = (step: number): void => {
  collect?.()
  const m = process.memoryUsage()
  samples.push({ step, heap: m.heapUsed, rss: m.rss, seconds: (performance.now() - started) / 1000 })
  const s = samples[samples.length - 1]!
  process.stdout.write(`step ${String(step).padStart(6)}  heap ${mib(s.heap).padStart(7)} MiB  rss ${mib(s.rss).padStart(7)} MiB  ${s.seconds.toFixed(1).padStart(6)} s\n`)
}

process.stdout.write(`soak: W1 ${net.name}, batch ${batchSize}, ${steps} steps (${Math.ceil(steps / stepsPerEpoch)} epochs of ${data.x.shape[0]} digits), checkpoint every 2000 steps, node ${process.version}${collect === undefined ? ', without --expose-gc (heap figures include garbage)' : ''}\n`)
sample(0)
try {
  const result = train.fit({
    net,
    loss: losses.softmaxCrossEntropy,
    optimizer: optim.sgd(0.1),
    data,
    // whole epochs, cut to `steps` by the sampling hook below
    epochs: Math.ceil(steps / stepsPerEpoch),
    batchSize,
    key: random.key(0),
    checkpoint: io.checkpoints(folder, { every: { steps: 2000 }, keep: 2 }),
    onStep: (s) => {
      if (s.state.step % every === 0 && s.state.step <= steps) sample(s.state.step)
    },
  })
  const first = samples[1] ?? samples[0]!
  const last = samples[samples.length - 1]!
  const perStep = (n: number): string => `${((n / Math.max(1, last.step - first.step)) * 1000).toFixed(1)} bytes/1000 steps`
  process.stdout.write([
    '',
    `steps run: ${result.state.step} (${(result.state.step / last.seconds).toFixed(0)} steps/s)`,
    `heap: ${mib(first.heap)} MiB at step ${first.step} -> ${mib(last.heap)} MiB at step ${last.step}: ${(last.heap - first.heap >= 0 ? '+' : '')}${mib(last.heap - first.heap)} MiB (${perStep(last.heap - first.heap)}); max ${mib(Math.max(...samples.map((s) => s.heap)))} MiB`,
    `rss:  ${mib(first.rss)} MiB at step ${first.step} -> ${mib(last.rss)} MiB at step ${last.step}: ${(last.rss - first.rss >= 0 ? '+' : '')}${mib(last.rss - first.rss)} MiB; max ${mib(Math.max(...samples.map((s) => s.rss)))} MiB`,
    `(the history keeps one loss per step: ${result.history.loss.length} numbers)`,
    '',
  ].join('\n'))
} finally {
  rmSync(folder, { recursive: true, force: true })
}
