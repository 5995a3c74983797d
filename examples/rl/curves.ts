/**
 * Learning curves of the RL examples over seeds: for each evaluation step, the mean over seeds of
 * the deterministic policy's mean return (a line), the range over seeds (a band, min to max), each
 * seed's curve (faint) and the task's threshold (dashed). Drawn with purenet's plot module from the
 * runs' JSON (`--json` of dqn.ts and ppo.ts); the committed runs are in docs/rl/, and
 * `npm run docs` redraws the pictures from them. To measure the runs again:
 *
 *   npm run rl:dqn -- --seeds 0-3 --full --json docs/rl/dqn-cartpole.json
 *   npm run rl:ppo -- --env cartpole --seeds 0-3 --full --json docs/rl/ppo-cartpole.json
 *   npm run rl:ppo -- --env pendulum --seeds 0-3 --full --json docs/rl/ppo-pendulum.json
 *   npx tsx examples/rl/curves.ts --out docs
 */
import * as t from 'io-ts'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { plot } from 'purenet'
import { command } from '../cli.js'

/** One run as dqn.ts and ppo.ts write it (the fields the curves use). */
export interface RunRecord {
  readonly seed: number
  readonly evaluations: ReadonlyArray<{ readonly step: number; readonly meanReturn: number }>
}

const runsCodec = t.array(t.type({ seed: t.number, evaluations: t.array(t.type({ step: t.number, meanReturn: t.number })) }))

/** Per evaluation step: the mean and range over the seeds evaluated at that step. */
export const summarise = (runs: ReadonlyArray<RunRecord>): Array<{ step: number; mean: number; min: number; max: number; seeds: number }> => {
  const byStep = new Map<number, number[]>()
  for (const r of runs) for (const e of r.evaluations) byStep.set(e.step, [...(byStep.get(e.step) ?? []), e.meanReturn])
  return [...byStep.entries()].sort((a, b) => a[0] - b[0]).map(([step, xs]) => ({
    step, mean: xs.reduce((a, b) => a + b, 0) / xs.length, min: Math.min(...xs), max: Math.max(...xs), seeds: xs.length,
  }))
}

/** The learning-curve picture of a set of runs. */
export const curvesSpec = (runs: ReadonlyArray<RunRecord>, options: { readonly title: string; readonly details: string; readonly threshold: number }): plot.VegaLiteSpec => {
  const summary = summarise(runs)
  const x = { field: 'step', type: 'quantitative', title: 'environment steps' }
  const y = { type: 'quantitative', title: 'mean return, 100 episodes' }
  return plot.topLevel({ text: options.title, subtitle: options.details }, {
    width: 560,
    height: 300,
    layer: [
      { data: { values: summary }, mark: { type: 'area', opacity: 0.25, color: '#1f77b4' }, encoding: { x, y: { ...y, field: 'min' }, y2: { field: 'max' } } },
      {
        data: { values: runs.flatMap((r) => r.evaluations.map((e) => ({ step: e.step, value: e.meanReturn, seed: `seed ${r.seed}` }))) },
        mark: { type: 'line', strokeWidth: 0.8, opacity: 0.5, color: '#1f77b4' },
        encoding: { x, y: { ...y, field: 'value' }, detail: { field: 'seed', type: 'nominal' } },
      },
      { data: { values: summary }, mark: { type: 'line', strokeWidth: 2.5, color: '#1f77b4', point: true }, encoding: { x, y: { ...y, field: 'mean' } } },
      { data: { values: [{ value: options.threshold }] }, mark: { type: 'rule', strokeDash: [6, 4], color: '#d62728' }, encoding: { y: { field: 'value', type: 'quantitative' } } },
    ],
  })
}

/** The pictures: run file, picture, title, threshold. */
export const pictures = [
  { runs: 'rl/dqn-cartpole.json', svg: 'rl-dqn-cartpole.svg', title: 'DQN on CartPole-v1', threshold: 475 },
  { runs: 'rl/ppo-cartpole.json', svg: 'rl-ppo-cartpole.svg', title: 'PPO on CartPole-v1', threshold: 475 },
  { runs: 'rl/ppo-pendulum.json', svg: 'rl-ppo-pendulum.svg', title: 'PPO on Pendulum-v1', threshold: -300 },
] as const

/** Draws every picture from the runs in `<from>/rl/` into `<to>`; returns the files written. */
export const drawCurves = async (from: string, to: string): Promise<string[]> => {
  const { writeSvg } = await import('purenet/plot/render')
  const files: string[] = []
  for (const p of pictures) {
    const decoded = runsCodec.decode(JSON.parse(await readFile(join(from, p.runs), 'utf8')))
    if (decoded._tag === 'Left') throw new Error(`rl:curves: ${join(from, p.runs)} is not a list of runs with evaluations`)
    const runs = decoded.right
    const details = `${runs.length} seeds (${runs.map((r) => r.seed).join(', ')}): mean (line), range (band), each seed (faint); dashed: ${p.threshold}`
    const file = join(to, p.svg)
    await writeSvg(file, curvesSpec(runs, { title: p.title, details, threshold: p.threshold }))
    files.push(file)
  }
  return files
}

command({ name: 'rl:curves', usage: 'npx tsx examples/rl/curves.ts', url: import.meta.url }, {
  out: { type: 'string', codec: t.string, help: 'the docs folder (default docs): reads <out>/rl/*.json, writes <out>/rl-*.svg' },
}, async (f) => {
  const out = f.out ?? 'docs'
  for (const file of await drawCurves(out, out)) process.stdout.write(`wrote ${file}\n`)
})
