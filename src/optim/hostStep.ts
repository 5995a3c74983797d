/**
 * `applyGradients` inside `jit` when the state's numbers are arguments of the jitted function
 * (`stage/jitNumbers.ts`): the step count is then a marker, not a number, and the rule's
 * per-step scalars (the learning rate at the count, Adam's bias corrections) become scalar
 * inputs of the program, computed in JavaScript by the rule's own `begin` on every call; the
 * next state's numbers (the next count) are numbers of the result, computed by the rule's `end`
 * on every call. The leaves run the rule's ops (`runSteps`) traced with the rest of the step,
 * as `train.step` compiles them: one program for every step, the numbers of the eager
 * `applyGradients` bit for bit.
 */
import { type HostSession, StagingError, numbersIn, withNumbers } from '../stage/index.js'
import { type Tree, leaves } from '../tree/index.js'
import { applyUpdates } from './applyUpdates.js'
import { scalarDType } from './CompiledRule.js'
import { type LeafRule, type LeafStep, scalarsOf, stepsShape } from './LeafRule.js'
import { runSteps } from './ruleSteps.js'

const sameSteps = (a: ReadonlyArray<LeafStep>, b: ReadonlyArray<LeafStep>): boolean =>
  stepsShape(a) === stepsShape(b) && a.every((s, i) => s.kind === 'scale' || s.ops === (b[i] as typeof s).ops)

/**
 * The new parameters and state of one traced step whose state holds markers of `session`.
 * @category internals
 */
export const hostStep = <P extends Tree, S>(rule: LeafRule<S> | undefined, session: HostSession, grads: P, state: S, params: P): readonly [P, S] => {
  if (rule === undefined) {
    throw new StagingError(
      'optim.applyGradients: the optimizer state holds a number argument of jit (its step count), but this optimizer declares no element-wise rule ' +
        '(a chain with clipByGlobalNorm, or a transformation written by hand), so its update cannot take the count as an input of the program. ' +
        'jit the loss and gradient alone and call optim.applyGradients outside the jitted function',
    )
  }
  const { steps, end } = rule.begin(session.read(state))
  // the steps of this call's state, checked to be those the program was traced with (LeafRule.ts point 4)
  const begin = (s: S) => {
    const r = rule.begin(s)
    if (!sameSteps(r.steps, steps)) {
      throw new StagingError(`${rule.name}: the rule made other steps at this state than at the state the jitted function was traced with; its ops must be made once, with the transformation (LeafRule.ts point 4)`)
    }
    return r
  }
  const flat = session.scalars((read) => scalarsOf(begin(read(state)).steps).flat(), scalarDType(leaves(grads), leaves(params)))
  let k = 0
  const scalars = scalarsOf(steps).map((xs) => xs.map(() => flat[k++]!))
  const moments = steps.map((s) => (s.kind === 'map' ? s.moments : []))
  const [updates, next]: readonly [P, Tree[][]] = steps.length === 0 ? [grads, []] : runSteps(steps, grads, params, moments, scalars, rule.name)
  const example = end(next)
  const marks = session.numbers((read) => numbersIn(begin(read(state)).end(next)), `of ${rule.name}'s next state`)
  return [applyUpdates(params, updates), withNumbers(example, marks)]
}
