/**
 * Side-by-side composition, concatenating outputs along the feature axis (axis 1):
 * - `fanOut(a, b)` gives every layer the same input: x ↦ [a(x), b(x)]. (stax's
 *   `serial(FanOut(n), parallel(...), FanInConcat)`, Keras's concatenated branches.)
 * - `parallel(a, b)` gives each layer its own block of the input's features, in order:
 *   [x₁, x₂] ↦ [a(x₁), b(x₂)] with x₁ the first `a.inSize` features. (stax's `parallel` on a
 *   concatenated input; a block-diagonal layer.)
 *
 * Laws (checked in properties/nn.test.ts):
 * 1. `fanOut(l)` and `parallel(l)` compute the same function as `l`.
 * 2. `fanOut(identity, l)` is the skip-concatenation x ↦ [x, l(x)].
 * 3. the output size is the sum of the layers' output sizes (in the types too, when literal).
 *
 * Parameters are a readonly array aligned with the layers; `init` splits its key per layer, and
 * in training mode layer i gets the key `foldIn(ctx.key, i)`. When a layer has running state (a
 * `batchNorm` inside), the combination has `state` rules as `serial` does (`StateRules`,
 * Layer.ts): each stateful layer runs its training forward and keeps its new state.
 */
import * as E from 'fp-ts/lib/Either.js'
import { concat, slice } from '../ops/index.js'
import { type Key, foldIn, split } from '../random/index.js'
import { ShapeError, type Tensor, pathKey } from '../tensor/index.js'
import {
  type AnyLayer, type ApplyContext, type InSizeOf, type Layer, type OutSizeOf, type ParamsOf, type SizePreserving, type StateRules,
  checkInput, preservesSize, stateRulesOf,
} from './Layer.js'
import { type Child, type LayerKindDefinition, type SpecContext, type SpecResult, buildWith, decodeLayers, declaresLayers, layerKind, layersField, sizePath, specFail } from './LayerKind.js'
import type { FanOutSpec, ParallelSpec } from './LayerSpec.js'
import { type SerialParams, checkParamsArray, childContext, childTrainSteps, keepChildren } from './serial.js'
import type { SumSizes } from './sizes.js'

type Fits<A extends number, B extends number> = number extends A ? true : number extends B ? true : [A] extends [B] ? true : false

/** The input size shared by the sized layers of a `fanOut`: the first one's. */
type SharedIn<Ls extends ReadonlyArray<AnyLayer>> =
  Ls extends readonly [infer H extends AnyLayer, ...infer T extends ReadonlyArray<AnyLayer>]
    ? [H] extends [SizePreserving] ? SharedIn<T> : InSizeOf<H>
    : number

/**
 * The layers `fanOut` accepts: each sized layer must take the shared input size; a mismatch is
 * reported at the offending argument with the size it should have.
 * @category combinators
 * @example
 * ```ts
 * const a = nn.dense(4, 3)
 * const b = nn.dense(4, 2)
 * type Checked = nn.FanOutChain<readonly [typeof a, typeof b]> // what fanOut(a, b) checks its arguments against
 * const ok: Checked = [a, b]
 * // nn.fanOut(a, nn.dense(5, 2)) does not compile: the second layer should take 4 features
 * ```
 */
export type FanOutChain<Ls extends ReadonlyArray<AnyLayer>, In extends number = SharedIn<Ls>> = {
  readonly [K in keyof Ls]: Ls[K] extends SizePreserving ? Ls[K] : Fits<In, InSizeOf<Ls[K]>> extends true ? Ls[K] : Layer<ParamsOf<Ls[K]>, In, OutSizeOf<Ls[K]>>
}

type OutSizes<Ls extends ReadonlyArray<AnyLayer>, In extends number> = { readonly [K in keyof Ls]: Ls[K] extends SizePreserving ? In : OutSizeOf<Ls[K]> }
type InSizes<Ls extends ReadonlyArray<AnyLayer>> = { readonly [K in keyof Ls]: InSizeOf<Ls[K]> }

