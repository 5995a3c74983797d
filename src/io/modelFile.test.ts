import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import * as nn from '../nn/index.js'
import * as O from '../ops/index.js'
import * as optim from '../optim/index.js'
import { key } from '../random/index.js'
import { type Tensor, isTensor, tensor } from '../tensor/index.js'
import { type SavedModel, decodeModel, encodeModel } from '../ioNamespace.js'
import { encodeTensor } from './tensorTree.js'

const net = nn.serial(nn.dense(4, 3, { dtype: 'float64' }), nn.relu, nn.dropout(0.5), nn.dense(3, 2))
const params = net.init(key(1))
const opt = optim.adam(1e-3)
const history = { loss: [1.5, 0.75], epochs: [{ epoch: 0, loss: 1.125, metrics: { accuracy: 0.5 } }] }
const full: SavedModel<typeof net> = {
  net, params, optState: opt.init(params), step: 2, key: key(2 ** 40 + 3), history, extra: { classes: ['setosa', 'virginica'], scale: [1.5, -0] },
}
const text = encodeModel(full)
const doc = (): Record<string, unknown> => JSON.parse(text) as Record<string, unknown>

// Bit-level view of a tree: every tensor as dtype, shape and bytes.
const bits = (u: unknown): unknown => {
  if (isTensor(u)) return { dtype: u.dtype, shape: [...u.shape], bytes: Array.from(new Uint8Array(u.data.buffer, u.data.byteOffset, u.data.byteLength)) }
  if (Array.isArray(u)) return u.map(bits)
  if (typeof u === 'object' && u !== null) return Object.fromEntries(Object.entries(u).map(([k, v]) => [k, bits(v)]))
  return u
}

const messageOf = (t: string): string => {
  const r = decodeModel(t)
  if (E.isRight(r)) throw new Error('expected a Left')
  return r.left.message
}

// Edits of the valid document, each with the message decodeModel must give.
type Doc = Record<string, unknown> & { params: Array<Record<string, Record<string, unknown>>> }
const edit = (f: (d: Doc) => void): string => {
  const d = doc() as Doc
  f(d)
  return JSON.stringify(d)
}
const tensorJson = (t: Tensor): Record<string, unknown> => ({ ...encodeTensor(t) })

