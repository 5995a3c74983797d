/**
 * Formulas spelled out in elementwise nodes, recognised by what they compute. Exporters write
 * GELU as a run of Mul, Add, Pow, Div, Tanh and Erf nodes over one input and scalar constants,
 * in orders that differ between exporters and versions; rather than match one order, the run is
 * evaluated (in float64) at probe points and compared with the formulas purenet has a layer for.
 */
import * as E from 'fp-ts/lib/Either.js'
import type { AnyLayer } from '../nn/index.js'
import * as nn from '../nn/index.js'
import { type Graph, type GraphNode, floatsOf } from './decodeGraph.js'
import { type OnnxError, onnxError } from './OnnxError.js'

const elementwiseOps = new Set(['Mul', 'Div', 'Sub', 'Add', 'Pow', 'Erf', 'Sqrt', 'Tanh'])

/** erf(x) by its Taylor series, accurate to about 1e-12 for |x| ≤ 3 (the probes stay there). */
const erf = (x: number): number => {
  let term = x
  let sum = x
  for (let n = 1; n < 200 && Math.abs(term) > 1e-17; n++) {
    term *= (-x * x) / n
    sum += term / (2 * n + 1)
  }
  return (2 / Math.sqrt(Math.PI)) * sum
}

/** The most nodes (Constants included) a formula's run may span. */
const maxRun = 32

const probes = Array.from({ length: 33 }, (_, i) => -4 + i / 4)

const formulas: ReadonlyArray<{ readonly name: string; readonly f: (x: number) => number; readonly layer: AnyLayer }> = [
  { name: 'GELU (tanh approximation)', f: (x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))), layer: nn.gelu },
  { name: 'GELU (erf)', f: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)), layer: nn.geluErf },
]

const apply = (op: string, a: number, b: number): number => {
  switch (op) {
    case 'Mul': return a * b
    case 'Div': return a / b
    case 'Sub': return a - b
    case 'Add': return a + b
    case 'Pow': return a ** b
    case 'Erf': return erf(a)
    case 'Sqrt': return Math.sqrt(a)
    default: return Math.tanh(a)
  }
}

/** The run's output at every probe, or `undefined` when a value is missing. */
const evaluate = (graph: Graph, run: ReadonlyArray<GraphNode>, x: string, scalars: ReadonlyMap<string, number>): ReadonlyArray<number> | undefined => {
  const values = new Map<string, ReadonlyArray<number>>([[x, probes]])
  for (const node of run) {
    if (node.opType === 'Constant') continue
    const args = node.input.map((name) => values.get(name) ?? (scalars.has(name) ? probes.map(() => scalars.get(name)!) : undefined))
    if (args.some((a) => a === undefined)) return undefined
    const [a, b] = args as [ReadonlyArray<number>, ReadonlyArray<number> | undefined]
    values.set(node.output[0] ?? '', a.map((v, i) => apply(node.opType, v, b?.[i] ?? 0)))
  }
  void graph
  return values.get(run[run.length - 1]!.output[0] ?? '')
}

/**
 * The layer computed by the run of elementwise nodes that starts at `graph.nodes[start]` and reads
 * `x`, with the number of nodes it spans and its output; `undefined` when no such run starts
 * there; a `Left` naming the nodes when they compute a formula purenet has no layer for. Only
 * the nodes of `within` are considered, and only their reads count (`readers`: the nodes of
 * `within` that read a value).
 * @category internals
 */
export const matchElementwise = (graph: Graph, start: number, x: string, within: ReadonlySet<GraphNode>, readers: (value: string) => ReadonlyArray<GraphNode>): E.Either<OnnxError, { readonly layer: AnyLayer; readonly used: number; readonly value: string } | undefined> => {
  // Scalar constants the run may read.
  const scalars = new Map<string, number>()
  const run: GraphNode[] = []
  const produced = new Set<string>([x])
  // A formula is a few nodes (PyTorch's GELUs: 5 and 9, with their Constants 8 and 13): a longer
  // run is cut, which keeps the prefixes tried below few whatever the file holds.
  for (let i = start; i < graph.nodes.length && i < start + maxRun; i++) {
    const node = graph.nodes[i]!
    if (!within.has(node)) break
    if (node.opType === 'Constant') {
      run.push(node)
      continue
    }
    if (!elementwiseOps.has(node.opType) || node.output.length !== 1) break
    let fits = true
    for (const name of node.input) {
      if (produced.has(name)) continue
      const c = graph.constants.get(name)
      const v = c !== undefined && c.size === 1 ? floatsOf(c) : undefined
      if (v === undefined || E.isLeft(v)) {
        fits = false
        break
      }
      scalars.set(name, v.right[0]!)
    }
    if (!fits) break
    run.push(node)
    produced.add(node.output[0]!)
  }
  while (run.length > 0 && run[run.length - 1]!.opType === 'Constant') run.pop()
  if (run.filter((n) => n.opType !== 'Constant').length < 2) return E.right(undefined)
  // The longest closed prefix that computes a known formula: its values are read only inside it.
  for (let end = run.length; end >= 2; end--) {
    const prefix = run.slice(0, end)
    const last = prefix[prefix.length - 1]!
    if (last.opType === 'Constant') continue
    const inside = new Set(prefix)
    const closed = [x, ...prefix.filter((n) => n !== last).flatMap((n) => n.output)].every((v) => readers(v).every((r) => inside.has(r)))
    if (!closed) continue
    const ys = evaluate(graph, prefix, x, scalars)
    if (ys === undefined) continue
    for (const formula of formulas) {
      if (!ys.every((y, i) => Math.abs(y - formula.f(probes[i]!)) <= 1e-6 * (1 + Math.abs(y)))) continue
      return E.right({ layer: formula.layer, used: end, value: last.output[0]! })
    }
  }
  const ops = run.filter((n) => n.opType !== 'Constant').map((n) => n.opType)
  return E.left(onnxError('onnx.importModel', run[0]!.where, `starts a run of arithmetic (${ops.slice(0, 12).join(', ')}${ops.length > 12 ? ', ...' : ''}) that is not a formula purenet has a layer for (GELU, by tanh or erf); purenet reads arithmetic only as GELU or a MatMul's bias`))
}
