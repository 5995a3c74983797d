#!/usr/bin/env node
// `npm run docs`: redraws every picture in docs/ from the example that draws it (a few minutes;
// the runs are keyed, so an unchanged library redraws the committed files byte for byte), then
// lists the pictures that changed. `examples/pictures.test.ts` redraws a quick one in npm test.
//
//   node scripts/docs.mjs [--only activations,spirals,...]
import { spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

/** Each example and the arguments that draw its pictures into docs/. */
export const pictures = [
  { name: 'activations', args: ['examples/activations.ts', '--out', 'docs'], draws: ['activations.svg'] },
  { name: 'spirals', args: ['examples/spirals.ts', '--out', 'docs'], draws: ['decision-regions.svg', 'training-curves.svg'] },
  { name: 'optimizers', args: ['examples/optimizers.ts', '--out', 'docs'], draws: ['optimizers-rosenbrock.svg', 'optimizers-beale.svg', 'optimizers-saddle.svg'] },
  { name: 'landscape', args: ['examples/landscape.ts', '--out', 'docs'], draws: ['landscape-small-batch.svg', 'landscape-large-batch.svg', 'interpolation.svg', 'landscape-1d.svg'] },
  { name: 'cartpole', args: ['examples/cartpole.ts', '--full', '--svg', 'docs/cartpole.svg'], draws: ['cartpole.svg'] },
  // from the measured runs in docs/rl/*.json (examples/rl/curves.ts says how to measure them again)
  { name: 'rl', args: ['examples/rl/curves.ts', '--out', 'docs'], draws: ['rl-dqn-cartpole.svg', 'rl-ppo-cartpole.svg', 'rl-ppo-pendulum.svg'] },
  { name: 'ensemble', args: ['examples/ensemble.ts', '--out', 'docs'], draws: ['ensemble.svg'] },
  { name: 'dpsgd', args: ['examples/dpsgd.ts', '--out', 'docs'], draws: ['dpsgd.svg'] },
  { name: 'sharpness', args: ['examples/sharpness.ts', '--out', 'docs'], draws: ['sharpness.svg'] },
  { name: 'backprop', args: ['examples/backprop.ts', '--out', 'docs'], draws: ['backprop-program.svg'] },
]

const onlyFlag = process.argv.indexOf('--only')
const only = onlyFlag === -1 ? undefined : (process.argv[onlyFlag + 1] ?? '').split(',')
let failed = false
for (const p of pictures) {
  if (only !== undefined && !only.includes(p.name)) continue
  console.log(`docs: npx tsx ${p.args.join(' ')}`)
  const started = performance.now()
  const r = spawnSync(process.execPath, ['--import', 'tsx', ...p.args], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] })
  if (r.status !== 0) {
    console.error(`docs: ${p.name} failed (exit ${r.status ?? r.signal})`)
    failed = true
  } else console.log(`docs: ${p.draws.join(', ')} (${((performance.now() - started) / 1000).toFixed(1)} s)`)
}
const changed = spawnSync('git', ['status', '--porcelain', '--', 'docs'], { cwd: root, encoding: 'utf8' }).stdout.trim()
console.log(changed === '' ? 'docs: every picture equals the committed one' : `docs: changed since the last commit:\n${changed}`)
process.exitCode = failed ? 1 : 0
