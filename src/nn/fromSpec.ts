/**
 * `fromSpec(json)`: a layer from its spec, decoded from outside data with io-ts. It never throws:
 * a bad spec is a `Left(DecodeError)` whose message names the path of the bad field and, where
 * there is one, the fix:
 *
 *   nn.fromSpec: layers[2].outSize: expected a positive integer, got -3
 *   nn.fromSpec: layers[2].inSize: dense(64, 10) expects 64 features but layers[0] (dense(784, 128)) outputs 128; ...
 *
 * The kinds come from a registry (`LayerKind.ts`): `registry` (the built-ins) unless
 * `options.registry` gives another, e.g. `registry.with(myKind)` for a user's own layer kind.
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
import { type DecodeError, decodeError as decodeErrorOf, pathKey, showValue } from '../tensor/index.js'
import type { Tree } from '../tree/index.js'
import type { AnyLayer, Layer } from './Layer.js'
import { type LayerRegistry, type SpecField, type SpecResult, maxSpecDepth, specError, specFail } from './LayerKind.js'
import { registry as builtins } from './registry.js'

export type { DecodeError, DecodeLocation } from '../tensor/index.js'

/**
 * A `DecodeError` of a spec from its source (e.g. 'nn.fromSpec'), path and detail. @category errors
 * @example
 * ```ts
 * nn.decodeError('nn.fromSpec', 'layers[2].outSize', 'expected a positive integer, got -3').message
 * ```
 */
export const decodeError = (source: string, path: string, detail: string): DecodeError =>
  decodeErrorOf('DecodeError', source, detail, { path }, { root: 'the spec' })

/**
 * Whether a value is a `DecodeError` of a spec. @category guards
 * @example
 * ```ts
 * const r = nn.fromSpec({ kind: 'dense', inSize: -1, outSize: 2 })
 * if (r._tag === 'Left') nn.isDecodeError(r.left) // true
 * ```
 */
export const isDecodeError = (u: unknown): u is DecodeError =>
  typeof u === 'object' && u !== null && (u as Partial<DecodeError>)._tag === 'DecodeError'

/**
 * The default bound on the number of layers (every spec object, combinators included) of a spec, 2^16. @category specs
 * @example
 * ```ts
 * nn.fromSpec({ kind: 'relu' }, { maxLayers: nn.defaultMaxLayers / 2 })
 * ```
 */
export const defaultMaxLayers = 2 ** 16

/**
 * The default bound on the parameters (tensor elements) a spec may declare, 2^28 (1 GiB of float32). @category specs
 * @example
 * ```ts
 * nn.fromSpec({ kind: 'dense', inSize: 2, outSize: 1 }, { maxParameters: nn.defaultMaxParameters })
 * ```
 */
export const defaultMaxParameters = 2 ** 28

/**
 * Options of `fromSpec`: its budgets, checked on the raw JSON before any layer is built or any
 * tensor allocated, and the registry of layer kinds it reads.
 * @example
 * ```ts
 * const limits: nn.SpecLimits = { maxLayers: 100, maxParameters: 1e6 }
 * nn.fromSpec({ kind: 'relu' }, limits)
 * ```
 * @category specs
 */
export interface SpecLimits {
  /** The most layers (every spec object, combinators included), default `defaultMaxLayers` (2^16). */
  readonly maxLayers?: number
  /** The most parameters the spec's layers may declare together, default `defaultMaxParameters` (2^28). */
  readonly maxParameters?: number
  /** The layer kinds a spec may use, default `registry` (the built-ins); extend it with `registry.with(myKind)`. */
  readonly registry?: LayerRegistry
}

const isObject = (u: unknown): u is Readonly<Record<string, unknown>> => typeof u === 'object' && u !== null && !Array.isArray(u)

const own = (u: Readonly<Record<string, unknown>>, key: string): unknown => (Object.hasOwn(u, key) ? u[key] : undefined)

/**
 * Decodes the fields of one spec object with their io-ts codecs, refusing unknown fields (among
 * them `__proto__`, `constructor` and `prototype`, which are never read).
 */
const decodeFields = (u: Readonly<Record<string, unknown>>, path: string, kind: string, fields: Readonly<Record<string, SpecField<unknown>>>): SpecResult<Readonly<Record<string, unknown>>> => {
  const names = Object.keys(fields)
  for (const key of Object.keys(u)) {
    if (key !== 'kind' && !Object.hasOwn(fields, key)) {
      return specFail(pathKey(path, key), `unknown field; a ${kind} spec has ${['kind', ...names].map((n) => `"${n}"`).join(', ')}`)
    }
  }
  const out: Record<string, unknown> = {}
  for (const name of names) {
    const field = fields[name]!
    const value = own(u, name)
    if (value === undefined) {
      if (field.optional === true) continue
      return specFail(pathKey(path, name), `missing; expected ${field.codec.name}`)
    }
    const decoded = field.codec.decode(value)
    if (E.isLeft(decoded)) return specFail(pathKey(path, name), decoded.left[0]?.message ?? `expected ${field.codec.name}, got ${showValue(value)}`)
    out[name] = decoded.right
  }
  return E.right(out)
}