/**
 * The type of `fanOut(...Ls)`: the shared input size to the sum of the output sizes. @category combinators
 * @example
 * ```ts
 * const both: nn.FanOut<[typeof nn.identity, ReturnType<typeof nn.dense<4, 3>>]> = nn.fanOut(nn.identity, nn.dense(4, 3))
 * ```
 */
export type FanOut<Ls extends ReadonlyArray<AnyLayer>> = Layer<SerialParams<Ls>, SharedIn<Ls>, SumSizes<OutSizes<Ls, SharedIn<Ls>>>>

/**
 * The type of `parallel(...Ls)`: the sum of the input sizes to the sum of the output sizes. @category combinators
 * @example
 * ```ts
 * const blocks = nn.parallel(nn.dense(2, 3), nn.dense(4, 1))
 * const sizes: [6, 4] = [blocks.inSize, blocks.outSize] // nn.Parallel adds the sizes in the types
 * ```
 */
export type Parallel<Ls extends ReadonlyArray<AnyLayer>> = Layer<SerialParams<Ls>, SumSizes<InSizes<Ls>>, SumSizes<OutSizes<Ls, number>>>

const initAll = (list: ReadonlyArray<AnyLayer>) => (key: Key) => {
  const keys = split(key, list.length)
  return Object.freeze(list.map((l, i) => l.init(keys[i]!)))
}

const applyEach = (name: string, list: ReadonlyArray<AnyLayer>, params: ReadonlyArray<unknown>) => {
  const ps = checkParamsArray(name, params, list.length)
  return list.map((l, i) => (l.apply as (p: unknown) => (x: Tensor, ctx?: ApplyContext) => Tensor)(ps[i]))
}

// The state rules of fanOut or parallel with a stateful layer: each layer's training forward (its
// `train`, or `apply` in training mode) on its input `inputOf(x, i)` with the key foldIn(key, i),
// as `apply` gives it, the outputs joined by `join`; `keep` takes each stateful layer's.
const branchesState = (
  name: string,
  list: ReadonlyArray<AnyLayer>,
  rules: ReadonlyArray<StateRules<unknown> | undefined>,
  inSize: number,
  inputOf: (x: Tensor, i: number) => Tensor,
): StateRules<ReadonlyArray<unknown>> => Object.freeze({
  train: (params: ReadonlyArray<unknown>) => {
    const ps = checkParamsArray(name, params, list.length)
    const fs = childTrainSteps(list, rules, ps)
    return (x: Tensor, key: Key): readonly [Tensor, ReadonlyArray<unknown>] => {
      checkInput(name, inSize, x)
      const results = fs.map((f, i) => f(inputOf(x, i), foldIn(key, i)))
      const outs = results.map(([y]) => y)
      return [outs.length === 1 ? outs[0]! : concat(outs, 1), Object.freeze(results.map(([, p]) => p))]
    }
  },
  keep: keepChildren(rules),
})

const stateOf = (
  name: string,
  list: ReadonlyArray<AnyLayer>,
  inSize: number,
  inputOf: (x: Tensor, i: number) => Tensor,
): { readonly state?: StateRules<ReadonlyArray<unknown>> } => {
  const rules = list.map(stateRulesOf)
  return rules.some((r) => r !== undefined) ? { state: branchesState(name, list, rules, inSize, inputOf) } : {}
}

const checkNonEmpty = (op: string, list: ReadonlyArray<AnyLayer>): void => {
  if (list.length === 0) throw new RangeError(`${op}: needs at least one layer`)
}

/**
 * Applies every layer to the same input and concatenates their outputs along the feature axis:
 * `apply([p1, ..., pn])(x) = concat([l1(x), ..., ln(x)], 1)`. The sized layers must share one
 * input size; size-preserving layers (`identity`, activations) contribute that many features.
 * @example
 * ```ts
 * const both = nn.fanOut(nn.identity, nn.dense(4, 3)) // 4 in, 7 out: x ↦ [x, x·w + b]
 * ```
 * @category combinators
 */
