/**
 * The model file: one versioned JSON document holding a network's architecture, its parameters
 * and, optionally, what a training run needs to continue (optimizer state, step, key, history)
 * and the user's own data. `encodeModel` and `decodeModel` are pure and use no `node:` module, so
 * a browser can read and write model files; `files.ts` adds the disk.
 *
 *   {
 *     "format": "purenet-model",
 *     "version": 2,
 *     "architecture": { "kind": "serial", "layers": [{ "kind": "dense", "inSize": 784, ... }, ...] },
 *     "params": [{ "w": { "dtype": "float32", "shape": [784, 128], "data": "<base64>", "crc32": "1c291ca3" }, "b": ... }, {}, ...],
 *     "optState": <numbers, tensors, arrays and records>,        (optional)
 *     "step": 1200,                                              (optional)
 *     "key": { "kind": "Key", "words": [0, 42] },                 (optional)
 *     "history": { "loss": [...], "epochs": [{ "epoch": 0, "loss": 0.3, "metrics": {} }] },  (optional)
 *     "extra": { ...any JSON the user saved... }                  (optional)
 *   }
 *
 * Versions: 2 (written since issue 10) stores beside each tensor's data the CRC-32 of its bytes, so a
 * changed character is an error rather than a silently different model; version 1 (no "crc32")
 * is still read, without that check.
 *
 * Budgets: the text is at most `maxBytes`; before it is parsed, its structure is checked
 * (`scanJson`: at most `maxNodes` JSON values, nesting at most 100, keys at most 1024 characters);
 * the architecture has at most `maxLayers` layers and declares at most `maxElements` parameters,
 * checked on the raw JSON before any layer is built; the tensors hold at most `maxElements`
 * elements together, checked before each is allocated. Decoding builds no path string except for
 * the error it reports.
 *
 * Laws (checked in src/io/modelFile.test.ts and properties/model-file.test.ts):
 * 1. round trip: `decodeModel(encodeModel(m))` is `Right` of a model with the same spec,
 *    bit-identical parameter and optimizer-state tensors (float32 and float64), the same step,
 *    key, history and extra.
 * 2. `decodeModel` never throws: any text is `Right` of a valid model or `Left(ModelError)` naming
 *    the path of the first problem.
 * 3. decoding validates everything against the architecture before a parameter is used: the tree
 *    structure, every shape and dtype, finite values, the format and version; and it refuses
 *    absurd sizes before allocating, and the keys `__proto__`, `constructor` and `prototype`.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import type { Tree } from '../tree/index.js'
import { type ModelError, type ModelSource, modelError } from './ModelError.js'
import { type Json, type JsonObject, checkJson, forbiddenKeys, parseJson, pathIndex, pathKey, printJson, walkJson } from './jsonText.js'
import {
  type Budget, type StateTree, type TreeLayout, type TreeProblem, decodeParams, decodeState, encodeParams, encodeState, isObject, layoutElements, show,
} from './tensorTree.js'

/**
 * The value of the `format` field of every model file. @category model
 * @example
 * ```ts
 * JSON.parse(io.encodeModel({ net: nn.dense(2, 1), params: nn.dense(2, 1).init(random.key(0)) })).format === io.modelFormat // true
 * ```
 */
export const modelFormat = 'purenet-model'

/**
 * The version of the format this purenet writes. Version 2 adds the CRC-32 of every tensor's bytes
 * (`"crc32"` beside `"data"`); files of version 1 (no checksums) are still read.
 * @example
 * ```ts
 * console.log(`this purenet writes model files of version ${io.modelVersion}`)
 * ```
 * @category model
 */
export const modelVersion = 2

/**
 * The versions of the format this purenet reads. @category model
 * @example
 * ```ts
 * io.readableVersions.includes(io.modelVersion) // true: older versions are read too
 * ```
 */
export const readableVersions: ReadonlyArray<number> = Object.freeze([1, 2])

