/**
 * What staging costs and saves on the W1 network (784-128-10 relu, mse, batch 64, float32):
 * the eager gradient, `trace` of it (which runs the kernels once while recording), and
 * `evaluate` of the traced program (the same kernels without tracers or a tape). Interleaved
 * rounds, each reporting ratios to the eager gradient of the same round: the machine is shared.
 *
 *   npx tsx bench/stage.ts [rounds]
 */
import { type Tensor, evaluate, grad, losses, ops, programStats, random, trace } from 'purenet'

type Params = { readonly W1: Tensor; readonly W2: Tensor }
const [k1, k2, kx, ky] = random.split(random.key(0), 4)
const params: Params = { W1: random.normal(k1!, [784, 128], { std: 0.05 }), W2: random.normal(k2!, [128, 10], { std: 0.1 }) }
const x = random.normal(kx!, [64, 784])
const y = random.normal(ky!, [64, 10])
const loss = (p: Params, xs: Tensor, ys: Tensor): Tensor => losses.mse(ops.matmul(ops.relu(ops.matmul(xs, p.W1)), p.W2), ys)
const gradient = (p: Params, xs: Tensor, ys: Tensor): Params => grad((q: Params) => loss(q, xs, ys))(p)

const mean = (f: () => unknown, n: number): number => {
  const t = performance.now()
  for (let i = 0; i < n; i++) f()
  return (performance.now() - t) / n
}

const rounds = Number(process.argv[2] ?? 5)
for (let i = 0; i < 5; i++) { gradient(params, x, y); trace(gradient)(params, x, y) }
const program = trace(gradient)(params, x, y)
const run = evaluate(program)
console.log(`program: ${programStats(program).equations} equations`)
console.log('round  eager grad ms  trace ms (x eager)  evaluate ms (x eager)')
const ratios: Array<readonly [number, number]> = []
for (let r = 0; r < rounds; r++) {
  const eager = mean(() => gradient(params, x, y), 50)
  const traced = mean(() => trace(gradient)(params, x, y), 50)
  const evaluated = mean(() => run(params, x, y), 50)
  ratios.push([traced / eager, evaluated / eager])
  console.log(`${String(r + 1).padStart(5)}  ${eager.toFixed(2).padStart(13)}  ${traced.toFixed(2).padStart(8)} (${(traced / eager).toFixed(2)}x)  ${evaluated.toFixed(2).padStart(11)} (${(evaluated / eager).toFixed(2)}x)`)
}
const median = (xs: ReadonlyArray<number>): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
console.log(`median of ${rounds} rounds: trace ${median(ratios.map(([t]) => t)).toFixed(2)}x, evaluate ${median(ratios.map(([, e]) => e)).toFixed(2)}x the eager gradient`)
