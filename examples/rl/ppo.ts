/**
 * PPO (Schulman et al. 2017) with purenet, on CartPole-v1 (a categorical policy) and Pendulum-v1
 * (a diagonal Gaussian policy with a learned, state-independent log standard deviation). Each
 * update rolls out `envs` environments side by side for `rolloutSteps` steps, computes advantages
 * by GAE (`rl.gae`, bootstrapping truncated episodes from the value of the state they reached),
 * then runs `epochs` passes of shuffled mini-batches over the clipped objective
 *   L = −mean(min(ρ A, clip(ρ, 1 − ε, 1 + ε) A)) + c_v · mean((V(s) − R)²) − c_e · entropy,
 * ρ = π(a|s) / π_old(a|s), with advantages normalised per mini-batch, Adam, the gradient clipped
 * to global norm 0.5, and the learning rate annealed linearly to 0 over the budget.
 *
 * The criterion: the deterministic policy (the most likely action; the Gaussian's mean) is
 * evaluated over 100 episodes side by side every `evaluateEvery` steps; CartPole-v1 is solved at a
 * mean return of 475, Pendulum-v1 reaches its target at −300.
 *
 *   npm run rl:ppo -- --env cartpole|pendulum --seeds 0-3 [--steps N] [--full] [--json out.json] [--quick]
 */
import * as t from 'io-ts'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { type Tensor, nn, ops, optim, random, rl, tensor, toFlatArray, valueAndGrad } from 'purenet'
import { bool, command, oneOf, positiveInt } from '../cli.js'
import { evaluate, mean, seedsFlag } from './common.js'

type Key = random.Key

/** The tasks and their settings. */
export type Task = 'cartpole' | 'pendulum'

/** The hyperparameters of a run; the defaults depend on the task (see `defaults`). */
export interface PpoOptions {
  readonly task?: Task
  readonly seed?: number
  /** The budget of environment steps. */
  readonly steps?: number
  readonly envs?: number
  readonly rolloutSteps?: number
  readonly epochs?: number
  readonly minibatchSize?: number
  readonly learningRate?: number
  readonly gamma?: number
  readonly lambda?: number
  readonly clip?: number
  readonly entropyCoefficient?: number
  readonly valueCoefficient?: number
  /** Rewards are multiplied by this for learning (returns are reported unscaled). */
  readonly rewardScale?: number
  readonly hidden?: number
  readonly evaluateEvery?: number
  readonly evaluationEpisodes?: number
  readonly threshold?: number
  readonly full?: boolean
  readonly quick?: boolean
}

/**
 * The defaults of each task. The budgets are the documented ones: the learning rate is annealed
 * to 0 over the budget, so a run's numbers depend on it. Measured (`npm run rl:ppo -- --env
 * cartpole --seeds 0-3`, and `--env pendulum`): CartPole-v1 solved at steps 10 240, 15 360,
 * 15 360 and 20 480 (seeds 0-3) of 51 200; Pendulum-v1 reached −300 at 32 768, 28 672, 32 768
 * and 32 768 (mean returns −212, −191, −272, −226) of 61 440.
 */
export const defaults: Readonly<Record<Task, Required<Omit<PpoOptions, 'task' | 'seed' | 'full' | 'quick'>>>> = {
  cartpole: {
    steps: 51_200, envs: 8, rolloutSteps: 64, epochs: 10, minibatchSize: 128, learningRate: 1e-3, gamma: 0.99, lambda: 0.95,
    clip: 0.2, entropyCoefficient: 0, valueCoefficient: 0.5, rewardScale: 1, hidden: 64, evaluateEvery: 5_120, evaluationEpisodes: 100, threshold: 475,
  },
  pendulum: {
    steps: 61_440, envs: 8, rolloutSteps: 256, epochs: 10, minibatchSize: 128, learningRate: 1e-3, gamma: 0.9, lambda: 0.95,
    clip: 0.2, entropyCoefficient: 0, valueCoefficient: 0.5, rewardScale: 0.1, hidden: 64, evaluateEvery: 4_096, evaluationEpisodes: 100, threshold: -300,
  },
}

export interface EvaluationPoint {
  readonly step: number
  readonly meanReturn: number
}

export interface PpoResult {
  readonly settings: Required<PpoOptions>
  readonly evaluations: ReadonlyArray<EvaluationPoint>
  /** Undiscounted returns of the training episodes (stochastic policy), in the order they ended. */
  readonly episodeReturns: ReadonlyArray<number>
  /** The environment step count (over all environments) at which each of those episodes ended. */
  readonly episodeEnds: ReadonlyArray<number>
  readonly solved: { readonly step: number; readonly meanReturn: number } | undefined
  readonly steps: number
  readonly gradientSteps: number
}