/**
 * The default bound on the size of a model's text (bytes of a file), 256 MiB. @category model
 * @example
 * ```ts
 * io.decodeModel('{}', { maxBytes: io.defaultMaxBytes / 4 }) // a tighter limit than the default
 * ```
 */
export const defaultMaxBytes = 256 * 2 ** 20

/**
 * The default bound on the number of tensor elements a model may declare, 2^28. @category model
 * @example
 * ```ts
 * io.decodeModel('{}', { maxElements: io.defaultMaxElements / 4 })
 * ```
 */
export const defaultMaxElements = 2 ** 28

/**
 * A training history as a model file keeps it (the shape of `train.History`). @category model
 * @example
 * ```ts
 * const history: io.ModelHistory = { loss: [1, 0.5], epochs: [{ epoch: 0, loss: 0.75, metrics: {} }] }
 * ```
 */
export type ModelHistory = {
  readonly loss: ReadonlyArray<number>
  readonly epochs: ReadonlyArray<{ readonly epoch: number; readonly loss: number; readonly metrics: Readonly<Record<string, number>> }>
}

/**
 * A key as a file holds it: the two 32-bit words of a `random.Key` (the same record).
 * @example
 * ```ts
 * const words: io.KeyWords = { kind: 'Key', words: [0, 42] } // a key as a file stores it
 * ```
 * @category model
 */
export interface KeyWords {
  readonly kind: 'Key'
  readonly words: readonly [number, number]
}

/**
 * What io needs of a network: a name for messages and its architecture, a JSON spec (`layer.spec`). @category model
 * @example
 * ```ts
 * const network: io.Network = nn.dense(2, 1) // anything with a name and a spec
 * ```
 */
export interface Network {
  readonly name: string
  readonly spec: unknown
}

/**
 * A model document: a network, its parameters, and optionally the optimizer state, step count,
 * key and history of the run that trained it, and the user's own JSON data (`extra`: class names,
 * feature names, normalisation constants, ...). `io.SavedModel<L>` is this with an `nn` layer.
 * @example
 * ```ts
 * const net = nn.dense(2, 1)
 * const doc: io.ModelDocument<typeof net> = { net, params: net.init(random.key(0)), step: 10 }
 * ```
 * @category model
 */
export type ModelDocument<N extends Network, P = Tree> = {
  readonly net: N
  readonly params: P
  readonly optState?: StateTree
  readonly step?: number
  readonly key?: KeyWords
  readonly history?: ModelHistory
  readonly extra?: JsonObject
}

/**
 * How the layer above io turns an architecture (validated JSON) into a network, and a network
 * into the layout its parameters must have. io checks the document against it and knows nothing
 * of layers: `nn` gives one built on `nn.fromSpec` and `nn.paramLayout` (see `src/models.ts`),
 * and `fixedArchitecture(net, layout)` checks a file against a network built in code.
 * @category model
 * @example
 * ```ts
 * const net = nn.dense(2, 1)
 * const arch: io.Architecture<typeof net> = io.fixedArchitecture(net, io.layerLayout) // files must hold exactly this network
 * const text = io.encodeModel({ net, params: net.init(random.key(0)) })
 * const model = io.decodeModelText(text, {}, arch) // Right({ net, params }); another architecture gives Left naming the path
 * ```
 */
export interface Architecture<N extends Network> {
  /** The network an architecture describes, or the problem at a path inside the architecture (`layers[2].outSize`). */
  readonly decode: (architecture: unknown, limits: { readonly maxParameters: number; readonly maxLayers?: number }) => E.Either<TreeProblem, N>
  /** The layout of a network's parameters, read off its spec without allocating. */
  readonly layout: (net: N) => TreeLayout
}

/**
 * Bounds on what decoding accepts. @category model
 * @example
 * ```ts
 * const limits: io.ModelLimits = { maxBytes: 10e6, maxElements: 1e6 }
 * io.decodeModel('{}', limits)
 * ```
 */
