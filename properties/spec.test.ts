/**
 * The laws of layer specs (src/nn/LayerSpec.ts), on random networks built from every layer kind
 * and combinator, every activation, both dtypes and every initialiser:
 * 1. round trip: fromSpec(l.spec) is a layer with the same spec, name and sizes, whose init gives
 *    bit-identical parameters for the same key and whose apply gives bit-identical outputs, in
 *    eval mode and in train mode (dropout) with the same key; the same through JSON text.
 * 2. fromSpec never throws, on mutated specs and on arbitrary JSON values.
 * 3. paramLayout(l.spec) has the structure, shapes and dtypes of l.init(key).
 */
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import {
  type AnyLayer, type ApplyContext, type InitializerName, type ParamLayout, activationKinds, dense, dropout, fanOut, fromSpec,
  identity, paramLayout, parallel, residual, serial,
} from '../src/nn/index.js'
import * as nn from '../src/nn/index.js'
import { key, normal } from '../src/random/index.js'
import { type DType, type Tensor, isTensor } from '../src/tensor/index.js'

const activations: ReadonlyArray<AnyLayer> = activationKinds.map((k) => nn[k])
const inits: ReadonlyArray<InitializerName> = ['glorotUniform', 'heNormal', 'zeros']

interface Net {
  readonly layer: AnyLayer
  readonly inSize: number
  readonly seed: number
  readonly batch: number
}

type Block = (n: number, m: number, dtype: DType, init: InitializerName) => readonly [AnyLayer, number]
const blocks: ReadonlyArray<Block> = [
  (n, m, dtype, init) => [dense(n, m, { dtype, weights: init, bias: init === 'zeros' ? 'glorotUniform' : 'zeros' }), m],
  (n, m) => [activations[m % activations.length]!, n],
  (n, _m, dtype) => [residual(dense(n, n, { dtype })), n],
  (n, m, dtype) => [fanOut(identity, dense(n, m, { dtype })), n + m],
  (n, m, dtype, init) => (n >= 2 ? [parallel(dense(1, m, { dtype, weights: init }), dense(n - 1, 1, { dtype })), m + 1] : [dense(n, m, { dtype }), m]),
  (n, m) => [dropout([0, 0.1, 0.3, 0.5][m % 4]!), n],
  (n, m, dtype) => [residual(serial(dense(n, m, { dtype }), nn.tanh, dense(m, n, { dtype }))), n],
  (n, m, dtype) => [serial(dense(n, m, { dtype }), dropout(0.2)), m],
  (n) => [residual(nn.relu), n],
  // image layers on the n features read as a 1 x n image, flattened back to rows
  (n, m, dtype, init) => [serial(nn.conv2d([1, n, 1], m, [1, Math.min(n, 2)], { padding: 'same', dtype, weights: init }), nn.flatten), n * m],
  (n, m, dtype) => (n % 2 === 0 ? [serial(nn.conv2d([1, 1, n], 2 * m, 1, { groups: 2, dtype }), nn.flatten), 2 * m] : [dense(n, m, { dtype }), m]),
  (n) => [serial(nn.maxPool2d([1, n, 1], [1, 2], { padding: 'same' }), nn.flatten), Math.ceil(n / 2)],
  (n, m, dtype) => (n % 2 === 0 ? [serial(nn.gru(2, m, n / 2, { dtype }), nn.flatten), (n / 2) * m] : [dense(n, m, { dtype }), m]),
  (n, m, dtype) => [serial(nn.layerNorm(n, { dtype, eps: 1e-3 }), dense(n, m, { dtype })), m],
  (n) => [serial(nn.avgPool2d([1, n, 1], [1, Math.min(n, 2)], { stride: 1 }), nn.flatten), n - Math.min(n, 2) + 1],
]

const arbNet: fc.Arbitrary<Net> = fc
  .record({
    inSize: fc.integer({ min: 1, max: 4 }),
    steps: fc.array(fc.tuple(fc.nat(blocks.length - 1), fc.integer({ min: 1, max: 4 }), fc.constantFrom<DType>('float32', 'float64'), fc.constantFrom(...inits)), { minLength: 1, maxLength: 5 }),
    seed: fc.nat({ max: 1_000_000 }),
    batch: fc.integer({ min: 1, max: 3 }),
  })
  .map(({ inSize, steps, seed, batch }) => {
    let n = inSize
    const layers: AnyLayer[] = []
    for (const [b, m, dtype, init] of steps) {
      const [layer, out] = blocks[b]!(n, m, dtype, init)
      layers.push(layer)
      n = out
    }
    return { layer: layers.length === 1 ? layers[0]! : serial(...(layers as [AnyLayer, ...AnyLayer[]])), inSize, seed, batch }
  })

const run = (layer: AnyLayer, params: unknown, x: Tensor, ctx?: ApplyContext): Tensor =>
  (layer.apply as (p: unknown) => (x: Tensor, ctx?: ApplyContext) => Tensor)(params)(x, ctx)