export const fanOut = <const Ls extends readonly [AnyLayer, ...AnyLayer[]]>(...layers: Ls & FanOutChain<Ls>): FanOut<Ls> => {
  const list: ReadonlyArray<AnyLayer> = layers
  checkNonEmpty('fanOut', list)
  const name = `fanOut(${list.map((l) => l.name).join(', ')})`
  const sized = list.filter((l) => !preservesSize(l))
  const first = sized[0]
  if (first === undefined) {
    throw new ShapeError('fanOut', [], `${name} has no layer with a known input size, so its output size is unknown; put a sized layer among them (e.g. dense) or use serial`)
  }
  const inSize = first.inSize
  for (const l of sized) {
    if (l.inSize !== inSize) throw new ShapeError('fanOut', [], `every layer gets the same input, but ${first.name} expects ${inSize} features and ${l.name} expects ${l.inSize}; give them the same input size`)
  }
  const outSize = list.reduce((n, l) => n + (preservesSize(l) ? inSize : l.outSize), 0)
  const layer = {
    name,
    inSize,
    outSize,
    spec: Object.freeze({ kind: 'fanOut' as const, layers: Object.freeze(list.map((l) => l.spec)) }),
    init: initAll(list),
    apply: (params: ReadonlyArray<unknown>) => {
      const fs = applyEach(name, list, params)
      return (x: Tensor, ctx?: ApplyContext): Tensor => {
        checkInput(name, inSize, x)
        const outs = fs.map((f, i) => f(x, childContext(ctx, i)))
        return outs.length === 1 ? outs[0]! : concat(outs, 1)
      }
    },
    ...stateOf(name, list, inSize, (x) => x),
  }
  // The value is built from AnyLayer parts; its precise type is computed from the arguments' types.
  return Object.freeze(layer) as unknown as FanOut<Ls>
}

/**
 * Applies each layer to its own block of the input's features and concatenates the outputs:
 * for layers of input sizes n1, ..., nk, the input has n1 + ... + nk features, layer i sees
 * features [n1 + ... + n(i-1), n1 + ... + ni), and the output has the sum of the output sizes.
 * Every layer needs a known input size (wrap an activation as `serial(dense(n, n), relu)` or
 * apply it after the `parallel`).
 * @example
 * ```ts
 * const blocks = nn.parallel(nn.dense(2, 3), nn.dense(4, 1)) // 6 in, 4 out, block-diagonal
 * ```
 * @category combinators
 */
export const parallel = <const Ls extends readonly [AnyLayer, ...AnyLayer[]]>(...layers: Ls): Parallel<Ls> => {
  const list: ReadonlyArray<AnyLayer> = layers
  checkNonEmpty('parallel', list)
  const name = `parallel(${list.map((l) => l.name).join(', ')})`
  const unsized = list.find(preservesSize)
  if (unsized !== undefined) {
    throw new ShapeError('parallel', [], `${unsized.name} works at any size, so ${name} cannot tell which input features are its own; apply it after the parallel layer, or use fanOut to give every layer the whole input`)
  }
  const offsets = list.reduce<number[]>((acc, l) => [...acc, acc[acc.length - 1]! + l.inSize], [0])
  const inSize = offsets[offsets.length - 1]!
  const outSize = list.reduce((n, l) => n + l.outSize, 0)
  const blockOf = (x: Tensor, i: number): Tensor => (list.length === 1 ? x : slice(x, [0, offsets[i]!], [x.shape[0]!, list[i]!.inSize]))
  const layer = {
    name,
    inSize,
    outSize,
    spec: Object.freeze({ kind: 'parallel' as const, layers: Object.freeze(list.map((l) => l.spec)) }),
    init: initAll(list),
    apply: (params: ReadonlyArray<unknown>) => {
      const fs = applyEach(name, list, params)
      return (x: Tensor, ctx?: ApplyContext): Tensor => {
        checkInput(name, inSize, x)
        const outs = fs.map((f, i) => f(blockOf(x, i), childContext(ctx, i)))
        return outs.length === 1 ? outs[0]! : concat(outs, 1)
      }
    },
    ...stateOf(name, list, inSize, blockOf),
  }
  // The value is built from AnyLayer parts; its precise type is computed from the arguments' types.
  return Object.freeze(layer) as unknown as Parallel<Ls>
}