export interface ModelLimits {
  /** The longest text (for files: the most bytes) read, default `defaultMaxBytes` (256 MiB). */
  readonly maxBytes?: number
  /** The most tensor elements, over the whole model, default `defaultMaxElements` (2^28); also the most parameters the architecture may declare. */
  readonly maxElements?: number
  /** The most JSON values (numbers, strings, keys, arrays, objects) in the text, default `defaultMaxNodes` (2^22). */
  readonly maxNodes?: number
  /** The most layers of the architecture, default `nn.defaultMaxLayers` (2^16). */
  readonly maxLayers?: number
}

const FIELDS = ['format', 'version', 'architecture', 'params', 'optState', 'step', 'key', 'history', 'extra'] as const

type Result<A> = E.Either<TreeProblem, A>
const fail = (path: string, detail: string): Result<never> => E.left({ path, detail })

const codec = <A>(name: string, is: (u: unknown) => u is A, describe: (u: unknown) => string): t.Type<A, A, unknown> =>
  new t.Type<A, A, unknown>(name, is, (u, c) => (is(u) ? t.success(u) : t.failure(u, c, describe(u))), t.identity)

const field = <A>(c: t.Type<A, A, unknown>, u: unknown, path: string): Result<A> => {
  if (u === undefined) return fail(path, `missing; expected ${c.name}`)
  const r = c.decode(u)
  return E.isLeft(r) ? fail(path, r.left[0]?.message ?? `expected ${c.name}, got ${show(u)}`) : E.right(r.right)
}

const isFinite = (u: unknown): u is number => typeof u === 'number' && Number.isFinite(u)
const Finite = codec('a finite number', isFinite, (u) => `expected a finite number, got ${show(u)}`)
const isCount = (u: unknown): u is number => typeof u === 'number' && Number.isSafeInteger(u) && u >= 0
const Count = codec('a non-negative integer', isCount, (u) => `expected a non-negative integer, got ${show(u)}`)
const isWord = (u: unknown): u is number => typeof u === 'number' && Number.isInteger(u) && u >= 0 && u < 2 ** 32
const Word = codec('a 32-bit unsigned integer', isWord, (u) => `expected an integer in [0, 2^32), got ${show(u)}`)
const Array_ = codec('an array', (u): u is ReadonlyArray<unknown> => Array.isArray(u), (u) => `expected an array, got ${show(u)}`)
const Object_ = codec('an object', isObject, (u) => `expected an object, got ${show(u)}`)

const isKeyWords = (u: unknown): u is KeyWords =>
  isObject(u) && u['kind'] === 'Key' && Array.isArray(u['words']) && u['words'].length === 2

const own = (u: Readonly<Record<string, unknown>>, key: string): unknown => (Object.hasOwn(u, key) ? u[key] : undefined)

/** Refuses keys other than `names` in a record. */
const onlyKeys = (u: Readonly<Record<string, unknown>>, path: string, names: ReadonlyArray<string>, what: string): Result<void> => {
  const extra = Object.keys(u).find((k) => !names.includes(k))
  return extra === undefined ? E.right(undefined) : fail(pathKey(path, extra), `unknown field; ${what} has ${names.map((n) => `"${n}"`).join(', ')}`)
}

const decodeKey = (u: unknown, path: string): Result<KeyWords> => {
  const o = field(Object_, u, path)
  if (E.isLeft(o)) return o
  const keys = onlyKeys(o.right, path, ['kind', 'words'], 'a key')
  if (E.isLeft(keys)) return keys
  if (own(o.right, 'kind') !== 'Key') return fail(pathKey(path, 'kind'), `expected "Key", got ${show(own(o.right, 'kind'))}`)
  const words = field(Array_, own(o.right, 'words'), pathKey(path, 'words'))
  if (E.isLeft(words)) return words
  if (words.right.length !== 2) return fail(pathKey(path, 'words'), `expected two 32-bit words, got an array of ${words.right.length}`)
  const w0 = field(Word, words.right[0], pathIndex(pathKey(path, 'words'), 0))
  if (E.isLeft(w0)) return w0
  const w1 = field(Word, words.right[1], pathIndex(pathKey(path, 'words'), 1))
  if (E.isLeft(w1)) return w1
  return E.right(Object.freeze({ kind: 'Key' as const, words: Object.freeze([w0.right, w1.right] as const) }))
}

