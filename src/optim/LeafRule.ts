/**
 * A leaf rule: the element-wise math of a gradient transformation, declared once, in
 * differentiable tensor ops. Every transformation whose update is element-wise (Adam's moments,
 * momentum, RMSprop, weight decay, the learning rate) declares one; `update` runs it
 * (`ruleSteps.ts`), `chain` composes the rules of its parts (`composeRules`), and a compiled
 * training step (`train.step` with `jit`) traces the same ops once and fuses them with the
 * gradient and the addition to the parameters. So the optimizer's math exists in one place, and
 * the eager update and the compiled one give the same numbers to the bit.
 *
 * Contract of a rule:
 * 1. `begin(state)` checks the state and computes the step's scalars in JavaScript numbers (the
 *    bias corrections, the learning rate at the step count); it returns the leaf steps to run,
 *    and `end`, which builds the next state from the new moment trees of the `map` steps (one list
 *    per step, in the order of `moments`). `begin` reads no leaf data.
 * 2. A `map` step's `ops(leaf, scalars)` is the math of one leaf in tensor ops. Every number that
 *    changes from one step to the next comes in `scalars` (the step's `scalars`, in order), never
 *    through the closure: a compiled step passes them as inputs of its program, so one program
 *    serves every step. A scalar is a number (a weak scalar, rounded to the leaf's dtype) or a
 *    scalar tensor of the leaf's dtype; both round alike, so eager and compiled steps agree.
 * 3. A `scale` step is `u ↦ u · factor` (`factor` rounded to the leaf's dtype); its factor is its
 *    one scalar.
 * 4. The steps of a rule have the same kinds, moments and numbers of scalars at every state of
 *    one run (the learning rate of a schedule changes, its step does not disappear), and the same
 *    `ops` functions (made once, with the transformation), so a compiled step made at one state
 *    serves the next. A compiled training step checks the `ops` functions' identity, and runs a
 *    rule that makes new ones per state eagerly (their closures may hold per-step numbers).
 * 5. Rules are pure: the same state and leaves give the same numbers; inputs are never written.
 * 6. NaN and infinities propagate: a non-finite incoming update makes the outgoing update or a
 *    new moment non-finite (true of arithmetic without a test of finiteness: every rule of
 *    `optim`). The divergence check of a compiled training step reads only what is new.
 */
import type { Tensor } from '../tensor/index.js'
import type { Tree } from '../tree/index.js'

/**
 * A per-step number as a rule's ops see it: a JavaScript number, or a scalar tensor of a compiled step. @category model
 * @example
 * ```ts
 * // a rule's ops get numbers when eager and scalar tensors when compiled; ops take both
 * const halve = (u: Tensor, factor: optim.Scalar): Tensor => ops.mul(u, factor)
 * halve(tensor([2, 4]), 0.5)
 * ```
 */
export type Scalar = number | Tensor

/**
 * One leaf as the tensor form of a step (`MapStep.ops`) sees it. @category model
 * @example
 * ```ts
 * const leaf: optim.TensorLeaf = { u: tensor([0.1, -0.2]), p: undefined, moments: [tensor([0, 0])] }
 * ```
 */
export interface TensorLeaf {
  /** The incoming updates. */
  readonly u: Tensor
  /** The parameter, when the step reads it (`readsParams`). */
  readonly p: Tensor | undefined
  /** The step's moments, in the order of the step's `moments`. */
  readonly moments: ReadonlyArray<Tensor>
}

/**
 * What the tensor form of a step returns: the outgoing updates and the new moments, in order. @category model
 * @example
 * ```ts
 * // momentum's math for one leaf: the outgoing update and the new trace
 * const momentum = ({ u, moments: [m] }: optim.TensorLeaf): optim.TensorStep => {
 *   const y = ops.add(u, ops.mul(m!, 0.9))
 *   return { out: y, next: [y] }
 * }
 * ```
 */
export interface TensorStep {
  readonly out: Tensor
  readonly next: ReadonlyArray<Tensor>
}

/**
 * An element-wise step that reads and writes moments shaped like the parameters. @category model
 * @example
 * ```ts
 * // u ↦ u · lr with the learning rate as a per-step scalar, so one compiled program serves every step
 * const step = (lr: number): optim.MapStep => ({
 *   kind: 'map', name: 'scaleBy', moments: [], readsParams: false, scalars: [lr],
 *   ops: ({ u }, [rate]) => ({ out: ops.mul(u, rate!), next: [] }),
 * })
 * ```
 */
