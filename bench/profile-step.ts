/**
 * Training-step throughput of two small MLPs on synthetic data, for profiling with V8's sampling
 * profiler (issue 4 §3: find what dominates a step):
 *   W1: 784-128-10 ReLU, softmax cross-entropy, SGD, batch 64
 *   W4: 4-64-64-2 tanh, MSE, SGD, batch 32
 *
 *   npx tsx bench/profile-step.ts [--workload w1|w4] [--steps N]
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/profile-step.ts --workload w1
 *   node scripts/cpuprofile-top.mjs /tmp/prof/*.cpuprofile      # self time by function
 */
import { pathToFileURL } from 'node:url'
import { data, losses, nn, optim, random, tensor, train } from '../src/index.js'
import { randomData } from './harness.js'

const synthetic = (n: number, features: number, classes: number, seed: number): data.Dataset => {
  const x = tensor(randomData(n * features, seed), { shape: [n, features] })
  const labels = Array.from(randomData(n, seed + 1), (u) => Math.min(classes - 1, Math.floor((u + 1) / 2 * classes)))
  return data.dataset(x, data.oneHot(labels, classes))
}

/** Runs `steps` SGD steps of a workload and returns steps per second. */
export const runWorkload = (workload: 'w1' | 'w4', steps: number): { readonly stepsPerSecond: number; readonly samplesPerSecond: number; readonly loss: number } => {
  const batch = workload === 'w1' ? 64 : 32
  const ds = workload === 'w1' ? synthetic(steps * batch, 784, 10, 1) : synthetic(steps * batch, 4, 2, 2)
  const t0 = performance.now()
  const result = workload === 'w1'
    ? train.fit({ net: nn.serial(nn.dense(784, 128), nn.relu, nn.dense(128, 10)), loss: losses.softmaxCrossEntropy, optimizer: optim.sgd(0.1), data: ds, epochs: 1, batchSize: batch, key: random.key(0) })
    : train.fit({ net: nn.serial(nn.dense(4, 64), nn.tanh, nn.dense(64, 64), nn.tanh, nn.dense(64, 2)), loss: losses.mse, optimizer: optim.sgd(0.01), data: ds, epochs: 1, batchSize: batch, key: random.key(0) })
  const seconds = (performance.now() - t0) / 1000
  return { stepsPerSecond: steps / seconds, samplesPerSecond: (steps * batch) / seconds, loss: result.history.loss[result.history.loss.length - 1] ?? NaN }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const argv = process.argv.slice(2)
  const w = argv[argv.indexOf('--workload') + 1]
  const workload = argv.includes('--workload') && w === 'w4' ? 'w4' : 'w1'
  const steps = argv.includes('--steps') ? Number(argv[argv.indexOf('--steps') + 1]) : 500
  runWorkload(workload, 20) // warm-up: JIT and the wasm module's tier-up
  const r = runWorkload(workload, steps)
  console.log(`${workload}: ${r.stepsPerSecond.toFixed(0)} steps/s, ${r.samplesPerSecond.toFixed(0)} samples/s, last loss ${r.loss.toFixed(4)}`)
}
