/**
 * The compiled whole step of a rule transformation: `optim.applyGradients` outside any `jit`
 * runs the rule's ops on every leaf and the addition to the parameters as one program made by
 * `jit`, in place of one eager op (and one fresh tensor) per operation. The program takes the
 * parameters, the gradients, the rule's moments and its per-step scalars (the learning rate at
 * the count, Adam's bias corrections: `scalarsOf`) as arguments, as scalar tensors of the leaves'
 * dtype, so one program serves every step of a run; its numbers are those of the op-by-op
 * `applyUpdates(params, update(grads, state, params)[0])` bit for bit (the eager kernels and the
 * compiled loops round alike, `stage/lower.ts`; a number is a weak scalar rounded to the leaf's
 * dtype, as the scalar tensor cast to it).
 *
 * Where the programs live. Each transformation made by `ruleTransformation` (every optimizer of
 * `optim`, each `chain` of rules) owns one `CompiledRule`, made with it: the programs it compiled
 * (one per shape of the rule's steps, `stepsShape`, and inside that, like every `jitted` function,
 * one per tree signature: structure, shapes and dtypes of the leaves) live in that value's
 * closure, as a jitted function's programs live in its own. Nothing is global: two optimizer
 * values never share a program, a program goes away with the optimizer value that made it, and
 * the same arguments give the same numbers whatever was compiled before (only the time differs).
 * The transformation rather than a value the user threads through the loop holds them because
 * the optimizer is the value every loop already keeps for the whole run, and the call
 * `optim.applyGradients(optimizer, grads, state, params)` then needs nothing new.
 */
import { isTracer } from '../autodiff/index.js'
import { type JitStats, type Jitted, jit, sumStats } from '../stage/index.js'
import { type DType, type Tensor, scalar } from '../tensor/index.js'
import { type Tree, leaves } from '../tree/index.js'
import { applyUpdates } from './applyUpdates.js'
import { type LeafRule, type LeafStep, scalarsOf, stepsShape } from './LeafRule.js'
import { runSteps } from './ruleSteps.js'

type Moments = ReadonlyArray<ReadonlyArray<Tree>>
type Scalars = ReadonlyArray<ReadonlyArray<Tensor>>
type ApplyProgram = Jitted<readonly [Tree, Tree, Moments, Scalars], readonly [Tree, Tree[][]]>

/**
 * The compiled step of one rule: the new parameters and state, or undefined when this call must
 * take the op-by-op path (a leaf is a value of an enclosing `grad`, `jvp` or `trace`; the rule
 * made new `ops` functions for this state, LeafRule.ts point 4).
 * @category internals
 */
export type CompiledRule<S> = <T extends Tree>(grads: T, state: S, params: T) => readonly [T, S] | undefined

/**
 * The dtype of a step's scalar inputs: float32 when every leaf is float32 (no cast in the
 * program), float64 otherwise (the program casts per leaf, as a weak scalar rounds).
 * @category internals
 */
export const scalarDType = (...trees: ReadonlyArray<ReadonlyArray<Tensor>>): DType => (trees.every((ls) => ls.every((l) => l.dtype === 'float32')) ? 'float32' : 'float64')

/**
 * Makes the compiled step of `rule`, holding its own programs (see the file's comment).
 * @category internals
 */
export const compiledRule = <S>(rule: LeafRule<S>): CompiledRule<S> & { readonly stats: () => JitStats } => {
  const programs = new Map<string, { readonly ops: ReadonlyArray<unknown>; readonly run: ApplyProgram }>()
  const opsOf = (steps: ReadonlyArray<LeafStep>): ReadonlyArray<unknown> => steps.map((s) => (s.kind === 'map' ? s.ops : undefined))
  const program = (steps: ReadonlyArray<LeafStep>): ApplyProgram | undefined => {
    const shape = stepsShape(steps)
    const known = programs.get(shape)
    if (known !== undefined) return opsOf(steps).every((f, i) => f === known.ops[i]) ? known.run : undefined
    // the steps' ops read per-step numbers from their scalars only, so the first state's steps serve every state
    const run: ApplyProgram = jit((params: Tree, grads: Tree, moments: Moments, scalars: Scalars) => {
      const [updates, next] = runSteps(steps, grads, params, moments, scalars, rule.name)
      return [applyUpdates(params, updates), next] as const
    })
    programs.set(shape, { ops: opsOf(steps), run })
    return run
  }
  const stats = (): JitStats => sumStats([...programs.values()].map((p) => p.run))
  const run = <T extends Tree>(grads: T, state: S, params: T): readonly [T, S] | undefined => {
    const gs = leaves(grads), ps = leaves(params)
    if (gs.some(isTracer) || ps.some(isTracer)) return undefined
    const { steps, end } = rule.begin(state)
    if (steps.length === 0) return undefined
    const run = program(steps)
    if (run === undefined) return undefined
    const dtype = scalarDType(gs, ps)
    const moments = steps.map((s) => (s.kind === 'map' ? s.moments : []))
    const scalars = scalarsOf(steps).map((xs) => xs.map((v) => scalar(v, dtype)))
    const [next, nextMoments] = run(params, grads, moments, scalars)
    return [next as T, end(nextMoments)]
  }
  return Object.assign(run, { stats })
}
