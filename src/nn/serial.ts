/**
 * Sequential composition: `serial(a, b, c)` applies a, then b, then c.
 *
 * Laws (checked in properties/nn.test.ts):
 * 1. associativity: `serial(serial(a, b), c)` and `serial(a, serial(b, c))` compute the same
 *    function, with parameters `[[pa, pb], pc]` and `[pa, [pb, pc]]`.
 * 2. identity: `serial(identity, a)`, `serial(a, identity)` and `a` compute the same function.
 * 3. `init` splits its key into one key per layer; `apply` in training mode gives layer i the key
 *    `foldIn(ctx.key, i)`.
 *
 * Sizes are checked twice: in the types (a literal size mismatch between neighbours does not
 * compile) and at construction (a `ShapeError` naming both layers). Size-preserving layers pass
 * the previous size through.
 */
import { type Key, foldIn, split } from '../random/index.js'
import { ShapeError, type Tensor } from '../tensor/index.js'
import { TreeError } from '../tree/index.js'
import * as E from 'fp-ts/lib/Either.js'
import {
  type AnyLayer, type ApplyContext, type InSizeOf, type Layer, type OutSizeOf, type ParamsOf, type SizePreserving,
  type StateRules, anySize, preservesSize, stateRulesOf,
} from './Layer.js'
import { type Child, type LayerKindDefinition, layerKind, type SpecContext, type SpecResult, buildWith, decodeLayers, declaresLayers, layersField, sizePath, specFail } from './LayerKind.js'
import type { SerialSpec } from './LayerSpec.js'

/** Whether a layer whose input size is `B` may follow an output of size `A` (`number` is "not known until run time"). */
type Fits<A extends number, B extends number> = number extends A ? true : number extends B ? true : [A] extends [B] ? true : false

/**
 * The layers `serial` accepts for `Ls`, given the size `Cur` flowing in: each layer itself when
 * it fits, and otherwise the same layer with the input size it should have had, so the compiler
 * reports the offending argument with the size it expected. Layers spread from an array of
 * unknown length are accepted as they are.
 * @category combinators
 * @example
 * ```ts
 * const a = nn.dense(4, 8)
 * const b = nn.dense(8, 3)
 * type Checked = nn.SerialChain<readonly [typeof a, typeof nn.relu, typeof b]> // what serial(a, relu, b) checks its arguments against
 * const ok: Checked = [a, nn.relu, b]
 * // nn.serial(a, nn.relu, nn.dense(6, 3)) does not compile: the third layer should take 8 features
 * ```
 */
export type SerialChain<Ls extends ReadonlyArray<AnyLayer>, Cur extends number = number> =
  Ls extends readonly [infer H extends AnyLayer, ...infer T extends ReadonlyArray<AnyLayer>]
    ? [H] extends [SizePreserving]
      ? readonly [H, ...SerialChain<T, Cur>]
      : Fits<Cur, InSizeOf<H>> extends true
        ? readonly [H, ...SerialChain<T, OutSizeOf<H>>]
        : readonly [Layer<ParamsOf<H>, Cur, OutSizeOf<H>>, ...SerialChain<T, OutSizeOf<H>>]
    : Ls extends readonly [] ? readonly [] : Ls // an array of unknown length cannot be checked here; the run-time check remains

/** The input size of a chain: the first sized layer's, `number` when there is none. */
type FirstIn<Ls extends ReadonlyArray<AnyLayer>> =
  Ls extends readonly [infer H extends AnyLayer, ...infer T extends ReadonlyArray<AnyLayer>]
    ? [H] extends [SizePreserving] ? FirstIn<T> : InSizeOf<H>
    : number

/** The output size of a chain: the last sized layer's, `number` when there is none. */
type LastOut<Ls extends ReadonlyArray<AnyLayer>> =
  Ls extends readonly [...infer T extends ReadonlyArray<AnyLayer>, infer H extends AnyLayer]
    ? [H] extends [SizePreserving] ? LastOut<T> : OutSizeOf<H>
    : number

/** Whether every layer of a chain is size-preserving. */
type AllPreserving<Ls extends ReadonlyArray<AnyLayer>> = Ls extends ReadonlyArray<SizePreserving> ? true : false

/**
 * The parameters of `serial(...Ls)`: a readonly tuple of each layer's parameters. @category combinators
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(2, 4), nn.relu)
 * const p: nn.SerialParams<[ReturnType<typeof nn.dense<2, 4>>, typeof nn.relu]> = net.init(random.key(0))
 * ```
 */