// The bits of every leaf of a parameter tree, with its shape and dtype, for bit-exact comparison.
const bitsOf = (u: unknown): unknown => {
  if (isTensor(u)) return { dtype: u.dtype, shape: [...u.shape], bytes: Array.from(new Uint8Array(u.data.buffer, u.data.byteOffset, u.data.byteLength)) }
  if (Array.isArray(u)) return u.map(bitsOf)
  if (typeof u === 'object' && u !== null) return Object.fromEntries(Object.entries(u).map(([k, v]) => [k, bitsOf(v)]))
  return u
}

const layoutOf = (u: unknown): ParamLayout => {
  if (isTensor(u)) return { node: 'tensor', shape: u.shape, dtype: u.dtype }
  if (Array.isArray(u)) return { node: 'array', items: u.map(layoutOf) }
  return { node: 'record', fields: Object.entries(u as object).map(([k, v]) => [k, layoutOf(v)] as const) }
}

const rebuilt = (layer: AnyLayer, spec: unknown): AnyLayer => {
  const r = fromSpec(spec)
  if (E.isLeft(r)) throw new Error(`fromSpec failed on the spec of ${layer.name}: ${r.left.message}`)
  return r.right
}

describe('layer specs', () => {
  it('1. round trip: fromSpec(l.spec) behaves exactly like l (same params, same outputs), also through JSON text', () => {
    fc.assert(
      fc.property(arbNet, (net) => {
        const { layer } = net
        for (const copy of [rebuilt(layer, layer.spec), rebuilt(layer, JSON.parse(JSON.stringify(layer.spec)))]) {
          expect(copy.spec).toEqual(layer.spec)
          expect(copy.name).toBe(layer.name)
          expect(Object.is(copy.inSize, layer.inSize) && Object.is(copy.outSize, layer.outSize)).toBe(true)
          const k = key(net.seed)
          const p = layer.init(k)
          expect(bitsOf(copy.init(k))).toEqual(bitsOf(p))
          const x = normal(key(net.seed + 1), [net.batch, net.inSize], { dtype: 'float64' })
          expect(bitsOf(run(copy, p, x))).toEqual(bitsOf(run(layer, p, x)))
          const train: ApplyContext = { mode: 'train', key: key(net.seed + 2) }
          expect(bitsOf(run(copy, p, x, train))).toEqual(bitsOf(run(layer, p, x, train)))
        }
      }),
      { numRuns: 150 },
    )
  })

  it('3. paramLayout(l.spec) is the layout of l.init(key), without allocating', () => {
    fc.assert(
      fc.property(arbNet, (net) => {
        expect(paramLayout(net.layer.spec)).toEqual(layoutOf(net.layer.init(key(net.seed))))
      }),
      { numRuns: 100 },
    )
  })

  // Mutations of a valid spec: a field replaced by a random JSON value, removed, or a field added.
  const mutate = (spec: unknown, path: ReadonlyArray<number>, replacement: unknown, mode: number): unknown => {
    if (typeof spec !== 'object' || spec === null) return replacement
    const entries = Array.isArray(spec) ? spec.map((v, i) => [String(i), v] as const) : Object.entries(spec)
    if (entries.length === 0) return replacement
    const [i, ...rest] = path
    const at = (i ?? 0) % entries.length
    const [k, v] = entries[at]!
    const copy: Record<string, unknown> | unknown[] = Array.isArray(spec) ? [...spec] : { ...spec }
    if (rest.length === 0 || typeof v !== 'object' || v === null) {
      if (mode === 0 && !Array.isArray(copy)) delete (copy as Record<string, unknown>)[k]
      else if (mode === 1 && !Array.isArray(copy)) (copy as Record<string, unknown>)['extraField'] = replacement
      else (copy as Record<string, unknown>)[k] = replacement
      return copy
    }
    ;(copy as Record<string, unknown>)[k] = mutate(v, rest, replacement, mode)
    return copy
  }

  it('2. fromSpec never throws: mutated specs and arbitrary JSON are Right or a Left naming a path', () => {
    fc.assert(
      fc.property(arbNet, fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), fc.jsonValue(), fc.nat(3), (net, path, replacement, mode) => {
        const r = fromSpec(mutate(net.layer.spec, path, replacement, mode))
        if (E.isLeft(r)) {
          expect(r.left.message.startsWith('nn.fromSpec: ')).toBe(true)
          expect(r.left._tag).toBe('DecodeError')
        } else {
          expect(typeof r.right.init).toBe('function')
        }
      }),
      { numRuns: 300 },
    )
    fc.assert(
      fc.property(fc.jsonValue(), (u) => {
        expect(() => fromSpec(u)).not.toThrow()
      }),
      { numRuns: 300 },
    )
  })
})
