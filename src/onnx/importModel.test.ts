import { readFileSync } from 'node:fs'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import * as nn from '../nn/index.js'
import { key, normal } from '../random/index.js'
import { type Tensor, fromData } from '../tensor/index.js'
import { runOnnx } from './fixtures/ort.js'
import { exportModel, importModel } from './index.js'
import { modelProto } from './schema.js'

const fixture = (name: string): Uint8Array => readFileSync(new URL(`./fixtures/pytorch/${name}`, import.meta.url))

interface Reference {
  readonly input: { readonly shape: ReadonlyArray<number>; readonly data: ReadonlyArray<number> }
  readonly output: { readonly shape: ReadonlyArray<number>; readonly data: ReadonlyArray<number> }
}
const reference = (name: string): Reference => JSON.parse(new TextDecoder().decode(fixture(`${name}.json`))) as Reference

const applyNet = (layer: nn.AnyLayer, params: unknown, x: Tensor): Tensor => (layer.apply as (p: unknown) => (x: Tensor) => Tensor)(params)(x)

/** A model of the given nodes and float initializers, input x [batch, inSize], output y. */
const model = (nodes: ReadonlyArray<object>, initializers: ReadonlyArray<{ readonly name: string; readonly dims: ReadonlyArray<number>; readonly data: ReadonlyArray<number> }>, inSize: number, opset = 17): Uint8Array =>
  modelProto.encode(modelProto.fromObject({
    irVersion: 8,
    opsetImport: [{ domain: '', version: opset }],
    graph: {
      name: 'test',
      node: nodes,
      initializer: initializers.map((t) => ({ name: t.name, dims: t.dims, dataType: 1, floatData: t.data })),
      input: [{ name: 'x', type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'batch' }, { dimValue: inSize }] } } } }],
      output: [{ name: 'y', type: { tensorType: { elemType: 1 } } }],
    },
  })).finish()

const message = <A>(r: E.Either<{ readonly message: string }, A>): string => (E.isLeft(r) ? r.left.message : 'Right')

describe('onnx.importModel: PyTorch\'s files', () => {
  for (const name of ['mlp-relu', 'mlp-mixed', 'mlp-gelu', 'cnn-small']) {
    it(`${name} imports and reproduces PyTorch's outputs within 1e-5`, () => {
      const r = importModel(fixture(`${name}.onnx`))
      if (E.isLeft(r)) throw new Error(r.left.message)
      const ref = reference(name)
      const y = applyNet(r.right.net, r.right.params, fromData(ref.input.shape, Float32Array.from(ref.input.data)))
      expect(y.shape).toEqual(ref.output.shape)
      y.data.forEach((v, i) => expect(Math.abs(v - ref.output.data[i]!)).toBeLessThanOrEqual(1e-5 * Math.abs(ref.output.data[i]!) + 1e-6))
    })
  }

  it('mlp-mixed is read layer by layer (Gemm with transB, Tanh, Sigmoid, Softmax on axis 1)', () => {
    const r = importModel(fixture('mlp-mixed.onnx'))
    expect(E.isRight(r) && r.right.net.name).toBe('serial(dense(6, 12), tanh, dense(12, 12), sigmoid, dense(12, 4), softmax)')
  })

  it('mlp-gelu: PyTorch\'s Erf and tanh GELU decompositions (with Constant nodes), Elu, LeakyRelu, Softplus, LogSoftmax', () => {
    const r = importModel(fixture('mlp-gelu.onnx'))
    expect(E.isRight(r) && r.right.net.name).toBe('serial(dense(5, 8), geluErf, dense(8, 8), gelu, dense(8, 8), elu, dense(8, 8), leakyRelu, dense(8, 8), softplus, dense(8, 4), logSoftmax)')
  })

  it.each(['mlp-relu', 'cnn-small'])('an imported PyTorch model (%s) exports again, and ONNX Runtime reproduces PyTorch\'s outputs from that file', async (name) => {
    const r = importModel(fixture(`${name}.onnx`))
    if (E.isLeft(r)) throw new Error(r.left.message)
    const bytes = exportModel(r.right.net, r.right.params, { inputShape: r.right.inputShape })
    if (E.isLeft(bytes)) throw new Error(bytes.left.message)
    const ref = reference(name)
    const y = await runOnnx(bytes.right, Float32Array.from(ref.input.data), ref.input.shape)
    y.data.forEach((v, i) => expect(Math.abs(v - ref.output.data[i]!)).toBeLessThanOrEqual(1e-5 * Math.abs(ref.output.data[i]!) + 1e-6))
    const again = importModel(bytes.right)
    expect(E.isRight(again) && again.right.net.name).toBe(r.right.net.name)
  })

  it('cnn-small (Conv, MaxPool, Flatten of NCHW images) is read into NHWC layers between channelsLast and channelsFirst, and takes NCHW input as the file does', () => {
    const r = importModel(fixture('cnn-small.onnx'))
    expect(E.isRight(r) && r.right.net.name).toBe('serial(serial(channelsLast([1, 8, 8]), conv2d([8, 8, 1], 4, 3)), relu, maxPool2d([8, 8, 4], 2), serial(channelsFirst([4, 4, 4]), flatten), dense(64, 10))')
    expect(E.isRight(r) && r.right.inputShape).toEqual([1, 8, 8])
  })
})

