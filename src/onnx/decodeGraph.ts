/**
 * The first half of `importModel`: bytes from outside to a checked ONNX graph, never throwing.
 * Budgets come before work: the byte count before protobuf decoding; the node, initializer and
 * dimension counts, and every initializer's element count against its data's length, before any
 * tensor is allocated. A tensor's data is read only when a layer asks for it (`floatsOf`).
 */
import * as E from 'fp-ts/lib/Either.js'
import { type OnnxError, onnxError } from './OnnxError.js'
import { modelProto } from './schema.js'

/**
 * The budgets of `importModel`. @category onnx
 * @example
 * ```ts
 * const limits: onnx.ImportLimits = { maxBytes: 1e6 }
 * onnx.importModel(new Uint8Array(0), limits)
 * ```
 */
export interface ImportLimits {
  /** The most bytes, default 256 MiB. */
  readonly maxBytes?: number
  /** The most nodes in the graph, default 2^16. */
  readonly maxNodes?: number
  /** The most tensor elements over all initializers and constants, default 2^28. */
  readonly maxElements?: number
}

/**
 * The default budgets of `importModel`. @category onnx
 * @example
 * ```ts
 * console.log(onnx.defaultImportLimits.maxBytes) // the largest ONNX file importModel reads by default
 * ```
 */
export const defaultImportLimits = Object.freeze({ maxBytes: 256 * 2 ** 20, maxNodes: 2 ** 16, maxElements: 2 ** 28 })

/** ONNX element types purenet reads. @category internals */
export const dataTypes = Object.freeze({ float: 1, int64: 7, double: 11 })

/** An initializer or constant whose dims were checked against its data; its values are read on demand. @category internals */
export interface GraphTensor {
  readonly name: string
  readonly dims: ReadonlyArray<number>
  readonly size: number
  readonly dataType: number
  /** Where the tensor is described, for messages (`graph.initializer[2] "fc.weight"`). */
  readonly where: string
  readonly raw: {
    readonly rawData?: Uint8Array
    readonly floatData?: ReadonlyArray<number>
    readonly doubleData?: ReadonlyArray<number>
    readonly int64Data?: ReadonlyArray<unknown>
  }
}

/** An attribute's value, as far as purenet reads attributes. @category internals */
export interface GraphAttribute {
  readonly f?: number
  readonly i?: number
  readonly s?: string
  readonly ints?: ReadonlyArray<number>
  readonly t?: GraphTensor
}

/** A node of the graph. @category internals */
export interface GraphNode {
  readonly index: number
  readonly name: string
  readonly opType: string
  readonly domain: string
  readonly input: ReadonlyArray<string>
  readonly output: ReadonlyArray<string>
  readonly attributes: ReadonlyMap<string, GraphAttribute>
  /** The node as messages name it: `graph.node[3] (Gemm "/0/Gemm")`. */
  readonly where: string
}

/** A graph input or output: its name and dims (`undefined` for a symbolic or missing dim). @category internals */
export interface GraphValue {
  readonly name: string
  readonly dims: ReadonlyArray<number | undefined> | undefined
  readonly elemType: number
}

/** A decoded, checked ONNX model. @category internals */
export interface Graph {
  readonly opset: number
  readonly nodes: ReadonlyArray<GraphNode>
  readonly constants: ReadonlyMap<string, GraphTensor>
  readonly inputs: ReadonlyArray<GraphValue>
  readonly outputs: ReadonlyArray<GraphValue>
  readonly metadata: Readonly<Record<string, string>>
}

const fail = (path: string, detail: string): E.Either<OnnxError, never> => E.left(onnxError('onnx.importModel', path, detail))

/** A name as messages quote it: JSON, at most 80 characters. @category internals */
export const quote = (s: string): string => JSON.stringify(s.length > 80 ? `${s.slice(0, 77)}...` : s)

// protobufjs gives int64 fields as numbers or as `Long` values { low, high } (when long.js is present).
const int64 = (v: unknown): number | undefined => {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v : undefined
  if (typeof v === 'object' && v !== null && 'low' in v && 'high' in v) {
    const { low, high } = v as { readonly low: unknown; readonly high: unknown }
    if (typeof low !== 'number' || typeof high !== 'number') return undefined
    const n = high * 2 ** 32 + (low >>> 0)
    return Number.isSafeInteger(n) ? n : undefined
  }
  return undefined
}

const arrayOf = (u: unknown): ReadonlyArray<unknown> => (Array.isArray(u) ? u : [])
const stringOf = (u: unknown): string => (typeof u === 'string' ? u : '')
const record = (u: unknown): Readonly<Record<string, unknown>> => (typeof u === 'object' && u !== null ? (u as Readonly<Record<string, unknown>>) : {})
const bytesOrUndefined = (u: unknown): Uint8Array | undefined => (u instanceof Uint8Array && u.length > 0 ? u : undefined)
const numbersOrUndefined = (u: unknown): ReadonlyArray<number> | undefined => (Array.isArray(u) && u.length > 0 ? (u as ReadonlyArray<number>) : undefined)

const bytesPer: Readonly<Record<number, number>> = { 1: 4, 7: 8, 11: 8 }

