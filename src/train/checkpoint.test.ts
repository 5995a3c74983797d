import { describe, expect, it } from 'vitest'
import { dataset } from '../data/index.js'
import * as nn from '../nn/index.js'
import * as optim from '../optim/index.js'
import { type Key, key, normal, randint, split } from '../random/index.js'
import { isTensor } from '../tensor/index.js'
import type { Tree } from '../tree/index.js'
import type { Checkpoint } from './checkpoint.js'
import { fit, resume } from './fit.js'
import type { Loss } from './TrainState.js'
import { softmaxCrossEntropy } from '../losses/index.js'

// Dropout makes every step use its key, Adam has state beyond the parameters: both must survive.
const net = nn.serial(nn.dense(3, 8), nn.tanh, nn.dropout(0.2), nn.dense(8, 2))
const [kx, ky] = split(key(3), 2) as [Key, Key]
const data = dataset(normal(kx, [22, 3]), randint(ky, 2, [22]))
const loss: Loss = softmaxCrossEntropy
const options = { net, loss, optimizer: optim.adam(0.05), data, epochs: 4, batchSize: 5, key: key(9) } // 5 steps an epoch, the last short

/** Every tensor as its bytes, so that equality is equality bit for bit. */
const bits = (u: unknown): unknown => {
  if (isTensor(u)) return { dtype: u.dtype, shape: [...u.shape], bytes: Array.from(new Uint8Array(u.data.buffer, u.data.byteOffset, u.data.byteLength)) }
  if (Array.isArray(u)) return u.map(bits)
  if (typeof u === 'object' && u !== null) return Object.fromEntries(Object.entries(u).map(([k, v]) => [k, bits(v)]))
  return u
}

const collect = <P extends Tree, S>(every: { readonly steps: number } | { readonly epochs: number }) => {
  const written: Array<Checkpoint<P, S>> = []
  return { written, checkpoint: { every, write: (c: Checkpoint<P, S>) => { written.push(c) } } }
}

describe('checkpoints', () => {
  const whole = fit(options)

  it('are written every n steps and after the last step, without changing training', () => {
    const { written, checkpoint } = collect<typeof whole.state.params, typeof whole.state.optState>({ steps: 3 })
    const r = fit({ ...options, checkpoint })
    expect(written.map((c) => c.state.step)).toEqual([3, 6, 9, 12, 15, 18, 20])
    expect(bits(r.state)).toEqual(bits(whole.state))
    for (const c of written) {
      expect(Object.isFrozen(c)).toBe(true)
      expect(c.history.loss.length).toBe(c.state.step)
      expect(c.run).toEqual({ key: key(9), batchSize: 5, examples: 22, dropLast: false })
    }
  })

  it('are written every n epochs', () => {
    const { written, checkpoint } = collect<typeof whole.state.params, typeof whole.state.optState>({ epochs: 3 })
    fit({ ...options, checkpoint })
    expect(written.map((c) => [c.state.step, c.history.epochs.length])).toEqual([[15, 3], [20, 4]])
  })

  it('law 1: resuming from any checkpoint gives the uninterrupted result bit for bit, history included', () => {
    const { written, checkpoint } = collect<typeof whole.state.params, typeof whole.state.optState>({ steps: 1 })
    fit({ ...options, checkpoint })
    expect(written.length).toBe(20)
    for (const c of written) {
      const r = resume(c, options)
      expect(bits(r.state), `resumed from step ${c.state.step}`).toEqual(bits(whole.state))
      expect(r.history).toEqual(whole.history)
    }
    // and a run can be extended: resuming with more epochs equals training that long at once
    const longer = fit({ ...options, epochs: 6 })
    expect(bits(resume(written[19]!, { ...options, epochs: 6 }).state)).toEqual(bits(longer.state))
  })

  it('a resumed run keeps writing checkpoints, after the one it started from', () => {
    const first = collect<typeof whole.state.params, typeof whole.state.optState>({ steps: 4 })
    fit({ ...options, epochs: 2, checkpoint: first.checkpoint })
    const second = collect<typeof whole.state.params, typeof whole.state.optState>({ steps: 4 })
    resume(first.written[1]!, { ...options, checkpoint: second.checkpoint })
    expect(second.written.map((c) => c.state.step)).toEqual([12, 16, 20])
    expect(second.written[2]!.history).toEqual(whole.history)
  })

  it('refuses options that cannot continue the run, naming the difference', () => {
    const { written, checkpoint } = collect<typeof whole.state.params, typeof whole.state.optState>({ steps: 7 })
    fit({ ...options, checkpoint })
    const c = written[0]!
    expect(() => resume(c, { ...options, key: key(1) })).toThrow(/^train.resume: the checkpoint was written by a run with key \[0, 9\], the options give \[0, 1\] \(another seed\?\); resume with the options of the run that wrote it/)
    expect(() => resume(c, { ...options, batchSize: 4 })).toThrow('train.resume: the checkpoint was written with batchSize 5, the options give 4')
    expect(() => resume(c, { ...options, data: dataset(data.x, data.y), dropLast: true })).toThrow('written with dropLast false, the options give true')
    const sgd = optim.sgd(0.1)
    // on purpose a checkpoint of another optimizer than the one given (a type error), to test the run-time check
    expect(() => resume(c as unknown as Checkpoint<typeof whole.state.params, optim.CountState>, { ...options, optimizer: sgd })).toThrow(/optimizer state does not fit the optimizer given/)
    expect(() => fit({ ...options, checkpoint: { every: { steps: 0 }, write: () => undefined } })).toThrow('train.fit: checkpoint.every must be { steps: n } or { epochs: n } with n a positive integer, got {"steps":0}')
  })
})
