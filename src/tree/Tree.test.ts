import { describe, expect, it } from 'vitest'
import { type Tensor, item, scalar, tensor, toArray, zeros } from '../tensor/index.js'
import { type Tree, TreeDef, flatten, leaves, leavesLike, map, paths, sameStructure, size, unflatten, zerosLike, zipWith } from './Tree.js'
import { throwsTree } from './throwsTree.fixture.js'

const t = (v: number): Tensor => scalar(v, 'float64')
const mlp = (): Tree => [
  { w: tensor([[1, 2]], { dtype: 'float64' }), b: t(3) },
  { w: tensor([[4], [5]], { dtype: 'float64' }), b: t(6) },
  { w: t(7), b: t(8) },
]

describe('leaves, paths, flatten, unflatten', () => {
  it('orders leaves depth-first: arrays by index, records by insertion order', () => {
    const tree = { z: t(1), a: [t(2), { y: t(3), x: t(4) }], m: t(5) }
    expect(leaves(tree).map(item)).toEqual([1, 2, 3, 4, 5])
    expect(paths(tree)).toEqual(['z', 'a[0]', 'a[1].y', 'a[1].x', 'm'])
  })

  it('names array-then-record paths like [2].w and quotes keys that are not identifiers', () => {
    expect(paths(mlp())).toEqual(['[0].w', '[0].b', '[1].w', '[1].b', '[2].w', '[2].b'])
    expect(paths({ 'my key': t(1), 0: t(2) })).toEqual(['["0"]', '["my key"]'])
    expect(paths({ a: { 'b-c': t(1) } })).toEqual(['a["b-c"]'])
    expect(paths(t(1))).toEqual([''])
    expect(paths([])).toEqual([])
    expect(paths({})).toEqual([])
  })

  it('unflatten(flatten(t)) rebuilds the tree, frozen, with the new leaves', () => {
    const tree = mlp()
    const [ls, structure] = flatten(tree)
    expect(ls.length).toBe(6)
    const doubled = ls.map((x) => scalar(2 * (x.size === 1 ? item(x) : 0), 'float64'))
    const back = unflatten(structure, doubled)
    expect(leaves(back)).toEqual(doubled)
    expect(Object.isFrozen(back)).toBe(true)
    expect(Object.isFrozen((back as Tree[])[0])).toBe(true)
    expect(unflatten(structure, ls)).toEqual(tree)
  })

  it('flatten gives the structure once, as a TreeDef: its paths and size, reusable for any leaves', () => {
    const tree = mlp()
    const [ls, def] = flatten(tree)
    expect(def).toBeInstanceOf(TreeDef)
    expect(def.paths).toEqual(paths(tree))
    expect(def.size).toBe(6)
    expect(Object.isFrozen(def)).toBe(true)
    // the same def rebuilds trees from other leaves, and a tree still serves as a template
    const zeros6 = ls.map(() => t(0))
    expect(leaves(unflatten(def, zeros6)).map(item)).toEqual([0, 0, 0, 0, 0, 0])
    expect(unflatten(tree, ls)).toEqual(unflatten(def, ls))
  })

  it('leavesLike reads another tree along a TreeDef, in its order, and names the first difference', () => {
    const [, def] = flatten({ a: t(1), b: [t(2)] })
    expect(leavesLike(def, { b: [t(20)], a: t(10) }).map(item)).toEqual([10, 20])
    throwsTree(() => leavesLike(def, { a: t(1) }, 'my op'), 'my op', 'b', 'missing in the second tree')
    throwsTree(() => leavesLike(def, { a: t(1), b: [t(2), t(3)] }), 'tree.leavesLike', 'b', 'expected an array of length 1, got an array of length 2')
    throwsTree(() => leavesLike(def, { a: 3, b: [t(2)] }), 'tree.leavesLike', 'a', 'expected a tensor, got number')
  })

  it('unflatten with too few or too many leaves says how many', () => {
    const [ls, structure] = flatten(mlp())
    throwsTree(() => unflatten(structure, ls.slice(0, 4)), 'tree.unflatten', '[2].w', 'ran out of leaves: 4 given')
    throwsTree(() => unflatten(structure, [...ls, t(0)]), 'tree.unflatten', '', '7 leaves given, the structure has 6')
  })

  it('a leaf that is not a tensor is named by its path, in every function', () => {
    const bad = [{ w: t(1) }, { w: t(2), b: 3 }] as unknown as Tree
    throwsTree(() => leaves(bad), 'tree.leaves', '[1].b', 'expected a tensor, an array or a record, got number')
    throwsTree(() => map(bad, (x) => x), 'tree.map', '[1].b', 'got number')
    throwsTree(() => paths(bad), 'tree.paths', '[1].b', 'got number')
    throwsTree(() => unflatten(bad, [t(1), t(2)]), 'tree.unflatten', '[1].b', 'got number')
    throwsTree(() => zipWith(bad, bad, (x) => x), 'tree.zipWith', '[1].b', 'got number')
    throwsTree(() => leaves({ a: null } as unknown as Tree), 'tree.leaves', 'a', 'got null')
    throwsTree(() => paths({ a: null } as unknown as Tree), 'tree.paths', 'a', 'got null')
  })
})

