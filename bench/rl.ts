/**
 * `npm run bench:rl` (issue 17): where reinforcement learning spends its time.
 *
 * 1. Batch-1 inference of a 4-64-64-2 tanh network, calls per second. One call = one observation
 *    (4 numbers in a plain array, as an environment step returns them) to a tensor, the forward
 *    pass, and the two outputs read back: what an agent pays per environment step. Contenders,
 *    interleaved in rounds (A, B, C, A, B, C, ...): purenet eager `net.apply(params)(x)` then
 *    `toFlatArray`; purenet `jit((p, x) => net.apply(p)(x))(params, x)` (the same bits, compiled
 *    once); TensorFlow.js wasm (XNNPACK SIMD, one thread) and cpu, each `tf.tidy` of the same three
 *    dense layers then `dataSync`; PyTorch (`bench/rl_inference_torch.py`, /usr/bin/python3, one
 *    thread, `torch.no_grad()`, `.tolist()`), timed inside its own process for each round so that
 *    its start-up is not counted. Prints medians and purenet's ratio to each.
 * 2. DQN on CartPole-v1: the wall-clock of the same algorithm with the same hyperparameters
 *    (examples/rl/dqn.ts's defaults) in purenet (through jit, its default, and eager) and in PyTorch
 *    (`bench/rl_dqn_torch.py`), over a fixed budget of environment steps (`--dqn-steps`, default
 *    6 000: 5 000 learning steps, 2 500 gradient steps), each in its own process, alternated; with
 *    `--solve` purenet jit and PyTorch run each of `--seeds` (e.g. 0,1,2,3) until solved (same
 *    criterion, budget 150 000 steps) and the times to solve and per environment step are printed.
 *    The two draw different random numbers, so a seed's solving step differs between them: the
 *    time per environment step is the like-for-like ratio.
 *
 *   npm run bench:rl [-- --rounds 5] [--calls 20000] [--dqn-steps 6000] [--solve] [--seeds 0,1,2,3] [--no-torch] [--no-dqn]
 */
import * as tf from '@tensorflow/tfjs'
import { spawnSync } from 'node:child_process'
import { parseArgs } from 'node:util'
import { type Tensor, jit, nn, random, tensor, toFlatArray } from 'purenet'
import { machineLine, useTf } from './harness.js'

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    calls: { type: 'string', default: '20000' },
    'dqn-steps': { type: 'string', default: '6000' },
    solve: { type: 'boolean', default: false },
    'no-torch': { type: 'boolean', default: false },
    'no-dqn': { type: 'boolean', default: false },
    seeds: { type: 'string', default: '0' },
  },
})
const rounds = Number(args.rounds)
const calls = Number(args.calls)
const python = '/usr/bin/python3'
const torchEnv = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' }
const haveTorch = !args['no-torch'] && spawnSync(python, ['-c', 'import torch'], { env: torchEnv }).status === 0

const median = (xs: ReadonlyArray<number>): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 === 1 ? s[s.length >> 1]! : (s[(s.length >> 1) - 1]! + s[s.length >> 1]!) / 2
}
const fmt = (x: number): string => Math.round(x).toLocaleString('en-US')

// purenet: the network of the issue, params from a key
const net = nn.serial(nn.dense(4, 64), nn.tanh, nn.dense(64, 64), nn.tanh, nn.dense(64, 2))
const params = net.init(random.key(0))
// one call: an observation in a plain array to a tensor, the forward pass, the outputs read back
const forward = jit((p: typeof params, x: Tensor) => net.apply(p)(x))
const purenetRound = (apply: (x: Tensor) => Tensor) => (n: number): number => {
  const obs = [0.1, 0.2, 0.3, 0.4]
  let sink = 0
  const t0 = performance.now()
  for (let i = 0; i < n; i++) {
    obs[0] = i * 1e-6
    sink += toFlatArray(apply(tensor(obs, { shape: [1, 4] })))[0]!
  }
  const seconds = (performance.now() - t0) / 1000
  if (!Number.isFinite(sink)) throw new Error('bench:rl: purenet produced a non-finite output')
  return n / seconds
}
const eagerRound = purenetRound(net.apply(params))
const jitRound = purenetRound((x) => forward(params, x))

