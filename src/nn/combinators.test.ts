import { describe, expect, it } from 'vitest'
import { foldIn, key, split } from '../random/index.js'
import { ShapeError, type Tensor, tensor, toArray, toFlatArray, zeros } from '../tensor/index.js'
import { TreeError } from '../tree/index.js'
import { type ApplyContext, type Layer, dense, dropout, fanOut, identity, parallel, relu, residual, serial, tanh } from './index.js'

// Sizes read at run time: the types widen to number and only the run-time check remains.
const size = (n: number): number => Number(String(n))

// A layer that records the context it was applied with.
const spy = (seen: Array<ApplyContext | undefined>): Layer<{}, number, number> & { readonly preservesSize: true } => ({
  name: 'spy', inSize: Number.NaN, outSize: Number.NaN, preservesSize: true, spec: { kind: 'custom', name: 'spy' },
  init: () => ({}),
  apply: () => (x: Tensor, ctx?: ApplyContext) => {
    seen.push(ctx)
    return x
  },
})

describe('serial', () => {
  it('applies the layers in order, with params aligned to them', () => {
    const net = serial(dense(2, 2), relu, dense(2, 1))
    const p = [{ w: tensor([[1, -1], [0, 1]]), b: tensor([0, 0]) }, {}, { w: tensor([[2], [3]]), b: tensor([1]) }] as const
    // x = [1, 2]: [1, 1] -> relu [1, 1] -> 2 + 3 + 1; x = [3, -1]: [3, -4] -> [3, 0] -> 6 + 1
    expect(toArray(net.apply(p)(tensor([[1, 2], [3, -1]])))).toEqual([[6], [7]])
    expect(net.name).toBe('serial(dense(2, 2), relu, dense(2, 1))')
    expect([net.inSize, net.outSize]).toEqual([2, 1])
  })

  it('splits the init key per layer and folds the apply key per layer', () => {
    const net = serial(dense(2, 3), dense(3, 1))
    const [k0, k1] = split(key(9), 2)
    const p = net.init(key(9))
    expect(toFlatArray(p[0].w)).toEqual(toFlatArray(dense(2, 3).init(k0!).w))
    expect(toFlatArray(p[1].w)).toEqual(toFlatArray(dense(3, 1).init(k1!).w))
    const seen: Array<ApplyContext | undefined> = []
    const s = serial(spy(seen), relu, spy(seen))
    s.apply(s.init(key(0)))(zeros([1, 1]), { mode: 'train', key: key(4) })
    expect(seen).toEqual([{ mode: 'train', key: foldIn(key(4), 0) }, { mode: 'train', key: foldIn(key(4), 2) }])
    s.apply(s.init(key(0)))(zeros([1, 1]), { mode: 'eval' })
    s.apply(s.init(key(0)))(zeros([1, 1]))
    expect(seen.slice(2)).toEqual([{ mode: 'eval' }, { mode: 'eval' }, undefined, undefined])
  })

  it('throws a ShapeError naming both layers when neighbouring sizes differ', () => {
    const build = () => serial(dense(784, 128), relu, dense(size(64), 10))
    expect(build).toThrow(ShapeError)
    expect(build).toThrow('serial: dense(784, 128) outputs 128 features but dense(64, 10) expects 64; make them agree (e.g. dense(128, 10)) or put a layer from 128 to 64 features between them')
    expect(() => serial(serial(dense(3, 4), tanh, dropout(0.1)), dense(size(5), 2))).toThrow('serial: serial(dense(3, 4), tanh, dropout(0.1)) outputs 4 features but dense(5, 2) expects 5')
  })

  it('names the first layer when the input has the wrong width', () => {
    const net = serial(relu, dense(3, 2))
    expect(() => net.apply(net.init(key(0)))(zeros([5, 4]))).toThrow('dense(3, 2): expects an input of shape [batch, 3], got 4 features')
  })

  it('rejects parameters that do not match its layers', () => {
    const net = serial(dense(2, 2), relu)
    expect(() => net.apply([] as never)).toThrow(TreeError)
    expect(() => net.apply([] as never)).toThrow('serial(dense(2, 2), relu): at the root: expected an array of 2 parameter sets (one per layer), got an array of length 0')
  })

  it('of size-preserving layers is size-preserving', () => {
    const acts = serial(relu, tanh)
    expect(acts.preservesSize).toBe(true)
    expect(toArray(acts.apply(acts.init(key(0)))(tensor([[-1, 0.5]], { dtype: 'float64' })))).toEqual([[0, Math.tanh(0.5)]])
  })
})

describe('fanOut and parallel', () => {
  const a = dense(2, 1)
  const b = dense(2, 2)
  const pa = { w: tensor([[1], [1]]), b: tensor([0]) }
  const pb = { w: tensor([[1, 0], [0, -1]]), b: tensor([10, 20]) }
  const x = tensor([[1, 2], [3, 4]])

  it('fanOut gives every layer the whole input and concatenates the outputs', () => {
    const f = fanOut(a, identity, b)
    expect([f.inSize, f.outSize]).toEqual([2, 5])
    expect(toArray(f.apply([pa, {}, pb])(x))).toEqual([[3, 1, 2, 11, 18], [7, 3, 4, 13, 16]])
    expect(() => fanOut(a, dense(size(3), 1))).toThrow('fanOut: every layer gets the same input, but dense(2, 1) expects 2 features and dense(3, 1) expects 3')
    expect(() => fanOut(relu, identity)).toThrow('has no layer with a known input size')
  })

  it('parallel gives each layer its own block of features', () => {
    const p = parallel(a, b)
    expect([p.inSize, p.outSize]).toEqual([4, 3])
    // a sees [1, 2] and [3, 4]; b sees [5, 6] and [7, 8]
    expect(toArray(p.apply([pa, pb])(tensor([[1, 2, 5, 6], [3, 4, 7, 8]])))).toEqual([[3, 15, 14], [7, 17, 12]])
    expect(() => p.apply([pa, pb])(x)).toThrow('parallel(dense(2, 1), dense(2, 2)): expects an input of shape [batch, 4], got 2 features')
    expect(() => parallel(a, relu)).toThrow('relu works at any size')
  })
})

describe('residual', () => {
  it('computes x + f(x) with the layer\'s own parameters', () => {
    const r = residual(dense(2, 2))
    const p = { w: tensor([[1, 0], [0, 2]]), b: tensor([1, 1]) }
    expect(toArray(r.apply(p)(tensor([[1, 2]])))).toEqual([[3, 7]])
    expect(r.name).toBe('residual(dense(2, 2))')
    expect(toArray(residual(relu).apply({})(tensor([[-1, 2]])))).toEqual([[-1, 4]])
  })
  it('refuses a layer that changes the size', () => {
    expect(() => residual(dense(2, size(3)))).toThrow('residual: x + f(x) needs f to keep the size, but dense(2, 3) maps 2 features to 3; use a layer from 2 to 2 features')
  })
})
