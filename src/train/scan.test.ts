import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { dataset } from '../data/index.js'
import * as ops from '../ops/index.js'
import { type Key, key, normal, split } from '../random/index.js'
import { tensor, toFlatArray } from '../tensor/index.js'
import type { Checkpoint } from './checkpoint.js'
import { fit, fitEither, initialState, resume, resumeEither, trainStates } from './fit.js'
import { plan, statesOnly } from './plan.js'
import { step, stepEither } from './step.js'
import { DivergenceError } from './TrainState.js'
import { type Linear, linear, mse, sgd } from './linear.fixture.js'

const [kx] = split(key(7), 1) as [Key]
const x = normal(kx, [10, 2], { dtype: 'float64' })
const data = dataset(x, ops.add(ops.matmul(x, tensor([[3], [-2]], { dtype: 'float64' })), 1))
const options = { net: linear, loss: mse, optimizer: sgd<Linear>(0.1), data, epochs: 3, batchSize: 4, key: key(0) }
const diverging = { ...options, optimizer: sgd<Linear>(10), epochs: 50 }

describe('the run plan', () => {
  it('holds the checked options: batching, the run facts, early stopping with its defaults', () => {
    const p = plan({ ...options, earlyStopping: { metric: 'loss', patience: 2 } })
    expect(p.stepsPerEpoch).toBe(3)
    expect(plan({ ...options, dropLast: true }).stepsPerEpoch).toBe(2)
    expect(p.run).toEqual({ key: options.key, batchSize: 4, examples: 10, dropLast: false })
    expect(p.earlyStopping).toEqual({ rule: { metric: 'loss', patience: 2 }, restoreBest: true })
    expect(Object.isFrozen(p)).toBe(true)
  })

  it('refuses options that cannot make a run, naming the option', () => {
    expect(() => plan({ ...options, epochs: -1 })).toThrow('train.fit: epochs must be a non-negative integer, got -1')
    expect(() => plan({ ...options, earlyStopping: { patience: 2 } })).toThrow(/earlyStopping watches 'val_loss', which needs validation data/)
  })

  it('statesOnly keeps the steps and drops checkpoints, metrics, validation, early stopping and callbacks', () => {
    const full = plan({ ...options, metrics: () => ({}), validation: data, onStep: () => undefined, onEpoch: () => undefined, checkpoint: { every: { steps: 1 }, write: () => undefined } })
    const bare = statesOnly(full)
    expect(Object.keys(bare).sort()).toEqual(['data', 'epochs', 'loss', 'net', 'optimizer', 'run', 'stepsPerEpoch'])
  })
})

describe('views of the one scan', () => {
  it('fit hands every step to onStep, every epoch to onEpoch before the step that ends it, and checkpoints before onStep', () => {
    const events: string[] = []
    const r = fit({
      ...options,
      onStep: (s) => events.push(`step ${s.state.step}`),
      onEpoch: (e) => events.push(`epoch ${e.epoch}`),
      checkpoint: { every: { steps: 3 }, write: (c) => events.push(`checkpoint ${c.state.step}`) },
    })
    expect(events.slice(0, 5)).toEqual(['step 1', 'step 2', 'epoch 0', 'checkpoint 3', 'step 3'])
    expect(events.filter((e) => e.startsWith('step'))).toHaveLength(9)
    expect(r.history.loss).toHaveLength(9)
  })

  it('trainStates is the same scan without the callbacks and checkpoints of fit', () => {
    const calls: string[] = []
    const withEffects = { ...options, onStep: () => calls.push('step'), onEpoch: () => calls.push('epoch'), checkpoint: { every: { steps: 1 }, write: () => calls.push('write') } }
    const states = [...trainStates(withEffects)]
    expect(calls).toEqual([])
    expect(states.map((s) => s.loss)).toEqual(fit(options).history.loss)
  })

  it('a divergence is a Left of fitEither and resumeEither, the error that fit and resume throw', () => {
    const left = fitEither(diverging)
    if (E.isRight(left)) throw new Error('expected a divergence')
    expect(left.left).toBeInstanceOf(DivergenceError)
    expect(left.left.history?.loss).toHaveLength(left.left.state.step)
    expect(toFlatArray(left.left.state.params.w).every(Number.isFinite)).toBe(true)
    let thrown: unknown
    try {
      fit(diverging)
    } catch (e) {
      thrown = e
    }
    expect(thrown).toBeInstanceOf(DivergenceError)
    expect((thrown as DivergenceError<Linear, unknown>).step).toBe(left.left.step)
    expect((thrown as DivergenceError<Linear, unknown>).history).toEqual(left.left.history)
    // from a checkpoint of the same diverging run, before it diverged
    const written: Array<Checkpoint<Linear, { readonly count: number }>> = []
    fitEither({ ...diverging, checkpoint: { every: { steps: 1 }, write: (c) => { written.push(c) } } })
    const resumed = resumeEither(written[0]!, diverging)
    expect(E.isLeft(resumed) && resumed.left.step).toBe(left.left.step)
    expect(() => resume(written[0]!, diverging)).toThrow(DivergenceError)
  })

  it('stepEither returns the divergence that step throws', () => {
    const s0 = initialState(diverging)
    const huge = dataset(tensor([[1e200, 1e200]], { dtype: 'float64' }), tensor([[1]], { dtype: 'float64' }))
    const r = stepEither(diverging)(s0, huge)
    expect(E.isLeft(r) && r.left.what).toBe('loss')
    expect(() => step(diverging)(s0, huge)).toThrow(DivergenceError)
    expect(E.isRight(stepEither(options)(s0, data))).toBe(true)
  })
})
