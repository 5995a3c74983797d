/**
 * DQN (Mnih et al. 2015) on CartPole-v1, with purenet: an online Q-network and a target network
 * (a second parameter value, copied from the online one every `targetEvery` steps), a replay
 * buffer (`rl.replayBuffer`), an ε-greedy behaviour policy whose ε follows
 * `optim.schedules.linear`, the Huber loss (`losses.huber`) on the one-step TD error
 * Q(s, a) − (r + γ (1 − terminated) maxₐ' Q_target(s', a')), and Adam after clipping the gradient
 * to global norm 10. The target is Double DQN's by default (`double`).
 *
 * Solved: the greedy policy's mean return over 100 consecutive evaluation episodes (run side by
 * side, from fresh reset keys) reaches 475, checked every `evaluateEvery` environment steps once
 * learning has started. The run stops there unless `--full` is given.
 *
 * Measured with the defaults (`npm run rl:dqn -- --seeds 0-3`, budget 150 000 steps): solved at
 * steps 85 000, 125 000, 40 000 and 35 000 for seeds 0-3 (nothing depends on the budget before
 * the run stops: ε follows its own 10 000 steps).
 *
 *   npm run rl:dqn -- --seeds 0-3 [--steps N] [--full] [--json docs/rl/dqn-cartpole.json] [--quick]
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { type Tensor, jit, losses, nn, ops, optim, random, rl, tensor, toFlatArray, valueAndGrad } from 'purenet'
import * as t from 'io-ts'
import { bool, command, positive, positiveInt } from '../cli.js'
import { evaluate, mean, seedsFlag } from './common.js'

type Key = random.Key

/** The hyperparameters of a run; every field has a default, listed with it. */
export interface DqnOptions {
  readonly seed?: number
  /** The budget of environment steps (default 150 000; 2 000 with `quick`). */
  readonly steps?: number
  /** Hidden units of both hidden layers (default 64). */
  readonly hidden?: number
  /** Adam's learning rate (default 1e-3). */
  readonly learningRate?: number
  readonly gamma?: number
  /** Replay capacity (default 50 000). */
  readonly bufferSize?: number
  /** Transitions per gradient step (default 64). */
  readonly batchSize?: number
  /** Environment steps before learning starts (default 1 000; 500 with `quick`). */
  readonly learningStarts?: number
  /** Every `trainEvery` environment steps (default 2), `gradientSteps` gradient steps (default 1). */
  readonly trainEvery?: number
  readonly gradientSteps?: number
  /**
   * Copy the online parameters to the target every this many environment steps (default 200;
   * 250 with `quick`). Each copy lets the values grow by about one Bellman backup, and CartPole's
   * values need about 1/(1 − γ) = 100 of them: with copies every 1 000 steps the greedy policy
   * was still near a return of 100 after 35 000 steps on all four seeds.
   */
  readonly targetEvery?: number
  /** ε goes linearly from 1 to `finalEpsilon` over `explorationSteps` steps (defaults 0.05 and 10 000). */
  readonly finalEpsilon?: number
  readonly explorationSteps?: number
  /** Evaluate the greedy policy every this many steps (default 2 500), over `evaluationEpisodes` episodes (default 100). */
  readonly evaluateEvery?: number
  readonly evaluationEpisodes?: number
  /** Stop when the mean evaluation return reaches this (default 475). */
  readonly threshold?: number
  /**
   * Double DQN's target (van Hasselt et al. 2016, default true): the online network picks
   * a' = argmax Q(s', ·), the target network values it; false gives the original max over the
   * target network, which overestimates and, on CartPole, oscillates.
   */
  readonly double?: boolean
  /** Keep going to the step budget after solving (default false). */
  readonly full?: boolean
  /**
   * Run the acting forward pass, the batch forwards and the loss gradient through `jit` (default
   * true): the same numbers bit for bit (a seed gives the same run either way), in less time.
   */
  readonly compiled?: boolean
  readonly quick?: boolean
}

/** One greedy evaluation. */
export interface EvaluationPoint {
  readonly step: number
  readonly meanReturn: number
}

/** What `runDqn` returns. */
export interface DqnResult {
  readonly settings: Required<DqnOptions>
  /** Undiscounted return of every training episode, and the step count at its end. */
  readonly episodeReturns: ReadonlyArray<number>
  readonly episodeEnds: ReadonlyArray<number>
  readonly evaluations: ReadonlyArray<EvaluationPoint>
  /** The first evaluation that met the threshold, if any. */
  readonly solved: { readonly step: number; readonly episode: number; readonly meanReturn: number } | undefined
  readonly steps: number
  readonly gradientSteps: number
  /** The online network's final parameters. */
  readonly params: nn.ParamsOf<ReturnType<typeof qNetwork>>
}

/** The Q-network: observation (4) → 2 × (dense, ReLU) → one value per action. */
export const qNetwork = (hidden: number) => nn.serial(nn.dense(4, hidden), nn.relu, nn.dense(hidden, hidden), nn.relu, nn.dense(hidden, 2))

