/**
 * Max pooling, fused (`ops.maxPool2d`, the primitive `maxPool` and its backward: one loop each)
 * against the composite it replaced (`max(extractPatches(x), [3, 4])`, whose backward compares,
 * counts, divides, multiplies and folds the patches), on the two pools of the LeNet workload
 * (bench/lenet.ts: batch 64, 2x2 windows on 28x28x16 and 10x10x32). Forward alone, and value plus
 * gradient (`valueAndGrad` of Σ y·ct). Turns interleave (composite, fused, composite, ...); the
 * figures are the median CPU time of a turn (process.cpuUsage, user + system) and their ratio.
 *
 *   npx tsx bench/maxPool.ts [--rounds 7] [--reps 5]
 */
import { parseArgs } from 'node:util'
import { type Tensor, ops, random, valueAndGrad } from 'purenet'

const { values } = parseArgs({ options: { rounds: { type: 'string' }, reps: { type: 'string' } } })
const rounds = Number(values.rounds ?? 7)
const reps = Number(values.reps ?? 5)

// the composite ops.maxPool2d was before the fused primitive (padding taps -Infinity; 'valid' here)
const composite = (x: Tensor): Tensor => ops.max(ops.extractPatches(x, 2, { stride: 2 }), [3, 4])
const fused = (x: Tensor): Tensor => ops.maxPool2d(x, 2)

const cpu = (f: () => unknown): number => {
  const t = process.cpuUsage()
  for (let i = 0; i < reps; i++) f()
  const u = process.cpuUsage(t)
  return (u.user + u.system) / 1000 / reps
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!

console.log(`max pooling 2x2, batch 64: median CPU ms per call over ${rounds} interleaved turns of ${reps}`)
console.log('shape            pass              composite   fused   composite / fused')
for (const shape of [[64, 28, 28, 16], [64, 10, 10, 32]]) {
  const x = random.normal(random.key(0), shape)
  const ct = random.normal(random.key(1), [shape[0]!, shape[1]! / 2, shape[2]! / 2, shape[3]!])
  for (const pass of ['forward', 'value and gradient'] as const) {
    const run = (pool: (x: Tensor) => Tensor): (() => unknown) =>
      pass === 'forward' ? () => pool(x) : () => valueAndGrad((v: Tensor) => ops.sum(ops.mul(pool(v), ct)))(x)
    const a = run(composite)
    const b = run(fused)
    a()
    b()
    const ta: number[] = []
    const tb: number[] = []
    for (let r = 0; r < rounds; r++) {
      ta.push(cpu(a))
      tb.push(cpu(b))
    }
    const [ma, mb] = [median(ta), median(tb)]
    console.log(`[${shape.join(', ')}]`.padEnd(17) + pass.padEnd(18) + ma.toFixed(2).padStart(9) + mb.toFixed(2).padStart(8) + `${(ma / mb).toFixed(2)}x`.padStart(20))
  }
}
