/**
 * `fromSpec(json)`: a layer from its spec, decoded from outside data with io-ts. It never throws:
 * a bad spec is a `Left(DecodeError)` whose message names the path of the bad field and, where
 * there is one, the fix:
 *
 *   nn.fromSpec: layers[2].outSize: expected a positive integer, got -3
 *   nn.fromSpec: layers[2].inSize: dense(64, 10) expects 64 features but layers[0] (dense(784, 128)) outputs 128; ...
 *
 * Rules: every field is checked (`kind` first, then the fields of that kind); unknown fields are
 * errors, so a misspelt `"outsize"` is not ignored; a dense spec may leave out `weights`, `bias`
 * and `dtype` (defaults 'glorotUniform', 'zeros', 'float32'), so hand-written specs stay short;
 * specs nest at most 64 deep; sizes are at most 2^31 - 1; a spec has at most `maxLayers` layers
 * (default 2^16) and declares at most `maxParameters` parameters (default 2^28), both checked on
 * the raw JSON before anything is built. Size mismatches inside `serial`,
 * `fanOut`, `parallel` and `residual` are errors too, found before any layer is built.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { type DType, isDType } from '../tensor/index.js'
import { atan, elu, gelu, identity, leakyRelu, logSoftmax, relu, sigmoid, softmax, softplus, tanh } from './activations.js'
import { dense } from './dense.js'
import { dropout } from './dropout.js'
import type { InitializerName } from './initializers.js'
import { type AnyLayer, type Layer, preservesSize } from './Layer.js'
import { type ActivationKind, type LayerKind, activationKinds } from './LayerSpec.js'
import { fanOut, parallel } from './parallel.js'
import { residual } from './residual.js'
import { serial } from './serial.js'

/**
 * A failure to decode outside data into a value: `path` locates the bad field (`layers[2].outSize`,
 * `''` for the whole value), `detail` says what is wrong, and `message` is the full text,
 * `${source}: ${path}: ${detail}`.
 * @category errors
 */
export interface DecodeError {
  readonly _tag: 'DecodeError'
  readonly source: string
  readonly path: string
  readonly detail: string
  readonly message: string
}

/** A `DecodeError` from its source (e.g. 'nn.fromSpec'), path and detail. @category errors */
export const decodeError = (source: string, path: string, detail: string): DecodeError =>
  Object.freeze({ _tag: 'DecodeError' as const, source, path, detail, message: `${source}: ${path === '' ? 'the spec' : path}: ${detail}` })

/** Whether a value is a `DecodeError`. @category guards */
export const isDecodeError = (u: unknown): u is DecodeError =>
  typeof u === 'object' && u !== null && (u as Partial<DecodeError>)._tag === 'DecodeError'

/** The deepest nesting of specs `fromSpec` accepts. @category specs */
export const maxSpecDepth = 64

/** The largest feature size a spec may declare, 2^31 - 1. @category specs */
export const maxSpecSize = 2 ** 31 - 1

/** The default bound on the number of layers (every spec object, combinators included) of a spec, 2^16. @category specs */
export const defaultMaxLayers = 2 ** 16

/** The default bound on the parameters (tensor elements) a spec may declare, 2^28 (1 GiB of float32). @category specs */
export const defaultMaxParameters = 2 ** 28

/**
 * Budgets of `fromSpec`, checked on the raw JSON before any layer is built or any tensor allocated.
 * @category specs
 */
export interface SpecLimits {
  /** The most layers (every spec object, combinators included), default `defaultMaxLayers` (2^16). */
  readonly maxLayers?: number
  /** The most parameters the spec's dense layers may declare together, default `defaultMaxParameters` (2^28). */
  readonly maxParameters?: number
}

const SOURCE = 'nn.fromSpec'

type Result<A> = E.Either<DecodeError, A>

const fail = (path: string, detail: string): Result<never> => E.left(decodeError(SOURCE, path, detail))

/** A short rendering of an outside value for messages, cut so a huge value cannot flood a terminal. */
const show = (u: unknown): string => {
  const text = u === undefined ? 'undefined'
    : typeof u === 'number' || typeof u === 'boolean' || u === null ? String(u)
    : typeof u === 'string' ? JSON.stringify(u.length > 40 ? `${u.slice(0, 40)}...` : u)
    : Array.isArray(u) ? `an array of ${u.length}`
    : typeof u === 'object' ? 'an object'
    : typeof u
  return text.length > 50 ? `${text.slice(0, 47)}...` : text
}

