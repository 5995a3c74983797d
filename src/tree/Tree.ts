/**
 * Parameter trees: nested readonly records and arrays with tensors at the leaves. A network's
 * parameters, its gradients and an optimizer's state are all trees of the same structure.
 *
 * Laws (checked in properties/tree.test.ts):
 * 1. map identity: `map(t, x => x)` equals `t`.
 * 2. map composition: `map(map(t, f), g)` equals `map(t, x => g(f(x)))`.
 * 3. flatten round trip: `unflatten(def, leaves)` equals `t` for `[leaves, def] = flatten(t)`.
 * 4. zipWith agrees with map on one tree: `zipWith(t, t, (a, _) => a)` equals `t`.
 *
 * The order of leaves is the depth-first order of arrays by index and records by key insertion
 * order. Two trees match when they have the same arrays lengths and the same record keys; a
 * mismatch throws a `TreeError` naming the path (`[2].w`).
 */
import { type Tensor, isTensor, zeros } from '../tensor/index.js'

/**
 * A tree with tensors at its leaves. @category model
 * @example
 * ```ts
 * const params: Tree = [{ w: tensor([[1]]), b: tensor([0]) }, {}]
 * ```
 */
export type Tree = Tensor | ReadonlyArray<Tree> | { readonly [key: string]: Tree }

/**
 * Thrown when two trees do not have the same structure, or a leaf is not a tensor. @category errors
 * @example
 * ```ts
 * try {
 *   tree.add({ w: tensor([1]) }, { b: tensor([1]) } as never)
 * } catch (e) {
 *   if (e instanceof tree.TreeError) console.log(e.message) // 'tree.add: at w: missing in the second tree'
 * }
 * ```
 */
export class TreeError extends Error {
  override readonly name = 'TreeError'
  constructor(
    readonly op: string,
    readonly path: string,
    detail: string,
  ) {
    super(`${op}: at ${path === '' ? 'the root' : path}: ${detail}`)
  }
}

const isRecord = (u: unknown): u is { readonly [key: string]: Tree } =>
  typeof u === 'object' && u !== null && !Array.isArray(u) && !isTensor(u)

const describeNode = (u: unknown): string =>
  isTensor(u) ? 'a tensor' : Array.isArray(u) ? `an array of length ${u.length}` : u === null ? 'null' : typeof u === 'object' ? 'a record' : typeof u

const keyPath = (path: string, k: string): string =>
  /^[A-Za-z_$][\w$]*$/.test(k) ? (path === '' ? k : `${path}.${k}`) : `${path}[${JSON.stringify(k)}]`

// Where a node sits: a chain of steps up to the root, made into a path string (`[0].w`) only when
// one is needed (an error, or `TreeDef.paths`), so that a walk builds no strings.
type At = { readonly up: At; readonly step: string | number } | undefined

const pathOf = (at: At): string => {
  const steps: Array<string | number> = []
  for (let a = at; a !== undefined; a = a.up) steps.push(a.step)
  let path = ''
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i]!
    path = typeof step === 'number' ? `${path}[${step}]` : keyPath(path, step)
  }
  return path
}

// A tree's structure without its leaves: a leaf, an array of nodes, or a record of nodes (keys
// in the tree's order).
type Node =
  | { readonly kind: 'leaf' }
  | { readonly kind: 'array'; readonly items: ReadonlyArray<Node> }
  | { readonly kind: 'record'; readonly keys: ReadonlyArray<string>; readonly items: ReadonlyArray<Node> }

const LEAF: Node = Object.freeze({ kind: 'leaf' })

const describeDef = (n: Node): string => (n.kind === 'leaf' ? 'a tensor' : n.kind === 'array' ? `an array of length ${n.items.length}` : 'a record')

/**
 * The structure of a tree without its leaves (JAX's treedef): computed once by `flatten`, then
 * reused to rebuild trees (`unflatten`), to read another tree's leaves in the same order
 * (`leavesLike`), and by `map`, `zipWith`, the autodiff transforms and `check`. `paths[i]` is
 * the path of leaf i (`[0].w`).
 * @example
 * ```ts
 * const [, def] = tree.flatten({ w: tensor([1, 2]), b: tensor(0) })
 * const again = tree.unflatten(def, [tensor([5, 6]), tensor(1)]) // a TreeDef rebuilds the structure
 * ```
 * @category model
 */
export class TreeDef<T extends Tree = Tree> {
  /** @internal */
  declare readonly _tree?: T
  readonly #paths: () => ReadonlyArray<string>
  constructor(
    /** @internal */ readonly root: Node,
    /** The number of leaves. */ readonly size: number,
  ) {
    // the paths are built on first use and kept: most walks never need them
    let paths: ReadonlyArray<string> | undefined
    this.#paths = () => (paths ??= Object.freeze(leafPaths(root)))
    Object.freeze(this)
  }

  /** The path of each leaf, in order. */
  get paths(): ReadonlyArray<string> {
    return this.#paths()
  }
}

