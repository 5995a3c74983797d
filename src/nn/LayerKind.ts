/**
 * Layer kinds and their registry. A layer kind is one self-contained record, kept in the file of
 * its layer beside the constructor: the spec's `kind`, the codecs of the spec's fields, the build
 * of the layer from decoded fields (with the size rules that must hold between nested layers), the
 * parameter layout a spec declares, and what the budgets count before anything is built. A
 * registry is an immutable table of kinds: `fromSpec` and `paramLayout` read one (by default
 * `registry`, the built-ins), and users extend it with kinds of their own, as a value:
 *
 *   const myRegistry = nn.registry.with(scaleKind)
 *   nn.fromSpec(json, { registry: myRegistry })
 *
 * Adding a layer kind = its file (constructor + kind record) + one line in `registry.ts`; for a
 * user's layer, its file + `registry.with(kind)`. There is no global mutable table.
 *
 * Laws (checked in src/nn/registry.test.ts and properties/spec.test.ts):
 * 1. `registry.with(k)` leaves `registry` unchanged and knows `k.kind` besides its own kinds.
 * 2. a registry refuses two kinds of the same name (`with` throws a `RangeError` naming it).
 */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { type DType, type DecodeError, decodeError, isDType, pathIndex, pathKey, showValue } from '../tensor/index.js'
import type { AnyLayer } from './Layer.js'
import type { LayerSpec, ParamLayout } from './LayerSpec.js'

/**
 * The source every spec error names. @category specs
 * @example
 * ```ts
 * nn.specSource // 'nn.fromSpec', the source named in spec errors
 * ```
 */
export const specSource = 'nn.fromSpec'

/**
 * A `DecodeError` of `nn.fromSpec` at a path of the spec (`''` is the whole spec). @category specs
 * @example
 * ```ts
 * nn.specError('layers[0].outSize', 'expected a positive integer, got 0').message
 * ```
 */
export const specError = (path: string, detail: string): DecodeError =>
  decodeError('DecodeError', specSource, detail, { path }, { root: 'the spec' })

/**
 * A decoding result of a spec. @category specs
 * @example
 * ```ts
 * const built: nn.SpecResult<nn.AnyLayer> = nn.fromSpec({ kind: 'relu' })
 * ```
 */
export type SpecResult<A> = E.Either<DecodeError, A>

/**
 * `Left` of a spec error at a path. @category specs
 * @example
 * ```ts
 * const failed = nn.specFail('layers[0]', 'unknown layer kind') // Left at that path
 * ```
 */
export const specFail = (path: string, detail: string): SpecResult<never> => E.left(specError(path, detail))

/**
 * An io-ts codec with a message of our own for every failure. @category specs
 * @example
 * ```ts
 * const positive = nn.specCodec('positive', (u): u is number => typeof u === 'number' && u > 0, (u) => `expected a positive number, got ${String(u)}`)
 * positive.decode(3) // Right(3)
 * ```
 */
export const specCodec = <A>(name: string, is: (u: unknown) => u is A, describe: (u: unknown) => string): t.Type<A, A, unknown> =>
  new t.Type<A, A, unknown>(name, is, (u, c) => (is(u) ? t.success(u) : t.failure(u, c, describe(u))), t.identity)

/**
 * A field of a spec: its codec, and whether it may be left out (then the build gets `undefined`). @category specs
 * @example
 * ```ts
 * const rate: nn.SpecField<number> = nn.sizeField
 * ```
 */
export interface SpecField<A> {
  readonly codec: t.Decoder<unknown, A>
  readonly optional?: true
}

/**
 * The codecs of a spec's fields, one per field of `F` (`kind` excluded). @category specs
 * @example
 * ```ts
 * const fields: nn.SpecFields<{ readonly size: number }> = { size: nn.sizeField }
 * ```
 */
export type SpecFields<F> = { readonly [K in keyof F]-?: SpecField<Exclude<F[K], undefined>> }

/**
 * What a kind's build gets besides its fields: where the spec is, and how to decode a nested spec. @category specs
 * @example
 * ```ts
 * // a kind's build gets the spec's path (for errors) and decodes nested specs through context.child
 * const build = (f: { readonly layer: unknown }, context: nn.SpecContext) => context.child(f.layer, `${context.path}.layer`)
 * ```
 */