const decodeNode = (kinds: LayerRegistry, u: unknown, path: string, depth: number): SpecResult<AnyLayer> => {
  if (depth > maxSpecDepth) return specFail(path, `specs nest more than ${maxSpecDepth} deep; flatten the network (serial of serials is serial)`)
  if (!isObject(u)) return specFail(path, `expected a layer spec, an object such as { "kind": "relu" }, got ${showValue(u)}`)
  const kind = own(u, 'kind')
  if (kind === undefined) return specFail(pathKey(path, 'kind'), `missing; expected the layer kind, one of ${kinds.kinds.join(', ')}`)
  if (kind === 'custom') {
    const name = own(u, 'name')
    return specFail(path, `the layer ${typeof name === 'string' ? `${showValue(name)} ` : ''}is custom code (made by nn.elementwise or written by hand), which a spec cannot carry; rebuild the network in code and load the model with it (io.decodeModel(text, { net }))`)
  }
  const k = typeof kind === 'string' ? kinds.get(kind) : undefined
  if (k === undefined) return specFail(pathKey(path, 'kind'), `unknown layer kind ${showValue(kind)}; use one of ${kinds.kinds.join(', ')}`)
  const fields = decodeFields(u, path, k.kind, k.fields)
  if (E.isLeft(fields)) return fields
  return k.build(fields.right, { path, child: (spec, at) => decodeNode(kinds, spec, at, depth + 1) })
}

/**
 * Counts the layers and the declared parameters of a raw spec without building anything
 * (iteratively, stopping as soon as a budget is exceeded), so a spec of a million layers or of a
 * dense(4, 1e9) is refused in time proportional to the budget and before any allocation. What a
 * spec declares is its kind's `declares`.
 */
const budgetProblem = (json: unknown, limits: SpecLimits, kinds: LayerRegistry): DecodeError | undefined => {
  const maxLayers = limits.maxLayers === undefined || !(limits.maxLayers >= 0) ? defaultMaxLayers : limits.maxLayers
  const maxParameters = limits.maxParameters === undefined || !(limits.maxParameters >= 0) ? defaultMaxParameters : limits.maxParameters
  const stack: unknown[] = [json]
  const holders = new Set<string>()
  let layers = 0
  let parameters = 0
  while (stack.length > 0) {
    const u = stack.pop()
    if (!isObject(u)) continue
    if (++layers > maxLayers) {
      return specError('', `more than ${maxLayers} layers (options.maxLayers); no network built from a spec is that deep or wide. A serial of many parameterless layers does what fewer do: remove the repeated ones`)
    }
    const kind = own(u, 'kind')
    const k = typeof kind === 'string' ? kinds.get(kind) : undefined
    const declared = k?.declares?.(u)
    if (k === undefined || declared === undefined) continue
    if (declared.parameters > 0) {
      parameters += declared.parameters
      holders.add(k.kind)
      if (parameters > maxParameters) {
        return specError('', `declares more than ${maxParameters} parameters (the limit: options.maxParameters of nn.fromSpec, options.maxElements of io.decodeModel; the ${[...holders].join(' and ')} layers so far hold ${parameters}, the last one ${declared.name ?? k.kind}); refused before allocating. Check the sizes, or raise the limit if the network really is that big`)
      }
    }
    const children = declared.children
    // pushed only up to the budget: a longer list fails at the next pops
    for (let i = Math.min(children.length, maxLayers + 1) - 1; i >= 0; i--) stack.push(children[i])
  }
  return undefined
}

/**
 * The layer a spec describes, decoded from outside data (a parsed JSON value): `Right(layer)`, or
 * `Left(DecodeError)` naming the path of the first bad field. Never throws. Built-in activations
 * come back as the very values `nn.relu`, `nn.tanh`, ...; a `custom` spec (a layer made by
 * `elementwise` or by hand) and a dense spec with a `'custom'` initialiser are refused, since
 * their code is not in the spec. `options` bounds the layers and the declared parameters, and
 * gives the registry of layer kinds (default: the built-ins).
 * @example
 * ```ts
 * const net = nn.fromSpec({ kind: 'serial', layers: [{ kind: 'dense', inSize: 4, outSize: 3 }, { kind: 'relu' }] }) // Either<DecodeError, Layer>
 * ```
 * @category specs
 */
export const fromSpec = (json: unknown, options: SpecLimits = {}): E.Either<DecodeError, Layer<Tree>> => {
  const kinds = options.registry ?? builtins
  const problem = budgetProblem(json, options, kinds)
  if (problem !== undefined) return E.left(problem)
  // A layer decoded from data has parameters only its spec knows; AnyLayer's apply takes `never`
  // (it cannot name them), so the type is restated rather than derived: a tree, as every layer's
  // parameters are (contract 4 of Layer.ts), so that train.fit takes the layer as it is.
  return decodeNode(kinds, json, '', 0) as unknown as E.Either<DecodeError, Layer<Tree>>
}
