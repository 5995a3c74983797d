import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { everyPlot } from './examples.fixture.js'
import { renderSvg, writeSvg } from './render.js'
import { type VegaLiteSpec, topLevel } from './VegaLiteSpec.js'

const small: VegaLiteSpec = topLevel('A small plot', {
  width: 400,
  height: 300,
  data: { values: [{ step: 1, loss: 2 }, { step: 2, loss: 1.2345678 }] },
  mark: 'line',
  encoding: {
    x: { field: 'step', type: 'quantitative', title: 'the step axis' },
    y: { field: 'loss', type: 'quantitative', title: 'the loss axis' },
  },
})

describe('renderSvg', () => {
  it('renders a spec to SVG text with its titles', async () => {
    const svg = await renderSvg(small)
    expect(svg.startsWith('<svg')).toBe(true)
    expect(svg).toContain('the step axis')
    expect(svg).toContain('the loss axis')
    expect(svg).toContain('A small plot')
    // Path data is rounded to hundredths of a pixel.
    for (const [, d] of svg.matchAll(/ d="([^"]*)"/g)) expect(d).not.toMatch(/\d\.\d{3}/)
  })

  it('reports what Vega-Lite warns about', async () => {
    const warnings: string[] = []
    const bad = { ...small, encoding: { x: { field: 'step', type: 'quantitative', title: 'x' }, size: { field: 'loss', type: 'nominal' } } }
    await renderSvg(bad, { onWarning: (m) => warnings.push(m) })
    expect(warnings.length).toBeGreaterThan(0)
  })

  it.each(Object.entries(everyPlot()))('renders %s without a warning', async (_, spec) => {
    const warnings: string[] = []
    const svg = await renderSvg(spec, { onWarning: (m) => warnings.push(m) })
    expect(warnings).toEqual([])
    expect(svg).toContain('<svg')
  })
})

describe('writeSvg', () => {
  it('writes the SVG, creating the folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'purenet-plot-'))
    try {
      const path = join(dir, 'nested', 'small.svg')
      await writeSvg(path, small)
      expect(await readFile(path, 'utf8')).toContain('the loss axis')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
