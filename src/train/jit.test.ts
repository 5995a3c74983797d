import { describe, expect, it } from 'vitest'
import { dataset } from '../data/index.js'
import * as losses from '../losses/index.js'
import * as nn from '../nn/index.js'
import * as ops from '../ops/index.js'
import * as optim from '../optim/index.js'
import { key, normal } from '../random/index.js'
import { type Tensor, item } from '../tensor/index.js'
import { type Tree, leaves } from '../tree/index.js'
import { fit } from './fit.js'
import { lossAndGradient } from './lossAndGradient.js'

const x = normal(key(1), [40, 3])
const y = normal(key(2), [40, 2])
const data = dataset(x, y)

// Bit-for-bit equality of two parameter trees.
const same = (a: Tree, b: Tree): boolean => {
  const xs = leaves(a), ys = leaves(b)
  return xs.length === ys.length && xs.every((t, i) => t.data.every((v, j) => Object.is(v, ys[i]!.data[j])))
}

const run = (net: nn.Layer<Tree>, jit: boolean, loss: (p: Tensor, t: Tensor) => Tensor = losses.mse, optimizer: optim.Optimizer = optim.adam(0.01)) =>
  fit({ net, loss, optimizer, data, epochs: 3, batchSize: 16, key: key(0), jit })

