/**
 * purenet as a contender: the network built from its layers, trained by `train.step` (the step
 * `train.fit` folds: `valueAndGrad`, the divergence check, the optimizer's update) on batches cut
 * by `data.take`, exactly as `fit` cuts them.
 */
import { data, losses, nn, optim, random, tensor, train } from '../../src/index.js'
import type { Tensor } from '../../src/tensor/index.js'
import type { Tree } from '../../src/tree/index.js'
import { type Setup, type Trainer, type WorkloadSpec, batchIndices } from './spec.js'

/** The network of a workload as a purenet layer (its initialiser draws the shared weights). */
export const purenetNet = (spec: WorkloadSpec): nn.Layer<Tree> => {
  const act = spec.activation === 'relu' ? nn.relu : nn.tanh
  const layers: nn.AnyLayer[] = []
  for (let i = 0; i + 1 < spec.sizes.length; i++) {
    if (i > 0) layers.push(act)
    layers.push(nn.dense(spec.sizes[i]!, spec.sizes[i + 1]!))
  }
  // the sizes are run-time numbers here, so the chain is checked at run time, not by the types
  const serial = nn.serial as unknown as (...ls: nn.AnyLayer[]) => nn.Layer<Tree>
  return serial(...layers)
}

// The shared weights in the place of the {w, b} records of the network's own parameter tree.
const withWeights = (params: Tree, s: Setup): Tree => {
  let layer = 0
  const replace = (p: Tree): Tree => {
    if (Array.isArray(p)) return Object.freeze(p.map(replace))
    const r = p as { readonly w?: Tensor; readonly b?: Tensor }
    if (r.w === undefined || r.b === undefined) return p
    const l = s.weights[layer++]!
    return Object.freeze({ w: tensor(l.w, { shape: r.w.shape }), b: tensor(l.b, { shape: r.b.shape }) })
  }
  return replace(params)
}

/** purenet's trainer for a set-up. */
export const purenetTrainer = (s: Setup): Trainer => {
  const spec = s.spec
  const net = purenetNet(spec)
  const ds = data.dataset(tensor(s.x, { shape: [s.n, spec.sizes[0]!] }), tensor(s.y, { shape: [s.n, spec.sizes[spec.sizes.length - 1]!] }))
  const optimizer = optim.sgd(spec.learningRate)
  const key = random.key(0)
  const params = withWeights(net.init(key), s)
  const next = train.step({ net, loss: spec.loss === 'mse' ? losses.mse : losses.softmaxCrossEntropy, optimizer })
  let state: train.TrainState<Tree, ReturnType<typeof optimizer.init>> = Object.freeze({ params, optState: optimizer.init(params), step: 0, key })
  return {
    step: (t) => {
      const r = next(state, data.take(ds, batchIndices(s, t)))
      state = r.state
      return r.loss
    },
  }
}