/** Checks a TensorProto's dims and data length, counting its elements against the budget. */
const decodeTensor = (raw: unknown, where: string, fallbackName: string, budget: { used: number; readonly max: number }): E.Either<OnnxError, GraphTensor> => {
  const t = record(raw)
  const dimsRaw = arrayOf(t['dims'])
  if (dimsRaw.length > 8) return fail(where, `has ${dimsRaw.length} dims; purenet reads tensors of at most 8`)
  const dims: number[] = []
  let size = 1
  for (const d of dimsRaw) {
    const n = int64(d)
    if (n === undefined || n < 0) return fail(where, `has the dim ${String(d)}; dims are non-negative integers`)
    dims.push(n)
    size *= n
  }
  if (size > budget.max - budget.used) return fail(where, `holds ${size} elements, past the limit of ${budget.max} over the whole model (limits.maxElements); refused before allocating`)
  budget.used += size
  const dataType = typeof t['dataType'] === 'number' ? t['dataType'] : 0
  if (t['dataLocation'] === 1) return fail(where, `keeps its data in an external file, which importModel cannot read; save the model with its weights inside (onnx.save_model(..., save_as_external_data=False))`)
  const rawData = bytesOrUndefined(t['rawData'])
  const floatData = numbersOrUndefined(t['floatData'])
  const doubleData = numbersOrUndefined(t['doubleData'])
  const int64Data = Array.isArray(t['int64Data']) && t['int64Data'].length > 0 ? (t['int64Data'] as ReadonlyArray<unknown>) : undefined
  const per = bytesPer[dataType]
  if (per !== undefined) {
    const have = rawData !== undefined ? rawData.length / per : (dataType === 1 ? floatData : dataType === 11 ? doubleData : int64Data)?.length ?? 0
    if (have !== size) return fail(where, `has dims [${dims.join(', ')}] (${size} elements) but ${rawData !== undefined ? `${rawData.length} bytes of raw data (${per} per element)` : `${have} values`}; the file is damaged`)
  }
  return E.right({
    name: stringOf(t['name']) || fallbackName, dims, size, dataType, where,
    raw: {
      ...(rawData === undefined ? {} : { rawData }), ...(floatData === undefined ? {} : { floatData }),
      ...(doubleData === undefined ? {} : { doubleData }), ...(int64Data === undefined ? {} : { int64Data }),
    },
  })
}

const typeName: Readonly<Record<number, string>> = { 1: 'float32', 2: 'uint8', 3: 'int8', 6: 'int32', 7: 'int64', 9: 'bool', 10: 'float16', 11: 'float64' }

/** A float tensor's values as float32, or a `Left` for another element type. @category internals */
export const floatsOf = (t: GraphTensor): E.Either<OnnxError, Float32Array> => {
  if (t.dataType === dataTypes.float) {
    if (t.raw.rawData !== undefined) {
      const view = new DataView(t.raw.rawData.buffer, t.raw.rawData.byteOffset, t.raw.rawData.byteLength)
      const out = new Float32Array(t.size)
      for (let i = 0; i < t.size; i++) out[i] = view.getFloat32(4 * i, true)
      return E.right(out)
    }
    return E.right(Float32Array.from(t.raw.floatData ?? []))
  }
  if (t.dataType === dataTypes.double) {
    if (t.raw.rawData !== undefined) {
      const view = new DataView(t.raw.rawData.buffer, t.raw.rawData.byteOffset, t.raw.rawData.byteLength)
      const out = new Float32Array(t.size)
      for (let i = 0; i < t.size; i++) out[i] = view.getFloat64(8 * i, true)
      return E.right(out)
    }
    return E.right(Float32Array.from(t.raw.doubleData ?? []))
  }
  return fail(t.where, `holds ${typeName[t.dataType] ?? `element type ${t.dataType}`} values where purenet expects float32 (or float64) weights`)
}

/** An int64 tensor's values (a Reshape's shape), or a `Left`. @category internals */
export const intsOf = (t: GraphTensor): E.Either<OnnxError, ReadonlyArray<number>> => {
  if (t.dataType !== dataTypes.int64) return fail(t.where, `holds ${typeName[t.dataType] ?? `element type ${t.dataType}`} values where ONNX expects int64`)
  const out: number[] = []
  for (let i = 0; i < t.size; i++) {
    const v = t.raw.rawData !== undefined
      ? int64({ low: new DataView(t.raw.rawData.buffer, t.raw.rawData.byteOffset).getInt32(8 * i, true), high: new DataView(t.raw.rawData.buffer, t.raw.rawData.byteOffset).getInt32(8 * i + 4, true) })
      : int64(t.raw.int64Data?.[i])
    if (v === undefined) return fail(t.where, `holds an int64 beyond 2^53 at index ${i}`)
    out.push(v)
  }
  return E.right(out)
}

const decodeValue = (raw: unknown): GraphValue => {
  const v = record(raw)
  const tensorType = record(record(v['type'])['tensorType'])
  const shape = tensorType['shape']
  const dims = shape === undefined || shape === null ? undefined : arrayOf(record(shape)['dim']).map((d) => {
    const n = int64(record(d)['dimValue'])
    return n !== undefined && n > 0 ? n : undefined
  })
  return { name: stringOf(v['name']), dims, elemType: typeof tensorType['elemType'] === 'number' ? tensorType['elemType'] : 0 }
}

