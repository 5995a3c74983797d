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
 * 6. `spec` is a plain JSON value describing the layer, and `fromSpec(l.spec)` rebuilds a layer
 *    that behaves exactly like `l` (see `LayerSpec.ts`; checked in properties/spec.test.ts). A
 *    layer written by hand gives `{ kind: 'custom', name }`, which `fromSpec` refuses.
 *
 * Size-preserving layers (activations, dropout, residuals of them) work at any feature size and
 * return the size they are given. They carry the marker `preservesSize: true`; their `inSize` and
 * `outSize` are `NaN` at run time ("any") and `number` in the types, and the combinators pass the
 * previous layer's size through them, both in the types and in the run-time checks.
 */
import type { Key } from '../random/index.js'
import { type Tensor, ShapeError } from '../tensor/index.js'
import type { LayerSpec } from './LayerSpec.js'

/**
 * How a layer is applied: evaluation (deterministic), or training with a key for its randomness. @category model
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(4, 8), nn.dropout(0.5), nn.dense(8, 2))
 * const params = net.init(random.key(0))
 * const training: nn.ApplyContext = { mode: 'train', key: random.key(1) }
 * net.apply(params)(ones([2, 4]), training) // dropout active, masks from the key
 * ```
 */
export type ApplyContext =
  | { readonly mode: 'eval' }
  | { readonly mode: 'train'; readonly key: Key }

/**
 * A network or a piece of one: sizes, initialiser and pure application. @category model
 * @example
 * ```ts
 * type ScaleParams = { readonly s: Tensor }
 * const scale = (size: number): nn.Layer<ScaleParams> => ({
 *   name: `scale(${size})`, inSize: size, outSize: size,
 *   spec: { kind: 'scale', size },
 *   init: () => ({ s: ones([size]) }),
 *   apply: (p) => (x) => ops.mul(x, p.s),
 * })
 * ```
 */
export interface Layer<P, In extends number = number, Out extends number = number> {
  /** A readable description used in errors, e.g. 'dense(784, 128)'. */
  readonly name: string
  readonly inSize: In
  readonly outSize: Out
  /** What the layer is, as plain JSON data, e.g. `{ kind: 'dense', inSize: 784, outSize: 128, ... }`. */
  readonly spec: LayerSpec
  readonly init: (key: Key) => P
  readonly apply: (params: P) => (x: Tensor, ctx?: ApplyContext) => Tensor
  /** Present on a layer with running state (`batchNorm`, and `serial` of one): see `StateRules`. */
  readonly state?: StateRules<P>
}

/**
 * How a layer with running state (batch normalisation's running mean and variance) trains.
 * The state is an explicit, named part of the parameter tree
 * (`{ scale, offset, state: { mean, variance } }`) that gradients never change: its gradient is
 * zero and the training step replaces it with the state the forward pass computed. So io saves and loads it with the parameters, and
 * evaluation (`apply` in `eval` mode or with no context) reads it.
 *
 * 1. `train(params)(x, key)` is the training-mode forward: the output (normalised by the batch's
 *    statistics) and the parameters with the new state; pure, like `apply`.
 * 2. `keep(updated, next)` is `updated` (the optimizer's new parameters) with the state of `next`.
 *
 * The anchors: Flax returns the new `batch_stats` collection from `apply(..., mutable=[...])`
 * and keeps it beside `params`; Equinox threads a `State` object through the call; Haiku's
 * `transform_with_state` returns (output, new_state); stax has no running statistics (its
 * BatchNorm always uses the batch's). purenet keeps the state inside the parameter tree, under
 * a `state` field, so that every tool that handles parameters (io, checkpoints, `tree`, the
 * CLI) handles it with no second tree to thread, and makes `train` thread the new state.
 * @example
 * ```ts
 * const bn = nn.batchNorm(4)
 * const rules: nn.StateRules<nn.BatchNormParams> | undefined = bn.state
 * const params = bn.init(random.key(0))
 * const [, next] = rules!.train(params)(tensor([[1, 2, 3, 4], [3, 2, 1, 0]]), random.key(1))
 * rules!.keep(params, next).state.mean // the running mean moved towards the batch's, [0.2, 0.2, 0.2, 0.2]
 * ```
 * @category model
 */
export interface StateRules<P> {
  readonly train: (params: P) => (x: Tensor, key: Key) => readonly [Tensor, P]
  readonly keep: (updated: P, next: P) => P
}

/**
 * The marker of a layer that works at any feature size and returns the size it is given. @category model
 * @example
 * ```ts
 * const act: nn.SizePreserving = nn.relu // fits any size, like every activation
 * ```
 */
