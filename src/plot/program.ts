/**
 * Drawings of staged programs as SVG: `program(p)` draws any program, `gradProgram(loss)` draws
 * the forward and backward program of a loss (the lecture's picture of backpropagation, from
 * real code), the backward equations in their own colour. The layout is dagre's (programLayout.ts);
 * this file paints it: boxes titled with the primitive over the output type, edges coloured by
 * the kind of value they carry, a legend. The SVG is plain text, the same bytes for the same
 * program (no clock, no randomness), and needs no DOM, so it works in Node and in a browser.
 */
import { valueAndGrad } from '../autodiff/index.js'
import type { Program } from '../stage/index.js'
import { trace } from '../stage/index.js'
import type { Tensor } from '../tensor/index.js'
import type { Tree } from '../tree/index.js'
import { type ProgramGraph, type ProgramLayoutOptions, type ProgramNodeKind, LINE_HEIGHT, programGraph } from './programLayout.js'

/**
 * How to draw a program. @category plots
 * @example
 * ```ts
 * const program = trace((x: Tensor) => ops.tanh(ops.mul(x, x)))(tensor([1, 2]))
 * const options: plot.ProgramPlotOptions = { title: 'tanh(x²)', argumentNames: ['x'] }
 * const svg = plot.program(program, options)
 * ```
 */
export interface ProgramPlotOptions extends ProgramLayoutOptions {
  /** A title over the picture (default none). */
  readonly title?: string
  /** A line under the title (default: the counts of equations). */
  readonly subtitle?: string
}

const palette: Readonly<Record<ProgramNodeKind, { readonly fill: string; readonly stroke: string; readonly label: string }>> = {
  input: { fill: '#e3f1dc', stroke: '#54a24b', label: 'input' },
  constant: { fill: '#f2f2f2', stroke: '#9d9d9d', label: 'constant' },
  forward: { fill: '#dce8f5', stroke: '#4c78a8', label: 'forward' },
  backward: { fill: '#fde5cc', stroke: '#e4761b', label: 'backward' },
  output: { fill: '#ffffff', stroke: '#333333', label: 'output' },
}

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

const num = (v: number): string => String(Math.round(v * 10) / 10)

// A smooth path through dagre's points: quadratic curves through the midpoints.
const edgePath = (points: ReadonlyArray<{ readonly x: number; readonly y: number }>): string => {
  if (points.length === 0) return ''
  let d = `M${num(points[0]!.x)},${num(points[0]!.y)}`
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i]!, q = points[i + 1]!
    d += ` Q${num(p.x)},${num(p.y)} ${num((p.x + q.x) / 2)},${num((p.y + q.y) / 2)}`
  }
  const last = points[points.length - 1]!
  return `${d} L${num(last.x)},${num(last.y)}`
}

const MARGIN = 16

/**
 * Paints a laid-out program graph as an SVG document.
 * @example
 * ```ts
 * const graph = plot.programGraph(trace((x: Tensor) => ops.tanh(ops.mul(x, x)))(tensor([1, 2])))
 * const svg = plot.drawProgramGraph(graph, { title: 'tanh(x²)' })
 * ```
 * @category plots
 */