export const corpus: ReadonlyArray<readonly [string, string, string]> = [
  ['empty text', '', 'io.decodeModel: the text is empty; expected a purenet model file (JSON with "format": "purenet-model")'],
  ['only whitespace', ' \n\t', 'io.decodeModel: the text is empty; expected a purenet model file (JSON with "format": "purenet-model")'],
  ['truncated JSON', text.slice(0, text.length / 2), 'io.decodeModel: not valid JSON ('],
  ['malformed JSON (trailing comma)', '{ "format": "purenet-model", }', 'io.decodeModel: not valid JSON ('],
  ['JavaScript, not JSON', '({ format: "purenet-model", version: 1 })', 'io.decodeModel: not valid JSON ('],
  ['a JSON array', '[1, 2, 3]', 'io.decodeModel: expected a JSON object with "format": "purenet-model", got an array of 3; this is not a purenet model file'],
  ['a JSON string', '"purenet-model"', 'io.decodeModel: expected a JSON object with "format": "purenet-model", got "purenet-model"'],
  ['missing format', edit((d) => { delete d['format'] }), 'io.decodeModel: format: missing; this is not a purenet model file (expected "format": "purenet-model")'],
  ['wrong format', edit((d) => { d['format'] = 'keras' }), 'io.decodeModel: format: expected "purenet-model", got "keras"; this is not a purenet model file'],
  ['newer version', edit((d) => { d['version'] = 3 }), 'io.decodeModel: version: version 3 is newer than this purenet reads (1 and 2); upgrade purenet to load it'],
  ['version as a string', edit((d) => { d['version'] = '1' }), 'io.decodeModel: version: expected 1 or 2, got "1"'],
  ['missing version', edit((d) => { delete d['version'] }), 'io.decodeModel: version: missing; expected 2'],
  ['extra top-level field', edit((d) => { d['comment'] = 'hi' }), 'io.decodeModel: comment: unknown field; a model file (version 2) has "format", "version", "architecture", "params", "optState", "step", "key", "history", "extra"; put your own data under "extra"'],
  ['missing architecture', edit((d) => { delete d['architecture'] }), 'io.decodeModel: architecture: missing; expected the layer spec of the network (nn.fromSpec)'],
  ['negative size in the architecture', edit((d) => { (d['architecture'] as { layers: Array<Record<string, unknown>> }).layers[3]!['outSize'] = -3 }), 'io.decodeModel: architecture.layers[3].outSize: expected a positive integer, got -3'],
  ['mismatched sizes in the architecture', edit((d) => { (d['architecture'] as { layers: Array<Record<string, unknown>> }).layers[3]!['inSize'] = 5 }), 'io.decodeModel: architecture.layers[3].inSize: dense(5, 2) expects 5 features but layers[0] (dense(4, 3)) outputs 3; make them agree, or put a layer from 3 to 5 features between them'],
  ['unknown layer kind', edit((d) => { (d['architecture'] as { layers: Array<Record<string, unknown>> }).layers[1]!['kind'] = 'swish' }), 'io.decodeModel: architecture.layers[1].kind: unknown layer kind "swish"'],
  ['missing params', edit((d) => { delete (d as Record<string, unknown>)['params'] }), 'io.decodeModel: params: missing; expected the parameters of serial(dense(4, 3), relu, dropout(0.5), dense(3, 2))'],
  ['params of the wrong length', edit((d) => { d.params.pop() }), 'io.decodeModel: params: expected an array of 4 parameter sets (one per layer), got an array of 3'],
  ['wrong shape', edit((d) => { d.params[0]!['w']!['shape'] = [4, 5] }), 'io.decodeModel: params[0].w: shape [4, 5], expected [4, 3]; the parameters do not fit the architecture'],
  ['wrong dtype', edit((d) => { d.params[0]!['w']!['dtype'] = 'float32' }), 'io.decodeModel: params[0].w: dtype float32, expected float64 (the architecture\'s dtype)'],
  ['unknown dtype', edit((d) => { d.params[0]!['w']!['dtype'] = 'int32' }), 'io.decodeModel: params[0].w.dtype: expected "float32" or "float64", got "int32"'],
  ['missing tensor', edit((d) => { delete d.params[0]!['b'] }), 'io.decodeModel: params[0].b: missing; expected a tensor of shape [3]'],
  ['extra tensor', edit((d) => { d.params[1]!['w'] = d.params[0]!['w']! }), 'io.decodeModel: params[1].w: unknown field; expected the empty record {} (the layer has no parameters)'],
  ['extra field in a tensor', edit((d) => { d.params[0]!['w']!['order'] = 'C' }), 'io.decodeModel: params[0].w.order: unknown field; a tensor has "dtype", "shape", "data" and "crc32"'],
  ['missing data', edit((d) => { delete d.params[0]!['w']!['data'] }), 'io.decodeModel: params[0].w.data: missing; expected a base64 string'],
  ['data as an array of numbers', edit((d) => { d.params[0]!['b']!['data'] = [0, 0, 0] }), 'io.decodeModel: params[0].b.data: expected the base64 text of the tensor\'s bytes, got an array of 3'],
  ['base64 too short', edit((d) => { d.params[0]!['w']!['data'] = (d.params[0]!['w']!['data'] as string).slice(4) }), 'io.decodeModel: params[0].w.data: 124 base64 characters, expected 128 for 12 float64 elements (96 bytes); the data is truncated or belongs to another shape'],
  ['base64 with a foreign character', edit((d) => { d.params[0]!['b']!['data'] = `!${(d.params[0]!['b']!['data'] as string).slice(1)}` }), 'io.decodeModel: params[0].b.data: character 0 is "!", which is not base64'],
  ['NaN in the parameters', edit((d) => { d.params[0]!['b'] = tensorJson(tensor([0, NaN, 0], { dtype: 'float64' })) }), 'io.decodeModel: params[0].b: element 1 is NaN; a model\'s values must be finite (the training probably diverged before it was saved)'],
  ['Infinity in the parameters', edit((d) => { d.params[3]!['b'] = tensorJson(tensor([0, -Infinity])) }), 'io.decodeModel: params[3].b: element 1 is -Infinity; a model\'s values must be finite'],
  ['Infinity as a JSON number (1e999)', text.replace('"step": 2', '"step": 1e999'), 'io.decodeModel: step: expected a non-negative integer, got Infinity'],
  ['NaN literal', text.replace('"step": 2', '"step": NaN'), 'io.decodeModel: not valid JSON ('],
  ['huge dimensions in the architecture', edit((d) => { Object.assign((d['architecture'] as { layers: Array<Record<string, unknown>> }).layers[0]!, { inSize: 1e9, outSize: 1e9 }); Object.assign((d['architecture'] as { layers: Array<Record<string, unknown>> }).layers[3]!, { inSize: 1e9 }) }), 'io.decodeModel: architecture: declares more than 268435456 parameters (the limit: options.maxParameters of nn.fromSpec, options.maxElements of io.decodeModel; the dense layers so far hold 1000000001000000000, the last one dense(1000000000, 1000000000)); refused before allocating'],
  ['huge dimensions in the optimizer state', edit((d) => { ((d['optState'] as Array<{ mu: Array<Record<string, Record<string, unknown>>> }>)[0]!.mu[0]!['w']!)['shape'] = [1e9, 1e9] }), 'io.decodeModel: optState[0].mu[0].w: shape [1000000000, 1000000000] has 1000000000000000000 elements, which with the 23 read before is more than the limit of 268435456 (options.maxElements); refused before allocating'],
  ['negative dimension', edit((d) => { d.params[0]!['w']!['shape'] = [4, -3] }), 'io.decodeModel: params[0].w.shape[1]: expected a non-negative integer, got -3'],
  ['__proto__ key', text.replace('"step": 2', '"step": 2, "extra2": { "__proto__": { "polluted": true } }'), 'io.decodeModel: extra2.__proto__: the key "__proto__" is not allowed anywhere in a model file (it could reach an object\'s prototype); remove it'],
  ['constructor key in params', edit((d) => { d.params[1]!['constructor'] = { prototype: {} } }), 'io.decodeModel: params[1].constructor: the key "constructor" is not allowed anywhere in a model file'],
  ['prototype key in extra', edit((d) => { (d['extra'] as Record<string, unknown>)['prototype'] = 1 }), 'io.decodeModel: extra.prototype: the key "prototype" is not allowed anywhere'],
  ['__proto__ in the architecture', text.replace('{ "kind": "relu" }', '{ "kind": "relu", "__proto__": {} }'), 'io.decodeModel: architecture.layers[1].__proto__: the key "__proto__" is not allowed anywhere in a model file'],
  ['negative step', edit((d) => { d['step'] = -1 }), 'io.decodeModel: step: expected a non-negative integer, got -1'],
  ['key word out of range', edit((d) => { d['key'] = { kind: 'Key', words: [0, 2 ** 32] } }), 'io.decodeModel: key.words[1]: expected an integer in [0, 2^32), got 4294967296'],
  ['key of the wrong kind', edit((d) => { d['key'] = { kind: 'Seed', words: [0, 1] } }), 'io.decodeModel: key.kind: expected "Key", got "Seed"'],
  ['history with a string loss', edit((d) => { (d['history'] as { loss: unknown[] }).loss[1] = 'low' }), 'io.decodeModel: history.loss[1]: expected a finite number, got "low"'],
  ['history epoch without metrics', edit((d) => { delete (d['history'] as { epochs: Array<Record<string, unknown>> }).epochs[0]!['metrics'] }), 'io.decodeModel: history.epochs[0].metrics: missing; expected an object'],
  ['optimizer state with a string', edit((d) => { (d['optState'] as Array<Record<string, unknown>>)[1]!['count'] = 'zero' }), 'io.decodeModel: optState[1].count: expected a number, a tensor { "dtype", "shape", "data", "crc32" }, an array or a record, got "zero"'],
  ['extra that is not an object', edit((d) => { d['extra'] = [1, 2] }), 'io.decodeModel: extra: expected an object, got an array of 2'],
  ['nested 10,000 deep', `{ "format": "purenet-model", "version": 1, "extra": ${'['.repeat(10_000)}${']'.repeat(10_000)} }`, 'io.decodeModel: nested more than 100 deep at character 151; a model file is never that deep'],
]