export interface SizePreserving {
  readonly preservesSize: true
}

/**
 * A size-preserving layer (an activation, dropout): its sizes are "any" (`NaN` at run time), and
 * `serial` passes the previous layer's size through it.
 * @example
 * ```ts
 * const act: nn.SizePreservingLayer<nn.NoParams> = nn.elementwise('swish', ops.silu)
 * ```
 * @category model
 */
export type SizePreservingLayer<P> = Layer<P, number, number> & SizePreserving

/**
 * The parameters of a parameterless layer: the empty record `{}`. @category model
 * @example
 * ```ts
 * const p: nn.NoParams = nn.relu.init(random.key(0)) // {}
 * ```
 */
export type NoParams = { readonly [key: string]: never }

/**
 * Any layer, whatever its parameters: the constraint the combinators take. `apply`'s parameter is
 * `never` because parameters are read (contravariant): every `Layer<P, ...>` is assignable here,
 * which `Layer<unknown>` would not allow.
 * @example
 * ```ts
 * const layers: nn.AnyLayer[] = [nn.dense(2, 3), nn.relu, nn.dropout(0.1)]
 * ```
 * @category model
 */
export interface AnyLayer {
  readonly name: string
  readonly inSize: number
  readonly outSize: number
  readonly spec: LayerSpec
  readonly init: (key: Key) => unknown
  readonly apply: (params: never) => (x: Tensor, ctx?: ApplyContext) => Tensor
}

/**
 * A layer's state rules, when it has running state (see `StateRules`). @category guards
 * @example
 * ```ts
 * nn.stateRulesOf(nn.serial(nn.dense(4, 4), nn.batchNorm(4))) !== undefined // true
 * nn.stateRulesOf(nn.dense(4, 4)) // undefined
 * ```
 */
export const stateRulesOf = (layer: AnyLayer): StateRules<unknown> | undefined => (layer as { readonly state?: StateRules<unknown> }).state

/**
 * The parameter type of a layer. @category model
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(2, 4), nn.relu, nn.dense(4, 1))
 * type Params = nn.ParamsOf<typeof net> // readonly [DenseParams, NoParams, DenseParams]
 * ```
 */
export type ParamsOf<L> = L extends { readonly init: (key: Key) => infer P } ? P : never

/**
 * The input size type of a layer. @category model
 * @example
 * ```ts
 * const layer = nn.dense(784, 128)
 * type In = nn.InSizeOf<typeof layer> // 784
 * ```
 */
export type InSizeOf<L> = L extends { readonly inSize: infer N extends number } ? N : number

/**
 * The output size type of a layer. @category model
 * @example
 * ```ts
 * const layer = nn.serial(nn.dense(784, 128), nn.relu, nn.dense(128, 10))
 * type Out = nn.OutSizeOf<typeof layer> // 10
 * ```
 */
export type OutSizeOf<L> = L extends { readonly outSize: infer N extends number } ? N : number

/**
 * The `inSize`/`outSize` of a size-preserving layer: any size. @category model
 * @example
 * ```ts
 * Object.is(nn.relu.inSize, nn.anySize) // true: an activation fits any size
 * ```
 */
export const anySize: number = NaN

/**
 * Whether a layer is size-preserving (works at any size, returns the size it is given). @category guards
 * @example
 * ```ts
 * nn.preservesSize(nn.relu) // true
 * nn.preservesSize(nn.dense(2, 3)) // false
 * ```
 */
export const preservesSize = (layer: AnyLayer): boolean => (layer as Partial<SizePreserving>).preservesSize === true

/**
 * Checks that `x` is a batch of `size`-feature rows, `[batch, size]`, for the layer called `name`.
 * The error names the layer, the expected and the actual shape, and how to fix the common cases.
 * @example
 * ```ts
 * nn.checkInput('myLayer', 4, zeros([8, 4])) // passes; a [8, 3] input throws a ShapeError naming myLayer
 * ```
 * @category guards
 */
export const checkInput = (name: string, size: number, x: Tensor): void => {
  if (x.shape.length !== 2) {
    const hint = x.shape.length === 1 && x.shape[0] === size ? `; add a batch axis with ops.reshape(x, [1, ${size}])` : x.shape.length > 2 ? `; flatten each example to ${size} features with ops.reshape` : ''
    throw new ShapeError(name, [x.shape], `expects an input of shape [batch, ${size}], got rank ${x.shape.length}${hint}`)
  }
  if (x.shape[1] !== size) {
    throw new ShapeError(name, [x.shape], `expects an input of shape [batch, ${size}], got ${x.shape[1]} features; check the previous layer's output size or the data's width`)
  }
}