const at = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`)

const isObject = (u: unknown): u is Readonly<Record<string, unknown>> => typeof u === 'object' && u !== null && !Array.isArray(u)

const own = (u: Readonly<Record<string, unknown>>, key: string): unknown => (Object.hasOwn(u, key) ? u[key] : undefined)

/** An io-ts codec with a message of our own for every failure. */
const codec = <A>(name: string, is: (u: unknown) => u is A, describe: (u: unknown) => string): t.Type<A, A, unknown> =>
  new t.Type<A, A, unknown>(name, is, (u, c) => (is(u) ? t.success(u) : t.failure(u, c, describe(u))), t.identity)

const isSize = (u: unknown): u is number => typeof u === 'number' && Number.isInteger(u) && u > 0 && u <= maxSpecSize
const Size = codec('a positive integer', isSize, (u) =>
  typeof u === 'number' && Number.isInteger(u) && u > maxSpecSize
    ? `expected a positive integer of at most ${maxSpecSize}, got ${u}; no layer is that wide`
    : `expected a positive integer, got ${show(u)}`)

const isRate = (u: unknown): u is number => typeof u === 'number' && u >= 0 && u < 1
const Rate = codec('a number in [0, 1)', isRate, (u) => `expected a number in [0, 1) (the probability of dropping an element), got ${show(u)}`)

const INITIALIZERS: ReadonlyArray<InitializerName> = ['glorotUniform', 'heNormal', 'zeros']
const isInitializer = (u: unknown): u is InitializerName => typeof u === 'string' && (INITIALIZERS as ReadonlyArray<string>).includes(u)
const Initializer = codec('an initialiser name', isInitializer, (u) =>
  u === 'custom'
    ? `the layer was initialised by a custom function, which a spec cannot carry; use one of ${INITIALIZERS.map((n) => `"${n}"`).join(', ')}, or load the model with the network built in code (io.decodeModel(text, { net }))`
    : `expected one of ${INITIALIZERS.map((n) => `"${n}"`).join(', ')}, got ${show(u)}`)

const DTypeCodec = codec('a dtype', (u): u is DType => isDType(u), (u) => `expected "float32" or "float64", got ${show(u)}`)

const LayerList = codec('an array of layer specs', (u): u is ReadonlyArray<unknown> => Array.isArray(u), (u) => `expected a non-empty array of layer specs, got ${show(u)}`)

const Anything = codec('a layer spec', (u): u is unknown => u !== undefined, () => 'missing')

interface Field {
  readonly codec: t.Decoder<unknown, unknown>
  readonly optional?: true
}

/**
 * Decodes the fields of one spec object with their io-ts codecs, refusing unknown fields (among
 * them `__proto__`, `constructor` and `prototype`, which are never read).
 */
const decodeFields = (u: Readonly<Record<string, unknown>>, path: string, kind: string, fields: Readonly<Record<string, Field>>): Result<Readonly<Record<string, unknown>>> => {
  const names = Object.keys(fields)
  for (const key of Object.keys(u)) {
    if (key !== 'kind' && !Object.hasOwn(fields, key)) {
      return fail(at(path, key), `unknown field; a ${kind} spec has ${['kind', ...names].map((n) => `"${n}"`).join(', ')}`)
    }
  }
  const out: Record<string, unknown> = {}
  for (const name of names) {
    const field = fields[name]!
    const value = own(u, name)
    if (value === undefined) {
      if (field.optional === true) continue
      return fail(at(path, name), `missing; expected ${field.codec.name}`)
    }
    const decoded = field.codec.decode(value)
    if (E.isLeft(decoded)) return fail(at(path, name), decoded.left[0]?.message ?? `expected ${field.codec.name}, got ${show(value)}`)
    out[name] = decoded.right
  }
  return E.right(out)
}

const ACTIVATIONS: ReadonlyMap<ActivationKind, AnyLayer> = new Map<ActivationKind, AnyLayer>([
  ['relu', relu], ['sigmoid', sigmoid], ['atan', atan], ['tanh', tanh], ['softplus', softplus], ['leakyRelu', leakyRelu],
  ['elu', elu], ['gelu', gelu], ['identity', identity], ['softmax', softmax], ['logSoftmax', logSoftmax],
])

const KINDS: ReadonlyArray<LayerKind> = ['dense', ...activationKinds, 'dropout', 'serial', 'fanOut', 'parallel', 'residual']

/** Builds a layer, turning any error a constructor still throws into a `DecodeError` at `path`. */
const build = (path: string, make: () => AnyLayer): Result<AnyLayer> => {
  try {
    return E.right(make())
  } catch (e) {
    return fail(path, e instanceof Error ? e.message : String(e))
  }
}

// Where a size error about a child points: its own size field for dense, the child itself otherwise.
const sizePath = (path: string, layer: AnyLayer, field: 'inSize' | 'outSize'): string => (layer.spec.kind === 'dense' ? at(path, field) : path)

const decodeChildren = (u: Readonly<Record<string, unknown>>, path: string, kind: string, depth: number): Result<ReadonlyArray<readonly [AnyLayer, string]>> => {
  const fields = decodeFields(u, path, kind, { layers: { codec: LayerList } })
  if (E.isLeft(fields)) return fields
  const list = fields.right['layers'] as ReadonlyArray<unknown>
  if (list.length === 0) return fail(at(path, 'layers'), `expected at least one layer, got an empty array; use { "kind": "identity" } for a layer that does nothing`)
  const out: Array<readonly [AnyLayer, string]> = []
  for (let i = 0; i < list.length; i++) {
    const childPath = `${at(path, 'layers')}[${i}]`
    const child = decodeNode(list[i], childPath, depth + 1)
    if (E.isLeft(child)) return child
    out.push([child.right, childPath])
  }
  return E.right(out)
}

const checkChain = (children: ReadonlyArray<readonly [AnyLayer, string]>): Result<void> => {
  let producer: readonly [AnyLayer, string] | undefined
  for (const child of children) {
    const [layer, path] = child
    if (preservesSize(layer)) continue
    if (producer !== undefined && producer[0].outSize !== layer.inSize) {
      const [p, pPath] = producer
      return fail(sizePath(path, layer, 'inSize'),
        `${layer.name} expects ${layer.inSize} features but ${pPath} (${p.name}) outputs ${p.outSize}; make them agree, or put a layer from ${p.outSize} to ${layer.inSize} features between them`)
    }
    producer = child
  }
  return E.right(undefined)
}

const checkFanOut = (path: string, children: ReadonlyArray<readonly [AnyLayer, string]>): Result<void> => {
  const sized = children.filter(([l]) => !preservesSize(l))
  const first = sized[0]
  if (first === undefined) return fail(at(path, 'layers'), 'a fanOut needs at least one layer with a known input size (e.g. dense); with only activations, its output size is unknown')
  for (const [layer, childPath] of sized) {
    if (layer.inSize !== first[0].inSize) {
      return fail(sizePath(childPath, layer, 'inSize'), `every layer of a fanOut gets the same input, but ${first[1]} (${first[0].name}) expects ${first[0].inSize} features and ${layer.name} expects ${layer.inSize}; give them the same input size`)
    }
  }
  return E.right(undefined)
}

const checkParallel = (children: ReadonlyArray<readonly [AnyLayer, string]>): Result<void> => {
  const unsized = children.find(([l]) => preservesSize(l))
  return unsized === undefined
    ? E.right(undefined)
    : fail(unsized[1], `${unsized[0].name} works at any size, so a parallel layer cannot tell which input features are its own; wrap it with a sized layer (a serial with a dense), or use fanOut`)
}

const decodeNode = (u: unknown, path: string, depth: number): Result<AnyLayer> => {
  if (depth > maxSpecDepth) return fail(path, `specs nest more than ${maxSpecDepth} deep; flatten the network (serial of serials is serial)`)
  if (!isObject(u)) return fail(path, `expected a layer spec, an object such as { "kind": "relu" }, got ${show(u)}`)
  const kind = own(u, 'kind')
  if (kind === undefined) return fail(at(path, 'kind'), `missing; expected the layer kind, one of ${KINDS.join(', ')}`)
  if (kind === 'custom') {
    const name = own(u, 'name')
    return fail(path, `the layer ${typeof name === 'string' ? `${show(name)} ` : ''}is custom code (made by nn.elementwise or written by hand), which a spec cannot carry; rebuild the network in code and load the model with it (io.decodeModel(text, { net }))`)
  }
  if (typeof kind !== 'string' || !(KINDS as ReadonlyArray<string>).includes(kind)) {
    return fail(at(path, 'kind'), `unknown layer kind ${show(kind)}; use one of ${KINDS.join(', ')}`)
  }
  const activation = ACTIVATIONS.get(kind as ActivationKind)
  if (activation !== undefined) return E.map(() => activation)(decodeFields(u, path, kind, {}))
  switch (kind as Exclude<LayerKind, ActivationKind | 'custom'>) {
    case 'dense': {
      const fields = decodeFields(u, path, kind, {
        inSize: { codec: Size }, outSize: { codec: Size },
        weights: { codec: Initializer, optional: true }, bias: { codec: Initializer, optional: true }, dtype: { codec: DTypeCodec, optional: true },
      })
      if (E.isLeft(fields)) return fields
      const f = fields.right
      return build(path, () => dense(f['inSize'] as number, f['outSize'] as number, {
        weights: (f['weights'] ?? 'glorotUniform') as InitializerName,
        bias: (f['bias'] ?? 'zeros') as InitializerName,
        dtype: (f['dtype'] ?? 'float32') as DType,
      }))
    }
    case 'dropout': {
      const fields = decodeFields(u, path, kind, { rate: { codec: Rate } })
      return E.isLeft(fields) ? fields : build(path, () => dropout(fields.right['rate'] as number))
    }
    case 'residual': {
      const fields = decodeFields(u, path, kind, { layer: { codec: Anything } })
      if (E.isLeft(fields)) return fields
      const child = decodeNode(fields.right['layer'], at(path, 'layer'), depth + 1)
      if (E.isLeft(child)) return child
      const inner = child.right
      if (!preservesSize(inner) && inner.inSize !== inner.outSize) {
        return fail(sizePath(at(path, 'layer'), inner, 'outSize'), `x + f(x) needs f to keep the size, but ${inner.name} maps ${inner.inSize} features to ${inner.outSize}; use a layer from ${inner.inSize} to ${inner.inSize} features`)
      }
      return build(path, () => residual(inner))
    }
    case 'serial':
    case 'fanOut':
    case 'parallel': {
      const children = decodeChildren(u, path, kind, depth)
      if (E.isLeft(children)) return children
      const list = children.right
      const check = kind === 'serial' ? checkChain(list) : kind === 'fanOut' ? checkFanOut(path, list) : checkParallel(list)
      if (E.isLeft(check)) return check
      const layers = list.map(([l]) => l) as unknown as readonly [AnyLayer, ...AnyLayer[]]
      return build(path, () => (kind === 'serial' ? serial(...layers) : kind === 'fanOut' ? fanOut(...layers) : parallel(...layers)))
    }
  }
}

/**
 * Counts the layers and the declared parameters of a raw spec without building anything
 * (iteratively, stopping as soon as a budget is exceeded), so a spec of a million layers or of a
 * dense(4, 1e9) is refused in time proportional to the budget and before any allocation.
 */
const budgetProblem = (json: unknown, limits: SpecLimits): DecodeError | undefined => {
  const maxLayers = limits.maxLayers === undefined || !(limits.maxLayers >= 0) ? defaultMaxLayers : limits.maxLayers
  const maxParameters = limits.maxParameters === undefined || !(limits.maxParameters >= 0) ? defaultMaxParameters : limits.maxParameters
  const stack: unknown[] = [json]
  let layers = 0
  let parameters = 0
  while (stack.length > 0) {
    const u = stack.pop()
    if (!isObject(u)) continue
    if (++layers > maxLayers) {
      return decodeError(SOURCE, '', `more than ${maxLayers} layers (options.maxLayers); no network built from a spec is that deep or wide. A serial of many parameterless layers does what fewer do: remove the repeated ones`)
    }
    const kind = own(u, 'kind')
    if (kind === 'dense') {
      const inSize = own(u, 'inSize')
      const outSize = own(u, 'outSize')
      if (isSize(inSize) && isSize(outSize)) {
        parameters += inSize * outSize + outSize
        if (parameters > maxParameters) {
          return decodeError(SOURCE, '', `declares more than ${maxParameters} parameters (the limit: options.maxParameters of nn.fromSpec, options.maxElements of io.decodeModel; the dense layers so far hold ${parameters}, the last one dense(${inSize}, ${outSize})); refused before allocating. Check the sizes, or raise the limit if the network really is that big`)
        }
      }
    } else if (kind === 'residual') {
      stack.push(own(u, 'layer'))
    } else if (kind === 'serial' || kind === 'fanOut' || kind === 'parallel') {
      const list = own(u, 'layers')
      if (Array.isArray(list)) {
        // pushed only up to the budget: a longer list fails at the next pops
        for (let i = Math.min(list.length, maxLayers + 1) - 1; i >= 0; i--) stack.push(list[i])
      }
    }
  }
  return undefined
}

/**
 * The layer a spec describes, decoded from outside data (a parsed JSON value): `Right(layer)`, or
 * `Left(DecodeError)` naming the path of the first bad field. Never throws. Built-in activations
 * come back as the very values `nn.relu`, `nn.tanh`, ...; a `custom` spec (a layer made by
 * `elementwise` or by hand) and a dense spec with a `'custom'` initialiser are refused, since
 * their code is not in the spec. `limits` bounds the layers and the declared parameters.
 * @example fromSpec({ kind: 'serial', layers: [{ kind: 'dense', inSize: 4, outSize: 3 }, { kind: 'relu' }] })
 * @category specs
 */
export const fromSpec = (json: unknown, limits: SpecLimits = {}): E.Either<DecodeError, Layer<unknown>> => {
  const problem = budgetProblem(json, limits)
  if (problem !== undefined) return E.left(problem)
  return decodeNode(json, '', 0) as unknown as E.Either<DecodeError, Layer<unknown>>
}
