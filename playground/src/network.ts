// The network diagram: a column per layer with each unit's view over the plane, the editor of
// each hidden layer (units, activation), and the edges coloured by weight and sized by gradient.
import type { Frame } from 'purenet/worker'
import { type Config, activationLabel, activations, maxUnits, neuronResolution, resolution } from './config.js'
import { $, options } from './dom.js'
import * as draw from './draw.js'
import { page } from './state.js'

interface Layout {
  readonly columns: ReadonlyArray<{ readonly x: number; readonly nodes: ReadonlyArray<HTMLElement> }>
  readonly centres: ReadonlyArray<ReadonlyArray<readonly [number, number]>>
}
let layout: Layout | undefined

const node = (): HTMLElement => {
  const n = document.createElement('div')
  n.className = 'node'
  const c = document.createElement('canvas')
  c.width = neuronResolution
  c.height = neuronResolution
  n.append(c)
  return n
}

const centre = (el: HTMLElement): readonly [number, number] => [el.offsetLeft + el.parentElement!.offsetLeft + 20, el.offsetTop + el.parentElement!.offsetTop + 20]

// The editor of hidden layer h: units − / +, the count, the activation.
const editor = (h: number, change: (edit: Partial<Config>) => void): HTMLElement[] => {
  const { hidden } = page.config
  const units = document.createElement('div')
  units.className = 'units'
  const minus = document.createElement('button')
  minus.className = 'round'
  minus.textContent = '−'
  minus.onclick = () => change({ hidden: hidden.map((l, i) => (i === h ? { ...l, units: Math.max(1, l.units - 1) } : l)) })
  const plus = document.createElement('button')
  plus.className = 'round'
  plus.textContent = '+'
  plus.onclick = () => change({ hidden: hidden.map((l, i) => (i === h ? { ...l, units: Math.min(maxUnits, l.units + 1) } : l)) })
  units.append(minus, plus)
  const count = document.createElement('span')
  count.textContent = `${hidden[h]!.units} units`
  const act = document.createElement('select')
  act.setAttribute('aria-label', `activation of hidden layer ${h + 1}`)
  options(act, activations, hidden[h]!.activation, (a) => activationLabel[a], (activation) => change({ hidden: hidden.map((l, i) => (i === h ? { ...l, activation } : l)) }))
  return [units, count, act]
}

/** Builds the diagram of the configured network (again after an edit or a resize). */
export const buildNetwork = (change: (edit: Partial<Config>) => void): void => {
  const host = $('network')
  const width = host.clientWidth || 600
  const sizes = [2, ...page.config.hidden.map((h) => h.units), 1]
  const xs = sizes.map((_, k) => 30 + ((width - 80) * k) / (sizes.length - 1))
  const height = 70 + 44 * Math.max(...sizes)
  host.style.minHeight = `${height}px`
  const edges = document.createElement('canvas')
  edges.id = 'edges'
  edges.width = width * devicePixelRatio
  edges.height = height * devicePixelRatio
  edges.style.width = `${width}px`
  edges.style.height = `${height}px`
  const columns = sizes.map((units, k) => {
    const col = document.createElement('div')
    col.className = 'column'
    col.style.left = `${xs[k]! - 20}px`
    const head = document.createElement('div')
    head.className = 'head'
    if (k === 0) head.textContent = 'features'
    else if (k === sizes.length - 1) head.textContent = 'output'
    else head.append(...editor(k - 1, change))
    col.append(head)
    const nodes = Array.from({ length: units }, (_, u) => {
      const n = node()
      if (k === 0) {
        const label = document.createElement('span')
        label.className = 'label'
        label.textContent = `x${u + 1}`
        n.append(label)
      }
      col.append(n)
      return n
    })
    return { x: xs[k]!, nodes }
  })
  host.replaceChildren(edges, ...columns.map((c) => c.nodes[0]!.parentElement!))
  // where each node's centre is, read once (reading it per frame would force a layout per frame)
  const centres = columns.map((c) => c.nodes.map(centre))
  layout = { columns, centres }
  drawInputs()
  page.dirty = true
}

// The input nodes show x1 and x2 over the plane, the same for every run.
const drawInputs = (): void => {
  if (layout === undefined) return
  const [x0, x1, y0, y1] = page.train.extent
  const r = neuronResolution
  const fx = Array.from({ length: r * r }, (_, k) => (x0 + ((x1 - x0) * ((k % r) + 0.5)) / r) / Math.max(Math.abs(x0), Math.abs(x1)))
  const fy = Array.from({ length: r * r }, (_, k) => (y0 + ((y1 - y0) * (Math.floor(k / r) + 0.5)) / r) / Math.max(Math.abs(y0), Math.abs(y1)))
  ;[fx, fy].forEach((f, u) => draw.heatMap(layout!.columns[0]!.nodes[u]!.querySelector('canvas')!, f, r, draw.diverging))
}

/** Draws a frame on the diagram: each unit's output over the plane, and the edges. */
export const drawNetwork = (f: Frame): void => {
  if (layout === undefined) return
  const cols = layout.columns
  // neuron views: each hidden unit's output, scaled by the largest magnitude in its layer
  f.neurons.forEach((layer, k) => {
    const top = Math.max(1e-6, ...layer.flat().map(Math.abs))
    layer.forEach((values, u) => {
      const canvas = cols[k + 1]?.nodes[u]?.querySelector('canvas')
      if (canvas) draw.heatMap(canvas, values.map((v) => v / top), neuronResolution, draw.diverging)
    })
  })
  const out = cols[cols.length - 1]?.nodes[0]?.querySelector('canvas')
  if (out && f.field.length > 0) draw.heatMap(out, f.field.map((p) => 2 * p - 1), resolution, draw.diverging)
  // edges: colour the weight's sign, opacity its size, width the gradient's size
  const canvas = $<HTMLCanvasElement>('edges')
  const ctx = canvas.getContext('2d')!
  ctx.setTransform(devicePixelRatio, 0, 0, devicePixelRatio, 0, 0)
  ctx.clearRect(0, 0, canvas.width, canvas.height)
  const gMax = Math.max(1e-9, ...f.layers.flatMap((m) => m.gradients.map(Math.abs)))
  f.layers.forEach((l, k) => {
    const from = layout!.centres[k]
    const to = layout!.centres[k + 1]
    if (from === undefined || to === undefined || from.length !== l.inSize || to.length !== l.outSize) return
    const wMax = Math.max(1e-9, ...l.weights.map(Math.abs))
    for (let i = 0; i < l.inSize; i++) {
      for (let j = 0; j < l.outSize; j++) {
        const w = l.weights[i * l.outSize + j]!
        const g = Math.abs(l.gradients[i * l.outSize + j]!)
        const [ax, ay] = from[i]!
        const [bx, by] = to[j]!
        ctx.beginPath()
        ctx.moveTo(ax + 20, ay)
        ctx.bezierCurveTo((ax + bx) / 2, ay, (ax + bx) / 2, by, bx - 20, by)
        ctx.strokeStyle = w >= 0 ? '#0877bd' : '#f59322'
        ctx.globalAlpha = 0.2 + (0.8 * Math.abs(w)) / wMax
        ctx.lineWidth = 0.6 + 6 * Math.sqrt(g / gMax)
        ctx.stroke()
      }
    }
  })
  ctx.globalAlpha = 1
}
