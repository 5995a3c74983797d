/**
 * The loss and gradient of one training step, compiled by `jit` (the default) or eager
 * (`jit: false`). The compiled function takes the parameters and the batch as arguments, so one
 * program serves every batch of a shape (a short last batch compiles a second one).
 *
 * With an optimizer whose rule is scaling only (SGD, a learning-rate schedule, `scale`), the
 * update is compiled too (`update`): the new parameters `p + round(g · round(f))` (per scale factor
 * f, the numbers of `optim.applyGradients`'s fused loop) and the divergence checks' sums are
 * outputs of the same program, so no gradient leaves it. The factors are arguments (a schedule
 * changes them per step), as scalars of the parameters' dtype.
 *
 * Two kinds of step cannot be one program, and run eagerly for the whole run, with the same
 * numbers: a network that draws from the step's key (dropout: its masks would be constants of the
 * program), found on the first step by tracing with two different keys and comparing the two
 * programs' constants; and a network or loss that reads a value's numbers (a `StagingError`).
 */
import { valueAndGrad } from '../autodiff/index.js'
import { add, mul, sum } from '../ops/index.js'
import type { Dataset } from '../data/index.js'
import { type Key, key as makeKey } from '../random/index.js'
import { type Program, StagingError, jit, trace } from '../stage/index.js'
import { type Pool, dataParallel } from '../parallel/index.js'
import { type DType, type Tensor, scalar } from '../tensor/index.js'
import { type Tree, flatten, leavesLike, unflatten } from '../tree/index.js'
import type { Loss, Model } from './TrainState.js'

/** How a step's loss and gradient run: compiled, eager, or not known before the first step. @category internals */
export type GradientMode = 'jit' | 'eager' | 'undecided'

/** The loss and gradient of a batch at a step's key, and how it runs. @category internals */
export type LossAndGradient<P extends Tree> = ((params: P, batch: Dataset, key: Key) => readonly [Tensor, P]) & {
  readonly mode: () => GradientMode
  /**
   * The loss, the new parameters after scaling the gradient by `factors` in turn and adding it,
   * and whether the gradients and the new parameters are all finite; undefined (nothing computed)
   * when the step is not compiled or the parameters mix dtypes.
   */
  readonly update: (params: P, batch: Dataset, factors: ReadonlyArray<number>) => CompiledUpdate<P> | undefined
}

/** What a compiled update gives. @category internals */
export interface CompiledUpdate<P> {
  readonly loss: Tensor
  readonly params: P
  readonly gradientsFinite: boolean
  readonly updatedFinite: boolean
}

// Σ x·0 over a tree's leaves: 0 when every element is finite, NaN otherwise.
const nonFinite = (xs: ReadonlyArray<Tensor>): Tensor => xs.map((x) => sum(mul(x, 0))).reduce((a, b) => add(a, b))

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
  if (!compile) return Object.assign(eager, { mode: (): GradientMode => 'eager', update: () => undefined })
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
  const compiledUpdate = jit((params: P, x: Tensor, y: Tensor, factors: ReadonlyArray<Tensor>) => {
    const [value, grads] = at(makeKey(0))(params, x, y)
    const [ps, def] = flatten(params, 'train.step')
    const gs = leavesLike(def, grads, 'train.step')
    const next = ps.map((p, i) => add(p, factors.reduce((u, f) => mul(u, f), gs[i]!)))
    return [value, unflatten(def, next), nonFinite(gs), nonFinite(next)] as const
  })
  // with a pool: the update alone, compiled, applied to the averaged gradient
  const compiledApply = jit((params: P, grads: P, factors: ReadonlyArray<Tensor>) => {
    const [ps, def] = flatten(params, 'train.step')
    const gs = leavesLike(def, grads, 'train.step')
    const next = ps.map((p, i) => add(p, factors.reduce((u, f) => mul(u, f), gs[i]!)))
    return [unflatten(def, next), nonFinite(gs), nonFinite(next)] as const
  })
  const update = (params: P, batch: Dataset, factors: ReadonlyArray<number>): CompiledUpdate<P> | undefined => {
    if (mode === 'undecided') mode = decide(params, batch)
    if (mode !== 'jit') return undefined
    const ps = flatten(params, 'train.step')[0]
    const dtype: DType | undefined = ps[0]?.dtype
    if (dtype === undefined || ps.some((p) => p.dtype !== dtype)) return undefined
    if (pool !== undefined) {
      const [loss, grads] = compiled(params, batch.x, batch.y)
      const [next, badGradients, badParams] = compiledApply(params, grads, factors.map((f) => scalar(f, dtype)))
      return { loss, params: next as P, gradientsFinite: badGradients.data[0] === 0, updatedFinite: badParams.data[0] === 0 }
    }
    const [loss, next, badGradients, badParams] = compiledUpdate(params, batch.x, batch.y, factors.map((f) => scalar(f, dtype)))
    return { loss, params: next as P, gradientsFinite: badGradients.data[0] === 0, updatedFinite: badParams.data[0] === 0 }
  }
  return Object.assign(run, { mode: () => mode, update })
}