const decodeNumbers = (u: unknown, path: string): Result<ReadonlyArray<number>> => {
  const xs = field(Array_, u, path)
  if (E.isLeft(xs)) return xs
  const list = xs.right
  for (let i = 0; i < list.length; i++) {
    const x: unknown = list[i]
    if (!isFinite(x)) return fail(pathIndex(path, i), `expected a finite number, got ${show(x)}`)
  }
  return E.right(Object.freeze(list.slice() as number[]))
}

const decodeHistory = (u: unknown, path: string): Result<ModelHistory> => {
  const o = field(Object_, u, path)
  if (E.isLeft(o)) return o
  const keys = onlyKeys(o.right, path, ['loss', 'epochs'], 'a history')
  if (E.isLeft(keys)) return keys
  const loss = decodeNumbers(own(o.right, 'loss'), pathKey(path, 'loss'))
  if (E.isLeft(loss)) return loss
  const epochsPath = pathKey(path, 'epochs')
  const list = field(Array_, own(o.right, 'epochs'), epochsPath)
  if (E.isLeft(list)) return list
  const epochs: Array<ModelHistory['epochs'][number]> = []
  for (let i = 0; i < list.right.length; i++) {
    const p = pathIndex(epochsPath, i)
    const r = field(Object_, list.right[i], p)
    if (E.isLeft(r)) return r
    const ks = onlyKeys(r.right, p, ['epoch', 'loss', 'metrics'], 'an epoch record')
    if (E.isLeft(ks)) return ks
    const epoch = field(Count, own(r.right, 'epoch'), pathKey(p, 'epoch'))
    if (E.isLeft(epoch)) return epoch
    const l = field(Finite, own(r.right, 'loss'), pathKey(p, 'loss'))
    if (E.isLeft(l)) return l
    const m = field(Object_, own(r.right, 'metrics'), pathKey(p, 'metrics'))
    if (E.isLeft(m)) return m
    const metrics: Record<string, number> = {}
    for (const k of Object.keys(m.right)) {
      const v = field(Finite, m.right[k], pathKey(pathKey(p, 'metrics'), k))
      if (E.isLeft(v)) return v
      metrics[k] = v.right
    }
    epochs.push(Object.freeze({ epoch: epoch.right, loss: l.right, metrics: Object.freeze(metrics) }))
  }
  return E.right(Object.freeze({ loss: loss.right, epochs: Object.freeze(epochs) }))
}

/** A frozen copy of JSON data, refusing non-finite numbers (JSON would write them as null). */
const decodeJson = (u: unknown, path: string): Result<Json> => {
  if (u === null || typeof u === 'boolean' || typeof u === 'string') return E.right(u)
  if (typeof u === 'number') return Number.isFinite(u) ? E.right(u) : fail(path, `the number ${u} is not finite; JSON cannot hold it`)
  if (Array.isArray(u)) {
    const out: Json[] = []
    for (let i = 0; i < u.length; i++) {
      const r = decodeJson(u[i], pathIndex(path, i))
      if (E.isLeft(r)) return r
      out.push(r.right)
    }
    return E.right(Object.freeze(out))
  }
  if (isObject(u)) {
    const out: Record<string, Json> = {}
    for (const k of Object.keys(u)) {
      if (forbiddenKeys.includes(k)) return fail(pathKey(path, k), `the key "${k}" is not allowed (it could reach an object's prototype); rename it`)
      const r = decodeJson(u[k], pathKey(path, k))
      if (E.isLeft(r)) return r
      out[k] = r.right
    }
    return E.right(Object.freeze(out))
  }
  return fail(path, `expected JSON data, got ${show(u)}`)
}

