/**
 * A program as a laid-out graph: one node per input, array constant, equation and output, one
 * edge per use of a value, positioned by dagre (a layered layout: every edge points down the
 * page, crossings minimised). The drawing (program.ts) only paints what this returns, so tests
 * can count nodes and edges without reading SVG.
 */
import { Graph, layout } from '@dagrejs/dagre'
import type { Atom, Program } from '../stage/index.js'
import { formatNumber, formatValue } from '../stage/show.js'
import { typeName } from '../stage/names.js'

/**
 * What a node stands for; `forward` and `backward` are equations of either pass. @category model
 * @example
 * ```ts
 * const kind: plot.ProgramNodeKind = 'backward'
 * ```
 */
export type ProgramNodeKind = 'input' | 'constant' | 'forward' | 'backward' | 'output'

/**
 * A positioned node: its centre, size and text lines (the first is the title). @category model
 * @example
 * ```ts
 * const program = trace((x: Tensor) => ops.tanh(ops.mul(x, x)))(tensor([1, 2]))
 * const nodes: ReadonlyArray<plot.ProgramNode> = plot.programGraph(program).nodes
 * ```
 */
export interface ProgramNode {
  readonly id: string
  readonly kind: ProgramNodeKind
  readonly lines: ReadonlyArray<string>
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
}

/**
 * A positioned edge from the node that defines a value to a node that uses it. @category model
 * @example
 * ```ts
 * const program = trace((x: Tensor) => ops.tanh(ops.mul(x, x)))(tensor([1, 2]))
 * const edges: ReadonlyArray<plot.ProgramEdge> = plot.programGraph(program).edges
 * ```
 */
export interface ProgramEdge {
  readonly from: string
  readonly to: string
  readonly points: ReadonlyArray<{ readonly x: number; readonly y: number }>
}

/**
 * A laid-out program graph. @category model
 * @example
 * ```ts
 * const program = trace((x: Tensor) => ops.tanh(ops.mul(x, x)))(tensor([1, 2]))
 * const graph: plot.ProgramGraph = plot.programGraph(program)
 * graph.nodes.length
 * ```
 */
export interface ProgramGraph {
  readonly nodes: ReadonlyArray<ProgramNode>
  readonly edges: ReadonlyArray<ProgramEdge>
  readonly width: number
  readonly height: number
}

/**
 * How to lay out and label a program. @category plots
 * @example
 * ```ts
 * const program = trace((x: Tensor) => ops.tanh(ops.mul(x, x)))(tensor([1, 2]))
 * const options: plot.ProgramLayoutOptions = { argumentNames: ['x'], direction: 'LR' }
 * plot.programGraph(program, options)
 * ```
 */
export interface ProgramLayoutOptions {
  /** Equations from this index on are drawn as the backward pass (default: none are). */
  readonly backwardFrom?: number
  /** Names of the traced function's arguments, for the input nodes (default x0, x1, ...). */
  readonly argumentNames?: ReadonlyArray<string>
  /** Names of the outputs, in the order of the program's outputs (default their paths in the result). */
  readonly outputNames?: ReadonlyArray<string>
  /** Layout direction: top to bottom (default) or left to right. */
  readonly direction?: 'TB' | 'LR'
}

// The part of dagre's graph that this file uses. dagre's own declarations reach graphlib's through
// imports that TypeScript's NodeNext resolution does not follow, so its Graph arrives as `any`:
// this interface restores the types.
interface LayoutGraph {
  setGraph(label: { readonly rankdir: string; readonly nodesep: number; readonly ranksep: number; readonly marginx: number; readonly marginy: number }): void
  setDefaultEdgeLabel(label: () => object): void
  setNode(id: string, label: { readonly width: number; readonly height: number }): void
  setEdge(from: string, to: string): void
  nodes(): string[]
  node(id: string): { readonly x?: number; readonly y?: number; readonly width: number; readonly height: number }
  edges(): Array<{ readonly v: string; readonly w: string }>
  edge(e: { readonly v: string; readonly w: string }): { readonly points?: ReadonlyArray<{ readonly x: number; readonly y: number }> }
  graph(): { readonly width?: number; readonly height?: number }
}

/** Width of one character of the labels (12 px monospace). @category internals */
export const CHAR_WIDTH = 7.2
/** Height of one text line of the labels. @category internals */
export const LINE_HEIGHT = 15

// `[1].w` -> `w` (the path inside the argument), `[1]` -> the argument's name.
const inputLabel = (path: string, names: ReadonlyArray<string> | undefined): string => {
  const m = /^\[(\d+)\]\.?(.*)$/.exec(path)
  if (m === null) return path
  const i = Number(m[1])
  return m[2] !== '' ? m[2]! : (names?.[i] ?? `x${i}`)
}

// Parameters without the `false` flags (matmul[tb=true], sum[axes=(0,1)]) to keep titles short.
const shortParams = (params: unknown): string => {
  if (params === undefined) return ''
  if (typeof params === 'object' && params !== null && !Array.isArray(params)) {
    const entries = Object.entries(params).filter(([, v]) => v !== false)
    return entries.length === 0 ? '' : `[${entries.map(([k, v]) => `${k}=${formatValue(v)}`).join(' ')}]`
  }
  return `[${formatValue(params)}]`
}