// TensorFlow.js (wasm, then cpu): the same weights, three dense layers in tf.tidy, read back with
// dataSync; each backend gets its own copy of the weights, made while it is the active one
type TfLayer = { readonly w: tf.Tensor2D; readonly b: tf.Tensor1D }
const tfLayers = (): TfLayer[] => params.flatMap((p) => ('w' in p ? [{ w: tf.tensor2d(p.w.data as Float32Array, p.w.shape as [number, number]), b: tf.tensor1d(p.b.data as Float32Array) }] : []))
const tfForward = (layers: ReadonlyArray<TfLayer>, obs: ReadonlyArray<number>): tf.Tensor2D => tf.tidy(() => {
  let h: tf.Tensor2D = tf.tensor2d([obs as number[]])
  layers.forEach((l, j) => {
    h = tf.add(tf.matMul(h, l.w), l.b)
    if (j < layers.length - 1) h = tf.tanh(h)
  })
  return h
})
await useTf('cpu')
const cpuLayers = tfLayers()
await useTf('wasm')
const layers = tfLayers()
const tfRound = (backend: 'wasm' | 'cpu') => async (n: number): Promise<number> => {
  await useTf(backend)
  const ls = backend === 'wasm' ? layers : cpuLayers
  const obs = [0.1, 0.2, 0.3, 0.4]
  let sink = 0
  const t0 = performance.now()
  for (let i = 0; i < n; i++) {
    obs[0] = i * 1e-6
    const y = tfForward(ls, obs)
    sink += y.dataSync()[0]!
    y.dispose()
  }
  const seconds = (performance.now() - t0) / 1000
  if (!Number.isFinite(sink)) throw new Error('bench:rl: tfjs produced a non-finite output')
  return n / seconds
}

// agreement: the same weights give the same outputs (float32 rounding apart); jit is eager's bits
{
  const x = [0.1, -0.2, 0.3, -0.4]
  const a = toFlatArray(net.apply(params)(tensor(x, { shape: [1, 4] })))
  const j = toFlatArray(forward(params, tensor(x, { shape: [1, 4] })))
  if (a.some((v, i) => !Object.is(v, j[i]))) throw new Error(`bench:rl: jit gave ${j} where eager gave ${a}`)
  const b = tfForward(layers, x).dataSync()
  const diff = Math.max(...a.map((v, i) => Math.abs(v - b[i]!)))
  if (diff > 1e-5) throw new Error(`bench:rl: purenet and tfjs disagree by ${diff}`)
}