export interface SpecContext {
  /** The path of this spec (`layers[2]`, `''` for the whole spec). */
  readonly path: string
  /** Decodes a nested spec at a path through the same registry (its depth is counted). */
  readonly child: (spec: unknown, path: string) => SpecResult<AnyLayer>
}

/**
 * What a raw spec declares, for the budgets that `fromSpec` checks before building anything. @category specs
 * @example
 * ```ts
 * const declared: nn.Declared = nn.declaresLayers({ kind: 'serial', layers: [{ kind: 'relu' }] })
 * ```
 */
export interface Declared {
  /** The parameters (tensor elements) this spec declares itself, not counting nested specs. */
  readonly parameters: number
  /** Its nested specs, raw. */
  readonly children: ReadonlyArray<unknown>
  /** How a message names it (`dense(4, 1000000000)`); default its kind. */
  readonly name?: string
}

/**
 * A kind of layer: everything `fromSpec`, `paramLayout` and the budgets know of it.
 * `F` is the type of the spec's decoded fields, `S` the spec's type.
 * (`build`, `layout` and `declares` are methods, so a kind of any `F` and `S` fits a registry:
 * TypeScript checks method parameters bivariantly, and a registry only ever hands a kind the
 * fields its own codecs decoded and the specs of its own `kind`.)
 * @category specs
 * @example
 * ```ts
 * type ScaleSpec = { readonly kind: 'scale'; readonly size: number }
 * const scaleKind: nn.LayerKindDefinition<{ readonly size: number }, ScaleSpec> = nn.layerKind({
 *   kind: 'scale' as const,
 *   fields: { size: nn.sizeField },
 *   build: (f: { readonly size: number }, context: nn.SpecContext) => nn.buildWith(context.path, () => nn.dense(f.size, f.size)),
 *   layout: (spec: ScaleSpec) => nn.paramLayout(nn.dense(spec.size, spec.size).spec),
 * })
 * const registry = nn.registry.with(scaleKind)
 * ```
 */
export interface LayerKindDefinition<F = Readonly<Record<string, unknown>>, S extends { readonly kind: string } = { readonly kind: string }> {
  /** The value of the spec's `kind` field. */
  readonly kind: S['kind']
  /** The codecs of the spec's other fields; any other field is an error. */
  readonly fields: SpecFields<F>
  /** The layer of the decoded fields, or the spec error (size rules between nested layers included). */
  build(fields: F, context: SpecContext): SpecResult<AnyLayer>
  /** The layout of the parameters a spec of this kind declares; `child` gives a nested spec's. */
  layout(spec: S, child: (spec: LayerSpec) => ParamLayout): ParamLayout
  /** The parameters and nested specs of a raw (undecoded) spec, for the budgets; default none. */
  declares?(raw: Readonly<Record<string, unknown>>): Declared
}

/**
 * A frozen layer kind, its methods typed by the annotation (so a kind file needs no parameter types). @category specs
 * @example
 * ```ts
 * // see nn.registry.with: a kind says how a spec names a layer, checks its fields and builds it
 * const dense = nn.layerKind(nn.denseKind)
 * ```
 */
export const layerKind = <F, S extends { readonly kind: string }>(kind: LayerKindDefinition<F, S>): LayerKindDefinition<F, S> => Object.freeze(kind)

/**
 * A registry's view of any kind: fields as a record, specs by their `kind`. @category specs
 * @example
 * ```ts
 * const kinds: nn.AnyLayerKind[] = [nn.denseKind]
 * ```
 */
export type AnyLayerKind = LayerKindDefinition

/**
 * An immutable table of layer kinds, in the order messages list them.
 * @example
 * ```ts
 * const registry: nn.LayerRegistry = nn.registry
 * registry.kinds // the built-in kind names
 * ```
 * @category specs
 */
