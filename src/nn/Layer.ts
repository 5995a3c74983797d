/**
 * A layer is a value: a pure function of its parameters and its input, with an initialiser.
 *
 * Contract (checked in properties/nn.test.ts):
 * 1. `init(key)` is pure: the same key gives bit-identical parameters.
 * 2. `apply(params)(x, ctx)` is pure: the same parameters, input and context give the same output.
 * 3. For an input of shape [batch, inSize] the output has shape [batch, outSize].
 * 4. Parameters are a frozen tree (`{ w, b }` records, `[]`-aligned arrays for combinators,
 *    `{}` for parameterless layers).
 * 5. Randomness at apply time (dropout) comes only from `ctx.key`; with no context, or in
 *    `eval` mode, a layer is deterministic.
 */
import type { Key } from '../random/index.js'
import type { Tensor } from '../tensor/index.js'

/** How a layer is applied: evaluation (deterministic), or training with a key for its randomness. @category model */
export type ApplyContext =
  | { readonly mode: 'eval' }
  | { readonly mode: 'train'; readonly key: Key }

/** A network or a piece of one: sizes, initialiser and pure application. @category model */
export interface Layer<P, In extends number = number, Out extends number = number> {
  /** A readable description used in errors, e.g. 'dense(784, 128)'. */
  readonly name: string
  readonly inSize: In
  readonly outSize: Out
  readonly init: (key: Key) => P
  readonly apply: (params: P) => (x: Tensor, ctx?: ApplyContext) => Tensor
}
