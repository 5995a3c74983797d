/**
 * CPU time per `train.step` of a training workload, in one process, contenders interleaved
 * (robust on a loaded machine: CPU time, not wall time, medians of turns): the compiled step
 * (`jit`, the default) and the eager one, with SGD (the workload's optimizer) and with Adam.
 * For a profile of where the rest of a compiled step goes (batch slicing, the copies in and out,
 * the checks), run it under V8's sampling profiler:
 *
 *   npx tsx bench/profile-train-step.ts [w4|w1|w2] [steps per turn] [turns]
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/profile-train-step.ts w4
 *   node scripts/cpuprofile-top.mjs /tmp/prof/*.cpuprofile
 */
import { data, losses, optim, random, tensor, train } from '../src/index.js'
import type { Tree } from '../src/tree/index.js'
import { purenetNet } from './training/purenet.js'
import { makeSetup } from './training/setup.js'
import { type WorkloadId, batchIndices } from './training/spec.js'

const id = (process.argv[2] ?? 'w4') as WorkloadId
const perTurn = Number(process.argv[3] ?? 1024)
const turns = Number(process.argv[4] ?? 7)
const s = makeSetup(id, 2)
const spec = s.spec
const net = purenetNet(spec)
const ds = data.dataset(tensor(s.x, { shape: [s.n, spec.sizes[0]!] }), tensor(s.y, { shape: [s.n, spec.sizes[spec.sizes.length - 1]!] }))
const loss = spec.loss === 'mse' ? losses.mse : losses.softmaxCrossEntropy

const contender = (optimizer: optim.Optimizer, jit: boolean) => {
  const next = train.step({ net, loss, optimizer, jit })
  const params = net.init(random.key(0))
  let state: train.TrainState<Tree, optim.OptState> = Object.freeze({ params, optState: optimizer.init(params), step: 0, key: random.key(0) })
  let t = 0
  return (): number => {
    const r = next(state, data.take(ds, batchIndices(s, t++)))
    state = r.state
    return r.loss
  }
}

const contenders: ReadonlyArray<readonly [string, () => number]> = [
  ['jit sgd', contender(optim.sgd(spec.learningRate), true)],
  ['eager sgd', contender(optim.sgd(spec.learningRate), false)],
  ['jit adam', contender(optim.adam(1e-3), true)],
  ['eager adam', contender(optim.adam(1e-3), false)],
]
const times = new Map<string, number[]>(contenders.map(([n]) => [n, []]))
for (const [, run] of contenders) for (let i = 0; i < 50; i++) run() // warm-up: compile, tier up
for (let turn = 0; turn < turns; turn++) {
  for (const [name, run] of contenders) {
    const c0 = process.cpuUsage()
    for (let i = 0; i < perTurn; i++) run()
    const c = process.cpuUsage(c0)
    times.get(name)!.push((c.user + c.system) / perTurn)
  }
}
const median = (xs: number[]): number => xs.slice().sort((a, b) => a - b)[xs.length >> 1]!
console.log(`${spec.title}: CPU µs per train.step, median (min-max) of ${turns} interleaved turns of ${perTurn} steps`)
for (const [name, xs] of times) console.log(`  ${name.padEnd(11)} ${median(xs).toFixed(1)} (${Math.min(...xs).toFixed(1)}-${Math.max(...xs).toFixed(1)})`)
