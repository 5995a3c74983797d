/**
 * The loss and gradient of one training step, compiled by `jit` (the default) or eager
 * (`jit: false`). The compiled function takes the parameters and the batch as arguments, so one
 * program serves every batch of a shape (a short last batch compiles a second one).
 *
 * With an optimizer that declares an element-wise rule (every optimizer of `optim`: SGD, momentum,
 * Adam, AdamW, RMSprop, their schedules, and chains of them), the whole step is one program
 * (`update`): the loss, the gradient, the rule's ops on every leaf (`optim.runSteps`, the code the
 * optimizer's `update` runs), the addition to the parameters (`optim.applyUpdates`) and the
 * divergence checks' sums, so no gradient leaves it. The rule's per-step numbers (the learning
 * rate of a schedule at the step count, Adam's bias corrections) are arguments of the program, as
 * scalar tensors of the parameters' dtype, and its moments are arguments and results: one program
 * serves every step, and its numbers are those of the eager `optim.applyGradients`, bit for bit.
 * The step count stays a number of the state, advanced by the rule's `end`.
 *
 * Two kinds of step cannot be one program, and run eagerly for the whole run, with the same
 * numbers: a network that draws from the step's key (dropout: its masks would be constants of the
 * program), found on the first step by tracing with two different keys and comparing the two
 * programs' constants; and a network or loss that reads a value's numbers (a `StagingError`).
 */
import { valueAndGrad } from '../autodiff/index.js'
import type { Dataset } from '../data/index.js'
import { type LeafRule, type LeafStep, applyUpdates, runSteps, scalarsOf, stepsShape } from '../optim/index.js'
import { type Key, key as makeKey } from '../random/index.js'
import { type JitStats, type Jitted, type Program, StagingError, jit, sumStats, trace } from '../stage/index.js'
import { type Pool, dataParallel } from '../parallel/index.js'
import { type DType, type Tensor, scalar } from '../tensor/index.js'
import { type Tree, leaves } from '../tree/index.js'
import type { Loss, Model } from './TrainState.js'

/** How a step's loss and gradient run: compiled, eager, or not known before the first step. @category internals */
export type GradientMode = 'jit' | 'eager' | 'undecided'

/** The loss and gradient of a batch at a step's key, and how it runs. @category internals */
export type LossAndGradient<P extends Tree> = ((params: P, batch: Dataset, key: Key) => readonly [Tensor, P]) & {
  readonly mode: () => GradientMode
  /**
   * The whole step compiled: the loss, the new parameters and optimizer state after the rule's
   * update, when the loss and everything new are finite; undefined when the step is not compiled
   * or something is not finite (the caller then takes the eager step, which gives the same
   * numbers and says what diverged).
   */
  readonly update: <S>(params: P, batch: Dataset, rule: LeafRule<S>, state: S) => CompiledUpdate<P, S> | undefined
  /** The compiled whole steps so far: programs compiled (one per batch shape and rule shape) and calls. */
  readonly updateStats: () => JitStats
}

/** What a compiled update gives. @category internals */
export interface CompiledUpdate<P, S> {
  readonly loss: number
  readonly params: P
  readonly state: S
}

// A compiled whole step: parameters, batch, the rule's moments and per-step scalars in; the loss,
// the new parameters and the new moments out.
type Moments = ReadonlyArray<ReadonlyArray<Tree>>
type Scalars = ReadonlyArray<ReadonlyArray<Tensor>>
type StepProgram<P extends Tree> = Jitted<readonly [P, Tensor, Tensor, Moments, Scalars], readonly [Tensor, P, Tree[][]]>

// Whether every element of the leaves is finite: Σ x·0 is 0 then, NaN otherwise. A loop over the
// results in JavaScript costs less than the same sums in the program (a pass and a reduction per leaf).
const allFinite = (xs: ReadonlyArray<Tensor>): boolean => {
  let bad = 0
  for (const x of xs) {
    const d = x.data
    for (let i = 0; i < d.length; i++) bad += d[i]! * 0
  }
  return bad === 0
}

// Whether two programs hold the same constants (so the key they were traced with did not matter).
const sameConstants = (a: Program, b: Program): boolean =>
  a.equations.length === b.equations.length &&
  a.constants.length === b.constants.length &&
  a.constants.every((c, i) => {
    const d = b.constants[i]!.value.data
    return c.value.data.length === d.length && c.value.data.every((v, j) => Object.is(v, d[j]))
  })

/**
 * `valueAndGrad` of the batch loss in training mode, compiled unless `compile` is false.
 * @category internals
 */
