/**
 * The graph of an ONNX model read as a tree of layers, by following values rather than node
 * order: from the input, a value read by one node continues the chain (`readNode.ts`); a value
 * read by several nodes opens branches, which close at the first node where every path from it
 * meets again. That node is
 *   Add(x, f(x))                     residual(f)
 *   Concat(f₁(x), ..., fₙ(x), axis 1)  fanOut(f₁, ..., fₙ)  (a branch that is x itself: identity)
 *   Concat of chains that each start with a Slice of x, in order and covering x's features:
 *                                    parallel(f₁, ..., fₙ)
 * and the branches are read the same way, inside the nodes that lie between the two points. A
 * formula written out in elementwise nodes (GELU) reads its input several times; it is recognised
 * first (`elementwiseRun.ts`).
 */
import * as E from 'fp-ts/lib/Either.js'
import type { AnyLayer } from '../nn/index.js'
import * as nn from '../nn/index.js'
import { type Graph, type GraphNode, intsOf, quote } from './decodeGraph.js'
import { matchElementwise } from './elementwiseRun.js'
import { type OnnxError, onnxError } from './OnnxError.js'
import { type Walk, arithmetic, readNode, readsWeights } from './readNode.js'

const fail = (path: string, detail: string): E.Either<OnnxError, never> => E.left(onnxError('onnx.importModel', path, detail))

/** A layer with its parameters. @category internals */
export interface Piece {
  readonly layer: AnyLayer
  readonly params: unknown
}

/** The nodes a walk may use, and who reads each value among them. */
interface Scope {
  readonly nodes: ReadonlyArray<GraphNode>
  readonly members: ReadonlySet<GraphNode>
  /** Each node's position in `nodes`. */
  readonly position: ReadonlyMap<GraphNode, number>
  readonly readers: ReadonlyMap<string, ReadonlyArray<GraphNode>>
}

const scopeOf = (graph: Graph, nodes: ReadonlyArray<GraphNode>): Scope => {
  const readers = new Map<string, GraphNode[]>()
  for (const n of nodes) {
    if (n.opType === 'Constant') continue
    for (const i of new Set(n.input)) {
      if (graph.constants.has(i)) continue
      const list = readers.get(i)
      if (list === undefined) readers.set(i, [n])
      else list.push(n)
    }
  }
  return { nodes, members: new Set(nodes), position: new Map(nodes.map((n, i) => [n, i])), readers }
}

/** The pieces of a chain as one layer: `identity` for none, `serial` for several. @category internals */
export const pieceOf = (pieces: ReadonlyArray<Piece>, where: string): E.Either<OnnxError, Piece> => {
  if (pieces.length === 0) return E.right({ layer: nn.identity, params: Object.freeze({}) })
  if (pieces.length === 1) return E.right(pieces[0]!)
  return E.bimap(
    (e: unknown) => onnxError('onnx.importModel', where, `its layers do not fit together: ${e instanceof Error ? e.message : String(e)}`),
    (layer: AnyLayer) => ({ layer, params: Object.freeze(pieces.map((p) => p.params)) }),
  )(E.tryCatch(() => nn.serial(...(pieces.map((p) => p.layer) as [AnyLayer, ...AnyLayer[]])), (e) => e))
}

/** The position in `scope` of the first node that reads `value` (its length when none does). */
const firstPosition = (scope: Scope, value: string): number =>
  (scope.readers.get(value) ?? []).reduce((lo, n) => Math.min(lo, scope.position.get(n) ?? lo), scope.nodes.length)

/**
 * The nodes of `scope` from the first reader of `from` to the producer of `to` (`join`'s input)
 * from which `to` is reached: the nodes of one branch, and the Constants among them. Only the
 * positions between the two are looked at, so reading many branches stays linear in the graph.
 */
const between = (graph: Graph, scope: Scope, from: string, to: string, join: GraphNode): ReadonlyArray<GraphNode> => {
  const lo = firstPosition(scope, from)
  const hi = scope.position.get(join) ?? -1
  const range = scope.nodes.slice(lo, Math.max(lo, hi))
  const producer = new Map<string, GraphNode>()
  for (const n of range) for (const o of n.output) producer.set(o, n)
  const ancestors = new Set<GraphNode>()
  const stack = [to]
  while (stack.length > 0) {
    const v = stack.pop()!
    if (v === from) continue
    const p = producer.get(v)
    if (p === undefined || ancestors.has(p)) continue
    ancestors.add(p)
    for (const i of p.input) if (!graph.constants.has(i)) stack.push(i)
  }
  return range.filter((n) => ancestors.has(n) || n.opType === 'Constant')
}

/** The first node, in order, where every path from `value` meets again: its output is the only value left open. */
const joinOf = (scope: Scope, value: string): GraphNode | undefined => {
  const open = new Map<string, number>([[value, scope.readers.get(value)?.length ?? 0]])
  for (let i = firstPosition(scope, value); i < scope.nodes.length; i++) {
    const n = scope.nodes[i]!
    if (n.opType === 'Constant') continue
    const read = [...new Set(n.input)].filter((i) => open.has(i))
    if (read.length === 0) continue
    for (const i of read) {
      const left = open.get(i)! - 1
      if (left === 0) open.delete(i)
      else open.set(i, left)
    }
    for (const o of n.output) open.set(o, scope.readers.get(o)?.length ?? 0)
    if (open.size === 1 && n.output.includes([...open.keys()][0]!)) return n
  }
  return undefined
}