const torchRound = (n: number): number => {
  const r = spawnSync(python, ['bench/rl_inference_torch.py', String(n), '1'], { env: torchEnv, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`bench:rl: PyTorch failed: ${r.stderr}`)
  const { calls: c, seconds } = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { calls: number; seconds: number }
  return c / seconds
}

console.log(`# RL benchmarks (${machineLine()})\n`)
console.log(`## Batch-1 inference, 4-64-64-2 tanh, calls/s (${rounds} rounds of ${calls} calls, interleaved)\n`)
const contenders: ReadonlyArray<readonly [string, (n: number) => number | Promise<number>]> = [
  ['purenet eager', eagerRound], ['purenet jit', jitRound], ['tfjs-wasm', tfRound('wasm')], ['tfjs-cpu', tfRound('cpu')],
  ...(haveTorch ? [['pytorch', torchRound] as const] : []),
]
for (const [name, round] of contenders) if (name !== 'pytorch') await round(2000)
const rates: Record<string, number[]> = Object.fromEntries(contenders.map(([name]) => [name, []]))
for (let r = 0; r < rounds; r++) for (const [name, round] of contenders) rates[name]!.push(await round(calls))
const pe = median(rates['purenet eager']!), pj = median(rates['purenet jit']!)
console.log('| contender | calls/s (median) | min-max | µs per call | eager ÷ contender | jit ÷ contender |')
console.log('| --- | ---: | ---: | ---: | ---: | ---: |')
for (const [name, xs] of Object.entries(rates)) {
  const m = median(xs)
  console.log(`| ${name} | ${fmt(m)} | ${fmt(Math.min(...xs))}-${fmt(Math.max(...xs))} | ${(1e6 / m).toFixed(2)} | ${(pe / m).toFixed(2)} | ${(pj / m).toFixed(2)} |`)
}
if (!haveTorch) console.log('\n(PyTorch not measured: /usr/bin/python3 cannot import torch, or --no-torch)')

if (!args['no-dqn']) {
  const steps = Number(args['dqn-steps'])
  const solve = args.solve ?? false
  const seeds = String(args.seeds).split(',').map(Number)
  console.log(`\n## DQN on CartPole-v1, wall-clock, ${solve ? `seeds ${seeds.join(', ')} until solved (budget 150 000 steps)` : `${steps} environment steps, seed ${seeds[0]}`} (each run in its own process)\n`)
  interface Run { readonly seconds: number; readonly steps: number; readonly solvedAt?: number | null }
  const child = (command: string, argv: ReadonlyArray<string>, env: NodeJS.ProcessEnv, name: string): Run => {
    const r = spawnSync(command, argv, { env, encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`bench:rl: ${name} DQN failed: ${r.stderr}`)
    return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Run
  }
  const budget = (seed: number): string[] => ['--seed', String(seed), ...(solve ? ['--solve'] : ['--steps', String(steps)])]
  const contenders: ReadonlyArray<readonly [string, (seed: number) => Run]> = [
    ['purenet jit', (seed) => child('npx', ['tsx', 'bench/rl-dqn-child.ts', ...budget(seed)], process.env, 'purenet')],
    ...(solve ? [] : [['purenet eager', (seed: number) => child('npx', ['tsx', 'bench/rl-dqn-child.ts', '--eager', ...budget(seed)], process.env, 'purenet eager')] as const]),
    ...(haveTorch ? [['pytorch', (seed: number) => child(python, ['bench/rl_dqn_torch.py', ...budget(seed)], torchEnv, 'PyTorch')] as const] : []),
  ]
  // a fixed budget: the first seed, twice, interleaved; until solved: each seed once, interleaved
  const plan = solve ? seeds : [seeds[0]!, seeds[0]!]
  const runs: Record<string, Run[]> = Object.fromEntries(contenders.map(([name]) => [name, []]))
  for (const seed of plan) for (const [name, go] of contenders) runs[name]!.push(go(seed))
  const msPerStep = (xs: ReadonlyArray<Run>): number => median(xs.map((x) => (1000 * x.seconds) / x.steps))
  const pj = msPerStep(runs['purenet jit']!)
  if (solve) {
    console.log(`| contender | ${seeds.map((s) => `seed ${s}: solved at step, seconds`).join(' | ')} | ms per environment step (median) | ÷ purenet jit's ms per step |`)
    console.log(`| --- | ${seeds.map(() => '---:').join(' | ')} | ---: | ---: |`)
    for (const [name, xs] of Object.entries(runs)) {
      console.log(`| ${name} | ${xs.map((x) => `${x.solvedAt ?? 'not solved'}, ${x.seconds.toFixed(1)}`).join(' | ')} | ${msPerStep(xs).toFixed(2)} | ${(msPerStep(xs) / pj).toFixed(2)} |`)
    }
    const total = (xs: ReadonlyArray<Run>): number => xs.reduce((a, x) => a + x.seconds, 0)
    for (const [name, xs] of Object.entries(runs)) console.log(`\n${name}: ${total(xs).toFixed(1)} s to solve all ${xs.length} seeds (÷ purenet jit ${(total(xs) / total(runs['purenet jit']!)).toFixed(2)})`)
  } else {
    console.log('| contender | seconds (median) | ms per environment step | ÷ purenet jit (time ratio, above 1: purenet jit faster) |')
    console.log('| --- | ---: | ---: | ---: |')
    for (const [name, xs] of Object.entries(runs)) {
      console.log(`| ${name} | ${median(xs.map((x) => x.seconds)).toFixed(1)} | ${msPerStep(xs).toFixed(2)} | ${(msPerStep(xs) / pj).toFixed(2)} |`)
    }
  }
}
console.log(`\n${machineLine()}`)