export interface LayerRegistry {
  /** The kinds' names, in order. */
  readonly kinds: ReadonlyArray<string>
  /** The kind of a name, or `undefined`. */
  readonly get: (kind: string) => AnyLayerKind | undefined
  /** A new registry with these kinds added after the existing ones; throws a `RangeError` for a name already taken. */
  readonly with: (...kinds: ReadonlyArray<AnyLayerKind>) => LayerRegistry
}

/**
 * A registry of the given kinds. Throws a `RangeError` when two kinds share a name, or a kind is
 * named `custom` (the spec of a layer that is code, which no kind can rebuild).
 * @example
 * ```ts
 * const dense = nn.registry.get('dense')!
 * const relu = nn.registry.get('relu')!
 * const small = nn.layerRegistry([dense, relu]) // knows only these two kinds
 * ```
 * @category specs
 */
export const layerRegistry = (kinds: ReadonlyArray<AnyLayerKind>): LayerRegistry => {
  const table = new Map<string, AnyLayerKind>()
  for (const k of kinds) {
    if (k.kind === 'custom') throw new RangeError(`nn.layerRegistry: the kind "custom" is reserved for layers that are code (nn.elementwise, hand-written); give your kind another name`)
    if (table.has(k.kind)) throw new RangeError(`nn.layerRegistry: two layer kinds are named "${k.kind}"; give the new one another name`)
    table.set(k.kind, k)
  }
  const names = Object.freeze([...table.keys()])
  const self: LayerRegistry = Object.freeze({
    kinds: names,
    get: (kind: string) => table.get(kind),
    with: (...more: ReadonlyArray<AnyLayerKind>) => layerRegistry([...table.values(), ...more]),
  })
  return self
}

/**
 * The layout of a parameterless layer: the empty record `{}`. @category specs
 * @example
 * ```ts
 * nn.isLayoutKnown(nn.noLayout) // false
 * ```
 */
export const noLayout: ParamLayout = Object.freeze({ node: 'record' as const, fields: Object.freeze([]) })

/**
 * Builds a layer with its constructor, turning any error the constructor still throws into a
 * spec error at `path`.
 * @example
 * ```ts
 * const built = nn.buildWith('layers[0]', () => nn.dense(2, 3)) // Right(layer); a RangeError becomes Left at that path
 * ```
 * @category specs
 */
export const buildWith = (path: string, make: () => AnyLayer): SpecResult<AnyLayer> => {
  try {
    return E.right(make())
  } catch (e) {
    return specFail(path, e instanceof Error ? e.message : String(e))
  }
}

/**
 * The deepest nesting of specs `fromSpec` accepts. @category specs
 * @example
 * ```ts
 * console.log(`a spec nests at most ${nn.maxSpecDepth} levels`)
 * ```
 */
export const maxSpecDepth = 64

/**
 * The largest feature size a spec may declare, 2^31 - 1. @category specs
 * @example
 * ```ts
 * nn.isSpecSize(nn.maxSpecSize) // true: the largest size a spec may declare
 * ```
 */
export const maxSpecSize = 2 ** 31 - 1

/**
 * Whether a value is a feature size a spec may declare: an integer in [1, 2^31 - 1]. @category specs
 * @example
 * ```ts
 * nn.isSpecSize(128) // true
 * nn.isSpecSize(-3) // false
 * ```
 */
export const isSpecSize = (u: unknown): u is number => typeof u === 'number' && Number.isInteger(u) && u > 0 && u <= maxSpecSize

/**
 * The codec of a feature size (`inSize`, `outSize`). @category specs
 * @example
 * ```ts
 * const scaleKind = nn.layerKind({
 *   kind: 'scale',
 *   fields: { size: nn.sizeField }, // a positive integer, checked when a spec is decoded
 *   build: (f, context) => nn.buildWith(context.path, () => nn.dense(f.size, f.size)),
 *   layout: (spec: { readonly kind: 'scale'; readonly size: number }) => nn.paramLayout(nn.dense(spec.size, spec.size).spec),
 * })
 * ```
 */
export const sizeField: SpecField<number> = Object.freeze({
  codec: specCodec('a positive integer', isSpecSize, (u) =>
    typeof u === 'number' && Number.isInteger(u) && u > maxSpecSize
      ? `expected a positive integer of at most ${maxSpecSize}, got ${u}; no layer is that wide`
      : `expected a positive integer, got ${showValue(u)}`),
})