/**
 * The defaults, and the quick mode's: a short run that must learn in seconds (npm test).
 */
const settingsOf = (options: DqnOptions): Required<DqnOptions> => {
  const quick = options.quick ?? false
  return {
    seed: options.seed ?? 0,
    steps: options.steps ?? (quick ? 2000 : 150_000),
    hidden: options.hidden ?? 64,
    learningRate: options.learningRate ?? 1e-3,
    gamma: options.gamma ?? 0.99,
    bufferSize: options.bufferSize ?? 50_000,
    batchSize: options.batchSize ?? 64,
    learningStarts: options.learningStarts ?? (quick ? 500 : 1000),
    trainEvery: options.trainEvery ?? 2,
    gradientSteps: options.gradientSteps ?? 1,
    targetEvery: options.targetEvery ?? (quick ? 250 : 200),
    finalEpsilon: options.finalEpsilon ?? 0.05,
    explorationSteps: options.explorationSteps ?? (quick ? 1500 : 10_000),
    evaluateEvery: options.evaluateEvery ?? (quick ? 2000 : 2500),
    evaluationEpisodes: options.evaluationEpisodes ?? (quick ? 20 : 100),
    threshold: options.threshold ?? 475,
    double: options.double ?? true,
    full: options.full ?? false,
    compiled: options.compiled ?? true,
    quick,
  }
}

/**
 * Trains DQN on CartPole-v1. Pure in its options: the seed's key is split into the keys of
 * initialisation, resets, exploration, replay sampling and evaluation, and step t uses
 * `foldIn(key, t)` of each, so a seed reproduces a run bit for bit.
 */
export const runDqn = (options: DqnOptions = {}, onEvaluation?: (point: EvaluationPoint, result: { readonly episodes: number }) => void): DqnResult => {
  const s = settingsOf(options)
  const env = rl.cartPole()
  const net = qNetwork(s.hidden)
  const [initKey, resetKey, actKey, sampleKey, evalKey] = random.split(random.key(s.seed), 5) as [Key, Key, Key, Key, Key]
  let params = net.init(initKey)
  let target = params
  const optimizer = optim.chain(optim.clipByGlobalNorm(10), optim.adam(s.learningRate))
  let optState = optimizer.init(params)
  const epsilon = optim.schedules.linear(1, s.finalEpsilon, s.explorationSteps)
  let buffer = rl.replayBuffer({ capacity: s.bufferSize, observationSize: env.observationSize })
  const episodeReturns: number[] = []
  const episodeEnds: number[] = []
  const evaluations: EvaluationPoint[] = []
  let solved: DqnResult['solved']
  let state = env.reset(random.foldIn(resetKey, 0))
  let episodeReturn = 0
  let gradientSteps = 0
  const batchLoss = (x: Tensor, mask: Tensor, targets: Tensor) => (p: typeof params): Tensor =>
    losses.huber(ops.sum(ops.mul(net.apply(p)(x), mask), 1), targets)
  // Q-values and the loss gradient, compiled (one program per input shape) unless `compiled` is off
  const qEager = (p: typeof params, x: Tensor): Tensor => net.apply(p)(x)
  const lossGradEager = (p: typeof params, x: Tensor, mask: Tensor, targets: Tensor) => valueAndGrad(batchLoss(x, mask, targets))(p)
  const qValues = s.compiled ? jit(qEager) : qEager
  const lossGrad = s.compiled ? jit(lossGradEager) : lossGradEager
  const greedy = (p: typeof params) => (x: Tensor): number[] => {
    const q = toFlatArray(net.apply(p)(x))
    return Array.from({ length: x.shape[0]! }, (_, i) => (q[2 * i + 1]! > q[2 * i]! ? 1 : 0))
  }
  let step = 0
  while (step < s.steps && (s.full || solved === undefined)) {
    const observation = env.observe(state)
    const u = random.uniform(random.foldIn(actKey, step), [2], { dtype: 'float64' }).data
    const action = u[0]! < epsilon(step)
      ? Math.min(1, Math.floor(u[1]! * 2))
      : rl.argmax(toFlatArray(qValues(params, tensor(observation, { shape: [1, 4] }))))
    const transition = env.step(state, action)
    buffer = rl.push(buffer, { observation, action, reward: transition.reward, nextObservation: env.observe(transition.state), terminated: transition.terminated })
    episodeReturn += transition.reward
    step++
    if (transition.state.done) {
      episodeReturns.push(episodeReturn)
      episodeEnds.push(step)
      episodeReturn = 0
      state = env.reset(random.foldIn(resetKey, episodeReturns.length))
    } else state = transition.state
    if (step >= s.learningStarts && step % s.trainEvery === 0) for (let g = 0; g < s.gradientSteps; g++) {
      const batch = rl.sample(buffer, random.foldIn(sampleKey, gradientSteps), s.batchSize)
      const n = batch.size
      const nextX = tensor(batch.nextObservations, { shape: [n, 4] })
      const next = toFlatArray(qValues(target, nextX))
      const online = s.double ? toFlatArray(qValues(params, nextX)) : next
      const y = new Float32Array(n)
      const mask = new Float32Array(2 * n)
      for (let i = 0; i < n; i++) {
        y[i] = batch.rewards[i]! + (batch.terminated[i] === 1 ? 0 : s.gamma * next[2 * i + (online[2 * i + 1]! > online[2 * i]! ? 1 : 0)]!)
        mask[2 * i + batch.actions[i]!] = 1
      }
      const [, grads] = lossGrad(params, tensor(batch.observations, { shape: [n, 4] }), tensor(mask, { shape: [n, 2] }), tensor(y, { shape: [n] }))
      const applied = optim.applyGradients(optimizer, grads, optState, params)
      params = applied.params
      optState = applied.state
      gradientSteps++
    }
    if (step % s.targetEvery === 0) target = params
    if (step >= s.learningStarts && step % s.evaluateEvery === 0) {
      const returns = evaluate(env, greedy(params), random.foldIn(evalKey, step), s.evaluationEpisodes)
      const point = { step, meanReturn: mean(returns) }
      evaluations.push(point)
      onEvaluation?.(point, { episodes: episodeReturns.length })
      if (solved === undefined && point.meanReturn >= s.threshold) solved = { step, episode: episodeReturns.length, meanReturn: point.meanReturn }
    }
  }
  return { settings: s, episodeReturns, episodeEnds, evaluations, solved, steps: step, gradientSteps, params }
}

