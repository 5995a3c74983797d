/**
 * Where a compiled training step's time goes: the loss-and-gradient program of W1, W2 or W4
 * (`jit`'s lowering of `valueAndGrad` of the workload's loss), run many times, with each step's
 * median time (a fused loop is labelled by its primitives, `(wasm)` marks a WebAssembly kernel,
 * `(impl)` a primitive run through its own kernel and copied), the copies in and out included.
 *
 *   npx tsx bench/profile-jit.ts [w4|w1|w2] [reps]
 */
import { losses, nn, random, trace, valueAndGrad } from '../src/index.js'
import { lower } from '../src/stage/lower.js'
import type { Tensor } from '../src/tensor/index.js'
import { type Tree, leaves } from '../src/tree/index.js'
import { workloads, type WorkloadId } from './training/spec.js'

const id = (process.argv[2] ?? 'w4') as WorkloadId
const reps = Number(process.argv[3] ?? 2000)
const spec = workloads[id]
const layers: nn.AnyLayer[] = []
for (let i = 0; i + 1 < spec.sizes.length; i++) {
  if (i > 0) layers.push(spec.activation === 'relu' ? nn.relu : nn.tanh)
  layers.push(nn.dense(spec.sizes[i]!, spec.sizes[i + 1]!))
}
// the sizes are run-time numbers here, so the chain is checked at run time, not by the types
const net = (nn.serial as unknown as (...ls: nn.AnyLayer[]) => nn.Layer<Tree>)(...layers)
const params = net.init(random.key(0))
const x = random.normal(random.key(1), [spec.batchSize, spec.sizes[0]!])
const y = random.normal(random.key(2), [spec.batchSize, spec.sizes[spec.sizes.length - 1]!])
const lossOf = spec.loss === 'mse' ? losses.mse : losses.softmaxCrossEntropy
const f = (p: Tree, xb: Tensor, yb: Tensor) => valueAndGrad((q: Tree) => lossOf(net.apply(q)(xb), yb))(p)
const program = trace(f)(params, x, y)
const executable = lower(program)
const inputs = leaves([params, x, y])
for (let i = 0; i < Math.min(500, reps); i++) executable.run(inputs)
const rows = executable.profile(inputs, reps)
const total = rows.reduce((s, r) => s + r.us, 0)
console.log(`${spec.title}: ${program.equations.length} equations, ${executable.steps} steps (${executable.fused} fused into loops), ${(executable.bytes / 1024).toFixed(0)} KiB planned`)
console.log('| step | µs (median) | share |\n| --- | --- | --- |')
for (const r of rows) console.log(`| ${r.label} | ${r.us.toFixed(2)} | ${((100 * r.us) / total).toFixed(0)}% |`)
console.log(`| total | ${total.toFixed(1)} | |`)