describe('map and zipWith', () => {
  it('map applies f with the path and keeps structure; the result is frozen', () => {
    const seen: string[] = []
    const out = map(mlp(), (x, path) => {
      seen.push(path)
      return scalar(x.size, 'float64')
    })
    expect(seen).toEqual(paths(mlp()))
    expect(leaves(out).map(item)).toEqual([2, 1, 2, 1, 1, 1])
    expect(Object.isFrozen(out)).toBe(true)
    expect(map(t(4), (x) => scalar(item(x) + 1)).shape).toEqual([])
  })

  it('map does not touch the input tree', () => {
    const tree = { a: t(1), b: [t(2)] }
    map(tree, () => t(0))
    expect(leaves(tree).map(item)).toEqual([1, 2])
  })

  it('zipWith combines leaf by leaf and passes the path', () => {
    const seen: string[] = []
    const out = zipWith({ a: t(1), b: [t(2)] }, { a: t(10), b: [t(20)] }, (x, y, path) => {
      seen.push(path)
      return t(item(x) + item(y))
    })
    expect(leaves(out).map(item)).toEqual([11, 22])
    expect(seen).toEqual(['a', 'b[0]'])
  })

  it('zipWith accepts records with the same keys in another order, following the first', () => {
    const out = zipWith({ a: t(1), b: t(2) }, { b: t(20), a: t(10) }, (x, y) => t(item(x) + item(y)))
    expect(Object.keys(out)).toEqual(['a', 'b'])
    expect(leaves(out).map(item)).toEqual([11, 22])
  })

  it('a structure mismatch names the first path where the trees differ', () => {
    const a = mlp()
    const missingW = (a as Tree[]).map((layer, i) => (i === 2 ? { b: t(8) } : layer))
    throwsTree(() => zipWith(a, missingW, (x) => x), 'tree.zipWith', '[2].w', 'missing in the second tree')
    throwsTree(() => zipWith(missingW, a, (x) => x), 'tree.zipWith', '[2].w', 'missing in the first tree')
    throwsTree(() => zipWith(a, (a as Tree[]).slice(0, 2), (x) => x), 'tree.zipWith', '', 'expected an array of length 3, got an array of length 2')
    throwsTree(() => zipWith({ a: t(1) }, { a: [t(1)] }, (x) => x), 'tree.zipWith', 'a', 'expected a tensor, got an array of length 1')
    throwsTree(() => zipWith({ a: [t(1)] }, { a: t(1) }, (x) => x), 'tree.zipWith', 'a', 'expected an array of length 1, got a tensor')
    throwsTree(() => zipWith({ a: { b: t(1) } }, { a: t(1) }, (x) => x), 'tree.zipWith', 'a', 'expected a record, got a tensor')
    throwsTree(() => zipWith([{ w: [t(1), { 'x y': t(2) }] }], [{ w: [t(1), {}] }], (x) => x), 'tree.zipWith', '[0].w[1]["x y"]', 'missing in the second tree')
  })

  it('sameStructure compares arrays, keys, shapes and dtypes', () => {
    expect(sameStructure(mlp(), mlp())).toBe(true)
    expect(sameStructure({ a: zeros([2]) }, { a: zeros([3]) })).toBe(false)
    expect(sameStructure({ a: zeros([2]) }, { a: zeros([2], { dtype: 'float64' }) })).toBe(false)
    expect(sameStructure({ a: zeros([2]) }, { b: zeros([2]) })).toBe(false)
    expect(sameStructure([zeros([1])], [zeros([1]), zeros([1])])).toBe(false)
  })
})

describe('size and zerosLike', () => {
  const a = { w: tensor([[1, 2], [3, 4]], { dtype: 'float64' }), b: tensor([1, -1], { dtype: 'float64' }) }

  it('zerosLike keeps shapes and dtypes; size counts scalars', () => {
    const z = zerosLike({ x: zeros([2, 3], { dtype: 'float64' }), y: [zeros([4])] })
    expect(z.x.dtype).toBe('float64')
    expect(toArray(z.y[0]!)).toEqual([0, 0, 0, 0])
    expect(size(a)).toBe(6)
    expect(size([])).toBe(0)
  })
})
