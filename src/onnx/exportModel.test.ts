import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import * as nn from '../nn/index.js'
import * as O from '../ops/index.js'
import { key, normal } from '../random/index.js'
import { runOnnx } from './fixtures/ort.js'
import { exportModel, importModel } from './index.js'
import { modelProto } from './schema.js'

const message = <A>(r: E.Either<{ readonly message: string }, A>): string => (E.isLeft(r) ? r.left.message : 'Right')

const close = (got: ArrayLike<number>, want: ArrayLike<number>): void => {
  expect(got.length).toBe(want.length)
  for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThanOrEqual(1e-5 * Math.abs(want[i]!) + 1e-6)
}

describe('onnx.exportModel', () => {
  const net = nn.serial(nn.dense(4, 8), nn.relu, nn.dense(8, 3), nn.softmax)
  const params = net.init(key(0))

  it('writes opset 17 by default, input x [batch, 4] with a symbolic batch axis, output y [batch, 3], Gemm nodes', () => {
    const bytes = exportModel(net, params)
    if (E.isLeft(bytes)) throw new Error(bytes.left.message)
    const m = modelProto.toObject(modelProto.decode(bytes.right), { longs: Number }) as {
      opsetImport: Array<{ version: number }>
      graph: { node: Array<{ opType: string }>; input: Array<{ name: string; type: unknown }>; output: Array<{ name: string; type: unknown }> }
    }
    expect(m.opsetImport.map((o) => o.version)).toEqual([17])
    expect(m.graph.node.map((n) => n.opType)).toEqual(['Gemm', 'Relu', 'Gemm', 'Softmax'])
    expect(m.graph.input[0]).toEqual({ name: 'x', type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'batch' }, { dimValue: 4 }] } } } })
    expect(m.graph.output[0]).toEqual({ name: 'y', type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'batch' }, { dimValue: 3 }] } } } })
  })

  it('opsets 17 to 21 run in ONNX Runtime; others are a Left', async () => {
    const x = normal(key(1), [5, 4])
    const want = net.apply(params)(x)
    for (const opset of [17, 18, 19, 20, 21]) {
      const bytes = exportModel(net, params, { opset })
      if (E.isLeft(bytes)) throw new Error(bytes.left.message)
      close((await runOnnx(bytes.right, x.data as Float32Array, x.shape)).data, want.data)
    }
    expect(message(exportModel(net, params, { opset: 16 }))).toBe('onnx.exportModel: the network: options.opset is 16; onnx.exportModel writes opsets 17 to 21')
  })

  it('an inputShape of rank > 1 is flattened row-major by a Flatten node, and importModel reads it back', async () => {
    const conv = nn.serial(nn.dense(6, 2), nn.tanh)
    const p = conv.init(key(2))
    const bytes = exportModel(conv, p, { inputShape: [2, 3] })
    if (E.isLeft(bytes)) throw new Error(bytes.left.message)
    const x = normal(key(3), [3, 6])
    close((await runOnnx(bytes.right, x.data as Float32Array, [3, 2, 3])).data, conv.apply(p)(x).data)
    const back = importModel(bytes.right)
    expect(E.isRight(back) && back.right.inputShape).toEqual([2, 3])
    expect(message(exportModel(conv, p, { inputShape: [5] }))).toBe('onnx.exportModel: the network: options.inputShape [5] has 5 features, but serial(dense(6, 2), tanh) takes 6')
  })

  it('float64 parameters are written as float32 and agree within float32 rounding', async () => {
    const wide = nn.serial(nn.dense(3, 4, { dtype: 'float64' }), nn.sigmoid)
    const p = wide.init(key(4))
    const bytes = exportModel(wide, p)
    if (E.isLeft(bytes)) throw new Error(bytes.left.message)
    const x = O.cast(normal(key(5), [2, 3]), 'float64')
    close((await runOnnx(bytes.right, Float32Array.from(x.data), [2, 3])).data, wide.apply(p)(x).data)
  })

  it('a layer that is code, or of a kind ONNX has no form for, is a Left naming its path; nothing is written', () => {
    const swish = nn.elementwise('swish', O.silu)
    expect(message(exportModel(nn.serial(nn.dense(2, 2), nn.residual(swish)), [nn.dense(2, 2).init(key(0)), {}])))
      .toBe('onnx.exportModel: layers[1].layer: the layer swish is code (kind "custom"), which onnx.exportModel cannot write; build the network from built-in layers (dense, the activations, dropout, serial, fanOut, parallel, residual, layerNorm, conv2d, maxPool2d, avgPool2d, flatten, channelsLast, channelsFirst)')
  })

  it('parameters that do not fit the network are a Left naming the layer', () => {
    expect(message(exportModel(net, [params[0], {}, params[0], {}]))).toBe('onnx.exportModel: layers[2]: dense(8, 3) expects w of shape [8, 3] and b of shape [3], got [4, 8] and [8]')
    expect(message(exportModel(net, {}))).toMatch(/^onnx\.exportModel: the network: serial expects an array of 4 parameter trees/)
  })

  it('a network of size-preserving layers needs options.inputShape', () => {
    expect(message(exportModel(nn.relu, {}))).toBe("onnx.exportModel: the network: relu works at any size, so the input's width is unknown; pass options.inputShape (e.g. [4])")
    expect(E.isRight(exportModel(nn.relu, {}, { inputShape: [3] }))).toBe(true)
  })

  it('metadata goes into metadata_props and comes back from importModel', () => {
    const bytes = exportModel(net, params, { metadata: { 'purenet.extra': '{"task":"classification"}' } })
    const back = E.isRight(bytes) ? importModel(bytes.right) : bytes
    expect(E.isRight(back) && back.right.metadata).toEqual({ 'purenet.extra': '{"task":"classification"}' })
  })
})
