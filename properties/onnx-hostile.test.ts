/**
 * Hostile ONNX files: `onnx.importModel` follows the rules of model files (properties/hostile-files.test.ts).
 * 1. total: truncated, fuzzed and random bytes, and deep nesting, never make it throw: every
 *    input is a `Right` or a `Left` with a message.
 * 2. budgets: a file past a limit (bytes, nodes, tensor elements) is a `Left` naming the limit,
 *    decided before allocating (a tensor claiming 2^40 elements with no data is refused at once).
 * 3. a damaged tensor (dims that disagree with its data) is a `Left` naming the initializer.
 */
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { dense, relu, serial } from '../src/nn/index.js'
import { exportModel, importModel } from '../src/onnx/index.js'
import { modelProto } from '../src/onnx/schema.js'
import { key } from '../src/random/index.js'

const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`../src/onnx/fixtures/pytorch/${name}.onnx`, import.meta.url)))

const net = serial(dense(5, 7), relu, dense(7, 2))
const exported = exportModel(net, net.init(key(0)))
const files: ReadonlyArray<Uint8Array> = [fixture('mlp-relu'), fixture('mlp-mixed'), fixture('cnn-small'), E.isRight(exported) ? exported.right : new Uint8Array()]

/** importModel's answer, checked to be a Right or a Left with a message (a throw fails the test). */
const total = (bytes: Uint8Array): boolean => {
  const r = importModel(bytes)
  return E.isRight(r) || (r.left.message.startsWith('onnx.importModel: ') && r.left.message.length > 20)
}

const leftOf = (bytes: Uint8Array, limits = {}): string => {
  const r = importModel(bytes, limits)
  return E.isLeft(r) ? r.left.message : 'Right'
}

const varint = (n: number): number[] => {
  const out: number[] = []
  while (n > 127) {
    out.push((n & 127) | 128)
    n = Math.floor(n / 128)
  }
  out.push(n)
  return out
}