describe('train.fit with jit (the default) and without', () => {
  it('gives the same parameters and losses, bit for bit, with a short last batch', () => {
    const net = nn.serial(nn.dense(3, 8), nn.tanh, nn.dense(8, 2)) as unknown as nn.Layer<Tree>
    const a = run(net, true)
    const b = run(net, false)
    expect(same(a.state.params, b.state.params)).toBe(true)
    expect(a.history.loss).toEqual(b.history.loss)
    const g = lossAndGradient(net, losses.mse, true)
    expect(g.mode()).toBe('undecided')
    g(net.init(key(0)), data, key(5))
    expect(g.mode()).toBe('jit')
  })

  it.each([
    ['sgd', optim.sgd(0.05)],
    ['sgd with a schedule', optim.sgd(optim.schedules.exponentialDecay(0.1, { transitionSteps: 2, decayRate: 0.9 }))],
    ['a chain of scalings', optim.chain(optim.scale(0.5), optim.sgd(0.1))],
    ['momentum', optim.momentum(0.05)],
    ['nesterov', optim.momentum(0.05, { beta: 0.8, nesterov: true })],
    ['adam', optim.adam(0.01)],
    ['adam with cosine decay', optim.adam(optim.schedules.cosineDecay(0.02, { decaySteps: 6 }))],
    ['adamw', optim.adamw(optim.schedules.warmup(0.01, { steps: 3 }), { weightDecay: 0.05 })],
    ['rmsprop', optim.rmsprop(0.01)],
    ['rmsprop, centred, momentum', optim.rmsprop(0.01, { centered: true, momentum: 0.9, nesterov: true })],
    ['a user chain of transformations', optim.chain(optim.scaleByAdam({ b1: 0.8 }), optim.addDecayedWeights(1e-3), optim.trace({ decay: 0.5 }), optim.scaleByLearningRate(0.01))],
  ] as const)('gives the same bits with %s (the whole step, optimizer included, is one compiled program)', (_name, optimizer) => {
    const net = nn.serial(nn.dense(3, 8), nn.tanh, nn.dense(8, 2)) as unknown as nn.Layer<Tree>
    const a = run(net, true, losses.mse, optimizer)
    const b = run(net, false, losses.mse, optimizer)
    expect(same(a.state.params, b.state.params)).toBe(true)
    expect(a.history.loss).toEqual(b.history.loss)
    expect(a.state.optState).toEqual(b.state.optState)
  })

  it('compiles the whole step once per batch shape and runs every step through it (Adam, float32 and float64)', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const net = nn.serial(nn.dense(3, 8, { dtype }), nn.tanh, nn.dense(8, 2, { dtype })) as unknown as nn.Layer<Tree>
      const g = lossAndGradient(net, losses.mse, true)
      const opt = optim.adam(optim.schedules.exponentialDecay(0.01, { transitionSteps: 1, decayRate: 0.9 }))
      let p = net.init(key(0))
      let s = opt.init(p)
      let eagerP = p
      let eagerS = s
      const batch = dataset(normal(key(3), [16, 3], { dtype }), normal(key(4), [16, 2], { dtype }))
      for (let t = 0; t < 5; t++) {
        const r = g.update(p, batch, opt.rule!, s)
        if (r === undefined) throw new Error('expected a compiled step')
        p = r.params
        s = r.state
        const grads = lossAndGradient(net, losses.mse, false)(eagerP, batch, key(0))[1]
        const e = optim.applyGradients(opt, grads, eagerS, eagerP)
        eagerP = e.params
        eagerS = e.state
        expect(same(p, eagerP)).toBe(true)
        expect(same([s[0].mu, s[0].nu], [eagerS[0].mu, eagerS[0].nu])).toBe(true)
        expect(s).toEqual(eagerS)
      }
      expect(s[0].count).toBe(5)
      expect(g.updateStats()).toEqual({ compiles: 1, calls: 5 })
    }
  })

  it('runs eagerly, with the same bits, a user rule whose ops close over per-step numbers (new closures per state)', () => {
    const decaying = optim.ruleTransformation((): optim.CountState => Object.freeze({ count: 0 }), {
      name: 'decaying',
      begin: (state: optim.CountState) => ({
        // breaks LeafRule point 2 (the number should be a scalar): a program made at count 0 would keep 1/1
        steps: [{ kind: 'map', name: 'decaying', moments: [], readsParams: false, scalars: [], ops: ({ u }) => ({ out: ops.mul(u, -0.05 / (state.count + 1)), next: [] }) }],
        end: () => Object.freeze({ count: state.count + 1 }),
      }),
    })
    const net = nn.serial(nn.dense(3, 8), nn.tanh, nn.dense(8, 2)) as unknown as nn.Layer<Tree>
    const a = run(net, true, losses.mse, decaying)
    const b = run(net, false, losses.mse, decaying)
    expect(same(a.state.params, b.state.params)).toBe(true)
    expect(a.history.loss).toEqual(b.history.loss)
  })

  it('stops with the same DivergenceError when a compiled SGD update overflows', () => {
    const net = nn.serial(nn.dense(3, 8), nn.tanh, nn.dense(8, 2)) as unknown as nn.Layer<Tree>
    const fail = (jit: boolean) => { try { run(net, jit, losses.mse, optim.sgd(1e38)); return undefined } catch (e) { return e as Error } }
    const a = fail(true), b = fail(false)
    expect(a?.message).toMatch(/step/)
    expect(a?.message).toBe(b?.message)
  })

  it('falls back to the eager step for a network that draws from the step key (dropout)', () => {
    const net = nn.serial(nn.dense(3, 8), nn.relu, nn.dropout(0.5), nn.dense(8, 2)) as unknown as nn.Layer<Tree>
    const g = lossAndGradient(net, losses.mse, true)
    g(net.init(key(0)), data, key(5))
    expect(g.mode()).toBe('eager')
    const a = run(net, true)
    const b = run(net, false)
    expect(same(a.state.params, b.state.params)).toBe(true)
    expect(a.history.loss).toEqual(b.history.loss)
  })

  it('falls back to the eager step for a loss that reads a value while tracing', () => {
    const net = nn.serial(nn.dense(3, 8), nn.tanh, nn.dense(8, 2)) as unknown as nn.Layer<Tree>
    const reading = (p: Tensor, t: Tensor): Tensor => (item(ops.sum(p)) > 1e9 ? ops.sum(p) : losses.mse(p, t))
    const a = run(net, true, reading)
    const b = run(net, false, reading)
    expect(same(a.state.params, b.state.params)).toBe(true)
  })
})
