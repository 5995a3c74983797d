/**
 * Two interleaved spirals: a 2-D classification problem no straight line separates. A 2-32-32-2
 * tanh network trained with Adam learns it; the picture shows its decision regions with the data.
 *
 *   npx tsx examples/spirals.ts [--out docs] [--epochs N] [--seed N]
 */
import * as t from 'io-ts'
import { join } from 'node:path'
import { type Tensor, data, losses, nn, ops, optim, plot, random, tensor, train } from 'purenet'
import { type Flag, command, natural, positiveInt } from './cli.js'

/** `n` points per class on two spirals, with Gaussian noise; labels 0 and 1. */
export const spirals = (key: random.Key, n: number, noise = 0.08): data.Dataset => {
  const [kt, kn] = random.split(key, 2) as [random.Key, random.Key]
  const t = random.uniform(kt, [n]).data
  const eps = random.normal(kn, [2 * n, 2], { std: noise }).data
  const xs: number[][] = []
  const ys: number[] = []
  for (let c = 0; c < 2; c++) {
    for (let i = 0; i < n; i++) {
      const r = 0.15 + 0.85 * t[i]!
      const angle = 3 * Math.PI * t[i]! + c * Math.PI
      const k = c * n + i
      xs.push([r * Math.cos(angle) + eps[2 * k]!, r * Math.sin(angle) + eps[2 * k + 1]!])
      ys.push(c)
    }
  }
  return data.dataset(tensor(xs), data.oneHot(ys, 2))
}

/** 2-32-32-2 with tanh units. */
export const network = nn.serial(nn.dense(2, 32), nn.tanh, nn.dense(32, 32), nn.tanh, nn.dense(32, 2))

/** Trains on 200 points per class; returns the accuracy, the loss history and the plot spec. */
export const run = (options: { readonly epochs: number; readonly seed: number }) => {
  const [kd, kt] = random.split(random.key(options.seed), 2) as [random.Key, random.Key]
  const ds = spirals(kd, 200)
  const { state, history } = train.fit({ net: network, loss: losses.softmaxCrossEntropy, optimizer: optim.adam(0.01), data: ds, epochs: options.epochs, batchSize: 32, key: kt })
  const predict = (x: Tensor): Tensor => ops.softmax(network.apply(state.params)(x))
  const accuracy = losses.accuracy(network.apply(state.params)(ds.x), ds.y)
  const spec = plot.decisionRegions({
    predict,
    points: ds.x,
    labels: ds.y,
    classNames: ['spiral A', 'spiral B'],
    title: `Spirals: 2-32-32-2 tanh, accuracy ${(100 * accuracy).toFixed(1)}%`,
  })
  const curves = plot.trainingCurves([{ name: 'Adam 0.01', ...history }], { title: 'Training the spirals classifier' })
  return { accuracy, history, spec, curves }
}

const flags = {
  out: { type: 'string', codec: t.string, help: 'write decision-regions.svg and training-curves.svg into this folder' } satisfies Flag<string>,
  epochs: positiveInt('epochs (default 500)'),
  seed: natural('random seed (default 0)'),
}

command({ name: 'spirals', usage: 'npx tsx examples/spirals.ts', url: import.meta.url }, flags, async (f) => {
  const r = run({ epochs: f.epochs ?? 500, seed: f.seed ?? 0 })
  process.stdout.write(`training accuracy ${(100 * r.accuracy).toFixed(1)}%, final epoch loss ${r.history.epochs.at(-1)?.loss.toFixed(4)}\n`)
  if (f.out !== undefined) {
    // imported here so that `run` (and the tests) do not load Vega
    const { writeSvg } = await import('../src/plot/render.js')
    await writeSvg(join(f.out, 'decision-regions.svg'), r.spec)
    await writeSvg(join(f.out, 'training-curves.svg'), r.curves)
    process.stdout.write(`wrote ${join(f.out, 'decision-regions.svg')} and ${join(f.out, 'training-curves.svg')}\n`)
  }
})