const leafPaths = (root: Node): string[] => {
  const out: string[] = []
  const go = (n: Node, path: string): void => {
    if (n.kind === 'leaf') out.push(path)
    else if (n.kind === 'array') n.items.forEach((m, i) => go(m, `${path}[${i}]`))
    else n.keys.forEach((k, i) => go(n.items[i]!, keyPath(path, k)))
  }
  go(root, '')
  return out
}

// The one walk over a tree: its structure and leaves, throwing a TreeError (for `op`) at the path
// of anything that is not a tensor, an array or a record.
const walk = (t: unknown, op: string): { readonly root: Node; readonly leaves: Tensor[] } => {
  const leaves: Tensor[] = []
  const go = (u: unknown, at: At): Node => {
    if (isTensor(u)) {
      leaves.push(u)
      return LEAF
    }
    if (Array.isArray(u)) return { kind: 'array', items: u.map((v, i) => go(v, { up: at, step: i })) }
    // Object.keys of a number is [], so without this check a bad leaf would vanish silently
    if (!isRecord(u)) throw new TreeError(op, pathOf(at), `expected a tensor, an array or a record, got ${describeNode(u)}`)
    const keys = Object.keys(u)
    return { kind: 'record', keys, items: keys.map((k) => go(u[k], { up: at, step: k })) }
  }
  const root = go(t, undefined)
  return { root, leaves }
}

/**
 * Splits a tree into its leaves (depth-first) and its structure, a `TreeDef` that rebuilds trees
 * of the same shape with `unflatten`.
 * @example
 * ```ts
 * const [leaves, def] = tree.flatten({ w: tensor([1, 2]), b: tensor(0) })
 * tree.unflatten(def, leaves.map((t) => ops.mul(t, 2))) // { w: [2, 4], b: 0 }
 * ```
 * @category destructors
 */
export const flatten = <T extends Tree>(t: T, op = 'tree.flatten'): readonly [Tensor[], TreeDef<T>] => {
  const w = walk(t, op)
  return [w.leaves, new TreeDef<T>(w.root, w.leaves.length)]
}

/**
 * The leaves in order. @category destructors
 * @example
 * ```ts
 * tree.leaves([{ w: tensor([1]), b: tensor([2]) }, {}]) // [w, b], in path order
 * ```
 */
export const leaves = (t: Tree): Tensor[] => walk(t, 'tree.leaves').leaves

/**
 * The paths of the leaves, in the order of `leaves`: `[0].w`, `[0].b`, ... @category destructors
 * @example
 * ```ts
 * tree.paths([{ w: tensor([1]), b: tensor([2]) }]) // ['[0].w', '[0].b']
 * ```
 */
export const paths = (t: Tree): string[] => leafPaths(walk(t, 'tree.paths').root)

/**
 * The leaves of `t`, which must have the structure `def` (the same array lengths and record
 * keys; records may list their keys in another order), in `def`'s order. A difference throws a
 * `TreeError` for `op` naming the first path where they differ.
 * @example
 * ```ts
 * const [, def] = tree.flatten({ w: tensor([1]), b: tensor([2]) })
 * tree.leavesLike(def, { w: tensor([3]), b: tensor([4]) }) // [w, b], checked against def
 * ```
 * @category destructors
 */
export const leavesLike = <T extends Tree>(def: TreeDef<T>, t: unknown, op = 'tree.leavesLike'): Tensor[] => {
  const out: Tensor[] = []
  const go = (n: Node, v: unknown, at: At): void => {
    if (n.kind === 'leaf') {
      if (!isTensor(v)) throw new TreeError(op, pathOf(at), `expected a tensor, got ${describeNode(v)}`)
      out.push(v)
    } else if (n.kind === 'array') {
      if (!Array.isArray(v) || v.length !== n.items.length) throw new TreeError(op, pathOf(at), `expected ${describeDef(n)}, got ${describeNode(v)}`)
      n.items.forEach((m, j) => go(m, v[j], { up: at, step: j }))
    } else {
      if (!isRecord(v)) throw new TreeError(op, pathOf(at), `expected a record, got ${describeNode(v)}`)
      if (!sameKeys(n.keys, v)) keyMismatch(op, n.keys, v, pathOf(at))
      n.keys.forEach((k, j) => go(n.items[j]!, v[k], { up: at, step: k }))
    }
  }
  go(def.root, t, undefined)
  return out
}

// Whether a record has exactly these own enumerable keys (in any order).
const sameKeys = (keys: ReadonlyArray<string>, v: object): boolean => {
  if (Object.keys(v).length !== keys.length) return false
  for (const k of keys) if (!Object.prototype.propertyIsEnumerable.call(v, k)) return false
  return true
}

// Throws the TreeError naming the first key in which a record differs from `keys`.
const keyMismatch = (op: string, keys: ReadonlyArray<string>, v: object, path: string): never => {
  const kv = new Set(Object.keys(v))
  for (const k of keys) if (!kv.has(k)) throw new TreeError(op, keyPath(path, k), 'missing in the second tree')
  const ku = new Set(keys)
  for (const k of kv) if (!ku.has(k)) throw new TreeError(op, keyPath(path, k), 'missing in the first tree')
  throw new TreeError(op, path, 'the keys differ')
}