// The size rule of a fanOut: every sized layer takes the same input.
const checkFanOut = (path: string, children: ReadonlyArray<Child>): SpecResult<void> => {
  const sized = children.filter(([l]) => !preservesSize(l))
  const first = sized[0]
  if (first === undefined) return specFail(pathKey(path, 'layers'), 'a fanOut needs at least one layer with a known input size (e.g. dense); with only activations, its output size is unknown')
  for (const [layer, childPath] of sized) {
    if (layer.inSize !== first[0].inSize) {
      return specFail(sizePath(childPath, layer, 'inSize'), `every layer of a fanOut gets the same input, but ${first[1]} (${first[0].name}) expects ${first[0].inSize} features and ${layer.name} expects ${layer.inSize}; give them the same input size`)
    }
  }
  return E.right(undefined)
}

// The size rule of a parallel layer: every layer knows its input size, which is its block of features.
const checkParallel = (children: ReadonlyArray<Child>): SpecResult<void> => {
  const unsized = children.find(([l]) => preservesSize(l))
  return unsized === undefined
    ? E.right(undefined)
    : specFail(unsized[1], `${unsized[0].name} works at any size, so a parallel layer cannot tell which input features are its own; wrap it with a sized layer (a serial with a dense), or use fanOut`)
}

type LayersFields = { readonly layers: ReadonlyArray<unknown> }

// A combinator's kind: decode the layers, check the size rule, build.
const combinatorKind = <S extends FanOutSpec | ParallelSpec>(
  kind: S['kind'],
  check: (path: string, children: ReadonlyArray<Child>) => SpecResult<void>,
  make: (layers: readonly [AnyLayer, ...AnyLayer[]]) => AnyLayer,
): LayerKindDefinition<LayersFields, S> => layerKind<LayersFields, S>({
  kind,
  fields: { layers: layersField },
  build: (f: LayersFields, context: SpecContext) => {
    const children = decodeLayers(f.layers, context)
    if (E.isLeft(children)) return children
    const problem = check(context.path, children.right)
    if (E.isLeft(problem)) return problem
    const [first, ...rest] = children.right.map(([l]) => l)
    return buildWith(context.path, () => make([first!, ...rest]))
  },
  layout: (spec, child) => Object.freeze({ node: 'array' as const, items: Object.freeze(spec.layers.map(child)) }),
  declares: declaresLayers,
})

/**
 * The layer kind `fanOut`: `{ kind: 'fanOut', layers: [...] }`; the size rule: every sized layer has the same input size. @category specs
 * @example
 * ```ts
 * nn.fanOutKind.kind // 'fanOut'
 * ```
 */
export const fanOutKind: LayerKindDefinition<LayersFields, FanOutSpec> = combinatorKind<FanOutSpec>('fanOut', checkFanOut, (ls) => fanOut(...ls))

/**
 * The layer kind `parallel`: `{ kind: 'parallel', layers: [...] }`; the size rule: every layer is sized. @category specs
 * @example
 * ```ts
 * nn.parallelKind.kind // 'parallel'
 * ```
 */
export const parallelKind: LayerKindDefinition<LayersFields, ParallelSpec> = combinatorKind<ParallelSpec>('parallel', (_, children) => checkParallel(children), (ls) => parallel(...ls))