export const drawProgramGraph = (graph: ProgramGraph, options: { readonly title?: string; readonly subtitle?: string } = {}): string => {
  const kinds = new Set(graph.nodes.map((n) => n.kind))
  const legend = (Object.keys(palette) as ProgramNodeKind[]).filter((k) => kinds.has(k))
  const header = (options.title === undefined ? 0 : 24) + (options.subtitle === undefined ? 0 : 18) + 26
  // legend entries: a swatch, its label (about 7 px a character in 12 px sans-serif), a gap
  const legendX = legend.reduce<number[]>((at, _k, i) => [...at, i === 0 ? 0 : at[i - 1]! + 20 + palette[legend[i - 1]!].label.length * 7 + 18], [])
  const legendWidth = legend.length === 0 ? 0 : legendX[legend.length - 1]! + 20 + palette[legend[legend.length - 1]!].label.length * 7
  const width = Math.max(graph.width + 2 * MARGIN, legendWidth + 2 * MARGIN)
  const height = graph.height + header + 2 * MARGIN
  const kindOf = new Map(graph.nodes.map((n) => [n.id, n.kind]))
  const out: string[] = []
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${num(width)}" height="${num(height)}" viewBox="0 0 ${num(width)} ${num(height)}" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="12">`)
  out.push(`<rect width="${num(width)}" height="${num(height)}" fill="#ffffff"/>`)
  out.push('<defs>')
  for (const k of legend) {
    out.push(`<marker id="purenet-arrow-${k}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${palette[k].stroke}"/></marker>`)
  }
  out.push('</defs>')
  let y = MARGIN
  if (options.title !== undefined) {
    y += 16
    out.push(`<text x="${MARGIN}" y="${y}" font-family="sans-serif" font-size="16" font-weight="bold" fill="#222222">${escape(options.title)}</text>`)
    y += 8
  }
  if (options.subtitle !== undefined) {
    y += 14
    out.push(`<text x="${MARGIN}" y="${y}" font-family="sans-serif" font-size="12" fill="#555555">${escape(options.subtitle)}</text>`)
    y += 4
  }
  y += 8
  legend.forEach((k, i) => {
    const x = MARGIN + legendX[i]!
    out.push(`<rect x="${x}" y="${y}" width="14" height="12" rx="3" fill="${palette[k].fill}" stroke="${palette[k].stroke}"/>`)
    out.push(`<text x="${x + 20}" y="${y + 10}" font-family="sans-serif" fill="#333333">${palette[k].label}</text>`)
  })
  const top = MARGIN + header
  out.push(`<g transform="translate(${MARGIN},${num(top)})">`)
  for (const e of graph.edges) {
    const k = kindOf.get(e.from) ?? 'forward'
    const dashed = k === 'constant' ? ' stroke-dasharray="4 3"' : ''
    out.push(`<path d="${edgePath(e.points)}" fill="none" stroke="${palette[k].stroke}" stroke-opacity="0.8" stroke-width="1.3"${dashed} marker-end="url(#purenet-arrow-${k})"/>`)
  }
  for (const n of graph.nodes) {
    const p = palette[n.kind]
    const x = n.x - n.width / 2, yTop = n.y - n.height / 2
    const rx = n.kind === 'input' || n.kind === 'output' ? n.height / 2 : 5
    const dashed = n.kind === 'constant' ? ' stroke-dasharray="4 3"' : ''
    const strokeWidth = n.kind === 'output' ? 1.8 : 1.2
    out.push(`<rect x="${num(x)}" y="${num(yTop)}" width="${num(n.width)}" height="${num(n.height)}" rx="${num(rx)}" fill="${p.fill}" stroke="${p.stroke}" stroke-width="${strokeWidth}"${dashed}/>`)
    n.lines.forEach((line, i) => {
      const ty = yTop + 5 + LINE_HEIGHT * (i + 1) - 3.5
      const style = i === 0 ? ' font-weight="bold" fill="#1a1a1a"' : ' fill="#555555"'
      out.push(`<text x="${num(n.x)}" y="${num(ty)}" text-anchor="middle"${style}>${escape(line)}</text>`)
    })
  }
  out.push('</g>', '</svg>')
  return `${out.join('\n')}\n`
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

const counts = (p: Program, backwardFrom: number | undefined): string => {
  const n = p.equations.length
  if (backwardFrom === undefined) return `${plural(n, 'equation')}, ${plural(p.inputs.length, 'input')}`
  return `${backwardFrom} forward and ${plural(n - backwardFrom, 'backward equation')}, ${plural(p.inputs.length, 'input')}`
}

/**
 * Draws a program as an SVG graph: inputs, constants, one box per equation (primitive and output
 * type), outputs, and an edge per use of a value. `backwardFrom` colours the equations from that
 * index on as the backward pass.
 * @example
 * ```ts
 * const f = (x: Tensor) => ops.tanh(ops.mul(x, x))
 * const svg = plot.program(trace(f)(tensor([1, 2])), { title: 'f' }) // an SVG string, for a file or a page
 * ```
 * @category plots
 */
export const program = (p: Program, options: ProgramPlotOptions = {}): string =>
  drawProgramGraph(programGraph(p, options), { ...(options.title === undefined ? {} : { title: options.title }), subtitle: options.subtitle ?? counts(p, options.backwardFrom) })

/**
 * A traced forward and backward program and where its backward pass starts. @category model
 * @example
 * ```ts
 * const net = nn.dense(2, 1)
 * type Params = ReturnType<typeof net.init>
 * const g: plot.GradProgram = plot.traceGrad((p: Params, x: Tensor) => ops.sum(net.apply(p)(x)))(net.init(random.key(0)), ones([3, 2]))
 * ```
 */
export interface GradProgram {
  /** The program of `(params, ...data) => valueAndGrad(p => loss(p, ...data))(params)`. */
  readonly program: Program
  /** The index of the first equation of the backward pass. */
  readonly backwardFrom: number
}

/**
 * Traces the forward and backward program of `loss` with respect to its first argument (the
 * parameters; the other arguments are data, inputs of the program but not differentiated). The
 * forward pass is the prefix of the equations that tracing `loss` alone records.
 * @example
 * ```ts
 * const net = nn.dense(2, 1)
 * type Params = ReturnType<typeof net.init>
 * const loss = (p: Params, x: Tensor, y: Tensor) => losses.mse(net.apply(p)(x), y)
 * const g = plot.traceGrad(loss)(net.init(random.key(0)), ones([4, 2]), zeros([4, 1])) // the program and where backward starts
 * ```
 * @category plots
 */
export const traceGrad =
  <P extends Tree, D extends ReadonlyArray<Tree>>(loss: (params: P, ...data: D) => Tensor) =>
  (params: P, ...data: D): GradProgram => {
    const forward = trace(loss)(params, ...data)
    const both = trace((p: P, ...d: D) => valueAndGrad((q: P) => loss(q, ...d))(p))(params, ...data)
    // the forward pass of valueAndGrad binds the same primitives, in the same order, as loss alone
    const n = forward.equations.length
    if (both.equations.length < n || forward.equations.some((e, i) => both.equations[i]!.prim !== e.prim)) {
      throw new Error('plot.traceGrad: the forward pass of the gradient differs from the loss alone; does the loss depend on something besides its arguments?')
    }
    return Object.freeze({ program: both, backwardFrom: n })
  }

/**
 * Draws the forward and backward program of `loss` (its gradient with respect to the first
 * argument, as `traceGrad` traces it): the forward equations in blue, the backward ones in
 * orange, the loss and one output per gradient leaf (`∂loss/∂W1`).
 * @example
 * ```ts
 * const net = nn.dense(2, 1)
 * type Params = ReturnType<typeof net.init>
 * const loss = (p: Params, x: Tensor, y: Tensor) => losses.mse(net.apply(p)(x), y)
 * const svg = plot.gradProgram(loss, { title: 'backprop' })(net.init(random.key(0)), ones([4, 2]), zeros([4, 1]))
 * ```
 * @category plots
 */
export const gradProgram =
  <P extends Tree, D extends ReadonlyArray<Tree>>(loss: (params: P, ...data: D) => Tensor, options: ProgramPlotOptions = {}) =>
  (params: P, ...data: D): string => {
    const { program: p, backwardFrom } = traceGrad(loss)(params, ...data)
    const outputNames = p.outTree.paths.map((path) => (path === '[0]' ? 'loss' : `∂loss/∂${path.replace(/^\[1\]\.?/, '') || (options.argumentNames?.[0] ?? 'x0')}`))
    return program(p, { outputNames, backwardFrom, ...options })
  }
