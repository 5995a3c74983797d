/**
 * Both cores (issue 12 point 5): the loss and gradient of W1 and W2 computed by `jit` on one
 * thread and by `dataParallel` over a pool of two threads (`parallel({ workers: 2 })`), interleaved
 * turns, with the largest difference between the two. Wall time is what a user waits; on a busy
 * machine the pool's worker waits for a core at every step, which the load average printed
 * beside the table explains.
 *
 *   npx tsx bench/parallel.ts [--quick]
 */
import { pathToFileURL } from 'node:url'
import { dataParallel, jit, losses, nn, parallel, random, valueAndGrad } from '../src/index.js'
import type { Tensor } from '../src/tensor/index.js'
import { type Tree, leaves } from '../src/tree/index.js'
import { machineLine } from './harness.js'

const median = (xs: ReadonlyArray<number>): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!

const workloads = [
  { name: 'W1 784-128-10, batch 64', sizes: [784, 128, 10], batch: 64 },
  { name: 'W2 784-512-10, batch 256', sizes: [784, 512, 10], batch: 256 },
] as const

/** Runs the comparison and prints a markdown table. */
export const runParallelBench = async (quick: boolean): Promise<void> => {
  console.log(`\n## Both cores: dataParallel over parallel({ workers: 2 }) against jit (${machineLine()})\n`)
  console.log('| workload | jit samples/s median (min-max) | 2 workers samples/s median (min-max) | 2 workers / jit | max relative difference |')
  console.log('| --- | --- | --- | --- | --- |')
  const pool = await parallel({ workers: 2 })
  try {
    for (const w of workloads) {
      const net = nn.serial(nn.dense(w.sizes[0], w.sizes[1]), nn.relu, nn.dense(w.sizes[1], w.sizes[2]))
      const params = net.init(random.key(0))
      const x = random.normal(random.key(1), [w.batch, w.sizes[0]])
      const y = random.normal(random.key(2), [w.batch, w.sizes[2]])
      const f = (p: Tree, xs: Tensor, ys: Tensor) => valueAndGrad((q: Tree) => losses.softmaxCrossEntropy(net.apply(q as typeof params)(xs), ys))(p)
      const one = jit(f)
      const two = dataParallel(pool, f, { batched: [false, true, true] })
      const a = leaves(one(params, x, y)), b = leaves(two(params, x, y))
      let diff = 0
      a.forEach((t, i) => t.data.forEach((v, j) => { diff = Math.max(diff, Math.abs(v - b[i]!.data[j]!) / Math.max(1e-3, Math.abs(v))) }))
      const turns = quick ? 3 : 9
      const reps = Math.max(5, Math.round((quick ? 100 : 300) / w.batch * 16))
      const times: [number[], number[]] = [[], []]
      for (let t = 0; t < turns; t++) {
        for (const [i, g] of [one, two].entries()) {
          const t0 = performance.now()
          for (let r = 0; r < reps; r++) g(params, x, y)
          times[i as 0 | 1].push((performance.now() - t0) / reps)
        }
      }
      const rate = (ts: number[]) => ({ med: (1000 * w.batch) / median(ts), lo: (1000 * w.batch) / Math.max(...ts), hi: (1000 * w.batch) / Math.min(...ts) })
      const r1 = rate(times[0]), r2 = rate(times[1])
      const f0 = (v: number) => Math.round(v).toLocaleString('en-US')
      console.log(`| ${w.name} | ${f0(r1.med)} (${f0(r1.lo)}-${f0(r1.hi)}) | ${f0(r2.med)} (${f0(r2.lo)}-${f0(r2.hi)}) | ${(r2.med / r1.med).toFixed(2)}x | ${diff.toExponential(1)} |`)
    }
  } finally {
    await pool.close()
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runParallelBench(process.argv.includes('--quick'))
}