/** The deepest nesting of branches read (as `nn.fromSpec`'s depth of specs). */
const maxBranchDepth = 64

/** The most branches one Concat may join. */
const maxBranches = 256

const features = (dims: ReadonlyArray<number> | undefined): number | undefined => (dims?.length === 1 ? dims[0] : undefined)

/** A Slice of `value` along axis 1 (or -1 for rank 2): its [start, end), or `undefined`. */
const sliceOf = (graph: Graph, node: GraphNode, value: string): readonly [number, number] | undefined => {
  if (node.opType !== 'Slice' || node.input[0] !== value) return undefined
  const read = (i: number): ReadonlyArray<number> | undefined => {
    const t = node.input[i] === undefined || node.input[i] === '' ? undefined : graph.constants.get(node.input[i]!)
    const v = t === undefined ? undefined : intsOf(t)
    return v === undefined || E.isLeft(v) ? undefined : v.right
  }
  const [starts, ends, axes, steps] = [read(1), read(2), read(3), read(4)]
  if (starts?.length !== 1 || ends?.length !== 1 || (axes !== undefined && (axes.length !== 1 || (axes[0] !== 1 && axes[0] !== -1))) || (steps !== undefined && steps[0] !== 1)) return undefined
  return [starts[0]!, ends[0]!]
}

/**
 * Reads the chain from `walk.value` to `until` (the graph's output when `undefined`) within
 * `scope`: the layers in order and the walk at its end.
 * @category internals
 */
export const walkChain = (walk: Walk, scope: Scope, until: string, depth = 0): E.Either<OnnxError, { readonly pieces: ReadonlyArray<Piece>; readonly walk: Walk }> => {
  const graph = walk.graph
  if (depth > maxBranchDepth) return fail(`value ${quote(walk.value)}`, `opens branches inside branches more than ${maxBranchDepth} deep; purenet reads at most that`)
  const pieces: Piece[] = []
  for (let guard = 0; walk.value !== until; guard++) {
    if (guard > graph.nodes.length) return fail('graph', 'loops; an ONNX graph is acyclic')
    const readers = scope.readers.get(walk.value) ?? []
    const first = readers[0]
    if (first === undefined) return fail(`value ${quote(walk.value)}`, `is read by no node, but the chain has not reached ${quote(until)}; purenet imports a network from its input to its output`)
    if (arithmetic.has(first.opType)) {
      const run = matchElementwise(graph, first.index, walk.value, scope.members, (v) => scope.readers.get(v) ?? [])
      // A run that is no formula may still be branches (x + gelu(x)): those are read below.
      if (E.isLeft(run) && readers.length === 1) return run
      if (E.isRight(run) && run.right !== undefined) {
        pieces.push({ layer: run.right.layer, params: Object.freeze({}) })
        walk = { ...walk, value: run.right.value }
        continue
      }
    }
    if (readers.length === 1) {
      const node = first
      const others = node.input.filter((n) => n !== walk.value && n !== '' && !graph.constants.has(n))
      if (others.length > 0 && !readsWeights.has(node.opType)) return fail(node.where, `also reads ${quote(others[0]!)}, which is neither the previous value nor a constant, and closes no branch that purenet reads (x + f(x), or a Concat of branches)`)
      if (arithmetic.has(node.opType) && node.opType !== 'Add') return fail(node.where, `is arithmetic that is not part of a formula purenet knows (GELU); purenet imports it only in a GELU formula or a MatMul's bias`)
      const out = node.output[0] ?? ''
      const outReaders = scope.readers.get(out) ?? []
      const r = readNode(walk, node, outReaders.length === 1 ? outReaders[0] : undefined)
      if (E.isLeft(r)) return r
      if (r.right.step !== undefined) pieces.push(r.right.step)
      walk = { graph: walk.graph, value: r.right.value, dims: r.right.dims, ...(r.right.layout === undefined ? {} : { layout: r.right.layout }) }
      continue
    }
    // Branches: read each from here to the node where they meet.
    const join = joinOf(scope, walk.value)
    if (join === undefined) return fail(first.where, `reads ${quote(walk.value)}, which other nodes read too, and the paths from there never meet again; purenet imports branches that end in an Add or a Concat`)
    const branch = readBranches(walk, scope, join, depth)
    if (E.isLeft(branch)) return branch
    pieces.push(branch.right.piece)
    walk = { ...walk, value: join.output[0] ?? '', dims: branch.right.dims }
  }
  return E.right({ pieces, walk })
}

