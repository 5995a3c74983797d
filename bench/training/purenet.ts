/**
 * purenet as a contender: the network built from its layers, trained by `train.step` (the step
 * `train.fit` folds: `valueAndGrad`, the divergence check, the optimizer's update) on batches cut
 * by `data.take`, exactly as `fit` cuts them.
 */
import { type Pool, data, jit, losses, nn, optim, parallel, random, tensor, train, valueAndGrad } from '../../src/index.js'
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

// What both purenet trainers start from.
const start = (s: Setup) => {
  const spec = s.spec
  const net = purenetNet(spec)
  const ds = data.dataset(tensor(s.x, { shape: [s.n, spec.sizes[0]!] }), tensor(s.y, { shape: [s.n, spec.sizes[spec.sizes.length - 1]!] }))
  const optimizer: optim.Optimizer = spec.optimizer === 'adam' ? optim.adam(spec.learningRate) : optim.sgd(spec.learningRate)
  const key = random.key(0)
  const params = withWeights(net.init(key), s)
  return { spec, net, ds, optimizer, key, params }
}

/**
 * The loop written by hand, as the README's lecture loop: `valueAndGrad` of the loss, then
 * `optim.applyGradients` (the optimizer's whole step, the call `train.step` makes).
 */
export const purenetLoopTrainer = (s: Setup): Trainer => {
  const { spec, net, ds, optimizer, params: p0 } = start(s)
  const lossOf = spec.loss === 'mse' ? losses.mse : losses.softmaxCrossEntropy
  let params = p0
  let optState = optimizer.init(params)
  return {
    step: (t) => {
      const batch = data.take(ds, batchIndices(s, t))
      const [loss, grads] = valueAndGrad((p: Tree) => lossOf(net.apply(p)(batch.x), batch.y))(params)
      const next = optim.applyGradients(optimizer, grads, optState, params)
      params = next.params
      optState = next.state
      return loss.data[0]!
    },
  }
}

/**
 * The README's loop with its whole step compiled: `jit` of a function of the parameters, the
 * optimizer state and the batch (valueAndGrad, then `optim.applyGradients`); the state's step count
 * is a number argument, read outside the program, so one program serves every step.
 */
export const purenetLoopJitTrainer = (s: Setup): Trainer => {
  const { spec, net, ds, optimizer, params: p0 } = start(s)
  const lossOf = spec.loss === 'mse' ? losses.mse : losses.softmaxCrossEntropy
  const step = jit((p: Tree, st: optim.OptState, x: Tensor, y: Tensor) => {
    const [loss, grads] = valueAndGrad((q: Tree) => lossOf(net.apply(q)(x), y))(p)
    const next = optim.applyGradients(optimizer, grads, st, p)
    return [loss, next.params, next.state] as const
  })
  let params = p0
  let optState = optimizer.init(params)
  return {
    step: (t) => {
      const batch = data.take(ds, batchIndices(s, t))
      const [loss, nextParams, nextState] = step(params, optState, batch.x, batch.y)
      params = nextParams
      optState = nextState
      return loss.data[0]!
    },
  }
}

/** purenet's trainer for a set-up: `train.step`, compiled by `jit` or eager. */
export const purenetTrainer = (s: Setup, compiled: boolean, pool?: Pool): Trainer => {
  const { spec, net, ds, optimizer, key, params } = start(s)
  const next = train.step({ net, loss: spec.loss === 'mse' ? losses.mse : losses.softmaxCrossEntropy, optimizer, jit: compiled, ...(pool === undefined ? {} : { pool }) })
  let state: train.TrainState<Tree, ReturnType<typeof optimizer.init>> = Object.freeze({ params, optState: optimizer.init(params), step: 0, key })
  return {
    step: (t) => {
      const r = next(state, data.take(ds, batchIndices(s, t)))
      state = r.state
      return r.loss
    },
  }
}

/** `train.step` compiled, its loss and gradient split across a pool of `workers` threads; `dispose` closes the pool. */
export const purenetPoolTrainer = async (s: Setup, workers: number): Promise<Trainer> => {
  const pool = await parallel({ workers })
  return { ...purenetTrainer(s, true, pool), dispose: () => void pool.close() }
}