/**
 * Rebuilds a frozen tree of the structure `def` (a `TreeDef` from `flatten`, or a tree used as
 * a template) from leaves in order. Throws a `TreeError` when the number of leaves is wrong.
 * @example
 * ```ts
 * const [leaves, def] = tree.flatten([{ w: tensor([1]) }, { w: tensor([2]) }])
 * tree.unflatten(def, leaves) // the same tree back
 * ```
 * @category constructors
 */
export const unflatten = <T extends Tree>(def: TreeDef<T> | T, values: ReadonlyArray<Tensor>): T => {
  const d = def instanceof TreeDef ? def : flatten(def, 'tree.unflatten')[1]
  if (values.length < d.size) throw new TreeError('tree.unflatten', d.paths[values.length]!, `ran out of leaves: ${values.length} given`)
  if (values.length > d.size) throw new TreeError('tree.unflatten', '', `${values.length} leaves given, the structure has ${d.size}`)
  let i = 0
  const build = (n: Node): Tree => {
    if (n.kind === 'leaf') return values[i++]!
    if (n.kind === 'array') return Object.freeze(n.items.map(build))
    const out: { [key: string]: Tree } = {}
    n.keys.forEach((k, j) => { out[k] = build(n.items[j]!) })
    return Object.freeze(out)
  }
  // no paths here: unflatten is on the hot path of every vjp
  return build(d.root) as T
}

// Builds a frozen tree of the structure `root`, leaf i being `leaf(i, path)`, with the paths made
// as it descends (one string per node, as a walk that reports paths must make anyway).
const rebuild = (root: Node, leaf: (i: number, path: string) => Tensor): Tree => {
  let i = 0
  const build = (n: Node, path: string): Tree => {
    if (n.kind === 'leaf') return leaf(i++, path)
    if (n.kind === 'array') return Object.freeze(n.items.map((m, j) => build(m, `${path}[${j}]`)))
    const out: { [key: string]: Tree } = {}
    n.keys.forEach((k, j) => { out[k] = build(n.items[j]!, keyPath(path, k)) })
    return Object.freeze(out)
  }
  return build(root, '')
}

/**
 * Applies `f` to every leaf (with its path), keeping the structure. @category combinators
 * @example
 * ```ts
 * tree.map({ w: tensor([1, -2]), b: tensor(0) }, (leaf) => ops.abs(leaf)) // { w: [1, 2], b: 0 }
 * ```
 */
export const map = <T extends Tree>(t: T, f: (leaf: Tensor, path: string) => Tensor): T => {
  const [ls, def] = flatten(t, 'tree.map')
  return rebuild(def.root, (i, path) => f(ls[i]!, path)) as T
}

/**
 * Combines two trees of the same structure leaf by leaf. A difference in structure throws a
 * `TreeError` naming the first path where they differ.
 * @example
 * ```ts
 * tree.zipWith({ w: tensor([1, 5]) }, { w: tensor([3, 2]) }, (a, b) => ops.maximum(a, b)) // { w: [3, 5] }
 * ```
 * @category combinators
 */
export const zipWith = <T extends Tree>(a: T, b: T, f: (x: Tensor, y: Tensor, path: string) => Tensor, op = 'tree.zipWith'): T => {
  const [la, def] = flatten(a, op)
  const lb = leavesLike(def, b, op)
  return rebuild(def.root, (i, path) => f(la[i]!, lb[i]!, path)) as T
}

/**
 * The number of scalars in all leaves. @category destructors
 * @example
 * ```ts
 * tree.size(nn.dense(784, 128).init(random.key(0))) // 100480 numbers
 * ```
 */
export const size = (a: Tree): number => leaves(a).reduce((n, x) => n + x.size, 0)

/**
 * A tree of zeros with the structure, shapes and dtypes of `a`. @category constructors
 * @example
 * ```ts
 * tree.zerosLike({ w: tensor([1, 2]), b: tensor(3) }) // { w: [0, 0], b: 0 }
 * ```
 */
export const zerosLike = <T extends Tree>(a: T): T => map(a, (x) => zeros(x.shape, { dtype: x.dtype }))

/**
 * Whether two trees have the same structure (arrays, keys, leaf shapes and dtypes). @category guards
 * @example
 * ```ts
 * tree.sameStructure({ w: tensor([1]) }, { w: tensor([5]) }) // true
 * tree.sameStructure({ w: tensor([1]) }, { b: tensor([1]) }) // false
 * ```
 */
export const sameStructure = (a: Tree, b: Tree): boolean => {
  try {
    zipWith(a, b, (x, y, path) => {
      if (x.dtype !== y.dtype || x.shape.length !== y.shape.length || x.shape.some((d, i) => d !== y.shape[i])) {
        throw new TreeError('tree.sameStructure', path, 'leaves differ')
      }
      return x
    })
    return true
  } catch (e) {
    if (e instanceof TreeError) return false
    throw e
  }
}