/**
 * Checks parsed JSON data in place (numbers finite; `parseJson` already refused forbidden keys and
 * deep nesting) and freezes it, without copying it and without building a path per value.
 */
const freezeJson = (u: Readonly<Record<string, unknown>>, root: string): TreeProblem | undefined =>
  walkJson(u, (container, path) => {
    if (Array.isArray(container)) {
      for (let i = 0; i < container.length; i++) {
        const v: unknown = container[i]
        if (typeof v === 'number' && !Number.isFinite(v)) return { path: pathIndex(path(), i), detail: `the number ${v} is not finite; JSON cannot hold it` }
      }
    } else {
      const record = container as Readonly<Record<string, unknown>>
      for (const k of Object.keys(record)) {
        const v = record[k]
        if (typeof v === 'number' && !Number.isFinite(v)) return { path: pathKey(path(), k), detail: `the number ${v} is not finite; JSON cannot hold it` }
      }
    }
    Object.freeze(container)
    return undefined
  }, root)

// The first place two JSON values differ, for "the file's architecture is not this network's".
const firstDifference = (a: unknown, b: unknown, path: string): TreeProblem | undefined => {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return { path, detail: `the file has ${a.length} entries, the network ${b.length}` }
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], pathIndex(path, i))
      if (d !== undefined) return d
    }
    return undefined
  }
  if (isObject(a) && isObject(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = firstDifference(own(a, k), own(b, k), pathKey(path, k))
      if (d !== undefined) return d
    }
    return undefined
  }
  return Object.is(a, b) ? undefined : { path, detail: `the file has ${show(a)}, the network ${show(b)}` }
}

const limitOf = (n: number | undefined, fallback: number): number => (n === undefined || !(n >= 0) ? fallback : n)

/**
 * The architecture of a network built in code: the file's architecture must equal `net.spec`
 * (the first difference is the error), and the document comes back with `net` itself.
 * @example
 * ```ts
 * const net = nn.dense(2, 1)
 * const arch = io.fixedArchitecture(net, io.layerLayout) // files must hold exactly this network
 * ```
 * @category model
 */
export const fixedArchitecture = <N extends Network>(net: N, layout: (net: N) => TreeLayout): Architecture<N> => ({
  decode: (architecture) => {
    const d = firstDifference(architecture, net.spec, '')
    return d === undefined ? E.right(net) : fail(d.path, `${d.detail}; the file was saved from another architecture than the network given (options.net)`)
  },
  layout,
})

const inArchitecture = (p: string): string => (p === '' ? 'architecture' : p.startsWith('[') ? `architecture${p}` : `architecture.${p}`)

