/**
 * The laws of src/onnx/index.ts, on random networks of every built-in layer kind and combinator,
 * every activation and random sizes, run by ONNX Runtime (onnxruntime-web's WebAssembly backend):
 * 1. agreement: ONNX Runtime's output for `exportModel(net, params)` equals `net.apply(params)(x)`
 *    within 1e-5 relative (plus 1e-6 absolute for outputs near zero), float32, for any batch size
 *    (the batch axis is dynamic).
 * 2. round trip: `importModel` of the exported bytes computes bit-identically what `net` computes
 *    (branches included: residual, fanOut, parallel), and exporting that again gives a file ONNX
 *    Runtime runs to the same outputs.
 * Conv nets (conv2d with random kernels, strides, padding incl. 'same', dilation and groups; max
 * and average pools; activations; flatten and dense or softmax, or images out) are among them:
 * purenet's NHWC layers become ONNX's NCHW Conv and pools with transposes at the edges.
 */
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { type AnyLayer, activationKinds, dense, dropout, fanOut, identity, parallel, residual, serial } from '../src/nn/index.js'
import * as nn from '../src/nn/index.js'
import { exportModel, importModel } from '../src/onnx/index.js'
import { runOnnx } from '../src/onnx/fixtures/ort.js'
import { key, normal } from '../src/random/index.js'
import type { Tensor } from '../src/tensor/index.js'

const activations: ReadonlyArray<AnyLayer> = activationKinds.map((k) => nn[k])

type Block = (n: number, m: number) => readonly [AnyLayer, number]
const chainBlocks: ReadonlyArray<Block> = [
  (n, m) => [dense(n, m, { weights: 'heNormal', bias: 'glorotUniform' }), m],
  (n, m) => [activations[m % activations.length]!, n],
  (n, m) => [dense(n, m), m],
  (n, m) => [activations[(m + 5) % activations.length]!, n],
  (n, m) => [dropout([0, 0.3][m % 2]!), n],
  // layerNorm behind a dense layer: normalising a nearly constant row (say, after two sigmoids, whose
  // features all sit near 0.7) divides float32 rounding by sqrt(variance + eps), up to 1/sqrt(eps), and
  // two correct implementations then differ by more than 1e-5 (a CI run found sigmoid, sigmoid,
  // layerNorm(3, eps 1e-3) 3x over); a dense layer's rows spread, so the law compares conditioned inputs
  (n, m) => [serial(dense(n, n, { weights: 'heNormal', bias: 'glorotUniform' }), nn.layerNorm(n, { eps: [1e-5, 1e-3][m % 2]! })), n],
]
const branchBlocks: ReadonlyArray<Block> = [
  (n) => [residual(dense(n, n)), n],
  (n, m) => [fanOut(identity, dense(n, m)), n + m],
  (n, m) => (n >= 2 ? [parallel(dense(1, m), dense(n - 1, 1)), m + 1] : [dense(n, m), m]),
  (n, m) => [residual(serial(dense(n, m), nn.tanh, dense(m, n))), n],
  (n) => [residual(nn.gelu), n],
  (n, m) => [fanOut(nn.softmax, serial(dense(n, m), nn.elu)), n + m],
]

interface Net {
  readonly layer: AnyLayer
  readonly inSize: number
  readonly seed: number
  readonly batch: number
  /** The shape of one example given to the export (default [inSize]): [h, w, c] for conv nets. */
  readonly inputShape?: ReadonlyArray<number>
}

const arbNet = (blocks: ReadonlyArray<Block>): fc.Arbitrary<Net> => fc
  .record({
    inSize: fc.integer({ min: 1, max: 9 }),
    steps: fc.array(fc.tuple(fc.nat(blocks.length - 1), fc.integer({ min: 1, max: 9 })), { minLength: 1, maxLength: 6 }),
    seed: fc.nat({ max: 1_000_000 }),
    batch: fc.integer({ min: 1, max: 5 }),
  })
  .map(({ inSize, steps, seed, batch }) => {
    let n = inSize
    const layers: AnyLayer[] = []
    for (const [b, m] of steps) {
      const [layer, out] = blocks[b]!(n, m)
      layers.push(layer)
      n = out
    }
    return { layer: serial(...(layers as [AnyLayer, ...AnyLayer[]])), inSize, seed, batch }
  })

// One image layer drawn from its numbers: a conv2d (kernel, stride, padding incl. 'same',
// dilation, groups dividing channels and filters) or a pool, or an activation, on images [h, w, c].
type ImageBlock = (shape: nn.ImageShape, r: ReadonlyArray<number>) => AnyLayer
const paddings = ['valid', 'same', 1, [[0, 1], [1, 0]]] as const
const imageBlocks: ReadonlyArray<ImageBlock> = [
  (s, [k, st, p, d, g, f]) => {
    const groups = [1, 2, 3, 4].filter((q) => s[2] % q === 0)[g! % 2] ?? 1
    return nn.conv2d(s, groups * (1 + (f! % 3)), [1 + (k! % 3), 1 + ((k! + d!) % 3)], { stride: 1 + (st! % 2), padding: paddings[p! % 4]!, dilation: 1 + (d! % 2), groups, bias: 'glorotUniform' })
  },
  (s, [k, st, p]) => nn.maxPool2d(s, 1 + (k! % 2), { stride: 1 + (st! % 2), padding: paddings[p! % 2]! }),
  // ONNX Runtime wants pool pads smaller than the window: 'valid' or 'same' (whose pads always are)
  (s, [k, st, p]) => nn.avgPool2d(s, [1 + (k! % 2), 2], { stride: 1 + (st! % 2), padding: paddings[p! % 2]! }),
  (_s, [a]) => activations[a! % activations.length]!,
]

