import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import * as O from '../ops/index.js'
import { key } from '../random/index.js'
import { dense, dropout, elementwise, fanOut, fromSpec, identity, parallel, paramLayout, relu, residual, serial, tanh, zeros } from './index.js'

const message = (u: unknown): string => {
  const r = fromSpec(u)
  if (E.isRight(r)) throw new Error(`expected a Left, got ${r.right.name}`)
  return r.left.message
}

const d = (inSize: unknown, outSize: unknown) => ({ kind: 'dense', inSize, outSize })

describe('layer specs', () => {
  it('every layer and combinator has a plain JSON spec', () => {
    const net = serial(dense(4, 3, { weights: 'heNormal', dtype: 'float64' }), relu, dropout(0.25), residual(dense(3, 3)), fanOut(identity, dense(3, 2)), parallel(dense(1, 2), dense(4, 1)))
    expect(net.spec).toEqual({
      kind: 'serial',
      layers: [
        { kind: 'dense', inSize: 4, outSize: 3, weights: 'heNormal', bias: 'zeros', dtype: 'float64' },
        { kind: 'relu' },
        { kind: 'dropout', rate: 0.25 },
        { kind: 'residual', layer: { kind: 'dense', inSize: 3, outSize: 3, weights: 'glorotUniform', bias: 'zeros', dtype: 'float32' } },
        { kind: 'fanOut', layers: [{ kind: 'identity' }, { kind: 'dense', inSize: 3, outSize: 2, weights: 'glorotUniform', bias: 'zeros', dtype: 'float32' }] },
        { kind: 'parallel', layers: [
          { kind: 'dense', inSize: 1, outSize: 2, weights: 'glorotUniform', bias: 'zeros', dtype: 'float32' },
          { kind: 'dense', inSize: 4, outSize: 1, weights: 'glorotUniform', bias: 'zeros', dtype: 'float32' },
        ] },
      ],
    })
    expect(JSON.parse(JSON.stringify(net.spec))).toEqual(net.spec)
    expect(Object.isFrozen(net.spec)).toBe(true)
  })

  it('rebuilds built-in activations as the very same values, and fills dense defaults', () => {
    expect(fromSpec({ kind: 'tanh' })).toEqual(E.right(tanh))
    const r = fromSpec(d(2, 3))
    expect(E.isRight(r) && r.right.spec).toEqual(dense(2, 3).spec)
  })

  it('names the path of a bad field', () => {
    expect(message({ kind: 'serial', layers: [d(784, 128), { kind: 'relu' }, d(128, -3)] })).toBe('nn.fromSpec: layers[2].outSize: expected a positive integer, got -3')
    expect(message({ kind: 'serial', layers: [d(2, 2), { kind: 'residual', layer: { kind: 'serial', layers: [d(2, 1.5)] } }] }))
      .toBe('nn.fromSpec: layers[1].layer.layers[0].outSize: expected a positive integer, got 1.5')
    expect(message(d('3', 2))).toBe('nn.fromSpec: inSize: expected a positive integer, got "3"')
    expect(message({ kind: 'dense', inSize: 3 })).toBe('nn.fromSpec: outSize: missing; expected a positive integer')
    expect(message(d(2 ** 40, 2))).toContain('inSize: expected a positive integer of at most 2147483647')
    expect(message({ kind: 'dropout', rate: 1 })).toContain('rate: expected a number in [0, 1)')
    expect(message({ kind: 'dense', inSize: 2, outSize: 2, dtype: 'int8' })).toBe('nn.fromSpec: dtype: expected "float32" or "float64", got "int8"')
    expect(message({ kind: 'dense', inSize: 2, outSize: 2, weights: 'ones' })).toContain('weights: expected one of "glorotUniform", "heNormal", "zeros", got "ones"')
  })

  it('refuses unknown kinds, unknown fields and prototype keys', () => {
    expect(message({ kind: 'conv3d' })).toMatch(/^nn.fromSpec: kind: unknown layer kind "conv3d"; use one of dense, relu,/)
    expect(message({ kind: 'toString' })).toContain('unknown layer kind "toString"')
    expect(message({ inSize: 2 })).toContain('nn.fromSpec: kind: missing')
    expect(message({ kind: 'dense', inSize: 2, outSize: 2, outsize: 3 })).toContain('outsize: unknown field; a dense spec has "kind", "inSize", "outSize"')
    expect(message(JSON.parse('{ "kind": "relu", "__proto__": { "polluted": true } }'))).toBe('nn.fromSpec: __proto__: unknown field; a relu spec has "kind"')
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
    expect(message(null)).toContain('the spec: expected a layer spec')
    expect(message([d(1, 1)])).toContain('expected a layer spec, an object')
  })

  it('reports size mismatches as errors naming the path, not as exceptions', () => {
    expect(message({ kind: 'serial', layers: [d(784, 128), { kind: 'relu' }, d(64, 10)] }))
      .toBe('nn.fromSpec: layers[2].inSize: dense(64, 10) expects 64 features but layers[0] (dense(784, 128)) outputs 128; make them agree, or put a layer from 128 to 64 features between them')
    expect(message({ kind: 'residual', layer: d(3, 4) })).toContain('layer.outSize: x + f(x) needs f to keep the size')
    expect(message({ kind: 'fanOut', layers: [d(3, 1), d(2, 1)] })).toContain('layers[1].inSize: every layer of a fanOut gets the same input')
    expect(message({ kind: 'fanOut', layers: [{ kind: 'relu' }] })).toContain('layers: a fanOut needs at least one layer with a known input size')
    expect(message({ kind: 'parallel', layers: [d(1, 1), { kind: 'relu' }] })).toContain('layers[1]: relu works at any size')
    expect(message({ kind: 'serial', layers: [] })).toContain('layers: expected at least one layer')
    expect(message({ kind: 'serial', layers: 'dense' })).toContain('layers: expected a non-empty array of layer specs')
  })

  it('refuses custom layers and custom initialisers, saying why and what to do', () => {
    const swish = elementwise('swish', (x) => O.mul(x, O.sigmoid(x)))
    expect(swish.spec).toEqual({ kind: 'custom', name: 'swish' })
    expect(elementwise('relu', O.tanh).spec).toEqual({ kind: 'custom', name: 'relu' })
    expect(message(serial(dense(2, 2), swish).spec)).toContain('layers[1]: the layer "swish" is custom code')
    const custom = dense(2, 2, { weights: zeros })
    expect(custom.spec).toMatchObject({ weights: 'custom', bias: 'zeros' })
    expect(message(custom.spec)).toContain('weights: the layer was initialised by a custom function, which a spec cannot carry')
  })

  it('bounds the nesting depth instead of exhausting the stack', () => {
    let spec: unknown = { kind: 'relu' }
    for (let i = 0; i < 10_000; i++) spec = { kind: 'residual', layer: spec }
    expect(message(spec)).toContain('specs nest more than 64 deep')
  })

  it('paramLayout reads shapes off the spec without allocating, even absurd ones', () => {
    expect(paramLayout(dense(1e9, 1e9).spec)).toEqual({
      node: 'record',
      fields: [['w', { node: 'tensor', shape: [1e9, 1e9], dtype: 'float32' }], ['b', { node: 'tensor', shape: [1e9], dtype: 'float32' }]],
    })
    expect(paramLayout(serial(dense(2, 3), relu).spec)).toEqual({ node: 'array', items: [paramLayout(dense(2, 3).spec), { node: 'record', fields: [] }] })
    expect(dense(2, 3).init(key(0)).w.shape).toEqual([2, 3])
  })

  it('budgets: more layers than maxLayers, or more declared parameters than maxParameters, are refused before anything is built', () => {
    const identities = (n: number): unknown => ({ kind: 'serial', layers: Array.from({ length: n }, () => ({ kind: 'identity' })) })
    const started = performance.now()
    expect(message(identities(1_000_000))).toBe('nn.fromSpec: the spec: more than 65536 layers (options.maxLayers); no network built from a spec is that deep or wide. A serial of many parameterless layers does what fewer do: remove the repeated ones')
    expect(performance.now() - started).toBeLessThan(10_000)
    // the largest serial the default budget allows builds (65535 layers and the serial)
    const largest = fromSpec(identities(65_535))
    expect(E.isRight(largest) && largest.right.spec.kind).toBe('serial')
    expect(E.isLeft(fromSpec(identities(10), { maxLayers: 10 }))).toBe(true)
    expect(message({ kind: 'serial', layers: [{ kind: 'dense', inSize: 4, outSize: 1e9 }, { kind: 'relu' }] })).toBe(
      'nn.fromSpec: the spec: declares more than 268435456 parameters (the limit: options.maxParameters of nn.fromSpec, options.maxElements of io.decodeModel; the dense layers so far hold 5000000000, the last one dense(4, 1000000000)); refused before allocating. Check the sizes, or raise the limit if the network really is that big',
    )
    expect(E.isRight(fromSpec({ kind: 'dense', inSize: 4, outSize: 1e9 }, { maxParameters: 1e10 }))).toBe(true)
  })
})
