/**
 * A leaf rule: the element-wise math of a gradient transformation, declared once. Every
 * transformation whose update is element-wise (Adam's moments, momentum, RMSprop, weight decay,
 * the learning rate) declares one; `update` runs it (`ruleUpdate`), `chain` composes the rules of
 * its parts (`composeRules`), and `applyGradients` runs the composed rule and adds the result to
 * the parameters in the same loop over each leaf. So the optimizer's math exists in one place,
 * and `update` + `applyUpdates` and `applyGradients` give the same numbers to the bit.
 *
 * Contract of a rule:
 * 1. `begin(state)` checks the state and computes the step's scalars (decays, bias corrections,
 *    the learning rate at the step count); it returns the leaf steps to run, and `end`, which
 *    builds the next state from the new moment trees of the `map` steps (one list per step, in
 *    the order of `moments`). `begin` reads no leaf data.
 * 2. A `map` step's `run(leaf)` reads `u[i]`, `p[i]` and `moments[k][i]` and writes `out[i]` and
 *    `next[k][i]` for every `i < n`, reading index `i` before writing it (`out` may be `u`).
 *    Every arithmetic result and every constant goes through `leaf.round` (`Math.fround` when
 *    every array of the leaf is float32, the identity otherwise), so the numbers are those that
 *    tensor ops with weak scalars would give.
 * 3. A `scale` step is `u ↦ round(u · round(factor))`; declared as data, so that the last one of
 *    a chain can be folded into the loop that adds the updates to the parameters.
 * 4. Rules are pure: the same state and leaves give the same numbers; inputs are never written.
 * 5. A `map` step's `ops(leaf)` is the same math in differentiable tensor ops (weak scalars, so
 *    every operation rounds as `run` rounds it): the numbers are those of `run`, bit for bit
 *    (checked by properties/optim.test.ts). It runs when a leaf is traced (an update inside
 *    `grad`, `jvp` or `vjp`, or staged by `trace`/`jit`), where typed-array loops cannot.
 */
import type { Tensor } from '../tensor/index.js'
import type { Tree } from '../tree/index.js'

/** The typed arrays a rule reads and writes. @category model */
export type Floats = Float32Array | Float64Array

/** One leaf as a rule sees it: the arrays of the updates, the parameter and the moments. @category model */
export interface Leaf {
  /** The number of elements. */
  readonly n: number
  /** `Math.fround` when every array of this leaf is float32, the identity otherwise. */
  readonly round: (x: number) => number
  /** The incoming updates (the gradient at the head of a chain). */
  readonly u: Floats
  /** Where the outgoing updates go (may be `u` itself, after the first step of a chain). */
  readonly out: Floats
  /** The parameter (read only). */
  readonly p: Floats
  /** The step's moments, in the order of the step's `moments` (read only). */
  readonly moments: ReadonlyArray<Floats>
  /** Where the new moments go, in the same order. */
  readonly next: ReadonlyArray<Floats>
}

/** One leaf as the tensor form of a step (`MapStep.ops`) sees it. @category model */
export interface TensorLeaf {
  /** The incoming updates. */
  readonly u: Tensor
  /** The parameter, when the step reads it (`readsParams`). */
  readonly p: Tensor | undefined
  /** The step's moments, in the order of the step's `moments`. */
  readonly moments: ReadonlyArray<Tensor>
}

/** What the tensor form of a step returns: the outgoing updates and the new moments, in order. @category model */
export interface TensorStep {
  readonly out: Tensor
  readonly next: ReadonlyArray<Tensor>
}

/** An element-wise step that reads and writes moments shaped like the parameters. @category model */
export interface MapStep {
  readonly kind: 'map'
  /** The transformation's name, for errors about its moments (`optim.adam`). */
  readonly name: string
  /** The moment trees this step reads (from the state), shaped like the updates. */
  readonly moments: ReadonlyArray<Tree>
  /** Whether `run` reads the parameters `p` (then they must match the updates leaf by leaf). */
  readonly readsParams: boolean
  /** The math, for one leaf, as a loop over its arrays. */
  readonly run: (leaf: Leaf) => void
  /** The same math in differentiable tensor ops, for traced leaves (contract point 5). */
  readonly ops: (leaf: TensorLeaf) => TensorStep
}

/** `u ↦ round(u · round(factor))`. @category model */
export interface ScaleStep {
  readonly kind: 'scale'
  readonly factor: number
}

/** One element-wise step of a rule. @category model */
export type LeafStep = MapStep | ScaleStep

/** What `begin` returns for one update. @category model */
export interface RuleStep<S> {
  /** The steps, run in order on every leaf; none means the updates pass unchanged. */
  readonly steps: ReadonlyArray<LeafStep>
  /** The next state, from the new moment trees of each step (in the order of `steps`; none for a scale). */
  readonly end: (next: ReadonlyArray<ReadonlyArray<Tree>>) => S
}

/** The declared element-wise form of a gradient transformation. @category model */
export interface LeafRule<S> {
  /** The transformation's name, for errors (`optim.adam`). */
  readonly name: string
  // a method, so that (as `update`) every transformation widens to `GradientTransformation`
  begin(state: S): RuleStep<S>
}

/** The rounding of float32 leaves: `Math.fround`. @category internals */
export const roundFloat32: (x: number) => number = Math.fround
/** The rounding of float64 leaves: none. @category internals */
export const roundFloat64 = (x: number): number => x