const decodeDocument = <N extends Network>(text: string, options: ModelLimits, arch: Architecture<N>): Result<ModelDocument<N, unknown>> => {
  const maxBytes = limitOf(options.maxBytes, defaultMaxBytes)
  if (text.length > maxBytes) return fail('', `the text is ${text.length} characters, more than the limit of ${maxBytes} (options.maxBytes); raise the limit if the model really is that big`)
  const parsed = parseJson(text, options.maxNodes === undefined ? {} : { maxNodes: options.maxNodes })
  if (!parsed.ok) return E.left(parsed.problem)
  const doc = parsed.value
  if (!isObject(doc)) return fail('', `expected a JSON object with "format": "${modelFormat}", got ${show(doc)}; this is not a purenet model file`)
  const format = own(doc, 'format')
  if (format !== modelFormat) {
    return fail('format', format === undefined ? `missing; this is not a purenet model file (expected "format": "${modelFormat}")` : `expected "${modelFormat}", got ${show(format)}; this is not a purenet model file`)
  }
  const version = own(doc, 'version')
  if (typeof version !== 'number' || !readableVersions.includes(version)) {
    return fail('version', typeof version === 'number' && Number.isInteger(version) && version > modelVersion
      ? `version ${version} is newer than this purenet reads (${readableVersions.join(' and ')}); upgrade purenet to load it`
      : version === undefined ? `missing; expected ${modelVersion}` : `expected ${readableVersions.join(' or ')}, got ${show(version)}`)
  }
  const unknown = Object.keys(doc).find((k) => !(FIELDS as ReadonlyArray<string>).includes(k))
  if (unknown !== undefined) {
    return fail(pathKey('', unknown), `unknown field; a model file (version ${modelVersion}) has ${FIELDS.map((n) => `"${n}"`).join(', ')}; put your own data under "extra"`)
  }
  const architecture = own(doc, 'architecture')
  if (architecture === undefined) return fail('architecture', 'missing; expected the layer spec of the network (nn.fromSpec)')
  const decoded = arch.decode(architecture, { maxParameters: Math.max(defaultMaxElements, limitOf(options.maxElements, defaultMaxElements)), ...(options.maxLayers === undefined ? {} : { maxLayers: options.maxLayers }) })
  if (E.isLeft(decoded)) return fail(inArchitecture(decoded.left.path), decoded.left.detail)
  const net = decoded.right
  const layout = arch.layout(net)
  const budget: Budget = { maxElements: limitOf(options.maxElements, defaultMaxElements), used: 0, checksums: version >= 2 }
  const declared = layoutElements(layout)
  if (declared > budget.maxElements) {
    return fail('architecture', `declares ${declared} parameters, more than the limit of ${budget.maxElements} (options.maxElements); refused before allocating`)
  }
  if (!Object.hasOwn(doc, 'params')) return fail('params', `missing; expected the parameters of ${net.name}`)
  const params = decodeParams(layout, doc['params'], 'params', budget)
  if (E.isLeft(params)) return params
  let model: ModelDocument<N, unknown> = { net, params: params.right }
  if (Object.hasOwn(doc, 'optState')) {
    const r = decodeState(doc['optState'], 'optState', budget)
    if (E.isLeft(r)) return r
    model = { ...model, optState: r.right }
  }
  if (Object.hasOwn(doc, 'step')) {
    const r = field(Count, doc['step'], 'step')
    if (E.isLeft(r)) return r
    model = { ...model, step: r.right }
  }
  if (Object.hasOwn(doc, 'key')) {
    const r = decodeKey(doc['key'], 'key')
    if (E.isLeft(r)) return r
    model = { ...model, key: r.right }
  }
  if (Object.hasOwn(doc, 'history')) {
    const r = decodeHistory(doc['history'], 'history')
    if (E.isLeft(r)) return r
    model = { ...model, history: r.right }
  }
  if (Object.hasOwn(doc, 'extra')) {
    const o = field(Object_, doc['extra'], 'extra')
    if (E.isLeft(o)) return o
    const r = freezeJson(o.right, 'extra')
    if (r !== undefined) return E.left(r)
    model = { ...model, extra: o.right as JsonObject }
  }
  return E.right(Object.freeze(model))
}

/** A `TreeProblem` as a `ModelError` of `source`. @category internals */
export const problemToError = (source: ModelSource, problem: TreeProblem, file?: string): ModelError =>
  modelError(source, problem.detail, { path: problem.path, ...(file === undefined ? {} : { file }) })

/**
 * Decodes a model file's text against an architecture: `Right` of the network (`arch.decode` of
 * the file's architecture), its parameters (checked against `arch.layout`) and whatever else the
 * file holds, or `Left(ModelError)` of `source` naming the path of the first problem. Pure; never
 * throws. `io.decodeModel` is this with the architectures of `nn`.
 * @example
 * ```ts
 * const net = nn.dense(2, 1)
 * const text = io.encodeModel({ net, params: net.init(random.key(0)) })
 * io.decodeModelText(text, {}, io.fixedArchitecture(net, io.layerLayout)) // Right(document)
 * ```
 * @category codecs
 */