describe('onnx.importModel on hostile bytes', () => {
  it('law 1: every truncation of every file is a Right or a Left, never a throw', () => {
    for (const file of files) {
      expect(file.length).toBeGreaterThan(100)
      for (let n = 0; n < file.length; n++) expect(total(file.subarray(0, n))).toBe(true)
    }
  })

  it('law 1: fuzzed files (bytes changed, inserted, deleted) and random bytes never throw', () => {
    const edit = fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('set', 'insert', 'delete'))
    fc.assert(
      fc.property(fc.constantFrom(...files), fc.array(edit, { minLength: 1, maxLength: 8 }), (file, edits) => {
        const bytes = Array.from(file)
        for (const [at, value, how] of edits) {
          const i = at % (bytes.length + 1)
          if (how === 'set') bytes[Math.min(i, bytes.length - 1)] = value
          else if (how === 'insert') bytes.splice(i, 0, value)
          else bytes.splice(i, 1)
        }
        return total(Uint8Array.from(bytes))
      }),
      { numRuns: 2000 },
    )
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => total(bytes)), { numRuns: 1000 })
  })

  it('law 1: graphs nested 100 000 deep in attributes are a Left, not a stack overflow', () => {
    const depth = 100_000
    // From the inside out: the length of each level's GraphProto { node { attribute { g: inner } } }.
    const graphLen: number[] = new Array(depth + 1)
    const attrLen: number[] = new Array(depth)
    const nodeLen: number[] = new Array(depth)
    graphLen[depth] = 0
    for (let i = depth - 1; i >= 0; i--) {
      attrLen[i] = 1 + varint(graphLen[i + 1]!).length + graphLen[i + 1]!
      nodeLen[i] = 1 + varint(attrLen[i]!).length + attrLen[i]!
      graphLen[i] = 1 + varint(nodeLen[i]!).length + nodeLen[i]!
    }
    const out: number[] = [0x3a, ...varint(graphLen[0]!)]
    for (let i = 0; i < depth; i++) out.push(0x0a, ...varint(nodeLen[i]!), 0x2a, ...varint(attrLen[i]!), 0x32, ...varint(graphLen[i + 1]!))
    const r = leftOf(Uint8Array.from(out))
    expect(r).toBe('onnx.importModel: the model: not an ONNX model purenet can read: its messages nest too deeply (graphs inside attributes inside graphs ...)')
  })

  it('law 2: budgets of bytes, nodes and elements are Lefts naming the limit', () => {
    const file = files[0]!
    expect(leftOf(file, { maxBytes: 100 })).toBe(`onnx.importModel: the model: the file is ${file.length} bytes, more than the limit of 100 (limits.maxBytes); raise the limit if the model really is that big`)
    expect(leftOf(file, { maxNodes: 2 })).toBe('onnx.importModel: graph.node: has 3 nodes, more than the limit of 2 (limits.maxNodes)')
    expect(leftOf(file, { maxElements: 100 })).toMatch(/^onnx\.importModel: graph\.initializer\[\d\] "[^"]+": holds \d+ elements, past the limit of 100 over the whole model \(limits\.maxElements\); refused before allocating$/)
  })

  it('law 2: a tensor claiming 2^40 elements with no data is refused before any allocation', () => {
    const bytes = modelProto.encode(modelProto.fromObject({
      irVersion: 8, opsetImport: [{ version: 17 }],
      graph: { initializer: [{ name: 'huge', dims: [2 ** 20, 2 ** 20], dataType: 1 }], node: [], input: [], output: [] },
    })).finish()
    expect(leftOf(bytes)).toBe('onnx.importModel: graph.initializer[0] "huge": holds 1099511627776 elements, past the limit of 268435456 over the whole model (limits.maxElements); refused before allocating')
  })

  it('law 3: dims that disagree with the data are a Left naming the initializer', () => {
    const bytes = modelProto.encode(modelProto.fromObject({
      irVersion: 8, opsetImport: [{ version: 17 }],
      graph: { initializer: [{ name: 'w', dims: [2, 3], dataType: 1, rawData: new Uint8Array(20) }], node: [], input: [], output: [] },
    })).finish()
    expect(leftOf(bytes)).toBe('onnx.importModel: graph.initializer[0] "w": has dims [2, 3] (6 elements) but 20 bytes of raw data (4 per element); the file is damaged')
  })

  it('law 1: graphs shaped to be slow (wide, long, deep or arithmetic) are read or refused, never hung or thrown', () => {
    const encode = (node: ReadonlyArray<object>, initializer: ReadonlyArray<object> = []): Uint8Array => modelProto.encode(modelProto.fromObject({
      irVersion: 8, opsetImport: [{ version: 17 }],
      graph: { node, initializer, input: [{ name: 'x', type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'N' }, { dimValue: 2 }] } } } }], output: [{ name: 'y' }] },
    })).finish()
    const n = 20_000
    // one value read by n nodes, all concatenated
    const wide = encode([...Array.from({ length: n }, (_, i) => ({ opType: 'Relu', input: ['x'], output: [`r${i}`], name: `r${i}` })),
      { opType: 'Concat', input: Array.from({ length: n }, (_, i) => `r${i}`), output: ['y'], name: 'cat', attribute: [{ name: 'axis', type: 2, i: 1 }] }])
    expect(leftOf(wide)).toBe(`onnx.importModel: graph.node[${n}] (Concat "cat"): concatenates ${n} branches; purenet reads at most 256`)
    // n residual blocks x + relu(x) in a row: read, linear in n
    const long: object[] = []
    for (let i = 0; i < n; i++) {
      const x = i === 0 ? 'x' : `a${i - 1}`
      long.push({ opType: 'Relu', input: [x], output: [`r${i}`], name: `r${i}` }, { opType: 'Add', input: [x, `r${i}`], output: [i === n - 1 ? 'y' : `a${i}`], name: `a${i}` })
    }
    const longModel = importModel(encode(long))
    expect(E.isRight(longModel) && longModel.right.params.length).toBe(n)
    // residuals nested 100 deep: refused at 64
    const deep: object[] = []
    const depth = 100
    for (let i = 0; i < depth; i++) deep.push({ opType: 'Relu', input: [i === 0 ? 'x' : `r${i - 1}`], output: [`r${i}`], name: `r${i}` })
    for (let i = depth - 1; i >= 0; i--) deep.push({ opType: 'Add', input: [i === 0 ? 'x' : `r${i - 1}`, i === depth - 1 ? `r${i}` : `s${i + 1}`], output: [i === 0 ? 'y' : `s${i}`], name: `s${i}` })
    expect(leftOf(encode(deep))).toMatch(/^onnx\.importModel: value "[^"]+": opens branches inside branches more than 64 deep; purenet reads at most that$/)
    // a run of n multiplications by a scalar
    const muls = encode(Array.from({ length: n }, (_, i) => ({ opType: 'Mul', input: [i === 0 ? 'x' : `m${i - 1}`, 'two'], output: [i === n - 1 ? 'y' : `m${i}`], name: `m${i}` })), [{ name: 'two', dims: [], dataType: 1, floatData: [2] }])
    expect(leftOf(muls)).toMatch(/^onnx\.importModel: graph\.node\[0\] \(Mul "m0"\): starts a run of arithmetic \(Mul, Mul, /)
  })

  it('an empty file, a JSON file and a file with no graph are Lefts that say what was expected', () => {
    expect(leftOf(new Uint8Array())).toBe('onnx.importModel: the model: the file is empty; expected an ONNX model (a ModelProto)')
    expect(leftOf(new TextEncoder().encode('{"format": "purenet-model"}'))).toMatch(/^onnx\.importModel: the model: not an ONNX model: the protobuf data is damaged/)
    expect(leftOf(modelProto.encode(modelProto.fromObject({ irVersion: 8 })).finish())).toBe('onnx.importModel: graph: missing: the file holds no graph; is it an ONNX model?')
  })
})
