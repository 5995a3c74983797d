import { describe, expect, it } from 'vitest'
import * as P from '../autodiff/primitives/index.js'
import { trace } from '../stage/index.js'
import { type Tensor, tensor } from '../tensor/index.js'
import { drawProgramGraph, gradProgram, program, traceGrad } from './program.js'
import { type ProgramGraph, programGraph } from './programLayout.js'

type Params = { readonly w1: Tensor; readonly w2: Tensor }
const params: Params = { w1: tensor([[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]]), w2: tensor([[1], [-1], [0.5]]) }
const x = tensor([[1, 2], [3, 4], [5, 6], [7, 8]])
const y = tensor([[1], [0], [1], [0]])
const loss = (p: Params, xs: Tensor, ys: Tensor): Tensor => P.sum(P.square(P.sub(P.matmul(P.tanh(P.matmul(xs, p.w1)), p.w2), ys)))

/** A small well-formedness check: every tag closes in order, attributes are quoted, text is escaped. */
const wellFormed = (svg: string): boolean => {
  const stack: string[] = []
  const tags = /<(\/?)([a-zA-Z]+)((?:\s+[a-zA-Z:-]+="[^"<]*")*)\s*(\/?)>/g
  let last = 0
  for (const m of svg.matchAll(tags)) {
    if (/[<>]|&(?!amp;|lt;|gt;|quot;)/.test(svg.slice(last, m.index))) return false
    last = m.index + m[0].length
    const [, closing, name, , selfClosing] = m
    if (closing === '/') { if (stack.pop() !== name) return false } else if (selfClosing !== '/') stack.push(name!)
  }
  return stack.length === 0 && svg.slice(last).trim() === '' && svg.startsWith('<svg ')
}

const overlaps = (g: ProgramGraph): number => {
  let n = 0
  g.nodes.forEach((a, i) => g.nodes.slice(i + 1).forEach((b) => {
    if (Math.abs(a.x - b.x) * 2 < a.width + b.width && Math.abs(a.y - b.y) * 2 < a.height + b.height) n++
  }))
  return n
}

describe('plot.programGraph', () => {
  it('has a node per input, array constant, equation and output, and an edge per use', () => {
    const p = trace(loss)(params, x, y)
    const g = programGraph(p)
    expect(g.nodes.filter((n) => n.kind === 'input').map((n) => n.lines)).toEqual([['w1', 'f32[2,3]'], ['w2', 'f32[3,1]'], ['x1', 'f32[4,2]'], ['x2', 'f32[4,1]']])
    expect(g.nodes.filter((n) => n.kind === 'forward').map((n) => n.lines[0])).toEqual(['matmul', 'tanh', 'matmul', 'sub', 'square', 'sum[axes=(0,1)]'])
    expect(g.nodes.filter((n) => n.kind === 'output').map((n) => n.lines)).toEqual([['output']])
    expect(g.nodes).toHaveLength(4 + 6 + 1)
    expect(g.edges).toHaveLength(2 + 1 + 2 + 2 + 1 + 1 + 1)
    expect(overlaps(g)).toBe(0)
    for (const n of g.nodes) {
      expect(n.x - n.width / 2).toBeGreaterThanOrEqual(0)
      expect(n.x + n.width / 2).toBeLessThanOrEqual(g.width)
    }
    for (const e of g.edges) for (const q of e.points) expect(q.x >= 0 && q.x <= g.width && q.y >= 0 && q.y <= g.height).toBe(true)
  })

  it('writes scalar literals into the title and names arguments and outputs as asked', () => {
    const p = trace((a: Tensor, b: Tensor) => ({ y: P.mul(P.add(a, b), 0.5) }))(x, x)
    const g = programGraph(p, { argumentNames: ['a', 'b'] })
    expect(g.nodes.map((n) => n.lines[0])).toEqual(['a', 'b', 'add', 'mul 0.5', 'y'])
    expect(programGraph(p, { outputNames: ['mean'] }).nodes.at(-1)!.lines).toEqual(['mean'])
  })

  it('lays out left to right when asked: every edge then points rightwards', () => {
    const g = programGraph(trace(loss)(params, x, y), { direction: 'LR' })
    for (const e of g.edges) expect(e.points.at(-1)!.x).toBeGreaterThan(e.points[0]!.x)
    expect(overlaps(g)).toBe(0)
  })
})

describe('plot.gradProgram', () => {
  it('traces the forward prefix and the backward rest', () => {
    const { program: p, backwardFrom } = traceGrad(loss)(params, x, y)
    expect(backwardFrom).toBe(6)
    expect(p.equations.slice(backwardFrom).map((e) => e.prim.name)).toContain('tanhBackward')
    const g = programGraph(p, { backwardFrom })
    expect(g.nodes.filter((n) => n.kind === 'forward')).toHaveLength(6)
    expect(g.nodes.filter((n) => n.kind === 'backward')).toHaveLength(p.equations.length - 6)
    expect(overlaps(g)).toBe(0)
  })

  it('draws a well-formed SVG with the title, the legend and one output per gradient leaf', () => {
    const svg = gradProgram(loss, { title: 'a <small> net & its gradient', argumentNames: ['params', 'x', 'y'] })(params, x, y)
    expect(wellFormed(svg)).toBe(true)
    expect(svg).toContain('a &lt;small&gt; net &amp; its gradient')
    expect(svg).toContain('6 forward and')
    for (const label of ['∂loss/∂w1', '∂loss/∂w2', '>loss<', '>backward<', '>forward<', '>input<', 'tanhBackward']) expect(svg).toContain(label)
    expect(svg.match(/<rect /g)!.length).toBeGreaterThan(15)
    // the same program draws the same bytes
    expect(gradProgram(loss, { title: 'a <small> net & its gradient', argumentNames: ['params', 'x', 'y'] })(params, x, y)).toBe(svg)
  })

  it('program draws any program; the well-formedness check rejects a broken document', () => {
    const svg = program(trace((a: Tensor) => P.exp(a))(x))
    expect(wellFormed(svg)).toBe(true)
    expect(svg).toContain('1 equation, 1 input')
    expect(wellFormed(svg.replace('</g>', ''))).toBe(false)
    expect(wellFormed(drawProgramGraph({ nodes: [], edges: [], width: 0, height: 0 }, { title: 'x < y' }))).toBe(true)
  })
})
