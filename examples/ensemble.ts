/**
 * An ensemble of 8 networks trained at once: `vmap` over the parameters. The 8 parameter trees
 * are stacked into one tree (every leaf gets a leading axis of 8); one `vmap(grad(loss))` gives the
 * 8 gradients, and Adam, which works element by element, updates all 8 networks in one step. The
 * 8 members start from 8 keys and see the same batches; the ensemble averages their probabilities.
 * The picture shows each member's decision regions on the spirals and the ensemble's.
 *
 *   npx tsx examples/ensemble.ts [--out docs] [--quick] [--epochs N] [--seed N]
 */
import * as t from 'io-ts'
import { join } from 'node:path'
import { type Tensor, data, grad, losses, nn, ops, optim, plot, random, tree, vmap } from 'purenet'
import { type Flag, bool, command, natural, positiveInt } from './cli.js'
import { spirals } from './spirals.js'

/** Each member: 2-32-32-2 with tanh units, as examples/spirals.ts. */
export const member = nn.serial(nn.dense(2, 32), nn.tanh, nn.dense(32, 32), nn.tanh, nn.dense(32, 2))
type Params = ReturnType<typeof member.init>

/** Stacks trees of one structure leaf by leaf along a new first axis. */
export const stackTrees = <T extends tree.Tree>(trees: ReadonlyArray<T>): T => {
  const [first, def] = tree.flatten(trees[0]!)
  const all = trees.map((x) => tree.leavesLike(def, x))
  return tree.unflatten(def, first.map((_, j) => ops.stack(all.map((ls) => ls[j]!), 0)))
}

/** Member `i` of a stacked tree. */
export const memberOf = <T extends tree.Tree>(stacked: T, i: number): T =>
  tree.map(stacked, (leaf) => ops.squeeze(ops.slice(leaf, [i, ...leaf.shape.slice(1).map(() => 0)], [1, ...leaf.shape.slice(1)]), 0))

/** Options of a run. */
export interface EnsembleOptions {
  readonly members?: number
  readonly epochs?: number
  readonly seed?: number
  /** Grid points per axis of each panel. */
  readonly resolution?: number
}

/** Trains the ensemble; returns each member's and the ensemble's training accuracy and the picture. */
export const run = (options: EnsembleOptions = {}) => {
  const members = options.members ?? 8
  const epochs = options.epochs ?? 400
  const [kd, ki, ks] = random.split(random.key(options.seed ?? 0), 3) as [random.Key, random.Key, random.Key]
  const ds = spirals(kd, 200)
  let params = stackTrees(random.split(ki, members).map((k) => member.init(k)))
  const optimizer = optim.adam(0.01)
  let state = optimizer.init(params)
  const lossOf = (p: Params, x: Tensor, y: Tensor): Tensor => losses.softmaxCrossEntropy(member.apply(p)(x), y)
  // the 8 gradients in one call: vmap over the parameters (axis 0), the batch shared
  const grads = vmap((p: Params, x: Tensor, y: Tensor) => grad((q: Params) => lossOf(q, x, y))(p), { inAxes: [0, undefined, undefined] })
  const epochKeys = random.split(ks, epochs)
  for (let e = 0; e < epochs; e++) {
    for (const b of data.batches(data.shuffle(epochKeys[e]!, ds), 32)) {
      const [updates, next] = optimizer.update(grads(params, b.x, b.y), state, params)
      params = optim.applyUpdates(params, updates)
      state = next
    }
  }
  // every member's probabilities at once: [members, n, 2]
  const probabilities = vmap((p: Params, x: Tensor) => ops.softmax(member.apply(p)(x)), { inAxes: [0, undefined] })
  const ensemble = (x: Tensor): Tensor => ops.mean(probabilities(params, x), 0)
  const memberAccuracy = Array.from({ length: members }, (_, i) => losses.accuracy(member.apply(memberOf(params, i))(ds.x), ds.y))
  const ensembleAccuracy = losses.accuracy(ops.log(ensemble(ds.x)), ds.y)
  const resolution = options.resolution ?? 30
  // every third point, so that nine panels stay a picture of reasonable size
  const shown = data.take(ds, Array.from({ length: Math.ceil(ds.x.shape[0]! / 3) }, (_, i) => 3 * i))
  const panel = (predict: (x: Tensor) => Tensor, title: string): plot.VegaLiteSpec => {
    const spec = plot.decisionRegions({ predict, points: shown.x, labels: shown.y, classNames: ['spiral A', 'spiral B'], title, resolution })
    // a short title of its own: the shading's explanation moves to the picture's subtitle
    return { ...spec, title, width: 200, height: 200 }
  }
  const panels = [
    ...memberAccuracy.map((a, i) => panel((x) => ops.softmax(member.apply(memberOf(params, i))(x)), `member ${i + 1}: ${(100 * a).toFixed(1)}%`)),
    panel(ensemble, `ensemble (mean probability): ${(100 * ensembleAccuracy).toFixed(1)}%`),
  ]
  const rows = Array.from({ length: Math.ceil(panels.length / 3) }, (_, r) => plot.hconcat('', ...panels.slice(3 * r, 3 * r + 3)))
  const spec = plot.vconcat({ text: `${members} networks trained at once with vmap over their parameters`, subtitle: `2-32-32-2 tanh, Adam 0.01, ${epochs} epochs on the spirals (every third point shown); shading: the predicted class, paler where less sure; training accuracy on all points in each title` }, ...rows)
  return { memberAccuracy, ensembleAccuracy, spec }
}

const flags = {
  out: { type: 'string', codec: t.string, help: 'write ensemble.svg into this folder' } satisfies Flag<string>,
  quick: bool('a short run (20 epochs, 3 members)'),
  epochs: positiveInt('epochs (default 400)'),
  seed: natural('random seed (default 0)'),
}

command({ name: 'ensemble', usage: 'npx tsx examples/ensemble.ts', url: import.meta.url }, flags, async (f) => {
  const r = run({ epochs: f.epochs ?? (f.quick === true ? 20 : 400), members: f.quick === true ? 3 : 8, seed: f.seed ?? 0 })
  r.memberAccuracy.forEach((a, i) => process.stdout.write(`member ${i + 1}: training accuracy ${(100 * a).toFixed(1)}%\n`))
  process.stdout.write(`ensemble: training accuracy ${(100 * r.ensembleAccuracy).toFixed(1)}%\n`)
  if (f.out !== undefined) {
    const { writeSvg } = await import('../src/plot/render.js')
    await writeSvg(join(f.out, 'ensemble.svg'), r.spec)
    process.stdout.write(`wrote ${join(f.out, 'ensemble.svg')}\n`)
  }
})
