/**
 * The activation functions of `ops` (ReLU, logistic sigmoid, arctan, tanh, softplus, GELU) and
 * their derivatives, the derivatives computed by `grad` (never written by hand), drawn as small
 * multiples. `run` also compares each `grad` derivative with its textbook formula, so the picture
 * is checked, not only drawn.
 *
 *   npx tsx examples/activations.ts [--out docs] [--quick]
 */
import * as t from 'io-ts'
import { join } from 'node:path'
import { plot } from 'purenet'
import { writeSvg } from 'purenet/plot/render'
import { type Flag, bool, command } from './cli.js'

const logistic = (x: number): number => 1 / (1 + Math.exp(-x))
const GELU_C = Math.sqrt(2 / Math.PI)

/**
 * The derivatives by formula, the independent oracle: relu′(x) = [x > 0] (relu′(0) = 0, as
 * PyTorch), σ′ = σ(1 - σ), atan′ = 1/(1 + x²), tanh′ = 1 - tanh², softplus′ = σ, and for the
 * tanh approximation of GELU, g(x) = x/2 (1 + tanh u) with u = c (x + 0.044715 x³),
 * g′ = (1 + tanh u)/2 + x/2 (1 - tanh² u) c (1 + 3·0.044715 x²).
 */
export const derivatives: Readonly<Record<string, (x: number) => number>> = {
  'ReLU': (x) => (x > 0 ? 1 : 0),
  'logistic sigmoid': (x) => logistic(x) * (1 - logistic(x)),
  'arctan': (x) => 1 / (1 + x * x),
  'tanh': (x) => 1 - Math.tanh(x) ** 2,
  'softplus': logistic,
  'GELU': (x) => {
    const th = Math.tanh(GELU_C * (x + 0.044715 * x ** 3))
    return (1 + th) / 2 + (x / 2) * (1 - th * th) * GELU_C * (1 + 3 * 0.044715 * x * x)
  },
}

/** Options of `run`. */
export interface ActivationsOptions {
  /** Fewer sample points (41 instead of 161), for tests. */
  readonly quick?: boolean
  /** Write `activations.svg` into this folder (nothing is written without it). */
  readonly outDir?: string
  readonly log?: (line: string) => void
}

/**
 * Samples the six functions and their `grad` derivatives on [-4, 4], checks each derivative
 * against `derivatives`, builds the spec and (with `outDir`) writes the SVG.
 */
export const run = async (options: ActivationsOptions = {}) => {
  const log = options.log ?? (() => undefined)
  const samples = options.quick === true ? 41 : 161
  const rows = plot.activationSamples(plot.standardActivations, [-4, 4], samples)
  // The largest |grad - formula| of each function over the grid.
  const maxError: Record<string, number> = {}
  for (const row of rows) {
    if (row['curve'] !== plot.derivativeCurve) continue
    const name = String(row['activation'])
    const formula = derivatives[name]
    if (formula === undefined) throw new Error(`activations: no derivative formula for '${name}'`)
    const error = Math.abs(Number(row['value']) - formula(Number(row['x'])))
    maxError[name] = Math.max(maxError[name] ?? 0, error)
  }
  for (const [name, e] of Object.entries(maxError)) log(`${name.padEnd(17)} max |grad - formula| on ${samples} points: ${e.toExponential(2)}`)
  const spec = plot.activations(plot.standardActivations, { samples })
  const files: string[] = []
  if (options.outDir !== undefined) {
    const file = join(options.outDir, 'activations.svg')
    await writeSvg(file, spec)
    files.push(file)
    log(`wrote ${file}`)
  }
  return { rows, maxError, spec, files }
}

const flags = {
  out: { type: 'string', codec: t.string, help: 'folder for the SVG (default docs)' } satisfies Flag<string>,
  quick: bool('fewer sample points, for tests'),
  help: bool('show this help'),
}

command({ name: 'activations', usage: 'npx tsx examples/activations.ts', url: import.meta.url }, flags, async (f) => {
  await run({ quick: f.quick === true, outDir: f.out ?? 'docs', log: (line) => process.stdout.write(`${line}\n`) })
})