describe('onnx.importModel: images', () => {
  // a model of the given nodes on NCHW input x [batch, 2, 3, 3]
  const images = (nodes: ReadonlyArray<object>): Uint8Array => modelProto.encode(modelProto.fromObject({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'test', node: nodes,
      input: [{ name: 'x', type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'batch' }, { dimValue: 2 }, { dimValue: 3 }, { dimValue: 3 }] } } } }],
      output: [{ name: 'y', type: { tensorType: { elemType: 1 } } }],
    },
  })).finish()
  const x = fromData([1, 2, 3, 3], Float32Array.from({ length: 18 }, (_, i) => (i * 7) % 11 - 5))

  it('GlobalAveragePool and GlobalMaxPool give one value per channel, from NCHW input', () => {
    const avg = importModel(images([{ opType: 'GlobalAveragePool', input: ['x'], output: ['p'], name: 'gap' }, { opType: 'Flatten', input: ['p'], output: ['y'], name: 'f' }]))
    if (E.isLeft(avg)) throw new Error(avg.left.message)
    const mean = (c: number): number => Array.from(x.data.slice(9 * c, 9 * c + 9)).reduce((a, b) => a + b, 0) / 9
    Array.from(applyNet(avg.right.net, avg.right.params, x).data).forEach((v, c) => expect(v).toBeCloseTo(mean(c), 6))
    const max = importModel(images([{ opType: 'GlobalMaxPool', input: ['x'], output: ['p'], name: 'gmp' }, { opType: 'Flatten', input: ['p'], output: ['y'], name: 'f' }]))
    if (E.isLeft(max)) throw new Error(max.left.message)
    expect(Array.from(applyNet(max.right.net, max.right.params, x).data)).toEqual([0, 1].map((c) => Math.max(...x.data.slice(9 * c, 9 * c + 9))))
  })

  it('an unsupported operator, a pool that counts padding or rounds up, are Lefts naming the node', () => {
    expect(message(importModel(images([{ opType: 'BatchNormalization', input: ['x', 's', 'b', 'm', 'v'], output: ['y'], name: 'bn' }]))))
      .toMatch(/^onnx\.importModel: graph\.node\[0\] \(BatchNormalization "bn"\): unsupported operators: BatchNormalization \(at /)
    const pool = (attribute: ReadonlyArray<object>) => images([{ opType: 'AveragePool', input: ['x'], output: ['y'], name: 'ap', attribute: [{ name: 'kernel_shape', type: 7, ints: [2, 2] }, ...attribute] }])
    expect(message(importModel(pool([{ name: 'pads', type: 7, ints: [1, 1, 1, 1] }, { name: 'count_include_pad', type: 2, i: 1 }])))).toMatch(/AveragePool "ap"\): counts the padding/)
    expect(message(importModel(pool([{ name: 'ceil_mode', type: 2, i: 1 }])))).toMatch(/AveragePool "ap"\): has ceil_mode = 1/)
  })
})