describe('model files (pure)', () => {
  it('1. round trip: everything comes back, tensors bit for bit (float32 and float64), key and history exactly', () => {
    const r = decodeModel(text)
    if (E.isLeft(r)) throw new Error(r.left.message)
    const m = r.right
    expect(m.net.spec).toEqual(net.spec)
    expect(m.net.name).toBe(net.name)
    expect(bits(m.params)).toEqual(bits(params))
    expect(bits(m.optState)).toEqual(bits(full.optState))
    expect(m.step).toBe(2)
    expect(m.key).toEqual(key(2 ** 40 + 3))
    expect(m.history).toEqual(history)
    expect(m.extra).toEqual({ classes: ['setosa', 'virginica'], scale: [1.5, 0] })
    expect(Object.isFrozen(m) && Object.isFrozen(m.params)).toBe(true)
    // and it computes what the original computes
    const x = tensor([[1, -2, 3, 0.5]], { dtype: 'float64' })
    expect(bits((m.net.apply as (p: unknown) => (x: Tensor) => Tensor)(m.params)(x))).toEqual(bits(net.apply(params)(x)))
    // encoding is deterministic: the same model gives the same text
    expect(encodeModel(m)).toBe(text)
  })

  it('keeps the optimizer state usable: an Adam step from the loaded state equals one from the original', () => {
    const m = decodeModel(text, { net })
    if (E.isLeft(m)) throw new Error(m.left.message)
    const grads = nn.serial(nn.dense(4, 3, { dtype: 'float64' }), nn.relu, nn.dropout(0.5), nn.dense(3, 2)).init(key(9))
    const [u1, s1] = opt.update(grads, full.optState as ReturnType<typeof opt.init>, params)
    const [u2, s2] = opt.update(grads, m.right.optState as ReturnType<typeof opt.init>, m.right.params)
    expect(bits(u2)).toEqual(bits(u1))
    expect(bits(s2)).toEqual(bits(s1))
  })

  it('reads files of version 1 (tensors without crc32), as written before version 2', () => {
    const v1 = text.replace('"version": 2', '"version": 1').replace(/,\s*"crc32": "[0-9a-f]{8}"/g, '')
    expect(v1).not.toContain('crc32')
    const r = decodeModel(v1)
    if (E.isLeft(r)) throw new Error(r.left.message)
    expect(bits(r.right.params)).toEqual(bits(params))
    expect(bits(r.right.optState)).toEqual(bits(full.optState))
    // a checksum in a version 1 file is an unknown field, and version 2 requires it
    expect(messageOf(v1.replace('"data": "', '"crc32": "00000000", "data": "'))).toMatch(/^io\.decodeModel: params\[0\]\.w\.crc32: unknown field; a tensor has "dtype", "shape" and "data" in a file of version 1$/)
    expect(messageOf(v1.replace('"version": 1', '"version": 2'))).toBe('io.decodeModel: params[0].w.crc32: missing; a tensor of a version 2 file carries the CRC-32 of its bytes')
  })

  it('a minimal file has only format, version, architecture and params', () => {
    const small = encodeModel({ net: nn.dense(2, 1), params: nn.dense(2, 1).init(key(0)) })
    expect(Object.keys(JSON.parse(small) as object)).toEqual(['format', 'version', 'architecture', 'params'])
    const r = decodeModel(small)
    expect(E.isRight(r) && Object.keys(r.right)).toEqual(['net', 'params'])
  })

  it.each(corpus)('refuses a bad file: %s', (_name, bad, expected) => {
    expect(() => decodeModel(bad)).not.toThrow()
    expect(messageOf(bad)).toContain(expected)
  })

  it('never lets a __proto__ key reach a prototype', () => {
    expect(messageOf(text.replace('"classes"', '"__proto__": { "polluted": true }, "classes"'))).toContain('extra.__proto__: the key "__proto__" is not allowed')
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
  })

  it('bounds the text it reads (options.maxBytes) and the elements it allocates (options.maxElements)', () => {
    const r = decodeModel(text, { maxBytes: 100 })
    expect(E.isLeft(r) && r.left.message).toMatch(/^io.decodeModel: the text is \d+ characters, more than the limit of 100 \(options.maxBytes\)/)
    const s = decodeModel(text, { maxElements: 10 })
    expect(E.isLeft(s) && s.left.message).toBe('io.decodeModel: architecture: declares 23 parameters, more than the limit of 10 (options.maxElements); refused before allocating')
  })

  it('loads a network with custom layers only when it is given (options.net), checking the architecture', () => {
    const swish = nn.elementwise('swish', (x) => O.mul(x, O.sigmoid(x)))
    const custom = nn.serial(nn.dense(2, 2), swish, nn.dense(2, 1, { weights: nn.zeros }))
    const saved = encodeModel({ net: custom, params: custom.init(key(3)) })
    expect(messageOf(saved)).toContain('io.decodeModel: architecture.layers[1]: the layer "swish" is custom code')
    const r = decodeModel(saved, { net: custom })
    expect(E.isRight(r) && r.right.net).toBe(custom)
    const other = nn.serial(nn.dense(2, 2), nn.relu, nn.dense(2, 1, { weights: nn.zeros }))
    const wrong = decodeModel(saved, { net: other })
    expect(E.isLeft(wrong) && wrong.left.message).toBe('io.decodeModel: architecture.layers[1].kind: the file has "custom", the network "relu"; the file was saved from another architecture than the network given (options.net)')
  })

  it('encodeModel refuses what could not be loaded back, naming the path', () => {
    const bad = { ...params[0], w: tensor([[NaN, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0]], { dtype: 'float64' }) }
    expect(() => encodeModel({ net, params: [bad, params[1], params[2], params[3]] })).toThrow('io.encodeModel: params[0].w: element 0 is NaN; only finite values can be saved')
    expect(() => encodeModel({ net, params: [params[0], params[1], params[2], nn.dense(3, 3).init(key(0))] as never })).toThrow('io.encodeModel: params[3].w: shape [3, 3], expected [3, 2]')
    expect(() => encodeModel({ net, params, extra: JSON.parse('{"__proto__": 1}') as never })).toThrow('io.encodeModel: extra.__proto__: the key "__proto__" is not allowed')
    expect(() => encodeModel({ net, params, step: 1.5 })).toThrow('io.encodeModel: step: expected a non-negative integer, got 1.5')
  })

  it('encodeModel refuses a field the format has no place for, instead of dropping it', () => {
    const model = { net, params, classes: ['a', 'b'] }
    expect(() => encodeModel(model as never)).toThrow('io.encodeModel: classes: not a field of a model file')
    expect(() => encodeModel(model as never)).toThrow('put your own data under extra, e.g. { extra: { classes: ... } }')
  })
})
