/**
 * A/B of purenet's training paths between this checkout and another one (an older commit checked
 * out elsewhere, with its node_modules and generated wasm), in ONE process with interleaved turns:
 * both module trees are loaded side by side (each checkout's `bench/training/purenet.ts` imports its
 * own `src/`), so load from elsewhere on the machine hits both alike. Contenders per workload:
 * `train.step` eager (`jit: false`) and compiled, the README's hand loop and its jitted form.
 * Prints medians (min-max) of `turns` turns and the ratio this/other per contender.
 *
 *   npx tsx bench/optimizer-ab.ts /path/to/other/checkout [--only w4a,w1a] [--turns 7] [--turn-ms 400]
 */
import * as path from 'node:path'
import { pathToFileURL } from 'node:url'
import { makeSetup } from './training/setup.js'
import { type Trainer, type WorkloadId, stepsPerEpoch, workloads } from './training/spec.js'

type Module = typeof import('./training/purenet.js')
const argv = process.argv.slice(2)
const other = argv[0]
if (other === undefined || other.startsWith('--')) throw new Error('usage: npx tsx bench/optimizer-ab.ts /path/to/other/checkout [--only w4a,w1a] [--turns 7] [--turn-ms 400]')
const opt = (name: string, fallback: string): string => (argv.includes(name) ? argv[argv.indexOf(name) + 1] ?? fallback : fallback)
const only = opt('--only', 'w1,w4,w4a,w1a').split(',').filter((w): w is WorkloadId => w in workloads)
const turns = Number(opt('--turns', '7'))
const turnMs = Number(opt('--turn-ms', '400'))

const mine: Module = await import('./training/purenet.js')
const theirs: Module = await import(pathToFileURL(path.resolve(other, 'bench/training/purenet.ts')).href)

const kinds = ['eager step', 'jit step', 'loop', 'loop-jit'] as const
const make = (m: Module, kind: (typeof kinds)[number], s: ReturnType<typeof makeSetup>): Trainer =>
  kind === 'eager step' ? m.purenetTrainer(s, false) : kind === 'jit step' ? m.purenetTrainer(s, true) : kind === 'loop' ? m.purenetLoopTrainer(s) : m.purenetLoopJitTrainer(s)

const median = (xs: ReadonlyArray<number>): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!
const fmt = (x: number): string => (x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1))

for (const id of only) {
  const s = makeSetup(id, 1)
  const spec = workloads[id]
  const perStep = spec.unit === 'samples/s' ? spec.batchSize : 1
  const cs = kinds.flatMap((kind) => (['this', 'other'] as const).map((side) => ({ kind, side, trainer: make(side === 'this' ? mine : theirs, kind, s), t: 0, rates: [] as number[] })))
  // warm-up and calibration: steps per turn from a first timed run (compiles happen here)
  for (const c of cs) for (let i = 0; i < 20; i++) c.trainer.step(c.t++ % stepsPerEpoch(s))
  const counts = cs.map((c) => {
    const t0 = performance.now()
    for (let i = 0; i < 20; i++) c.trainer.step(c.t++ % stepsPerEpoch(s))
    return Math.max(5, Math.round((turnMs * 20) / Math.max(1e-3, performance.now() - t0)))
  })
  for (let turn = 0; turn < turns; turn++) {
    cs.forEach((c, i) => {
      const t0 = performance.now()
      for (let k = 0; k < counts[i]!; k++) c.trainer.step(c.t++ % stepsPerEpoch(s))
      c.rates.push((counts[i]! * perStep * 1000) / (performance.now() - t0))
    })
  }
  console.log(`\n${spec.title} (${spec.unit}, medians of ${turns} interleaved turns)`)
  for (const kind of kinds) {
    const [a, b] = cs.filter((c) => c.kind === kind)
    const ma = median(a!.rates), mb = median(b!.rates)
    console.log(`  ${kind.padEnd(10)} this ${fmt(ma)} (${fmt(Math.min(...a!.rates))}-${fmt(Math.max(...a!.rates))})  other ${fmt(mb)} (${fmt(Math.min(...b!.rates))}-${fmt(Math.max(...b!.rates))})  this/other ${(ma / mb).toFixed(2)}x`)
  }
}