/**
 * Decodes and checks an ONNX model's bytes: the budgets, the opset of the default domain, every
 * initializer's dims against its data, and the nodes with their attributes.
 * @category internals
 */
export const decodeGraph = (bytes: Uint8Array, limits: ImportLimits = {}): E.Either<OnnxError, Graph> => {
  const maxBytes = limits.maxBytes ?? defaultImportLimits.maxBytes
  const maxNodes = limits.maxNodes ?? defaultImportLimits.maxNodes
  const budget = { used: 0, max: limits.maxElements ?? defaultImportLimits.maxElements }
  if (!(bytes instanceof Uint8Array)) return fail('', `expected the bytes of an .onnx file (a Uint8Array), got ${typeof bytes}`)
  if (bytes.length > maxBytes) return fail('', `the file is ${bytes.length} bytes, more than the limit of ${maxBytes} (limits.maxBytes); raise the limit if the model really is that big`)
  if (bytes.length === 0) return fail('', 'the file is empty; expected an ONNX model (a ModelProto)')
  let decoded: unknown
  try {
    decoded = modelProto.decode(bytes)
  } catch (e) {
    if (e instanceof Error && /call stack|max depth/i.test(e.message)) return fail('', 'not an ONNX model purenet can read: its messages nest too deeply (graphs inside attributes inside graphs ...)')
    return fail('', `not an ONNX model: the protobuf data is damaged (${e instanceof Error ? e.message : String(e)}); check that the file is complete and is an .onnx file`)
  }
  const model = record(decoded)
  const graph = record(model['graph'])
  if (model['graph'] === undefined || model['graph'] === null) return fail('graph', 'missing: the file holds no graph; is it an ONNX model?')
  let opset: number | undefined
  for (const o of arrayOf(model['opsetImport'])) {
    const domain = stringOf(record(o)['domain'])
    if (domain === '' || domain === 'ai.onnx') opset = int64(record(o)['version'])
  }
  if (opset === undefined) return fail('opset_import', 'names no opset of the default domain (ai.onnx); the file is incomplete')
  const nodesRaw = arrayOf(graph['node'])
  if (nodesRaw.length > maxNodes) return fail('graph.node', `has ${nodesRaw.length} nodes, more than the limit of ${maxNodes} (limits.maxNodes)`)
  const constants = new Map<string, GraphTensor>()
  for (const [i, raw] of arrayOf(graph['initializer']).entries()) {
    const name = stringOf(record(raw)['name'])
    const t = decodeTensor(raw, `graph.initializer[${i}] ${quote(name)}`, name, budget)
    if (E.isLeft(t)) return t
    constants.set(t.right.name, t.right)
  }
  const nodes: GraphNode[] = []
  for (const [index, raw] of nodesRaw.entries()) {
    const n = record(raw)
    const name = stringOf(n['name'])
    const opType = stringOf(n['opType'])
    const where = `graph.node[${index}] (${opType === '' ? 'no op_type' : opType.slice(0, 40)} ${quote(name)})`
    const attributes = new Map<string, GraphAttribute>()
    for (const a of arrayOf(n['attribute'])) {
      const attr = record(a)
      const attrName = stringOf(attr['name'])
      let t: GraphTensor | undefined
      if (attr['t'] !== undefined && attr['t'] !== null) {
        const decodedT = decodeTensor(attr['t'], `${where}.${attrName}`, '', budget)
        if (E.isLeft(decodedT)) return decodedT
        t = decodedT.right
      }
      const i = int64(attr['i'])
      const ints = arrayOf(attr['ints']).map(int64)
      attributes.set(attrName, {
        ...(typeof attr['f'] === 'number' ? { f: attr['f'] } : {}),
        ...(i === undefined ? {} : { i }),
        ...(attr['s'] instanceof Uint8Array ? { s: new TextDecoder().decode(attr['s']) } : {}),
        ...(ints.length > 0 && ints.every((v) => v !== undefined) ? { ints: ints as ReadonlyArray<number> } : {}),
        ...(t === undefined ? {} : { t }),
      })
    }
    const output = arrayOf(n['output']).map(stringOf)
    const node: GraphNode = { index, name, opType, domain: stringOf(n['domain']), input: arrayOf(n['input']).map(stringOf), output, attributes, where }
    const value = attributes.get('value')?.t
    if (opType === 'Constant' && value !== undefined && output[0] !== undefined) constants.set(output[0], { ...value, name: output[0] })
    nodes.push(node)
  }
  const metadata: Record<string, string> = {}
  for (const p of arrayOf(model['metadataProps'])) metadata[stringOf(record(p)['key'])] = stringOf(record(p)['value'])
  return E.right({
    opset, nodes, constants, metadata,
    inputs: arrayOf(graph['input']).map(decodeValue).filter((v) => !constants.has(v.name)),
    outputs: arrayOf(graph['output']).map(decodeValue),
  })
}