/**
 * The codec of an optional dtype field. @category specs
 * @example
 * ```ts
 * nn.dtypeField.codec.decode('float64') // Right('float64')
 * ```
 */
export const dtypeField: SpecField<DType> = Object.freeze({
  codec: specCodec('a dtype', (u): u is DType => isDType(u), (u) => `expected "float32" or "float64", got ${showValue(u)}`),
  optional: true as const,
})

/**
 * The codec of a nested spec (`residual`'s `layer`), decoded by the build through `context.child`. @category specs
 * @example
 * ```ts
 * const fields = { layer: nn.layerField } // a nested layer spec, as residual declares it
 * ```
 */
export const layerField: SpecField<unknown> = Object.freeze({
  codec: specCodec('a layer spec', (u): u is unknown => u !== undefined, () => 'missing'),
})

/**
 * The codec of a list of nested specs (`serial`'s `layers`). @category specs
 * @example
 * ```ts
 * const fields = { layers: nn.layersField } // a list of layer specs, as serial declares it
 * ```
 */
export const layersField: SpecField<ReadonlyArray<unknown>> = Object.freeze({
  codec: specCodec('an array of layer specs', (u): u is ReadonlyArray<unknown> => Array.isArray(u), (u) => `expected a non-empty array of layer specs, got ${showValue(u)}`),
})

/**
 * A decoded nested layer with the path of its spec. @category specs
 * @example
 * ```ts
 * const child: nn.Child = [nn.dense(2, 3), 'layers[0]'] // a decoded layer and its path in the spec
 * ```
 */
export type Child = readonly [AnyLayer, string]

/**
 * Decodes the `layers` of a combinator's spec: at least one, each through `context.child`. @category specs
 * @example
 * ```ts
 * // the build of a combinator kind: decode its nested specs, then make the layer
 * const build = (f: { readonly layers: ReadonlyArray<unknown> }, context: nn.SpecContext) => {
 *   const children = nn.decodeLayers(f.layers, context) // Right([[layer, 'layers[0]'], ...]) or Left at the first bad spec
 *   return children._tag === 'Left' ? children : nn.buildWith(context.path, () => nn.serial(...children.right.map(([l]) => l) as [nn.AnyLayer]))
 * }
 * ```
 */
export const decodeLayers = (list: ReadonlyArray<unknown>, context: SpecContext): SpecResult<ReadonlyArray<Child>> => {
  const at = pathKey(context.path, 'layers')
  if (list.length === 0) return specFail(at, `expected at least one layer, got an empty array; use { "kind": "identity" } for a layer that does nothing`)
  const out: Child[] = []
  for (let i = 0; i < list.length; i++) {
    const childPath = pathIndex(at, i)
    const child = context.child(list[i], childPath)
    if (E.isLeft(child)) return child
    out.push([child.right, childPath])
  }
  return E.right(out)
}

/**
 * What a combinator's budget counts of its raw spec: its `layers`, none of its own parameters. @category specs
 * @example
 * ```ts
 * nn.declaresLayers({ kind: 'serial', layers: [{ kind: 'relu' }, { kind: 'relu' }] }).children.length // 2
 * ```
 */
export const declaresLayers = (raw: Readonly<Record<string, unknown>>): Declared => {
  const list = Object.hasOwn(raw, 'layers') ? raw['layers'] : undefined
  return { parameters: 0, children: Array.isArray(list) ? list : [] }
}

/**
 * Where a size error about a nested layer points: its own size field when its spec has one
 * (`layers[2].inSize` of a dense), else the nested spec itself.
 * @example
 * ```ts
 * nn.sizePath('layers[1]', nn.dense(2, 3), 'inSize') // the path of dense's inSize field in a spec
 * ```
 * @category specs
 */
export const sizePath = (path: string, layer: AnyLayer, field: 'inSize' | 'outSize'): string =>
  Object.hasOwn(layer.spec, field) ? pathKey(path, field) : path