/** The layer of the branches from `walk.value` that meet at `join`. */
const readBranches = (walk: Walk, scope: Scope, join: GraphNode, depth: number): E.Either<OnnxError, { readonly piece: Piece; readonly dims: ReadonlyArray<number> | undefined }> => {
  const graph = walk.graph
  const x = walk.value
  const inputs = join.input.filter((i) => i !== '' && !graph.constants.has(i))
  const chain = (to: string): E.Either<OnnxError, { readonly piece: Piece; readonly walk: Walk }> => {
    if (to === x) return E.right({ piece: { layer: nn.identity, params: Object.freeze({}) }, walk })
    const inner = walkChain(walk, scopeOf(graph, between(graph, scope, x, to, join)), to, depth + 1)
    if (E.isLeft(inner)) return inner
    const piece = pieceOf(inner.right.pieces, join.where)
    return E.isLeft(piece) ? piece : E.right({ piece: piece.right, walk: inner.right.walk })
  }
  if (join.opType === 'Add') {
    if (inputs.length !== 2 || !inputs.includes(x)) return fail(join.where, `adds two branches; purenet reads an Add of branches only as x + f(x) (residual)`)
    const f = chain(inputs.find((i) => i !== x) ?? x)
    if (E.isLeft(f)) return f
    const layer = E.tryCatch(() => nn.residual(f.right.piece.layer), (e) => onnxError('onnx.importModel', join.where, `x + f(x) needs f to keep the size: ${e instanceof Error ? e.message : String(e)}`))
    return E.isLeft(layer) ? layer : E.right({ piece: { layer: layer.right, params: f.right.piece.params }, dims: walk.dims })
  }
  if (join.opType === 'Concat') {
    if (walk.layout === 'nhwc') return fail(join.where, 'concatenates images; purenet reads a Concat of branches of flat features (Flatten first)')
    const axis = join.attributes.get('axis')?.i
    if (axis !== 1 && axis !== -1) return fail(join.where, `concatenates along axis ${String(axis)}; purenet concatenates branches along the features (axis 1)`)
    if (walk.dims !== undefined && walk.dims.length !== 1) return fail(join.where, `concatenates branches of a value of shape [batch, ${walk.dims.join(', ')}]; flatten it first`)
    // parallel: every branch starts with a Slice of x, in order, covering x's features.
    if (inputs.length > maxBranches) return fail(join.where, `concatenates ${inputs.length} branches; purenet reads at most ${maxBranches}`)
    const branchNodes = inputs.map((to) => (to === x ? [] : between(graph, scope, x, to, join)))
    const heads = branchNodes.map((nodes) => nodes.find((n) => n.opType === 'Slice' && n.input[0] === x))
    const slices = heads.map((h) => (h === undefined ? undefined : sliceOf(graph, h, x)))
    const width = features(walk.dims)
    const contiguous = slices.every((s, i) => s !== undefined && s[0] === (i === 0 ? 0 : slices[i - 1]![1]) && s[1] > s[0]) && (width === undefined || slices[slices.length - 1]![1] === width)
    const pieces: Piece[] = []
    let total: number | undefined = 0
    for (const [i, to] of inputs.entries()) {
      const head = heads[i]
      const from: Walk = contiguous && head !== undefined ? { ...walk, value: head.output[0] ?? '', dims: [slices[i]![1] - slices[i]![0]] } : walk
      const f = from === walk ? chain(to) : (() => {
        if (to === from.value) return E.right({ piece: { layer: nn.identity, params: Object.freeze({}) }, walk: from })
        const inner = walkChain(from, scopeOf(graph, branchNodes[i]!.filter((n) => n !== head)), to, depth + 1)
        if (E.isLeft(inner)) return inner
        const piece = pieceOf(inner.right.pieces, join.where)
        return E.isLeft(piece) ? piece : E.right({ piece: piece.right, walk: inner.right.walk })
      })()
      if (E.isLeft(f)) return f
      pieces.push(f.right.piece)
      const n = features(f.right.walk.dims)
      total = total === undefined || n === undefined ? undefined : total + n
    }
    const parallel = contiguous && heads.every((h) => h !== undefined)
    if (!parallel && heads.some((h) => h !== undefined)) return fail(join.where, `concatenates branches that slice the input in a way purenet's parallel does not (blocks of features in order, covering all of them)`)
    const layer = E.tryCatch(() => (parallel ? nn.parallel(...(pieces.map((p) => p.layer) as [AnyLayer, ...AnyLayer[]])) : nn.fanOut(...(pieces.map((p) => p.layer) as [AnyLayer, ...AnyLayer[]]))),
      (e) => onnxError('onnx.importModel', join.where, `its branches do not fit together: ${e instanceof Error ? e.message : String(e)}`))
    return E.isLeft(layer) ? layer : E.right({ piece: { layer: layer.right, params: Object.freeze(pieces.map((p) => p.params)) }, dims: total === undefined ? undefined : [total] })
  }
  return fail(join.where, `is where branches from ${quote(x)} meet; purenet reads branches that meet in an Add (x + f(x)) or a Concat along the features`)
}

/** The scope of the whole graph. @category internals */
export const graphScope = (graph: Graph): Scope => scopeOf(graph, graph.nodes)
