/**
 * The lecture's network f(W3, g(W2, h(W1, x))), staged: `trace` records its forward and backward
 * program (what `grad` computes, as equations), `show` prints it and `plot.gradProgram` draws it,
 * the forward pass in blue and the backward pass in orange. `run` also evaluates the traced
 * program and checks that it gives the eager gradient, bit for bit.
 *
 *   npx tsx examples/backprop.ts [--out docs]
 */
import * as t from 'io-ts'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type Tensor, evaluate, grad, losses, ops, plot, random, show, toFlatArray, trace } from 'purenet'
import { type Flag, bool, command } from './cli.js'

/** The parameters of the three layers (a type alias, so that it is a `Tree`). */
export type Params = { readonly W1: Tensor; readonly W2: Tensor; readonly W3: Tensor }

// The lecture's three functions: two tanh layers and a linear one.
const h = (W1: Tensor, x: Tensor): Tensor => ops.tanh(ops.matmul(x, W1))
const g = (W2: Tensor, a: Tensor): Tensor => ops.tanh(ops.matmul(a, W2))
const f = (W3: Tensor, a: Tensor): Tensor => ops.matmul(a, W3)

/** The loss of the network on a batch: mse(f(W3, g(W2, h(W1, x))), y). */
export const loss = (p: Params, x: Tensor, y: Tensor): Tensor => losses.mse(f(p.W3, g(p.W2, h(p.W1, x))), y)

/** Options of `run`. */
export interface BackpropOptions {
  /** Write `backprop-program.svg` into this folder (nothing is written without it). */
  readonly outDir?: string
  readonly log?: (line: string) => void
}

/** Traces, prints, checks and (with `outDir`) draws the forward and backward program. */
export const run = async (options: BackpropOptions = {}) => {
  const log = options.log ?? (() => undefined)
  const [k1, k2, k3, kx, ky] = random.split(random.key(0), 5)
  const params: Params = {
    W1: random.normal(k1!, [4, 8], { std: 0.5 }),
    W2: random.normal(k2!, [8, 8], { std: 0.35 }),
    W3: random.normal(k3!, [8, 2], { std: 0.35 }),
  }
  const x = random.normal(kx!, [32, 4])
  const y = random.normal(ky!, [32, 2])

  const forward = trace(loss)(params, x, y)
  const backward = trace((p: Params, xs: Tensor, ys: Tensor) => grad((q: Params) => loss(q, xs, ys))(p))(params, x, y)
  log(show(forward))
  log(show(backward))
  // the staged gradient is the eager one, bit for bit
  const staged = evaluate(backward)(params, x, y)
  const eager = grad((q: Params) => loss(q, x, y))(params)
  const same = (['W1', 'W2', 'W3'] as const).every((k) => toFlatArray(staged[k]).every((v, i) => Object.is(v, toFlatArray(eager[k])[i])))
  if (!same) throw new Error('backprop: the evaluated program differs from grad')

  const svg = plot.gradProgram(loss, {
    title: 'Backpropagation through f(W3, g(W2, h(W1, x))), traced',
    argumentNames: ['params', 'x', 'y'],
  })(params, x, y)
  const files: string[] = []
  if (options.outDir !== undefined) {
    const file = join(options.outDir, 'backprop-program.svg')
    await writeFile(file, svg)
    files.push(file)
    log(`wrote ${file}`)
  }
  return { forward, backward, svg, files }
}

const flags = {
  out: { type: 'string', codec: t.string, help: 'folder for the SVG (default docs)' } satisfies Flag<string>,
  help: bool('show this help'),
}

command({ name: 'backprop', usage: 'npx tsx examples/backprop.ts', url: import.meta.url }, flags, async (fl) => {
  await run({ outDir: fl.out ?? 'docs', log: (line) => process.stdout.write(`${line}\n`) })
})
