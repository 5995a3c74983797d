/**
 * One contender's memory, measured alone in this process (spawned by `training.ts`): reads a
 * shared set-up, trains `--steps` steps and prints one JSON line with the resident set size
 * after set-up, after each epoch, and the peak. Only the contender's own library is loaded.
 *
 * The peak is the largest RSS sampled after every step, not the kernel's high-water mark
 * (`resourceUsage().maxRSS`): Linux carries that mark over from the parent across fork and exec,
 * so a child of a 190 MiB benchmark process would report at least 190 MiB whatever it does.
 *
 *   node --import tsx bench/training-child.ts --setup FILE --contender purenet --steps 375
 */
import { type ContenderName, contenderNames, makeTrainer, readSetup, stepsPerEpoch } from './training/spec.js'

/** What the child prints. */
export interface ChildReport {
  readonly contender: ContenderName
  readonly steps: number
  /** RSS (MiB) once the library, the data and the trainer are loaded, before the first step. */
  readonly setupMiB: number
  /** RSS (MiB) at the end of each epoch (or of the run, if shorter than an epoch). */
  readonly epochMiB: ReadonlyArray<number>
  /** Peak RSS (MiB) at the end of the first epoch and at the end of the run. */
  readonly peakFirstEpochMiB: number
  readonly peakMiB: number
  readonly lastLoss: number
  readonly seconds: number
}

const mib = (bytes: number): number => bytes / 2 ** 20

const arg = (name: string): string => {
  const i = process.argv.indexOf(name)
  const v = i < 0 ? undefined : process.argv[i + 1]
  if (v === undefined) throw new Error(`training-child: missing ${name}`)
  return v
}

const contender = arg('--contender') as ContenderName
if (!contenderNames.includes(contender)) throw new Error(`training-child: unknown contender ${contender}`)
const steps = Number(arg('--steps'))
const setup = readSetup(arg('--setup'))
const trainer = await makeTrainer(contender, setup)
const setupMiB = mib(process.memoryUsage.rss())
const per = stepsPerEpoch(setup)
const epochMiB: number[] = []
let peakBytes = 0
let peakFirstEpochMiB = NaN
let lastLoss = NaN
const t0 = performance.now()
for (let t = 0; t < steps; t++) {
  lastLoss = trainer.step(t)
  const rss = process.memoryUsage.rss()
  if (rss > peakBytes) peakBytes = rss
  if ((t + 1) % per === 0 || t + 1 === steps) {
    epochMiB.push(mib(rss))
    if (Number.isNaN(peakFirstEpochMiB)) peakFirstEpochMiB = mib(peakBytes)
  }
}
const report: ChildReport = { contender, steps, setupMiB, epochMiB, peakFirstEpochMiB, peakMiB: mib(peakBytes), lastLoss, seconds: (performance.now() - t0) / 1000 }
console.log(JSON.stringify(report))