export interface MapStep {
  readonly kind: 'map'
  /** The transformation's name, for errors about its moments (`optim.adam`). */
  readonly name: string
  /** The moment trees this step reads (from the state), shaped like the updates. */
  readonly moments: ReadonlyArray<Tree>
  /** Whether `ops` reads the parameters `p` (then they must match the updates leaf by leaf). */
  readonly readsParams: boolean
  /** The numbers of this step that change from step to step (contract point 2), e.g. Adam's bias corrections. */
  readonly scalars: ReadonlyArray<number>
  /** The math, for one leaf, in differentiable tensor ops; `scalars` in the order of `scalars`. */
  readonly ops: (leaf: TensorLeaf, scalars: ReadonlyArray<Scalar>) => TensorStep
}

/**
 * `u ↦ u · factor`. @category model
 * @example
 * ```ts
 * const negate: optim.ScaleStep = { kind: 'scale', factor: -1 } // u ↦ -u
 * ```
 */
export interface ScaleStep {
  readonly kind: 'scale'
  readonly factor: number
}

/**
 * One element-wise step of a rule. @category model
 * @example
 * ```ts
 * const steps: ReadonlyArray<optim.LeafStep> = [
 *   { kind: 'map', name: 'clip', moments: [], readsParams: false, scalars: [], ops: ({ u }) => ({ out: ops.tanh(u), next: [] }) },
 *   { kind: 'scale', factor: -0.1 },
 * ]
 * optim.stepsShape(steps) // 'clip:0:0:|scale'
 * ```
 */
export type LeafStep = MapStep | ScaleStep

/**
 * What `begin` returns for one update. @category model
 * @example
 * ```ts
 * const begin = (state: optim.EmptyState): optim.RuleStep<optim.EmptyState> => ({ steps: [{ kind: 'scale', factor: -0.1 }], end: () => state })
 * ```
 */
export interface RuleStep<S> {
  /** The steps, run in order on every leaf; none means the updates pass unchanged. */
  readonly steps: ReadonlyArray<LeafStep>
  /** The next state, from the new moment trees of each step (in the order of `steps`; none for a scale). */
  readonly end: (next: ReadonlyArray<ReadonlyArray<Tree>>) => S
}

/**
 * The declared element-wise form of a gradient transformation. @category model
 * @example
 * ```ts
 * // sign descent as a rule: one element-wise map step, no moments and no per-step numbers
 * const rule: optim.LeafRule<optim.EmptyState> = {
 *   name: 'signDescent',
 *   begin: () => ({ steps: [{ kind: 'map', name: 'signDescent', moments: [], readsParams: false, scalars: [], ops: ({ u }) => ({ out: ops.sign(u), next: [] }) }], end: () => optim.emptyState }),
 * }
 * const signDescent = optim.chain(optim.ruleTransformation(() => optim.emptyState, rule), optim.scale(-0.01))
 * ```
 */
export interface LeafRule<S> {
  /** The transformation's name, for errors (`optim.adam`). */
  readonly name: string
  // a method, so that (as `update`) every transformation widens to `GradientTransformation`
  begin(state: S): RuleStep<S>
}

/**
 * The per-step numbers of a list of steps, one list per step: a scale step's factor, a map
 * step's `scalars`. What a compiled step passes as its program's inputs.
 * @category internals
 * @example
 * ```ts
 * optim.scalarsOf([{ kind: 'scale', factor: -0.1 }]) // [[-0.1]]: the inputs a compiled step passes its program
 * ```
 */
export const scalarsOf = (steps: ReadonlyArray<LeafStep>): number[][] => steps.map((s) => (s.kind === 'scale' ? [s.factor] : s.scalars.slice()))

/**
 * A description of the steps' shape (kinds, names, numbers of moments and scalars): two states
 * whose steps have the same shape are served by the same compiled program (contract point 4).
 * @category internals
 * @example
 * ```ts
 * optim.stepsShape([{ kind: 'scale', factor: -0.1 }]) === optim.stepsShape([{ kind: 'scale', factor: -0.2 }]) // true: one compiled program serves both
 * ```
 */
export const stepsShape = (steps: ReadonlyArray<LeafStep>): string =>
  steps.map((s) => (s.kind === 'scale' ? 'scale' : `${s.name}:${s.moments.length}:${s.scalars.length}:${s.readsParams ? 'p' : ''}`)).join('|')