describe('onnx.importModel: operators as exporters write them', () => {
  const w = [1, 2, 3, 4, 5, 6] // [2, 3] row-major
  const x = fromData([2, 2], Float32Array.of(1, -1, 0.5, 2))

  it('MatMul then Add of a constant is one dense layer with that bias; MatMul alone has a zero bias', () => {
    const withBias = importModel(model([
      { opType: 'MatMul', input: ['x', 'w'], output: ['h'], name: 'mm' },
      { opType: 'Add', input: ['b', 'h'], output: ['y'], name: 'add' },
    ], [{ name: 'w', dims: [2, 3], data: w }, { name: 'b', dims: [3], data: [10, 20, 30] }], 2))
    if (E.isLeft(withBias)) throw new Error(withBias.left.message)
    expect(withBias.right.net.name).toBe('serial(dense(2, 3))')
    expect(Array.from(applyNet(withBias.right.net, withBias.right.params, x).data)).toEqual([7, 17, 27, 18.5, 31, 43.5])
    const alone = importModel(model([{ opType: 'MatMul', input: ['x', 'w'], output: ['y'], name: 'mm' }], [{ name: 'w', dims: [2, 3], data: w }], 2))
    expect(E.isRight(alone) && Array.from(applyNet(alone.right.net, alone.right.params, x).data)).toEqual([-3, -3, -3, 8.5, 11, 13.5])
  })

  it('Gemm: transB = 1 reads B as [out, in]; alpha and beta scale w and b', () => {
    const r = importModel(model([{
      opType: 'Gemm', input: ['x', 'B', 'C'], output: ['y'], name: 'fc',
      attribute: [{ name: 'transB', type: 2, i: 1 }, { name: 'alpha', type: 1, f: 2 }, { name: 'beta', type: 1, f: 0.5 }],
    }], [{ name: 'B', dims: [3, 2], data: w }, { name: 'C', dims: [1, 3], data: [2, 4, 6] }], 2))
    if (E.isLeft(r)) throw new Error(r.left.message)
    // w = 2 · B^T = [[2, 6, 10], [4, 8, 12]], b = [1, 2, 3]
    expect(Array.from(applyNet(r.right.net, r.right.params, x).data)).toEqual([-1, 0, 1, 10, 21, 32])
  })

  it('Flatten and Reshape to [batch, features] are read as nothing; an input of rank 3 is flattened', () => {
    const bytes = modelProto.encode(modelProto.fromObject({
      irVersion: 8, opsetImport: [{ version: 17 }],
      graph: {
        node: [{ opType: 'Reshape', input: ['x', 'shape'], output: ['f'], name: 'r' }, { opType: 'Relu', input: ['f'], output: ['y'], name: 'relu' }],
        initializer: [{ name: 'shape', dims: [2], dataType: 7, int64Data: [0, -1] }],
        input: [{ name: 'x', type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'N' }, { dimValue: 2 }, { dimValue: 3 }] } } } }],
        output: [{ name: 'y' }],
      },
    })).finish()
    const r = importModel(bytes)
    expect(E.isRight(r) && [r.right.net.name, r.right.inputShape]).toEqual(['serial(relu)', [2, 3]])
    expect(message(importModel(model([{ opType: 'Reshape', input: ['x', 's'], output: ['y'], name: 'r' }], [], 2)))).toMatch(/graph\.node\[0\] \(Reshape "r"\): its shape "s" is not a constant/)
  })

  it('Elu and LeakyRelu with the default alpha are nn.elu and nn.leakyRelu; another alpha is an elementwise layer computing it', () => {
    const r = importModel(model([
      { opType: 'Elu', input: ['x'], output: ['a'], name: 'e' },
      { opType: 'LeakyRelu', input: ['a'], output: ['y'], name: 'l', attribute: [{ name: 'alpha', type: 1, f: 0.5 }] },
    ], [], 2))
    if (E.isLeft(r)) throw new Error(r.left.message)
    expect(r.right.net.name).toBe('serial(elu, leakyRelu(0.5))')
    expect(Array.from(applyNet(r.right.net, r.right.params, fromData([1, 2], Float32Array.of(-1, 2))).data)).toEqual([Math.fround(0.5 * Math.fround(Math.exp(-1) - 1)), 2])
  })

  it('Gelu is nn.gelu (tanh) or nn.geluErf, as an op or as PyTorch\'s Div/Erf/Add/Mul/Mul', () => {
    const tanhGelu = importModel(model([{ opType: 'Gelu', input: ['x'], output: ['y'], name: 'g', attribute: [{ name: 'approximate', type: 3, s: new TextEncoder().encode('tanh') }] }], [], 2, 20))
    expect(E.isRight(tanhGelu) && tanhGelu.right.net.name).toBe('serial(gelu)')
    const scalar = (name: string, v: number) => ({ name, dims: [], data: [v] })
    const erfGelu = importModel(model([
      { opType: 'Div', input: ['x', 'sqrt2'], output: ['d'], name: '/Div' },
      { opType: 'Erf', input: ['d'], output: ['e'], name: '/Erf' },
      { opType: 'Add', input: ['e', 'one'], output: ['a'], name: '/Add' },
      { opType: 'Mul', input: ['x', 'a'], output: ['m'], name: '/Mul' },
      { opType: 'Mul', input: ['m', 'half'], output: ['y'], name: '/Mul_1' },
    ], [scalar('sqrt2', Math.SQRT2), scalar('one', 1), scalar('half', 0.5)], 2))
    expect(E.isRight(erfGelu) && erfGelu.right.net.name).toBe('serial(geluErf)')
    const erfOp = importModel(model([{ opType: 'Gelu', input: ['x'], output: ['y'], name: 'g' }], [], 2, 20))
    expect(E.isRight(erfOp) && erfOp.right.net.name).toBe('serial(geluErf)')
    const scale = importModel(model([{ opType: 'Mul', input: ['x', 'two'], output: ['m'], name: 'm' }, { opType: 'Mul', input: ['m', 'two'], output: ['y'], name: 'm2' }], [scalar('two', 2)], 2))
    expect(message(scale)).toMatch(/graph\.node\[0\] \(Mul "m"\): starts a run of arithmetic \(Mul, Mul\) that is not a formula purenet has a layer for/)
  })

  it('a tanh GELU written out in another order of nodes is still nn.gelu', () => {
    const scalar = (name: string, v: number) => ({ name, dims: [], data: [v] })
    const r = importModel(model([
      { opType: 'Mul', input: ['x', 'half'], output: ['h'], name: 'a' },
      { opType: 'Pow', input: ['x', 'three'], output: ['p'], name: 'b' },
      { opType: 'Mul', input: ['p', 'k'], output: ['pk'], name: 'c' },
      { opType: 'Add', input: ['x', 'pk'], output: ['s'], name: 'd' },
      { opType: 'Mul', input: ['s', 'c'], output: ['sc'], name: 'e' },
      { opType: 'Tanh', input: ['sc'], output: ['t'], name: 'f' },
      { opType: 'Add', input: ['t', 'one'], output: ['t1'], name: 'g' },
      { opType: 'Mul', input: ['h', 't1'], output: ['g1'], name: 'h' },
      { opType: 'Tanh', input: ['g1'], output: ['y'], name: 'i' },
    ], [scalar('half', 0.5), scalar('three', 3), scalar('k', 0.044715), scalar('c', Math.sqrt(2 / Math.PI)), scalar('one', 1)], 2))
    expect(E.isRight(r) && r.right.net.name).toBe('serial(gelu, tanh)')
  })

  it('Softmax on another axis than the features is a Left naming the node', () => {
    const r = importModel(model([{ opType: 'Softmax', input: ['x'], output: ['y'], name: 'sm', attribute: [{ name: 'axis', type: 2, i: 0 }] }], [], 2))
    expect(message(r)).toBe('onnx.importModel: graph.node[0] (Softmax "sm"): works along axis 0; purenet\'s softmax works along the feature (last) axis')
  })

  it('branches that meet other than as x + f(x) or a Concat are a Left naming the node', () => {
    const twice = importModel(model([{ opType: 'Relu', input: ['x'], output: ['a'], name: 'r' }, { opType: 'Add', input: ['a', 'a'], output: ['y'], name: 'sum' }], [], 2))
    expect(message(twice)).toBe("onnx.importModel: graph.node[1] (Add \"sum\"): adds to the previous value something that is not a MatMul's bias; purenet reads Add as a MatMul's bias or as x + f(x) (residual)")
    const sum = importModel(model([
      { opType: 'Relu', input: ['x'], output: ['a'], name: 'r' },
      { opType: 'Tanh', input: ['x'], output: ['b'], name: 't' },
      { opType: 'Add', input: ['a', 'b'], output: ['y'], name: 'sum' },
    ], [], 2))
    expect(message(sum)).toBe('onnx.importModel: graph.node[2] (Add "sum"): adds two branches; purenet reads an Add of branches only as x + f(x) (residual)')
    const rows = importModel(model([
      { opType: 'Relu', input: ['x'], output: ['a'], name: 'r' },
      { opType: 'Concat', input: ['x', 'a'], output: ['y'], name: 'cat', attribute: [{ name: 'axis', type: 2, i: 0 }] },
    ], [], 2))
    expect(message(rows)).toBe('onnx.importModel: graph.node[1] (Concat "cat"): concatenates along axis 0; purenet concatenates branches along the features (axis 1)')
  })

  it('x + f(x) is residual, a Concat of branches fanOut, of Slices of x parallel', () => {
    const w = { name: 'w', dims: [2, 2], data: [1, 2, 3, 4] }
    const residual = importModel(model([
      { opType: 'MatMul', input: ['x', 'w'], output: ['h'], name: 'mm' },
      { opType: 'Relu', input: ['h'], output: ['f'], name: 'r' },
      { opType: 'Add', input: ['f', 'x'], output: ['y'], name: 'skip' },
    ], [w], 2))
    expect(E.isRight(residual) && residual.right.net.name).toBe('serial(residual(serial(dense(2, 2), relu)))')
    const fan = importModel(model([
      { opType: 'MatMul', input: ['x', 'w'], output: ['h'], name: 'mm' },
      { opType: 'Tanh', input: ['h'], output: ['t'], name: 't' },
      { opType: 'Concat', input: ['x', 't'], output: ['y'], name: 'cat', attribute: [{ name: 'axis', type: 2, i: 1 }] },
    ], [w], 2))
    expect(E.isRight(fan) && fan.right.net.name).toBe('serial(fanOut(identity, serial(dense(2, 2), tanh)))')
    const bytes = exportModel(nn.parallel(nn.dense(1, 3), nn.dense(2, 1)), [nn.dense(1, 3).init(key(1)), nn.dense(2, 1).init(key(2))])
    const par = E.isRight(bytes) ? importModel(bytes.right) : bytes
    expect(E.isRight(par) && par.right.net.name).toBe('serial(parallel(dense(1, 3), dense(2, 1)))')
  })

  it('a weight that is not a constant, or of the wrong size, is a Left naming the node', () => {
    expect(message(importModel(model([{ opType: 'Gemm', input: ['x', 'W'], output: ['y'], name: 'fc' }], [], 2)))).toMatch(/graph\.node\[0\] \(Gemm "fc"\): its weight B "W" is not a constant/)
    expect(message(importModel(model([{ opType: 'Gemm', input: ['x', 'W'], output: ['y'], name: 'fc' }], [{ name: 'W', dims: [3, 2], data: w }], 2))))
      .toBe('onnx.importModel: graph.node[0] (Gemm "fc"): takes 3 features, but the previous value has 2')
  })

  it('float64 weights are read as float32', () => {
    const params = nn.dense(3, 2).init(key(1))
    const bytes = modelProto.encode(modelProto.fromObject({
      irVersion: 8, opsetImport: [{ version: 17 }],
      graph: {
        node: [{ opType: 'Gemm', input: ['x', 'w', 'b'], output: ['y'], name: 'fc' }],
        initializer: [{ name: 'w', dims: [3, 2], dataType: 11, doubleData: Array.from(params.w.data) }, { name: 'b', dims: [2], dataType: 11, doubleData: [0.5, 0.25] }],
        input: [{ name: 'x', type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'N' }, { dimValue: 3 }] } } } }],
        output: [{ name: 'y' }],
      },
    })).finish()
    const r = importModel(bytes)
    if (E.isLeft(r)) throw new Error(r.left.message)
    const x = normal(key(2), [4, 3])
    const want = nn.dense(3, 2).apply({ w: params.w, b: fromData([2], Float32Array.of(0.5, 0.25)) })(x)
    expect(Array.from(applyNet(r.right.net, r.right.params, x).data)).toEqual(Array.from(want.data))
  })
})