export type SerialParams<Ls extends ReadonlyArray<AnyLayer>> = { readonly [K in keyof Ls]: ParamsOf<Ls[K]> }

/**
 * The type of `serial(...Ls)`: from the first sized layer's input size to the last one's output
 * size, and size-preserving itself when all its layers are.
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(2, 4), nn.relu, nn.dense(4, 1))
 * type Net = typeof net // nn.Serial<...>: a Layer from 2 to 1
 * ```
 * @category combinators
 */
export type Serial<Ls extends ReadonlyArray<AnyLayer>> = AllPreserving<Ls> extends true
  ? Layer<SerialParams<Ls>, number, number> & SizePreserving
  : Layer<SerialParams<Ls>, FirstIn<Ls>, LastOut<Ls>>

/**
 * The sizes flowing through a chain of layers, checking that each sized layer accepts the size
 * the previous sized layer produces. Returns [inSize, outSize], `NaN` where no layer fixes it.
 * @category internals
 */
export const chainSizes = (op: string, layers: ReadonlyArray<AnyLayer>): readonly [number, number] => {
  let inSize = anySize
  let producer: AnyLayer | undefined
  for (const layer of layers) {
    if (preservesSize(layer)) continue
    if (producer === undefined) inSize = layer.inSize
    else if (producer.outSize !== layer.inSize) {
      throw new ShapeError(op, [],
        `${producer.name} outputs ${producer.outSize} features but ${layer.name} expects ${layer.inSize}; ` +
        `make them agree (e.g. ${layer.name.replace(/^dense\(\d+/, `dense(${producer.outSize}`)}) or put a layer from ${producer.outSize} to ${layer.inSize} features between them`)
    }
    producer = layer
  }
  return [inSize, producer === undefined ? anySize : producer.outSize]
}

/** Checks that combinator parameters are an array with one entry per layer. @category internals */
export const checkParamsArray = (name: string, params: unknown, n: number): ReadonlyArray<unknown> => {
  if (!Array.isArray(params) || params.length !== n) {
    throw new TreeError(name, '', `expected an array of ${n} parameter sets (one per layer), got ${Array.isArray(params) ? `an array of length ${params.length}` : typeof params}; use the parameters this layer's init made`)
  }
  return params
}

/** The context for the i-th child of a combinator: its own key in training, unchanged otherwise. @category internals */
export const childContext = (ctx: ApplyContext | undefined, i: number): ApplyContext | undefined =>
  ctx === undefined || ctx.mode === 'eval' ? ctx : { mode: 'train', key: foldIn(ctx.key, i) }

/**
 * Sequential composition of layers: `apply([p1, ..., pn])(x) = ln(...l2(l1(x)))`. Parameters are
 * a readonly array aligned with the layers; `init` splits its key into one key per layer, and in
 * training mode layer i is applied with the key `foldIn(ctx.key, i)`.
 *
 * Neighbouring sizes must agree, size-preserving layers (activations, dropout) passing the size
 * through: `serial(dense(784, 128), relu, dense(64, 10))` does not compile, and with sizes known
 * only at run time it throws a `ShapeError` naming both layers.
 * @example
 * ```ts
 * const net = nn.serial(nn.dense(784, 128), nn.relu, nn.dense(128, 10)) // 784 in, 10 out
 * ```
 * @category combinators
 */
export const serial = <const Ls extends readonly [AnyLayer, ...AnyLayer[]]>(...layers: Ls & SerialChain<Ls>): Serial<Ls> => {
  const list: ReadonlyArray<AnyLayer> = layers
  if (list.length === 0) throw new RangeError('serial: needs at least one layer; use identity for a layer that does nothing')
  const name = `serial(${list.map((l) => l.name).join(', ')})`
  const [inSize, outSize] = chainSizes('serial', list)
  const preserving = list.every(preservesSize)
  const rules = list.map(stateRulesOf)
  const layer = {
    name,
    inSize,
    outSize,
    spec: Object.freeze({ kind: 'serial' as const, layers: Object.freeze(list.map((l) => l.spec)) }),
    init: (key: Key) => {
      const keys = split(key, list.length)
      return Object.freeze(list.map((l, i) => l.init(keys[i]!)))
    },
    apply: (params: ReadonlyArray<unknown>) => {
      const ps = checkParamsArray(name, params, list.length)
      // apply(params) once per layer here, so per-parameter work (checks) is not repeated per call
      const fs = list.map((l, i) => (l.apply as (p: unknown) => (x: Tensor, ctx?: ApplyContext) => Tensor)(ps[i]))
      return (x: Tensor, ctx?: ApplyContext): Tensor => fs.reduce((h, f, i) => f(h, childContext(ctx, i)), x)
    },
    ...(preserving ? { preservesSize: true as const } : {}),
    ...(rules.some((r) => r !== undefined) ? { state: serialState(name, rules, list) } : {}),
  }
  // The value is built from AnyLayer parts; its precise type is computed from the arguments' types.
  return Object.freeze(layer) as unknown as Serial<Ls>
}

/**
 * The training forward of each child of a combinator, given its parameters: a stateful child's
 * `train`, any other child's `apply` in training mode returning its parameters unchanged. Shared
 * by serial, parallel, fanOut and residual's state rules. @category internals
 */
export const childTrainSteps = (
  list: ReadonlyArray<AnyLayer>,
  rules: ReadonlyArray<StateRules<unknown> | undefined>,
  ps: ReadonlyArray<unknown>,
): Array<(x: Tensor, key: Key) => readonly [Tensor, unknown]> =>
  list.map((l, i) => {
    const r = rules[i]
    if (r !== undefined) return r.train(ps[i])
    const f = (l.apply as (p: unknown) => (x: Tensor, ctx?: ApplyContext) => Tensor)(ps[i])
    return (x: Tensor, key: Key): readonly [Tensor, unknown] => [f(x, { mode: 'train', key }), ps[i]]
  })

/** `keep` of a combinator's children: each stateful child's own `keep`, the others' updated parameters. @category internals */
export const keepChildren = (rules: ReadonlyArray<StateRules<unknown> | undefined>) =>
  (updated: ReadonlyArray<unknown>, next: ReadonlyArray<unknown>): ReadonlyArray<unknown> =>
    Object.freeze(updated.map((u, i) => (rules[i] === undefined ? u : rules[i]!.keep(u, next[i]))))

// The state rules of a serial with a stateful layer: the training forward threads the input
// through every layer (stateful ones by their `train`, the others by `apply` in training mode)
// and collects each layer's parameters with its new state; `keep` takes each stateful layer's.
const serialState = (name: string, rules: ReadonlyArray<StateRules<unknown> | undefined>, list: ReadonlyArray<AnyLayer>): StateRules<ReadonlyArray<unknown>> => Object.freeze({
  train: (params: ReadonlyArray<unknown>) => {
    const ps = checkParamsArray(name, params, list.length)
    const fs = childTrainSteps(list, rules, ps)
    return (x: Tensor, key: Key): readonly [Tensor, ReadonlyArray<unknown>] => {
      const next: unknown[] = []
      let h = x
      fs.forEach((f, i) => {
        const [y, p] = f(h, foldIn(key, i))
        h = y
        next.push(p)
      })
      return [h, Object.freeze(next)]
    }
  },
  keep: keepChildren(rules),
})

// The size rule of a chain: each sized layer takes what the sized layer before it gives.
const checkChain = (children: ReadonlyArray<Child>): SpecResult<void> => {
  let producer: Child | undefined
  for (const child of children) {
    const [layer, path] = child
    if (preservesSize(layer)) continue
    if (producer !== undefined && producer[0].outSize !== layer.inSize) {
      const [p, pPath] = producer
      return specFail(sizePath(path, layer, 'inSize'),
        `${layer.name} expects ${layer.inSize} features but ${pPath} (${p.name}) outputs ${p.outSize}; make them agree, or put a layer from ${p.outSize} to ${layer.inSize} features between them`)
    }
    producer = child
  }
  return E.right(undefined)
}

/**
 * The layer kind `serial`: `{ kind: 'serial', layers: [...] }`, at least one layer; the size rule
 * is that neighbours agree (checked before building); parameters are the array of the layers'.
 * @category specs
 */
export const serialKind: LayerKindDefinition<{ readonly layers: ReadonlyArray<unknown> }, SerialSpec> = layerKind({
  kind: 'serial' as const,
  fields: { layers: layersField },
  build: (f: { readonly layers: ReadonlyArray<unknown> }, context: SpecContext) => {
    const children = decodeLayers(f.layers, context)
    if (E.isLeft(children)) return children
    const check = checkChain(children.right)
    if (E.isLeft(check)) return check
    const [first, ...rest] = children.right.map(([l]) => l)
    return buildWith(context.path, () => serial(first!, ...rest))
  },
  layout: (spec: SerialSpec, child) => Object.freeze({ node: 'array' as const, items: Object.freeze(spec.layers.map(child)) }),
  declares: declaresLayers,
})
