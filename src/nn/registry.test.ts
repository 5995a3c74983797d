import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { mul } from '../ops/index.js'
import { key } from '../random/index.js'
import { type Tensor, ones, tensor, toArray } from '../tensor/index.js'
import { decodeModel, encodeModel } from '../ioPure.js'
import {
  type Layer, type LayerKindDefinition, buildWith, checkInput, dense, fromSpec, layerKind, layerRegistry, paramLayout, registry, serial, sizeField,
} from './index.js'

// A user's layer kind, as one would write it in one file: the constructor and its kind record.
type ScaleSpec = { readonly kind: 'scale'; readonly size: number }
const scale = (size: number): Layer<{ readonly s: Tensor }> => Object.freeze({
  name: `scale(${size})`,
  inSize: size,
  outSize: size,
  spec: Object.freeze({ kind: 'scale' as const, size }),
  init: () => Object.freeze({ s: ones([size]) }),
  apply: (p: { readonly s: Tensor }) => (x: Tensor) => {
    checkInput(`scale(${size})`, size, x)
    return mul(x, p.s)
  },
})
const scaleKind: LayerKindDefinition<{ readonly size: number }, ScaleSpec> = layerKind({
  kind: 'scale',
  fields: { size: sizeField },
  build: (f, context) => buildWith(context.path, () => scale(f.size)),
  layout: (spec) => ({ node: 'record', fields: [['s', { node: 'tensor', shape: [spec.size], dtype: 'float32' }]] }),
  declares: (raw) => ({ parameters: typeof raw['size'] === 'number' ? raw['size'] : 0, children: [] }),
})

describe('the layer registry', () => {
  const mine = registry.with(scaleKind)
  const spec = { kind: 'serial', layers: [{ kind: 'dense', inSize: 2, outSize: 3 }, { kind: 'scale', size: 3 }] }

  it('law 1: with() gives a new registry and leaves the built-ins unchanged', () => {
    expect(mine.kinds).toEqual([...registry.kinds, 'scale'])
    expect(registry.get('scale')).toBeUndefined()
    expect(mine.get('dense')).toBe(registry.get('dense'))
    expect(Object.isFrozen(mine)).toBe(true)
  })

  it('law 2: two kinds of one name, or a kind named custom, are refused', () => {
    expect(() => mine.with(scaleKind)).toThrow('two layer kinds are named "scale"')
    expect(() => layerRegistry([{ ...scaleKind, kind: 'custom' }])).toThrow('the kind "custom" is reserved')
  })

  it('fromSpec reads a user kind from the registry it is given, and only then', () => {
    const built = fromSpec(spec, { registry: mine })
    if (E.isLeft(built)) throw new Error(built.left.message)
    expect(built.right.name).toBe('serial(dense(2, 3), scale(3))')
    const params = built.right.init(key(0)) as readonly [unknown, { readonly s: Tensor }]
    expect(toArray(params[1].s)).toEqual([1, 1, 1])
    const plain = fromSpec(spec)
    expect(E.isLeft(plain) && plain.left.message).toBe(`nn.fromSpec: layers[1].kind: unknown layer kind "scale"; use one of ${registry.kinds.join(', ')}`)
  })

  it('a user kind gets the size rules, field checks and budgets of the built-ins', () => {
    const mismatch = fromSpec({ kind: 'serial', layers: [{ kind: 'dense', inSize: 2, outSize: 3 }, { kind: 'scale', size: 4 }] }, { registry: mine })
    expect(E.isLeft(mismatch) && mismatch.left.message).toBe('nn.fromSpec: layers[1]: scale(4) expects 4 features but layers[0] (dense(2, 3)) outputs 3; make them agree, or put a layer from 3 to 4 features between them')
    const field = fromSpec({ kind: 'scale', size: -1 }, { registry: mine })
    expect(E.isLeft(field) && field.left.message).toBe('nn.fromSpec: size: expected a positive integer, got -1')
    const extra = fromSpec({ kind: 'scale', size: 2, gain: 3 }, { registry: mine })
    expect(E.isLeft(extra) && extra.left.message).toBe('nn.fromSpec: gain: unknown field; a scale spec has "kind", "size"')
    const big = fromSpec({ kind: 'scale', size: 1000 }, { registry: mine, maxParameters: 10 })
    expect(E.isLeft(big) && big.left.message).toContain('the scale layers so far hold 1000, the last one scale')
  })

  it('paramLayout reads the registry too', () => {
    expect(paramLayout(scale(3).spec, mine)).toEqual({ node: 'record', fields: [['s', { node: 'tensor', shape: [3], dtype: 'float32' }]] })
    expect(paramLayout(scale(3).spec)).toEqual({ node: 'unknown', name: 'scale' })
  })

  it('a model file of a user kind is written, and read back with the registry', () => {
    const net = serial(dense(2, 3), scale(3))
    const params = net.init(key(1))
    const text = encodeModel({ net, params })
    const back = decodeModel(text, { registry: mine })
    if (E.isLeft(back)) throw new Error(back.left.message)
    const x = tensor([[1, 2]])
    expect(toArray(back.right.net.apply(back.right.params as never)(x))).toEqual(toArray(net.apply(params)(x)))
    const without = decodeModel(text)
    expect(E.isLeft(without) && without.left.message).toContain('io.decodeModel: architecture.layers[1].kind: unknown layer kind "scale"')
  })
})