const constantTitle = (value: Program['constants'][number]['value']): string => {
  const d = value.data
  let uniform = d.length > 0
  for (let i = 1; i < d.length && uniform; i++) uniform = Object.is(d[i], d[0])
  return uniform ? `full ${formatNumber(d[0]!, value.dtype)}` : 'constant'
}

const isLiteral = (a: Atom): boolean => a.kind === 'const' && a.value.shape.length === 0

/**
 * Lays out a program with dagre: inputs at the top, outputs at the bottom, each equation a box
 * titled with its primitive, its short parameters and its scalar literals, over its output type.
 * @example
 * ```ts
 * const graph = plot.programGraph(trace((x: Tensor) => ops.tanh(ops.mul(x, x)))(tensor([1, 2]))) // nodes and edges, laid out
 * ```
 * @category plots
 */
export const programGraph = (program: Program, options: ProgramLayoutOptions = {}): ProgramGraph => {
  const g: LayoutGraph = new Graph({ multigraph: false })
  g.setGraph({ rankdir: options.direction ?? 'TB', nodesep: 18, ranksep: 28, marginx: 0, marginy: 0 })
  g.setDefaultEdgeLabel(() => ({}))
  const kinds = new Map<string, { readonly kind: ProgramNodeKind; readonly lines: ReadonlyArray<string> }>()
  const add = (id: string, kind: ProgramNodeKind, lines: ReadonlyArray<string>): void => {
    kinds.set(id, { kind, lines })
    const width = Math.max(...lines.map((l) => l.length)) * CHAR_WIDTH + 16
    g.setNode(id, { width, height: lines.length * LINE_HEIGHT + 10 })
  }
  const source = (a: Atom): string => (a.kind === 'var' ? `v${a.id}` : `k${a.id}`)

  const paths = program.inTree.paths
  program.inputs.forEach((v, i) => add(`v${v.id}`, 'input', [inputLabel(paths[i]!, options.argumentNames), typeName(v.dtype, v.shape)]))
  for (const c of program.constants) {
    if (c.value.shape.length > 0) add(`k${c.id}`, 'constant', [constantTitle(c.value), typeName(c.value.dtype, c.value.shape)])
  }
  const backwardFrom = options.backwardFrom ?? Number.POSITIVE_INFINITY
  program.equations.forEach((eq, k) => {
    const literals = eq.inputs.filter(isLiteral).map((a) => (a.kind === 'const' ? formatNumber(a.value.data[0]!, a.value.dtype) : ''))
    const title = `${eq.prim.name}${shortParams(eq.params)}${literals.map((l) => ` ${l}`).join('')}`
    const id = `v${eq.out.id}`
    add(id, k >= backwardFrom ? 'backward' : 'forward', [title, typeName(eq.out.dtype, eq.out.shape)])
    for (const a of eq.inputs) if (!isLiteral(a)) g.setEdge(source(a), id)
  })
  const outPaths = program.outTree.paths
  program.outputs.forEach((a, i) => {
    const id = `out${i}`
    const name = options.outputNames?.[i] ?? (outPaths[i] === '' ? 'output' : outPaths[i]!)
    if (isLiteral(a)) add(id, 'output', [name, a.kind === 'const' ? formatNumber(a.value.data[0]!, a.value.dtype) : ''])
    else {
      add(id, 'output', [name])
      g.setEdge(source(a), id)
    }
  })

  layout(g)
  // dagre's size covers the nodes; an edge bending around them may reach past it: shift
  // everything so that the nodes and every edge point lie in [0, width] x [0, height]
  const placed = g.nodes().map((id) => ({ id, n: g.node(id) }))
  const routes = g.edges().map((e) => ({ e, points: g.edge(e).points ?? [] }))
  const xs = [...placed.flatMap(({ n }) => [(n.x ?? 0) - n.width / 2, (n.x ?? 0) + n.width / 2]), ...routes.flatMap((r) => r.points.map((p) => p.x))]
  const ys = [...placed.flatMap(({ n }) => [(n.y ?? 0) - n.height / 2, (n.y ?? 0) + n.height / 2]), ...routes.flatMap((r) => r.points.map((p) => p.y))]
  const x0 = Math.min(0, ...xs), y0 = Math.min(0, ...ys)
  const round = (v: number): number => Math.round(v * 10) / 10
  const nodes = placed.map(({ id, n }): ProgramNode => {
    const k = kinds.get(id)!
    return Object.freeze({ id, kind: k.kind, lines: k.lines, x: round((n.x ?? 0) - x0), y: round((n.y ?? 0) - y0), width: round(n.width), height: round(n.height) })
  })
  const edges = routes.map(({ e, points }): ProgramEdge => Object.freeze({
    from: e.v,
    to: e.w,
    points: Object.freeze(points.map((p) => Object.freeze({ x: round(p.x - x0), y: round(p.y - y0) }))),
  }))
  return Object.freeze({
    nodes: Object.freeze(nodes),
    edges: Object.freeze(edges),
    width: round(Math.max(0, ...xs) - x0),
    height: round(Math.max(0, ...ys) - y0),
  })
}
