/**
 * One timed DQN run for `bench/rl.ts`, in its own process: examples/rl/dqn.ts's defaults (the
 * networks through jit; `--eager` without), a seed (`--seed`, default 0), either a fixed budget
 * (`--steps N`, no evaluation: evaluations every N + 1 steps) or until solved (`--solve`, within
 * the default budget of 150 000 steps). Prints one JSON line: {"seconds": s, "steps": n, "solvedAt": step}.
 */
import { parseArgs } from 'node:util'
import { runDqn } from '../examples/rl/dqn.js'

const { values } = parseArgs({
  options: { steps: { type: 'string', default: '6000' }, solve: { type: 'boolean', default: false }, seed: { type: 'string', default: '0' }, eager: { type: 'boolean', default: false } },
})
const seed = Number(values.seed)
const compiled = !(values.eager ?? false)
const t0 = performance.now()
const result = values.solve ?? false
  ? runDqn({ seed, compiled })
  : runDqn({ seed, compiled, steps: Number(values.steps), evaluateEvery: Number(values.steps) + 1 })
const seconds = (performance.now() - t0) / 1000
console.log(JSON.stringify({ seconds, steps: result.steps, gradientSteps: result.gradientSteps, solvedAt: result.solved?.step }))