const networks = (observationSize: number, hidden: number, outputs: number) => ({
  actor: nn.serial(nn.dense(observationSize, hidden), nn.tanh, nn.dense(hidden, hidden), nn.tanh, nn.dense(hidden, outputs)),
  critic: nn.serial(nn.dense(observationSize, hidden), nn.tanh, nn.dense(hidden, hidden), nn.tanh, nn.dense(hidden, 1)),
})

const settingsOf = (options: PpoOptions): Required<PpoOptions> => {
  const task = options.task ?? 'cartpole'
  const quick = options.quick ?? false
  const d = defaults[task]
  const pick = <K extends keyof typeof d>(k: K): (typeof d)[K] => (options[k] ?? d[k]) as (typeof d)[K]
  return {
    task, seed: options.seed ?? 0, full: options.full ?? false, quick,
    steps: options.steps ?? (quick ? 2048 : d.steps),
    envs: pick('envs'), rolloutSteps: pick('rolloutSteps'), epochs: pick('epochs'), minibatchSize: pick('minibatchSize'),
    learningRate: pick('learningRate'), gamma: pick('gamma'), lambda: pick('lambda'), clip: pick('clip'),
    entropyCoefficient: pick('entropyCoefficient'), valueCoefficient: pick('valueCoefficient'), rewardScale: pick('rewardScale'),
    hidden: pick('hidden'), evaluateEvery: options.evaluateEvery ?? (quick ? 2048 : d.evaluateEvery),
    evaluationEpisodes: options.evaluationEpisodes ?? (quick ? 10 : d.evaluationEpisodes), threshold: pick('threshold'),
  }
}

/** Mean 0, standard deviation 1 over a mini-batch. */
const normalise = (v: Float32Array): Float32Array => {
  const m = mean(v)
  let s = 0
  for (const x of v) s += (x - m) ** 2
  const std = Math.sqrt(s / v.length) + 1e-8
  return v.map((x) => (x - m) / std)
}

/**
 * Trains PPO on the task. Pure in its options: every random draw comes from keys derived from the
 * seed (resets, actions, shuffles, evaluations each from its own split key, folded with a counter).
 */
