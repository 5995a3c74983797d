/**
 * Quick runs of the research examples (landscapes, optimizer paths, activations): each checks the
 * numbers behind its pictures.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { run as activations } from './activations.js'
import { run as landscape } from './landscape.js'
import { type Path, run as optimizers } from './optimizers.js'

describe('research examples (quick mode)', () => {
  it('landscape: the centre of each grid is the trained loss, the interpolation ends at both losses', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'purenet-landscape-'))
    try {
      const r = await landscape({ quick: true, outDir: dir })
      expect(r.runs.map((b) => b.batchSize)).toEqual([32, 300])
      for (const b of r.runs) {
        const mid = (b.grid.alphas.length - 1) / 2
        expect(b.grid.alphas[mid]).toBe(0)
        expect(b.grid.losses.length).toBe(5)
        expect(b.grid.losses[mid]![mid]).toBe(b.trainedLoss)
        expect(b.line.losses[mid]).toBe(b.trainedLoss)
        // the β = 0 column of the grid is the 1-D line along the first direction
        expect(b.grid.losses.map((row) => row[mid])).toEqual(b.line.losses)
        const at = (alpha: number): number => b.interpolation.losses[b.interpolation.alphas.indexOf(alpha)]!
        expect(at(0)).toBe(r.initialLoss)
        expect(at(1)).toBe(b.trainedLoss)
        expect(b.grid.losses.flat().every(Number.isFinite)).toBe(true)
      }
      // the same number of epochs gives the small batch many more steps, and a lower loss
      expect(r.runs[0]!.steps).toBeGreaterThan(r.runs[1]!.steps)
      expect(r.runs[0]!.trainedLoss).toBeLessThan(r.runs[1]!.trainedLoss)
      expect(r.runs[0]!.trainedLoss).toBeLessThan(r.initialLoss)
      expect(r.files.map((f) => f.slice(dir.length + 1)).sort()).toEqual(['interpolation.svg', 'landscape-1d.svg', 'landscape-large-batch.svg', 'landscape-small-batch.svg'])
      const svg = await readFile(join(dir, 'landscape-small-batch.svg'), 'utf8')
      expect(svg.startsWith('<svg')).toBe(true)
      expect(svg).toContain('Loss landscape, batch 32')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('optimizers: Adam ends at the minimum of Rosenbrock and Beale, momentum gets further than SGD, all leave the saddle', async () => {
    const { results } = await optimizers({ quick: true })
    const bySurface = Object.fromEntries(results.map((r) => [r.surface.name, Object.fromEntries(r.paths.map((p) => [p.name, p]))]))
    for (const name of ['Rosenbrock', 'Beale']) {
      const paths = bySurface[name]!
      const minimum = results.find((r) => r.surface.name === name)!.surface.minimum!
      const distance = (p: Path | undefined): number => {
        const [x, y] = p!.points[p!.points.length - 1]!
        return Math.hypot(x - minimum[0], y - minimum[1])
      }
      expect(distance(paths['Adam'])).toBeLessThan(0.01)
      expect(paths['Adam']!.final).toBeLessThan(1e-4)
      expect(distance(paths['momentum'])).toBeLessThan(distance(paths['SGD']))
      for (const p of Object.values(paths)) {
        expect(p!.left).toBe(false)
        expect(p!.points[0]).toEqual(results.find((r) => r.surface.name === name)!.surface.start)
      }
    }
    // on x² - y² there is no minimum: every method escapes along y, momentum before plain SGD
    const saddle = bySurface['saddle']!
    for (const p of Object.values(saddle)) {
      expect(p!.left).toBe(true)
      expect(p!.final).toBeLessThan(-3)
    }
    expect(saddle['momentum']!.points.length).toBeLessThan(saddle['SGD']!.points.length)
    // every spec draws the three paths and marks the ends inside the frame
    for (const r of results) {
      const layers = r.spec.layer as ReadonlyArray<{ readonly data?: { readonly values?: ReadonlyArray<Readonly<Record<string, unknown>>> } }>
      const names = new Set(layers.flatMap((l) => (l.data?.values ?? []).map((v) => v['optimizer'])).filter((n) => n !== undefined))
      expect([...names].sort()).toEqual(['Adam', 'SGD', 'momentum'])
    }
  })

  it('activations: every derivative by grad matches its formula', async () => {
    const r = await activations({ quick: true })
    expect(Object.keys(r.maxError).sort()).toEqual(['GELU', 'ReLU', 'arctan', 'logistic sigmoid', 'softplus', 'tanh'])
    for (const e of Object.values(r.maxError)) expect(e).toBeLessThan(1e-12)
    expect(r.rows.length).toBe(6 * 41 * 2)
    expect(r.spec['title']).toBe('Activation functions and their derivatives')
  })
})
