/**
 * One timed DQN run for `bench/rl.ts`, in its own process: examples/rl/dqn.ts's defaults, seed 0,
 * either a fixed budget (`--steps N`, no evaluation: evaluations every N + 1 steps) or until
 * solved (`--solve`). Prints one JSON line: {"seconds": s, "solvedAt": step}.
 */
import { parseArgs } from 'node:util'
import { runDqn } from '../examples/rl/dqn.js'

const { values } = parseArgs({ options: { steps: { type: 'string', default: '6000' }, solve: { type: 'boolean', default: false } } })
const t0 = performance.now()
const result = values.solve ?? false
  ? runDqn({ seed: 0 })
  : runDqn({ seed: 0, steps: Number(values.steps), evaluateEvery: Number(values.steps) + 1 })
const seconds = (performance.now() - t0) / 1000
console.log(JSON.stringify({ seconds, steps: result.steps, gradientSteps: result.gradientSteps, solvedAt: result.solved?.step }))