export const lossAndGradient = <P extends Tree>(net: Model<P>, loss: Loss, compile: boolean, pool?: Pool): LossAndGradient<P> => {
  const at = (key: Key) => (params: P, x: Tensor, y: Tensor): readonly [Tensor, P] =>
    valueAndGrad((p: P) => loss(net.apply(p)(x, { mode: 'train', key }), y))(params)
  const eager = (params: P, batch: Dataset, key: Key): readonly [Tensor, P] => at(key)(params, batch.x, batch.y)
  if (!compile) return Object.assign(eager, { mode: (): GradientMode => 'eager', update: () => undefined, updateStats: (): JitStats => ({ compiles: 0, calls: 0 }) })
  let mode: GradientMode = 'undecided'
  // the program does not depend on the key once the check below passed, so any key serves
  // with a pool, the batch is split across its threads (parallel/dataParallel.ts): the same
  // program per shard, the shards' losses and gradients averaged in a fixed order
  const compiled = pool === undefined ? jit(at(makeKey(0))) : dataParallel(pool, at(makeKey(0)), { batched: [false, true, true] })
  const decide = (params: P, batch: Dataset): GradientMode => {
    try {
      const a = trace(at(makeKey(1)))(params, batch.x, batch.y)
      const b = trace(at(makeKey(2)))(params, batch.x, batch.y)
      return sameConstants(a, b) ? 'jit' : 'eager'
    } catch (e) {
      if (e instanceof StagingError) return 'eager'
      throw e
    }
  }
  const run = (params: P, batch: Dataset, key: Key): readonly [Tensor, P] => {
    if (mode === 'undecided') mode = decide(params, batch)
    return mode === 'jit' ? compiled(params, batch.x, batch.y) : eager(params, batch, key)
  }
  // the update of a pool's step: the averaged loss and gradient, then the compiled update
  const withGradient = (apply: Jitted<readonly [P, P, Moments, Scalars], readonly [P, Tree[][]]>): StepProgram<P> =>
    Object.assign((params: P, x: Tensor, y: Tensor, moments: Moments, scalars: Scalars): readonly [Tensor, P, Tree[][]] => {
      const [value, grads] = compiled(params, x, y)
      return [value, ...apply(params, grads, moments, scalars)] as const
    }, { stats: apply.stats })
  // one program per shape of the rule's steps (the same at every step of a run, LeafRule.ts point 4),
  // made from the steps' ops of its first state
  const programs = new Map<string, { readonly ops: ReadonlyArray<unknown>; readonly run: StepProgram<P> }>()
  const opsOf = (steps: ReadonlyArray<LeafStep>): ReadonlyArray<unknown> => steps.map((s) => (s.kind === 'map' ? s.ops : undefined))
  // the program of these steps; undefined when the steps' ops are other functions than those it was
  // made from (a rule that makes new closures per state may hold per-step numbers in them: eager then)
  const program = (steps: ReadonlyArray<LeafStep>, name: string): StepProgram<P> | undefined => {
    const shape = stepsShape(steps)
    const known = programs.get(shape)
    if (known !== undefined) return opsOf(steps).every((f, i) => f === known.ops[i]) ? known.run : undefined
    // the steps' ops read per-step numbers from their scalars only, so the first state's steps serve every state
    const apply = (params: P, grads: P, moments: Moments, scalars: Scalars): readonly [P, Tree[][]] => {
      const [updates, next] = runSteps(steps, grads, params, moments, scalars, name)
      return [applyUpdates(params, updates), next]
    }
    const made: StepProgram<P> = pool === undefined
      ? jit((params: P, x: Tensor, y: Tensor, moments: Moments, scalars: Scalars) => {
        const [value, grads] = at(makeKey(0))(params, x, y)
        return [value, ...apply(params, grads, moments, scalars)] as const
      })
      // with a pool: the gradient averaged over the threads' shards (`compiled`), then the update alone, compiled
      : withGradient(jit(apply))
    programs.set(shape, { ops: opsOf(steps), run: made })
    return made
  }
  const update = <S>(params: P, batch: Dataset, rule: LeafRule<S>, state: S): CompiledUpdate<P, S> | undefined => {
    if (mode === 'undecided') mode = decide(params, batch)
    if (mode !== 'jit') return undefined
    const { steps, end } = rule.begin(state)
    const ps = leaves(params)
    // the scalars in the parameters' dtype (float64 when they mix: the program casts them per leaf, as a weak scalar rounds)
    const dtype: DType = ps.every((p) => p.dtype === 'float32') ? 'float32' : 'float64'
    const moments = steps.map((s) => (s.kind === 'map' ? s.moments : []))
    const scalars = scalarsOf(steps).map((xs) => xs.map((v) => scalar(v, dtype)))
    const run = program(steps, rule.name)
    if (run === undefined) return undefined
    const [lossTensor, next, nextMoments] = run(params, batch.x, batch.y, moments, scalars)
    const loss = lossTensor.data[0]!
    // A non-finite gradient makes a new parameter or moment non-finite (LeafRule.ts point 6), so
    // checking what is new suffices; the eager step then says what diverged, with the same numbers.
    if (!Number.isFinite(loss) || !allFinite(leaves(next)) || !nextMoments.every((ms) => ms.every((m) => allFinite(leaves(m))))) return undefined
    return { loss, params: next, state: end(nextMoments) }
  }
  const updateStats = (): JitStats => sumStats([...programs.values()].map((p) => p.run))
  return Object.assign(run, { mode: () => mode, update, updateStats })
}
