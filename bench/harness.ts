/**
 * Benchmark harness shared by the files in `bench/`: TensorFlow.js set-up (its `cpu` and `wasm`
 * backends, the wasm binaries loaded from the installed package, so no network is needed),
 * interleaved timing and the table printer. Benchmarks are programs, not tests: nothing here
 * asserts a time.
 */
import * as tf from '@tensorflow/tfjs'
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm'
import { createRequire } from 'node:module'
import * as os from 'node:os'
import * as path from 'node:path'

/** The TensorFlow.js backends we compare against. */
export type TfBackend = 'cpu' | 'wasm'

let wasmPathsSet = false

/**
 * Makes `backend` current. The wasm backend's binaries are looked up as files in the installed
 * package's `dist/` folder (a path prefix, not a URL), which works offline.
 */
export const useTf = async (backend: TfBackend): Promise<void> => {
  if (backend === 'wasm' && !wasmPathsSet) {
    const require = createRequire(import.meta.url)
    const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'))
    setWasmPaths(dist + path.sep)
    wasmPathsSet = true
  }
  if (tf.getBackend() !== backend) {
    const ok = await tf.setBackend(backend)
    if (!ok) throw new Error(`TensorFlow.js backend '${backend}' failed to initialise`)
  }
}

/** Whether the tfjs wasm backend runs its SIMD binary (it picks it by feature detection). */
export const tfWasmSimd = async (): Promise<boolean> => (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true

/** One contender of a case: set up once per sample (untimed), then `run` is timed. */
export interface Contender {
  readonly name: string
  /** Untimed preparation before each sample (e.g. switching the tfjs backend). */
  readonly before?: () => Promise<void>
  /** One complete evaluation, result read back to a typed array. */
  readonly run: () => void
}

/** A benchmark case: several contenders doing the same work. */
export interface Case {
  readonly name: string
  /** Work per run for the rate column (FLOPs for matmul, elements for the others). */
  readonly work: number
  readonly unit: 'GFLOP/s' | 'Gelem/s'
  readonly contenders: ReadonlyArray<Contender>
}

/** Timing options. */
export interface TimingOptions {
  /** Samples per contender, taken in turn (contender A, B, C, A, B, C, ...). */
  readonly samples: number
  /** Target duration of one sample in ms: fast runs are repeated inside a sample. */
  readonly sampleMs: number
}

/** Medians and spreads of one case, rates in `unit`. */
export interface Result {
  readonly name: string
  readonly unit: Case['unit']
  readonly rates: ReadonlyArray<{ readonly name: string; readonly median: number; readonly min: number; readonly max: number }>
}

const median = (xs: ReadonlyArray<number>): number => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

const timeOnce = (run: () => void, iters: number): number => {
  const t0 = performance.now()
  for (let i = 0; i < iters; i++) run()
  return (performance.now() - t0) / iters
}

/**
 * Runs a case: one warm-up per contender (which also calibrates how many runs fill a sample),
 * then `samples` rounds in which every contender takes one sample in turn, so that drift of the
 * machine (other load, thermal state) hits all contenders alike.
 */
export const runCase = async (c: Case, options: TimingOptions): Promise<Result> => {
  const iters: number[] = []
  for (const k of c.contenders) {
    await k.before?.()
    k.run() // first call: compilation, allocation of backend buffers
    const t = timeOnce(k.run, 1)
    iters.push(Math.max(1, Math.min(10_000, Math.round(options.sampleMs / Math.max(t, 1e-3)))))
  }
  const times: number[][] = c.contenders.map(() => [])
  for (let s = 0; s < options.samples; s++) {
    for (let i = 0; i < c.contenders.length; i++) {
      const k = c.contenders[i]!
      await k.before?.()
      times[i]!.push(timeOnce(k.run, iters[i]!))
    }
  }
  const scale = c.work / 1e9 * 1e3 // per ms -> per second, in G
  return {
    name: c.name,
    unit: c.unit,
    rates: c.contenders.map((k, i) => {
      const ts = times[i]!
      return { name: k.name, median: scale / median(ts), min: scale / Math.max(...ts), max: scale / Math.min(...ts) }
    }),
  }
}

const fmt = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toFixed(3))

/**
 * A markdown table: per case the median rate of each contender with its spread (min-max over
 * samples), then the ratio of `subject`'s median to each peer's median (above 1: `subject` faster).
 */
export const table = (results: ReadonlyArray<Result>, subject: string, peers: ReadonlyArray<string>): string => {
  const names = [...new Set(results.flatMap((r) => r.rates.map((x) => x.name)))]
  const head = ['case', 'unit', ...names.map((n) => `${n} median (min-max)`), ...peers.map((p) => `${subject} / ${p}`)]
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`]
  for (const r of results) {
    const byName = new Map(r.rates.map((x) => [x.name, x]))
    const cells = names.map((n) => {
      const x = byName.get(n)
      return x === undefined ? '-' : `${fmt(x.median)} (${fmt(x.min)}-${fmt(x.max)})`
    })
    const s = byName.get(subject)?.median
    const ratios = peers.map((p) => {
      const q = byName.get(p)?.median
      return s === undefined || q === undefined ? '-' : `${fmt(s / q)}x`
    })
    lines.push(`| ${[r.name, r.unit, ...cells, ...ratios].join(' | ')} |`)
  }
  return lines.join('\n')
}

/** Deterministic test data (a 32-bit LCG), so every run and contender sees the same numbers. */
export const randomData = (n: number, seed: number): Float32Array => {
  const out = new Float32Array(n)
  let s = seed >>> 0
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    out[i] = s / 2 ** 32 * 2 - 1
  }
  return out
}

/** Peak resident set size of this process so far, in MiB. */
export const peakRssMiB = (): number => process.resourceUsage().maxRSS / 1024

/** One line naming the date, machine and runtime, printed above every table. */
export const machineLine = (): string => {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU'
  const load = os.loadavg().map((x) => x.toFixed(2)).join(' ')
  return `${new Date().toISOString().slice(0, 10)}, ${cpu}, nproc ${os.availableParallelism()}, node ${process.version}, load average ${load}`
}