// The command: runs each seed in turn and prints when it solved.
command({ name: 'rl:dqn', usage: 'npm run rl:dqn --', url: import.meta.url }, {
  seeds: seedsFlag('seeds to run, e.g. 0-3 or 0,2 (default 0)'),
  steps: positiveInt('budget of environment steps per seed (default 150000; 2000 with --quick)'),
  full: bool('keep training to the step budget after solving (for learning curves)'),
  quick: bool('a short run, as the tests do'),
  lr: positive('Adam learning rate (default 0.001)'),
  'train-every': positiveInt('train every N environment steps (default 2)'),
  'gradient-steps': positiveInt('gradient steps each time (default 1)'),
  hidden: positiveInt('hidden units (default 64)'),
  'exploration-steps': positiveInt('steps over which epsilon falls to its final value (default 10000)'),
  'target-every': positiveInt('copy the online parameters to the target every N steps (default 200)'),
  vanilla: bool('the original max target instead of Double DQN'),
  eager: bool('run the networks eagerly instead of through jit (the same numbers, slower)'),
  'evaluate-every': positiveInt('evaluate the greedy policy every N environment steps (default 2500)'),
  json: { type: 'string', codec: t.string, help: 'write every run (evaluations, episode returns) as JSON to this path' },
}, async (f) => {
  const results: DqnResult[] = []
  for (const seed of f.seeds ?? [0]) {
    const started = performance.now()
    const seconds = (): string => ((performance.now() - started) / 1000).toFixed(1)
    const result = runDqn({
      seed, full: f.full ?? false, quick: f.quick ?? false, double: !(f.vanilla ?? false), compiled: !(f.eager ?? false),
      ...(f.steps === undefined ? {} : { steps: f.steps }), ...(f.lr === undefined ? {} : { learningRate: f.lr }),
      ...(f['train-every'] === undefined ? {} : { trainEvery: f['train-every'] }),
      ...(f['gradient-steps'] === undefined ? {} : { gradientSteps: f['gradient-steps'] }), ...(f.hidden === undefined ? {} : { hidden: f.hidden }),
      ...(f['exploration-steps'] === undefined ? {} : { explorationSteps: f['exploration-steps'] }),
      ...(f['evaluate-every'] === undefined ? {} : { evaluateEvery: f['evaluate-every'] }), ...(f['target-every'] === undefined ? {} : { targetEvery: f['target-every'] }),
    }, (p, r) => {
      process.stdout.write(`seed ${seed}  step ${String(p.step).padStart(6)}  episode ${String(r.episodes).padStart(4)}  greedy mean return ${p.meanReturn.toFixed(1).padStart(5)}  ${seconds()} s\n`)
    })
    results.push(result)
    const { solved } = result
    process.stdout.write(solved === undefined
      ? `seed ${seed}: not solved in ${result.steps} steps (${result.episodeReturns.length} episodes), ${seconds()} s\n`
      : `seed ${seed}: solved at step ${solved.step} (episode ${solved.episode}): greedy mean return ${solved.meanReturn.toFixed(1)} over ${result.settings.evaluationEpisodes} episodes, ${result.gradientSteps} gradient steps, ${seconds()} s\n`)
  }
  if (f.json !== undefined) {
    await mkdir(dirname(f.json), { recursive: true })
    await writeFile(f.json, `${JSON.stringify(results.map((r) => ({ seed: r.settings.seed, solved: r.solved, steps: r.steps, evaluations: r.evaluations, episodeReturns: r.episodeReturns, episodeEnds: r.episodeEnds })))}\n`, 'utf8')
    process.stdout.write(`wrote ${f.json}\n`)
  }
})