export const decodeModelText = <N extends Network>(text: string, options: ModelLimits, arch: Architecture<N>, source: ModelSource = 'io.decodeModel'): E.Either<ModelError, ModelDocument<N, unknown>> => {
  try {
    if (typeof text !== 'string') return E.left(modelError(source, `expected the text of a model file, got ${show(text)}`))
    const r = decodeDocument(text, options, arch)
    return E.isLeft(r) ? E.left(problemToError(source, r.left)) : r
  } catch (e) {
    // Nothing above throws for any text; this is the last line of defence of law 2.
    return E.left(modelError(source, `could not be decoded (${e instanceof Error ? e.message : String(e)})`))
  }
}

// The fields of a SavedModel, in the order the message lists them.
const savedFields: ReadonlySet<string> = new Set(['net', 'params', 'optState', 'step', 'key', 'history', 'extra'])

/** Validates and renders a model as the JSON document of the format, or the first problem. @category internals */
export const encodeDocument = <N extends Network>(model: ModelDocument<N, unknown>, layout: (net: N) => TreeLayout): Result<string> => {
  if (typeof model !== 'object' || model === null || typeof model.net !== 'object' || model.net === null || model.net.spec === undefined) {
    return fail('net', 'expected a layer with a spec (a network made with nn)')
  }
  // a field this format has no place for would be dropped without a word: refuse it instead
  for (const field of Object.keys(model)) {
    if (!savedFields.has(field)) {
      return fail(field, `not a field of a model file (${[...savedFields].join(', ')}); put your own data under extra, e.g. { extra: { ${field}: ... } }`)
    }
  }
  const spec = model.net.spec
  const specProblem = checkJson(spec)
  if (specProblem !== undefined) return fail(`architecture${specProblem.path === '' ? '' : `.${specProblem.path}`}`, specProblem.detail)
  const params = encodeParams(layout(model.net), model.params, 'params')
  if (E.isLeft(params)) return params
  const doc: Record<string, unknown> = { format: modelFormat, version: modelVersion, architecture: spec, params: params.right }
  if (model.optState !== undefined) {
    const r = encodeState(model.optState, 'optState')
    if (E.isLeft(r)) return r
    doc['optState'] = r.right
  }
  if (model.step !== undefined) {
    if (!isCount(model.step)) return fail('step', `expected a non-negative integer, got ${show(model.step)}`)
    doc['step'] = model.step
  }
  if (model.key !== undefined) {
    if (!isKeyWords(model.key) || !isWord(model.key.words[0]) || !isWord(model.key.words[1])) return fail('key', 'expected a key made by random.key(seed)')
    doc['key'] = { kind: 'Key', words: [model.key.words[0], model.key.words[1]] }
  }
  if (model.history !== undefined) {
    const r = decodeHistory(model.history, 'history')
    if (E.isLeft(r)) return r
    doc['history'] = r.right
  }
  if (model.extra !== undefined) {
    if (!isObject(model.extra)) return fail('extra', `expected a JSON object, got ${show(model.extra)}`)
    const r = decodeJson(model.extra, 'extra')
    if (E.isLeft(r)) return r
    doc['extra'] = r.right
  }
  return E.right(`${printJson(doc as JsonObject)}\n`)
}

/**
 * The text of a model file (`encodeDocument`), throwing an `Error` of `source` naming the path for
 * a model that cannot be saved (e.g. `params[0].w: element 3 is NaN`). Pure.
 * @example
 * ```ts
 * const net = nn.dense(2, 1)
 * const text = io.encodeModelText({ net, params: net.init(random.key(0)) }, io.layerLayout) // what encodeModel does for nn layers
 * ```
 * @category codecs
 */
export const encodeModelText = <N extends Network>(model: ModelDocument<N, unknown>, layout: (net: N) => TreeLayout, source: ModelSource = 'io.encodeModel'): string => {
  const r = encodeDocument(model, layout)
  if (E.isLeft(r)) throw new Error(problemToError(source, r.left).message)
  return r.right
}