const arbConvNet: fc.Arbitrary<Net> = fc
  .record({
    shape: fc.tuple(fc.integer({ min: 3, max: 7 }), fc.integer({ min: 3, max: 7 }), fc.integer({ min: 1, max: 4 })),
    steps: fc.array(fc.tuple(fc.nat(imageBlocks.length - 1), fc.array(fc.nat(11), { minLength: 6, maxLength: 6 })), { minLength: 1, maxLength: 4 }),
    head: fc.nat(2),
    seed: fc.nat({ max: 1_000_000 }),
    batch: fc.integer({ min: 1, max: 3 }),
  })
  .map(({ shape, steps, head, seed, batch }) => {
    const layers: AnyLayer[] = []
    let s: nn.ImageShape = shape
    for (const [b, r] of steps) {
      // a draw whose window does not fit the image is skipped
      let layer: AnyLayer
      try { layer = imageBlocks[b]!(s, r) } catch { continue }
      layers.push(layer)
      if ('outShape' in layer) s = (layer as nn.Conv2dLayer).outShape
    }
    const features = s[0] * s[1] * s[2]
    // the end: images out, flatten then dense, or flatten then softmax (features in NHWC order)
    if (head === 1) layers.push(nn.flatten, dense(features, 3))
    if (head === 2) layers.push(nn.flatten, nn.softmax)
    if (layers.length === 0) layers.push(identity)
    return { layer: serial(...(layers as [AnyLayer, ...AnyLayer[]])), inSize: shape[0] * shape[1] * shape[2], inputShape: shape, seed, batch }
  })

const applyNet = (layer: AnyLayer, params: unknown, x: Tensor): Tensor => (layer.apply as (p: unknown) => (x: Tensor) => Tensor)(params)(x)

/** The largest error of `got` against `want`, in units of the tolerance (≤ 1 passes). */
const worst = (got: ArrayLike<number>, want: ArrayLike<number>): number => {
  let w = 0
  for (let i = 0; i < want.length; i++) w = Math.max(w, Math.abs(got[i]! - want[i]!) / (1e-5 * Math.abs(want[i]!) + 1e-6))
  return w
}

const inputOf = (net: Net): Tensor => normal(key(net.seed + 1), [net.batch, net.inSize])

describe('onnx export, run by ONNX Runtime', () => {
  it('law 1 (agreement): every network of built-in layers gives purenet\'s outputs, any batch size', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(arbNet(chainBlocks), arbNet([...chainBlocks, ...branchBlocks]), arbConvNet), async (net) => {
        const params = net.layer.init(key(net.seed))
        const bytes = exportModel(net.layer, params, { inputShape: net.inputShape ?? [net.inSize] })
        if (E.isLeft(bytes)) throw new Error(bytes.left.message)
        const x = inputOf(net)
        const want = applyNet(net.layer, params, x)
        const got = await runOnnx(bytes.right, x.data as Float32Array, [net.batch, ...(net.inputShape ?? [net.inSize])])
        // a conv net's image output is NHWC images in purenet and the same features as rows in the file
        expect(got.dims).toEqual([net.batch, want.size / net.batch])
        expect(worst(got.data, want.data)).toBeLessThanOrEqual(1)
      }),
      { numRuns: 60 },
    )
  })

  it('law 2 (round trip): every network imports back bit-identically and exports again to a file ONNX Runtime agrees with', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(arbNet(chainBlocks), arbNet([...chainBlocks, ...branchBlocks]), arbConvNet), async (net) => {
        const params = net.layer.init(key(net.seed))
        const bytes = exportModel(net.layer, params, { inputShape: net.inputShape ?? [net.inSize] })
        if (E.isLeft(bytes)) throw new Error(bytes.left.message)
        const back = importModel(bytes.right)
        if (E.isLeft(back)) throw new Error(back.left.message)
        expect(back.right.inputShape).toEqual(net.inputShape ?? [net.inSize])
        const x = inputOf(net)
        const want = applyNet(net.layer, params, x)
        expect(Array.from(applyNet(back.right.net, back.right.params, x).data)).toEqual(Array.from(want.data))
        const again = exportModel(back.right.net, back.right.params, { inputShape: back.right.inputShape })
        if (E.isLeft(again)) throw new Error(again.left.message)
        const got = await runOnnx(again.right, x.data as Float32Array, [net.batch, ...(net.inputShape ?? [net.inSize])])
        expect(worst(got.data, want.data)).toBeLessThanOrEqual(1)
      }),
      { numRuns: 45 },
    )
  })
})