export const runPpo = (options: PpoOptions = {}, onEvaluation?: (point: EvaluationPoint) => void): PpoResult => {
  const s = settingsOf(options)
  const continuous = s.task === 'pendulum'
  const env: rl.Environment<rl.EpisodeClock, rl.DiscreteSpace | rl.BoxSpace> =
    (continuous ? rl.pendulum() : rl.cartPole()) as unknown as rl.Environment<rl.EpisodeClock, rl.DiscreteSpace | rl.BoxSpace>
  const o = env.observationSize
  const outputs = continuous ? 1 : 2
  const { actor, critic } = networks(o, s.hidden, outputs)
  const [initKey, resetKey, actKey, shuffleKey, evalKey] = random.split(random.key(s.seed), 5) as [Key, Key, Key, Key, Key]
  const [actorKey, criticKey] = random.split(initKey) as [Key, Key]
  type Params = { readonly actor: nn.ParamsOf<typeof actor>; readonly critic: nn.ParamsOf<typeof critic>; readonly logStd: Tensor }
  let params: Params = { actor: actor.init(actorKey), critic: critic.init(criticKey), logStd: tensor(new Float32Array(outputs), { shape: [outputs] }) }
  const batchSize = s.envs * s.rolloutSteps
  const updates = Math.ceil(s.steps / batchSize)
  const minibatches = Math.max(1, Math.floor(batchSize / s.minibatchSize))
  const schedule = optim.schedules.linear(s.learningRate, 0, Math.max(1, updates * s.epochs * minibatches))
  const optimizer = optim.chain(optim.clipByGlobalNorm(0.5), optim.adam(schedule))
  let optState = optimizer.init(params)
  const act = (p: Params) => (x: Tensor): Array<number | number[]> => {
    const out = toFlatArray(actor.apply(p.actor)(x))
    const n = x.shape[0]!
    return continuous ? Array.from({ length: n }, (_, i) => [out[i]!]) : Array.from({ length: n }, (_, i) => (out[2 * i + 1]! > out[2 * i]! ? 1 : 0))
  }
  // the log-probability of the taken actions under the policy `p`, [batch]
  const logProb = (p: Params, x: Tensor, actions: Tensor): Tensor =>
    continuous ? rl.gaussianLogProb(actor.apply(p.actor)(x), p.logStd, actions) : rl.categoricalLogProb(actor.apply(p.actor)(x), actions)
  const loss = (x: Tensor, actions: Tensor, oldLogProb: Tensor, advantages: Tensor, returns: Tensor) => (p: Params): Tensor => {
    const ratio = ops.exp(ops.sub(logProb(p, x, actions), oldLogProb))
    const surrogate = ops.minimum(ops.mul(ratio, advantages), ops.mul(ops.clip(ratio, 1 - s.clip, 1 + s.clip), advantages))
    const valueError = ops.mean(ops.square(ops.sub(ops.reshape(critic.apply(p.critic)(x), [x.shape[0]!]), returns)))
    const entropy = s.entropyCoefficient === 0 ? 0
      : continuous ? ops.sum(p.logStd) : ops.mean(rl.categoricalEntropy(actor.apply(p.actor)(x)))
    return ops.sub(ops.add(ops.neg(ops.mean(surrogate)), ops.mul(valueError, s.valueCoefficient)), ops.mul(entropy, s.entropyCoefficient))
  }

  let states = Array.from({ length: s.envs }, (_, e) => env.reset(random.foldIn(resetKey, e)))
  let resets = s.envs
  const running = new Float64Array(s.envs)
  const episodeReturns: number[] = []
  const episodeEnds: number[] = []
  const evaluations: EvaluationPoint[] = []
  let solved: PpoResult['solved']
  let step = 0
  let gradientSteps = 0
  let nextEvaluation = s.evaluateEvery
  const actionSize = continuous ? 1 : 2
  for (let update = 0; update < updates && (s.full || solved === undefined); update++) {
    const observations = new Float32Array(batchSize * o)
    const actions = new Float32Array(batchSize * actionSize)
    const oldLogProbs = new Float32Array(batchSize)
    const rewards = new Float64Array(batchSize)
    const values = new Float64Array(batchSize)
    const nextValues = new Float64Array(batchSize)
    const terminated = new Uint8Array(batchSize)
    const dones = new Uint8Array(batchSize)
    for (let t = 0; t < s.rolloutSteps; t++) {
      const rows = states.flatMap((st) => env.observe(st))
      observations.set(rows, t * s.envs * o)
      const x = tensor(rows, { shape: [s.envs, o] })
      const out = toFlatArray(actor.apply(params.actor)(x))
      const v = toFlatArray(critic.apply(params.critic)(x))
      const k = random.foldIn(actKey, step)
      const noise = continuous ? random.normal(k, [s.envs], { dtype: 'float64' }).data : undefined
      const keys = continuous ? [] : random.split(k, s.envs)
      const logStd = continuous ? params.logStd.data[0]! : 0
      const nextStates = states.map((st, e) => {
        const i = t * s.envs + e
        values[i] = v[e]!
        let action: number | number[]
        if (continuous) {
          const a = out[e]! + Math.exp(logStd) * noise![e]!
          action = [a]
          actions[i] = a
          oldLogProbs[i] = -0.5 * noise![e]! ** 2 - logStd - 0.5 * Math.log(2 * Math.PI)
        } else {
          const logits = [out[2 * e]!, out[2 * e + 1]!]
          const a = rl.sampleCategorical(keys[e]!, logits)
          action = a
          actions[2 * i + a] = 1
          const top = Math.max(logits[0]!, logits[1]!)
          oldLogProbs[i] = logits[a]! - top - Math.log(Math.exp(logits[0]! - top) + Math.exp(logits[1]! - top))
        }
        const tr = env.step(st, action as never)
        rewards[i] = tr.reward * s.rewardScale
        running[e]! += tr.reward
        terminated[i] = tr.terminated ? 1 : 0
        dones[i] = tr.state.done ? 1 : 0
        return tr.state
      })
      step += s.envs
      // V of the states reached (before any reset): the bootstrap of truncated episodes and of the rollout's end
      const reached = toFlatArray(critic.apply(params.critic)(tensor(nextStates.flatMap((st) => env.observe(st)), { shape: [s.envs, o] })))
      for (let e = 0; e < s.envs; e++) nextValues[t * s.envs + e] = reached[e]!
      states = nextStates.map((st, e) => {
        if (!st.done) return st
        episodeReturns.push(running[e]!)
        episodeEnds.push(step)
        running[e] = 0
        return env.reset(random.foldIn(resetKey, resets++))
      })
    }
    const { advantages, returns } = rl.gae({ rewards, values, nextValues, terminated, dones }, { gamma: s.gamma, lambda: s.lambda, envs: s.envs })
    for (let epoch = 0; epoch < s.epochs; epoch++) {
      const order = random.permutation(random.foldIn(shuffleKey, update * s.epochs + epoch), batchSize)
      for (let m = 0; m < minibatches; m++) {
        const rows = order.subarray(m * s.minibatchSize, (m + 1) * s.minibatchSize)
        const n = rows.length
        const xb = new Float32Array(n * o)
        const ab = new Float32Array(n * actionSize)
        const lb = new Float32Array(n)
        const advb = new Float32Array(n)
        const rb = new Float32Array(n)
        rows.forEach((r, j) => {
          xb.set(observations.subarray(r * o, r * o + o), j * o)
          ab.set(actions.subarray(r * actionSize, r * actionSize + actionSize), j * actionSize)
          lb[j] = oldLogProbs[r]!
          advb[j] = advantages[r]!
          rb[j] = returns[r]!
        })
        const f = loss(tensor(xb, { shape: [n, o] }), tensor(ab, { shape: [n, actionSize] }), tensor(lb, { shape: [n] }), tensor(normalise(advb), { shape: [n] }), tensor(rb, { shape: [n] }))
        const [, grads] = valueAndGrad(f)(params)
        const applied = optim.applyGradients(optimizer, grads, optState, params)
        params = applied.params
        optState = applied.state
        gradientSteps++
      }
    }
    if (step >= nextEvaluation) {
      nextEvaluation += s.evaluateEvery
      const point = { step, meanReturn: mean(evaluate(env, act(params) as never, random.foldIn(evalKey, step), s.evaluationEpisodes)) }
      evaluations.push(point)
      onEvaluation?.(point)
      if (solved === undefined && point.meanReturn >= s.threshold) solved = { step, meanReturn: point.meanReturn }
    }
  }
  return { settings: s, evaluations, episodeReturns, episodeEnds, solved, steps: step, gradientSteps }
}

