/**
 * Training throughput of W1, W2 and W4 (issue 4) for purenet, TensorFlow.js `cpu` and `wasm`
 * and a hand-written plain-JS reference, interleaved in one run, then each contender's memory
 * measured alone in a child process.
 *
 * Every contender starts from the same data, the same initial weights and the same batch order
 * (`training/setup.ts`), so the losses of the first steps agree; the agreement is printed. Then
 * each contender takes `samples` timed turns (purenet, plain-js, tfjs-cpu, tfjs-wasm, purenet,
 * ...), each turn a run of steps calibrated to last about `turnMs`, so load from elsewhere on
 * the machine hits every contender alike. The table gives medians, spreads (min-max over turns)
 * and purenet's ratio to each peer (above 1: purenet is faster).
 *
 *   npx tsx bench/training.ts [--quick] [--only w1,w4] [--no-rss] [--flat-epochs 50]
 */
import { spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { ChildReport } from './training-child.js'
import { machineLine, useTf } from './harness.js'
import { pytorchAvailable } from './training/pytorch.js'
import { makeSetup } from './training/setup.js'
import { type ContenderName, type Setup, type Trainer, type WorkloadId, contenderNames, makeTrainer, stepsPerEpoch, workloads, writeSetup } from './training/spec.js'

/** Options of the training benchmark. */
export interface TrainingBenchOptions {
  readonly quick: boolean
  readonly only: ReadonlyArray<WorkloadId>
  /** Measure each contender's peak RSS in a child process. */
  readonly rss: boolean
  /** Epochs of the purenet W1 run that checks that memory stays flat. */
  readonly flatEpochs: number
}

/** Throughput of one contender on one workload. */
export interface Rate {
  readonly name: ContenderName
  readonly median: number
  readonly min: number
  readonly max: number
}

const median = (xs: ReadonlyArray<number>): number => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

const fmt = (x: number): string =>
  !Number.isFinite(x) ? String(x) : x >= 1000 ? Math.round(x).toLocaleString('en-US') : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toFixed(3)

// Every tfjs contender's tensors live on its own backend: make it current before its steps.
const before = async (name: ContenderName): Promise<void> => {
  if (name === 'tfjs-cpu') await useTf('cpu')
  if (name === 'tfjs-wasm') await useTf('wasm')
}

interface Contender {
  readonly name: ContenderName
  readonly trainer: Trainer
  /** The next global step this contender takes. */
  t: number
}

const runSteps = async (c: Contender, count: number): Promise<number> => {
  await before(c.name)
  if (c.trainer.turn !== undefined) {
    c.t += count
    return (await c.trainer.turn(count)).ms
  }
  const t0 = performance.now()
  for (let i = 0; i < count; i++) c.trainer.step(c.t++)
  return performance.now() - t0
}

/** Losses of the first `steps` steps of every contender, and the largest difference to purenet's. */
const agreement = async (cs: ReadonlyArray<Contender>, steps: number): Promise<string> => {
  const losses = new Map<ContenderName, number[]>()
  for (const c of cs) {
    await before(c.name)
    const ls: number[] = []
    if (c.trainer.turn !== undefined) {
      ls.push(...(await c.trainer.turn(steps)).losses)
      c.t += steps
    } else {
      for (let i = 0; i < steps; i++) ls.push(c.trainer.step(c.t++))
    }
    losses.set(c.name, ls)
  }
  const ref = losses.get('purenet')!
  const parts = cs.filter((c) => c.name !== 'purenet').map((c) => {
    const ls = losses.get(c.name)!
    const d = Math.max(...ls.map((v, i) => Math.abs(v - ref[i]!)))
    return `${c.name} ${d.toExponential(1)}`
  })
  const last = cs.map((c) => `${c.name} ${losses.get(c.name)![steps - 1]!.toFixed(6)}`)
  return `loss agreement over the first ${steps} steps (same weights, same batches): max |loss - purenet's|: ${parts.join(', ')}; loss at step ${steps}: ${last.join(', ')}`
}

/** Runs one workload's interleaved timing; returns the rates and the agreement line. */
const timeWorkload = async (s: Setup, options: TrainingBenchOptions): Promise<{ rates: Rate[]; agreementLine: string }> => {
  const cs: Contender[] = []
  for (const name of contenderNames) if (name !== 'pytorch' || torch) cs.push({ name, trainer: await makeTrainer(name, s), t: 0 })
  const agreeSteps = s.spec.id === 'w2' ? (options.quick ? 4 : 10) : options.quick ? 10 : 30
  const agreementLine = await agreement(cs, agreeSteps)
  // warm-up (JIT, the backends' buffers), then calibrate each contender's run length per turn
  const turnMs = options.quick ? 250 : s.spec.id === 'w2' ? 1200 : 700
  const counts: number[] = []
  for (const c of cs) {
    await runSteps(c, s.spec.id === 'w2' ? 2 : 10)
    const probe = s.spec.id === 'w2' ? 2 : 20
    const ms = (await runSteps(c, probe)) / probe
    counts.push(Math.max(1, Math.round(turnMs / ms)))
  }
  const samples = options.quick ? 3 : 7
  const times: number[][] = cs.map(() => [])
  for (let r = 0; r < samples; r++) {
    for (let i = 0; i < cs.length; i++) times[i]!.push((await runSteps(cs[i]!, counts[i]!)) / counts[i]!)
  }
  for (const c of cs) {
    await before(c.name)
    c.trainer.dispose?.()
  }
  const perStep = s.spec.unit === 'samples/s' ? s.spec.batchSize : 1
  const rates = cs.map((c, i) => {
    const ts = times[i]!
    return { name: c.name, median: (perStep * 1000) / median(ts), min: (perStep * 1000) / Math.max(...ts), max: (perStep * 1000) / Math.min(...ts) }
  })
  return { rates, agreementLine }
}

/** A markdown table of the rates with the compiled step's (purenet-jit's) ratio to each other contender. */
export const rateTable = (rows: ReadonlyArray<{ readonly id: WorkloadId; readonly rates: ReadonlyArray<Rate> }>): string => {
  const names = contenderNames.filter((n) => rows.every((r) => r.rates.some((x) => x.name === n)))
  const peers = names.filter((n) => n !== 'purenet-jit')
  const head = ['workload', 'unit', ...names.map((n) => `${n} median (min-max)`), ...peers.map((p) => `purenet-jit / ${p}`)]
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`]
  for (const r of rows) {
    const by = new Map(r.rates.map((x) => [x.name, x]))
    const p = by.get('purenet-jit')!.median
    const cells = names.map((n) => { const x = by.get(n)!; return `${fmt(x.median)} (${fmt(x.min)}-${fmt(x.max)})` })
    lines.push(`| ${[r.id.toUpperCase(), workloads[r.id].unit, ...cells, ...peers.map((q) => `${fmt(p / by.get(q)!.median)}x`)].join(' | ')} |`)
  }
  return lines.join('\n')
}

// PyTorch takes part when Debian's python3-torch is installed (checked once per run).
const torch = pytorchAvailable()
// The contenders whose memory is measured in a child process (PyTorch's is its own process).
// (nor the pool's: the child process never disposes its trainer, so its worker would keep it alive)
const measured = contenderNames.filter((n) => n !== 'pytorch' && n !== 'purenet-jit-2w')

const here = path.dirname(fileURLToPath(import.meta.url))

/** Runs `training-child.ts` for one contender and returns its report. */
const child = (file: string, contender: ContenderName, steps: number): ChildReport => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, 'training-child.ts'), '--setup', file, '--contender', contender, '--steps', String(steps)], { encoding: 'utf8', maxBuffer: 1 << 24, cwd: path.join(here, '..') })
  const line = r.stdout.trim().split('\n').pop() ?? ''
  if (r.status !== 0 || !line.startsWith('{')) throw new Error(`training-child ${contender} failed (${r.status}):\n${r.stderr}`)
  return JSON.parse(line) as ChildReport
}

/** Runs the training benchmark and prints its tables. */
export const runTrainingBench = async (options: TrainingBenchOptions): Promise<void> => {
  console.log(`\n## Training (${machineLine()})\n`)
  const rows: Array<{ id: WorkloadId; rates: Rate[] }> = []
  const files = new Map<WorkloadId, { file: string; setup: Setup }>()
  const rssEpochs = options.quick ? 2 : 3
  for (const id of options.only) {
    const setup = makeSetup(id, Math.max(rssEpochs, options.flatEpochs, 4))
    const { rates, agreementLine } = await timeWorkload(setup, options)
    rows.push({ id, rates })
    console.log(`${workloads[id].title}: ${agreementLine}`)
    if (options.rss) {
      const file = path.join(os.tmpdir(), `purenet-bench-${process.pid}-${id}.bin`)
      writeSetup(file, setup)
      files.set(id, { file, setup })
    }
  }
  console.log(`\nThroughput, medians of ${options.quick ? 3 : 7} interleaved turns (min-max over turns):\n`)
  console.log(rateTable(rows))
  if (!options.rss) return
  try {
    console.log('\nRSS per contender, each alone in a child process (node --import tsx; MiB after set-up / peak, sampled after every step;')
    console.log('the last column is purenet\'s peak over each peer\'s, below 1: purenet uses less):\n')
    console.log('| workload | steps | ' + measured.map((n) => `${n}`).join(' | ') + ' | purenet peak / ' + measured.filter((n) => n !== 'purenet').join(', ') + ' peak |')
    console.log(`| ${Array.from({ length: measured.length + 3 }, () => '---').join(' | ')} |`)
    for (const [id, { file, setup }] of files) {
      const steps = (id === 'w2' ? 1 : rssEpochs) * stepsPerEpoch(setup)
      const reports = measured.map((n) => child(file, n, steps))
      const p = reports[0]!.peakMiB
      console.log(`| ${id.toUpperCase()} | ${steps} | ${reports.map((r) => `${r.setupMiB.toFixed(0)} / ${r.peakMiB.toFixed(0)}`).join(' | ')} | ${reports.slice(1).map((r) => `${(p / r.peakMiB).toFixed(2)}x`).join(' / ')} |`)
    }
    const w1 = files.get('w1')
    if (w1 !== undefined && options.flatEpochs > 0) {
      const steps = options.flatEpochs * stepsPerEpoch(w1.setup)
      const picks = [1, 2, 10, 25, 50].filter((e) => e <= options.flatEpochs)
      console.log(`\nW1 memory over ${options.flatEpochs} epochs (${steps} steps), each contender alone in a child process (RSS in MiB):\n`)
      console.log(`| contender | after set-up | ${picks.map((e) => `after epoch ${e}`).join(' | ')} | min-max after epochs 2-${options.flatEpochs} | peak in epoch 1 | peak overall | seconds |`)
      console.log(`| ${Array.from({ length: picks.length + 6 }, () => '---').join(' | ')} |`)
      for (const name of ['purenet', 'purenet-jit', 'tfjs-wasm'] as const) {
        const r = child(w1.file, name, steps)
        const e = r.epochMiB
        const later = e.length > 1 ? e.slice(1) : e
        console.log(`| ${name} | ${r.setupMiB.toFixed(0)} | ${picks.map((k) => e[k - 1]!.toFixed(0)).join(' | ')} | ${Math.min(...later).toFixed(0)}-${Math.max(...later).toFixed(0)} | ${r.peakFirstEpochMiB.toFixed(0)} | ${r.peakMiB.toFixed(0)} | ${r.seconds.toFixed(1)} |`)
      }
    }
  } finally {
    for (const { file } of files.values()) rmSync(file, { force: true })
  }
}

/** Parses the command line of `training.ts` (also used by `index.ts`). */
export const parseTrainingArgs = (argv: ReadonlyArray<string>): TrainingBenchOptions => {
  const quick = argv.includes('--quick')
  const onlyArg = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] ?? '' : 'w1,w2,w4'
  const only = onlyArg.split(',').filter((w): w is WorkloadId => w === 'w1' || w === 'w2' || w === 'w4')
  const flat = argv.includes('--flat-epochs') ? Number(argv[argv.indexOf('--flat-epochs') + 1]) : quick ? 5 : 50
  return { quick, only, rss: !argv.includes('--no-rss'), flatEpochs: flat }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runTrainingBench(parseTrainingArgs(process.argv.slice(2)))
}
