/**
 * Per-example gradients (issue 13): W1's network (MLP 784-128-10 ReLU, softmax cross-entropy,
 * float32) on a batch of 64, three ways, interleaved in one run:
 * - `perExampleGrads` (vmap of grad): the 64 gradients in one batched computation;
 * - a loop of 64 single-example gradients (what one writes without vmap);
 * - one gradient of the batch's mean loss (the cost per-example gradients are compared to).
 * The first two give the same 64 gradients (checked before timing; the per-example weight
 * gradients are one batchedMatmul of 64 outer products into one buffer); the issue's target is
 * per-example at most 3x one batch gradient. A last row times the floor every method pays: a fresh
 * buffer the size of the 64 gradients (26.1 MB, 24.8 MiB), written once. Prints medians (min-max) of wall
 * and CPU time over interleaved samples.
 *
 *   npm run bench:vmap [-- --quick]
 */
import { arange, grad, losses, nn, ops, perExampleGrads, random, type Tensor, toFlatArray } from '../src/index.js'
import { leaves } from '../src/tree/index.js'
import { machineLine } from './harness.js'

const quick = process.argv.includes('--quick')
const batch = 64
const net = nn.serial(nn.dense(784, 128, { weights: 'heNormal' }), nn.relu, nn.dense(128, 10))
type Params = ReturnType<typeof net.init>
const [kp, kx, ky] = random.split(random.key(0), 3) as [random.Key, random.Key, random.Key]
const params = net.init(kp)
const xs = random.uniform(kx, [batch, 784])
const labels = toFlatArray(random.uniform(ky, [batch], { min: 0, max: 10 })).map(Math.floor)
const ys = ops.reshape(ops.concat(labels.map((c) => ops.reshape(ops.where(ops.equal(arange(10), c), 1, 0), [1, 10])), 0), [batch, 10])

// the loss of one example: rows of 1 for the layers, which take [batch, features]
const exampleLoss = (p: Params, x: Tensor, y: Tensor): Tensor => losses.softmaxCrossEntropy(net.apply(p)(ops.reshape(x, [1, 784])), ops.reshape(y, [1, 10]))
const row = (t: Tensor, i: number): Tensor => ops.squeeze(ops.slice(t, [i, 0], [1, -1]), 0)

const contenders: ReadonlyArray<readonly [string, () => unknown]> = [
  ['per-example (vmap)', () => perExampleGrads(exampleLoss)(params, xs, ys)],
  ['loop of 64 grads', () => Array.from({ length: batch }, (_, i) => grad((p: Params) => exampleLoss(p, row(xs, i), row(ys, i)))(params))],
  ['one batch grad', () => grad((p: Params) => losses.softmaxCrossEntropy(net.apply(p)(xs), ys))(params)],
  // not a way to get gradients: the least any way pays, a fresh buffer of the 64 gradients' size written once
  [`floor: ${(4 * batch * (784 * 128 + 128 + 128 * 10 + 10) / 2 ** 20).toFixed(1)} MiB allocated and filled`, () => new Float32Array(batch * (784 * 128 + 128 + 128 * 10 + 10)).fill(1)],
]

// the two per-example results agree before anything is timed
{
  const batched = leaves(perExampleGrads(exampleLoss)(params, xs, ys))
  const loop = (contenders[1]![1]() as ReadonlyArray<Params>).map((g) => leaves(g))
  let worst = 0
  batched.forEach((leaf, j) => {
    const all = toFlatArray(leaf)
    const per = all.length / batch
    loop.forEach((g, i) => toFlatArray(g[j]!).forEach((t, k) => { worst = Math.max(worst, Math.abs(all[i * per + k]! - t)) }))
  })
  console.log(`largest difference between vmap and the loop over all 64 per-example gradients: ${worst.toExponential(2)} (float32)`)
}

const samples = quick ? 3 : 15
// wall time, and the process's CPU time (user + system), which load from other processes on a
// shared machine disturbs less than the wall clock
const times: number[][] = contenders.map(() => [])
const cpu: number[][] = contenders.map(() => [])
for (const [, run] of contenders) run() // warm-up
for (let s = 0; s < samples; s++) {
  contenders.forEach(([, run], i) => {
    const c0 = process.cpuUsage()
    const t0 = performance.now()
    run()
    times[i]!.push(performance.now() - t0)
    const c = process.cpuUsage(c0)
    cpu[i]!.push((c.user + c.system) / 1000)
  })
}
const median = (xs: ReadonlyArray<number>): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 === 1 ? s[s.length >> 1]! : (s[(s.length >> 1) - 1]! + s[s.length >> 1]!) / 2
}
const range = (xs: ReadonlyArray<number>): string => `${median(xs).toFixed(1)} (${Math.min(...xs).toFixed(1)}-${Math.max(...xs).toFixed(1)})`
const [wallBase, cpuBase] = [median(times[2]!), median(cpu[2]!)]
console.log(`\n${machineLine()}; ${samples} interleaved samples`)
console.log('\n| W1 (784-128-10, batch 64, float32) | wall ms, median (min-max) | / one batch grad | CPU ms, median (min-max) | / one batch grad |')
console.log('| --- | --- | --- | --- | --- |')
contenders.forEach(([name], i) => {
  console.log(`| ${name} | ${range(times[i]!)} | ${(median(times[i]!) / wallBase).toFixed(2)}x | ${range(cpu[i]!)} | ${(median(cpu[i]!) / cpuBase).toFixed(2)}x |`)
})