// The command: runs each seed in turn and prints when it reached the criterion.
command({ name: 'rl:ppo', usage: 'npm run rl:ppo --', url: import.meta.url }, {
  env: oneOf<Task>(['cartpole', 'pendulum'], 'the task (default cartpole)'),
  seeds: seedsFlag('seeds to run, e.g. 0-3 or 0,2 (default 0)'),
  steps: positiveInt('budget of environment steps per seed (defaults: cartpole 51200, pendulum 61440)'),
  full: bool('keep training to the step budget after the criterion is met (for learning curves)'),
  quick: bool('a short run, as the tests do'),
  'evaluate-every': positiveInt('evaluate the deterministic policy every N environment steps (defaults: cartpole 5120, pendulum 4096)'),
  json: { type: 'string', codec: t.string, help: 'write every run (evaluations, episode returns) as JSON to this path' },
}, async (f) => {
  const results: PpoResult[] = []
  const task = f.env ?? 'cartpole'
  for (const seed of f.seeds ?? [0]) {
    const started = performance.now()
    const seconds = (): string => ((performance.now() - started) / 1000).toFixed(1)
    const result = runPpo({ task, seed, full: f.full ?? false, quick: f.quick ?? false, ...(f.steps === undefined ? {} : { steps: f.steps }),
      ...(f['evaluate-every'] === undefined ? {} : { evaluateEvery: f['evaluate-every'] }) }, (p) => {
      process.stdout.write(`${task} seed ${seed}  step ${String(p.step).padStart(7)}  deterministic mean return ${p.meanReturn.toFixed(1).padStart(7)}  ${seconds()} s\n`)
    })
    results.push(result)
    const { solved } = result
    process.stdout.write(solved === undefined
      ? `${task} seed ${seed}: criterion (${result.settings.threshold}) not met in ${result.steps} steps, ${seconds()} s\n`
      : `${task} seed ${seed}: criterion met at step ${solved.step}: mean return ${solved.meanReturn.toFixed(1)} over ${result.settings.evaluationEpisodes} episodes, ${result.gradientSteps} gradient steps, ${seconds()} s\n`)
  }
  if (f.json !== undefined) {
    await mkdir(dirname(f.json), { recursive: true })
    await writeFile(f.json, `${JSON.stringify(results.map((r) => ({ task, seed: r.settings.seed, solved: r.solved, steps: r.steps, evaluations: r.evaluations, episodeReturns: r.episodeReturns, episodeEnds: r.episodeEnds })))}\n`, 'utf8')
    process.stdout.write(`wrote ${f.json}\n`)
  }
})
