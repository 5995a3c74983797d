import { describe, expect, it } from 'vitest'
import { dataset } from '../data/index.js'
import * as ops from '../ops/index.js'
import { type Key, key, normal, split } from '../random/index.js'
import { tensor, toArray, toFlatArray } from '../tensor/index.js'
import { zipWith } from '../tree/index.js'
import { fit, fitEither, initialState, trainStates } from './fit.js'
import { step } from './step.js'
import { DivergenceError } from './TrainState.js'
import { type Linear, linear, mse, sgd } from './linear.fixture.js'

// y = 3 x0 - 2 x1 + 1 exactly
const [kx] = split(key(7), 1) as [Key]
const x = normal(kx, [64, 2], { dtype: 'float64' })
const y = ops.add(ops.matmul(x, tensor([[3], [-2]], { dtype: 'float64' })), 1)
const data = dataset(x, y)

const options = { net: linear, loss: mse, optimizer: sgd<Linear>(0.1), data, epochs: 20, batchSize: 16, key: key(0) }

describe('step', () => {
  it('is w <- w - lr * gradient of the batch loss', () => {
    const s0 = initialState(options)
    const batch = dataset(tensor([[1, 0]], { dtype: 'float64' }), tensor([[2]], { dtype: 'float64' }))
    const { state, loss } = step(options)(s0, batch)
    const w = toFlatArray(s0.params.w)
    const pred = w[0]! // x = [1, 0], b = 0
    expect(loss).toBeCloseTo((pred - 2) ** 2, 12)
    // dL/dw0 = 2 (pred - 2) x0, dL/db = 2 (pred - 2)
    expect(toFlatArray(state.params.w)[0]).toBeCloseTo(w[0]! - 0.1 * 2 * (pred - 2), 12)
    expect(toFlatArray(state.params.w)[1]).toBeCloseTo(w[1]!, 12)
    expect(toFlatArray(state.params.b)[0]).toBeCloseTo(-0.1 * 2 * (pred - 2), 12)
    expect(state.step).toBe(1)
    expect(Object.isFrozen(state)).toBe(true)
  })
})

describe('fit', () => {
  it('learns the linear map', () => {
    const { state, history } = fit(options)
    expect(toFlatArray(state.params.w).map((v) => Math.round(v * 1000) / 1000)).toEqual([3, -2])
    expect(toFlatArray(state.params.b)[0]).toBeCloseTo(1, 3)
    expect(history.loss.length).toBe(20 * 4)
    expect(history.epochs.length).toBe(20)
    expect(history.epochs[19]!.loss).toBeLessThan(history.epochs[0]!.loss)
    expect(state.step).toBe(80)
  })

  it('gives bit-identical parameters for the same key and different ones for another key', () => {
    const a = fit(options).state.params
    const b = fit(options).state.params
    const c = fit({ ...options, key: key(1), epochs: 1 }).state.params
    zipWith(a, b, (u, v) => {
      expect(Array.from(u.data)).toEqual(Array.from(v.data))
      return u
    })
    expect(toFlatArray(c.w)).not.toEqual(toFlatArray(fit({ ...options, epochs: 1 }).state.params.w))
  })

  it('is the last element of trainStates', () => {
    const states = [...trainStates({ ...options, epochs: 3 })]
    expect(states.length).toBe(12)
    expect(states.filter((s) => s.epochEnd).map((s) => s.epoch)).toEqual([0, 1, 2])
    expect(toArray(states[11]!.state.params.w)).toEqual(toArray(fit({ ...options, epochs: 3 }).state.params.w))
  })

  it('continues from an intermediate state to the same result as an uninterrupted run', () => {
    const states = [...trainStates({ ...options, epochs: 3 })]
    const middle = states[5]!.state // inside epoch 1
    const resumed = fit({ ...options, epochs: 3, initialState: middle }).state
    expect(toArray(resumed.params.w)).toEqual(toArray(states[11]!.state.params.w))
  })

  it('metrics are computed at the end of each epoch', () => {
    const { history } = fit({ ...options, epochs: 2, metrics: (p) => ({ b: toFlatArray(p.b)[0]! }) })
    expect(history.epochs.map((e) => Object.keys(e.metrics))).toEqual([['b'], ['b']])
  })

  it('stops at a non-finite loss, naming the step and keeping the last finite state', () => {
    const diverging = { ...options, optimizer: sgd<Linear>(10), epochs: 50 }
    let caught: unknown
    try {
      fit(diverging)
    } catch (e) {
      caught = e
    }
    expect(caught).toBeInstanceOf(DivergenceError)
    const err = caught as DivergenceError<Linear, unknown>
    expect(err.message).toMatch(/^training diverged at step \d+: the (loss|gradient)/)
    expect(err.state.step).toBe(err.step - 1)
    expect(toFlatArray(err.state.params.w).every(Number.isFinite)).toBe(true)
    expect(err.history?.loss.length).toBe(err.state.step)
    const either = fitEither(diverging)
    expect(either._tag).toBe('Left')
  })

  it('rejects bad options with a message naming them', () => {
    expect(() => fit({ ...options, batchSize: 0 })).toThrow('batchSize must be a positive integer, got 0')
    expect(() => fit({ ...options, epochs: 1.5 })).toThrow('epochs must be a non-negative integer, got 1.5')
  })
})
