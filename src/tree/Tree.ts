/**
 * Parameter trees: nested readonly records and arrays with tensors at the leaves. A network's
 * parameters, its gradients and an optimizer's state are all trees of the same structure.
 *
 * Laws (checked in properties/tree.test.ts):
 * 1. map identity: `map(t, x => x)` equals `t`.
 * 2. map composition: `map(map(t, f), g)` equals `map(t, x => g(f(x)))`.
 * 3. flatten round trip: `unflatten(t, leaves(t))` equals `t`.
 * 4. zipWith agrees with map on one tree: `zipWith(t, t, (a, _) => a)` equals `t`.
 *
 * The order of leaves is the depth-first order of arrays by index and records by key insertion
 * order. Two trees match when they have the same arrays lengths and the same record keys; a
 * mismatch throws a `TreeError` naming the path (`[2].w`).
 */
import { type Tensor, isTensor } from '../tensor/index.js'

/** A tree with tensors at its leaves. @category model */
export type Tree = Tensor | ReadonlyArray<Tree> | { readonly [key: string]: Tree }

/** Thrown when two trees do not have the same structure, or a leaf is not a tensor. @category errors */
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

const keyPath = (path: string, k: string): string => (/^[A-Za-z_$][\w$]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`).replace(/^\./, '')

/** The leaves in order. @category destructors */
export const leaves = (t: Tree): Tensor[] => {
  const out: Tensor[] = []
  const walk = (u: unknown, path: string): void => {
    if (isTensor(u)) out.push(u)
    else if (Array.isArray(u)) u.forEach((v, i) => walk(v, `${path}[${i}]`))
    else if (isRecord(u)) for (const k of Object.keys(u)) walk(u[k], keyPath(path, k))
    else throw new TreeError('tree.leaves', path, `expected a tensor, an array or a record, got ${describeNode(u)}`)
  }
  walk(t, '')
  return out
}

/** The paths of the leaves, in the order of `leaves`: `[0].w`, `[0].b`, ... @category destructors */
export const paths = (t: Tree): string[] => {
  const out: string[] = []
  const walk = (u: Tree, path: string): void => {
    if (isTensor(u)) out.push(path)
    else if (Array.isArray(u)) u.forEach((v: Tree, i: number) => walk(v, `${path}[${i}]`))
    // Object.entries of a number is [], so without this check a bad leaf would vanish silently
    else if (!isRecord(u)) throw new TreeError('tree.paths', path, `expected a tensor, an array or a record, got ${describeNode(u)}`)
    else for (const [k, v] of Object.entries(u)) walk(v, keyPath(path, k))
  }
  walk(t, '')
  return out
}

/** Splits a tree into its leaves and its structure (the tree itself serves as the template). @category destructors */
export const flatten = <T extends Tree>(t: T): readonly [Tensor[], T] => [leaves(t), t]

/**
 * Rebuilds a tree of `structure`'s shape from leaves in order. Throws a `TreeError` when the
 * number of leaves is wrong.
 * @category constructors
 */
export const unflatten = <T extends Tree>(structure: T, values: ReadonlyArray<Tensor>): T => {
  let i = 0
  const build = (u: Tree, path: string): Tree => {
    if (isTensor(u)) {
      const v = values[i++]
      if (v === undefined) throw new TreeError('tree.unflatten', path, `ran out of leaves: ${values.length} given`)
      return v
    }
    if (Array.isArray(u)) return Object.freeze(u.map((v: Tree, j: number) => build(v, `${path}[${j}]`)))
    if (!isRecord(u)) throw new TreeError('tree.unflatten', path, `expected a tensor, an array or a record, got ${describeNode(u)}`)
    const out: { [key: string]: Tree } = {}
    for (const [k, v] of Object.entries(u)) out[k] = build(v, keyPath(path, k))
    return Object.freeze(out)
  }
  const out = build(structure, '')
  if (i !== values.length) throw new TreeError('tree.unflatten', '', `${values.length} leaves given, the structure has ${i}`)
  return out as T
}

/** Applies `f` to every leaf (with its path), keeping the structure. @category combinators */
export const map = <T extends Tree>(t: T, f: (leaf: Tensor, path: string) => Tensor): T => {
  const build = (u: Tree, path: string): Tree => {
    if (isTensor(u)) return f(u, path)
    if (Array.isArray(u)) return Object.freeze(u.map((v: Tree, j: number) => build(v, `${path}[${j}]`)))
    if (!isRecord(u)) throw new TreeError('tree.map', path, `expected a tensor, an array or a record, got ${describeNode(u)}`)
    const out: { [key: string]: Tree } = {}
    for (const [k, v] of Object.entries(u)) out[k] = build(v, keyPath(path, k))
    return Object.freeze(out)
  }
  return build(t, '') as T
}

/**
 * Combines two trees of the same structure leaf by leaf. A difference in structure throws a
 * `TreeError` naming the first path where they differ.
 * @category combinators
 */
export const zipWith = <T extends Tree>(a: T, b: T, f: (x: Tensor, y: Tensor, path: string) => Tensor, op = 'tree.zipWith'): T => {
  const build = (u: Tree, v: unknown, path: string): Tree => {
    if (isTensor(u)) {
      if (!isTensor(v)) throw new TreeError(op, path, `expected a tensor, got ${describeNode(v)}`)
      return f(u, v, path)
    }
    if (Array.isArray(u)) {
      if (!Array.isArray(v) || v.length !== u.length) throw new TreeError(op, path, `expected ${describeNode(u)}, got ${describeNode(v)}`)
      return Object.freeze(u.map((x: Tree, j: number) => build(x, v[j], `${path}[${j}]`)))
    }
    if (!isRecord(u)) throw new TreeError(op, path, `expected a tensor, an array or a record, got ${describeNode(u)}`)
    if (!isRecord(v)) throw new TreeError(op, path, `expected a record, got ${describeNode(v)}`)
    const ur = u as { readonly [key: string]: Tree }
    const ku = Object.keys(ur)
    const kv = new Set(Object.keys(v))
    for (const k of ku) if (!kv.has(k)) throw new TreeError(op, keyPath(path, k), `missing in the second tree`)
    for (const k of kv) if (!(k in ur)) throw new TreeError(op, keyPath(path, k), `missing in the first tree`)
    const out: { [key: string]: Tree } = {}
    for (const k of ku) out[k] = build(ur[k]!, v[k], keyPath(path, k))
    return Object.freeze(out)
  }
  return build(a, b, '') as T
}

/** Whether two trees have the same structure (arrays, keys, leaf shapes and dtypes). @category guards */
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
