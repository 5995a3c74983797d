import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { dataset } from '../data/index.js'
import { encodeCheckpoint, decodeCheckpoint } from '../ioPure.js'
import { accuracy, mse, softmaxCrossEntropy } from '../losses/index.js'
import * as nn from '../nn/index.js'
import * as optim from '../optim/index.js'
import { type Key, key, normal, randint, split } from '../random/index.js'
import { isTensor, tensor, toFlatArray } from '../tensor/index.js'
import type { Tree } from '../tree/index.js'
import type { Checkpoint } from './checkpoint.js'
import { fit, initialState, resume } from './fit.js'
import type { TrainState } from './TrainState.js'

const f64 = (rows: number[][]) => tensor(rows, { dtype: 'float64' })

/**
 * A constructed case. y = w·x + b trained by full-batch SGD (lr 0.1) on y = 2x from w = 0, b = 0,
 * so the training loss is (w − 2)² and w(t+1) = w(t) − 0.2 (w(t) − 2): 0.4, 0.72, 0.976, 1.1808, ...
 * (b stays 0: its gradient cancels exactly). The validation data is y = x, whose loss is
 * (w − 1)²: 0.36, 0.0784, 0.000576, 0.0327, 0.119, ... It is best after the third epoch and worse
 * ever after, so with patience 2 the run must stop after the fifth epoch and restore the third.
 */
const line = nn.dense(1, 1, { dtype: 'float64' })
const sgd = optim.sgd(0.1)
const start = (): TrainState<nn.DenseParams, ReturnType<typeof sgd.init>> => {
  const s = initialState({ net: line, optimizer: sgd, key: key(0) })
  return Object.freeze({ ...s, params: Object.freeze({ w: f64([[0]]), b: tensor([0], { dtype: 'float64' }) }) })
}
const constructed = {
  net: line, loss: mse, optimizer: sgd, key: key(0), epochs: 50, batchSize: 2,
  data: dataset(f64([[-1], [1]]), f64([[-2], [2]])),
  validation: dataset(f64([[-1], [1]]), f64([[-1], [1]])),
  initialState: start(),
}
// The same recurrence in plain numbers.
const wAfter = (epochs: number): number => {
  let w = 0
  for (let t = 0; t < epochs; t++) w -= 0.1 * 2 * (w - 2)
  return w
}

describe('early stopping on a constructed case', () => {
  it('records val_loss every epoch and stops after patience epochs without improvement, restoring the best', () => {
    const r = fit({ ...constructed, earlyStopping: { patience: 2 } })
    expect(r.history.epochs.map((e) => e.epoch)).toEqual([0, 1, 2, 3, 4])
    r.history.epochs.forEach((e, i) => expect(e.metrics['val_loss']).toBeCloseTo((wAfter(i + 1) - 1) ** 2, 12))
    expect(r.earlyStopping).toMatchObject({ bestEpoch: 2, wait: 2, stop: true })
    expect(r.state.step).toBe(3)
    expect(toFlatArray(r.state.params.w)[0]).toBeCloseTo(0.976, 12)
    expect(r.history.loss).toHaveLength(5)
  })

  it('patience 3 runs one epoch more; restoreBest false keeps the last state; minDelta counts small gains as none', () => {
    expect(fit({ ...constructed, earlyStopping: { patience: 3 } }).history.epochs).toHaveLength(6)
    const last = fit({ ...constructed, earlyStopping: { patience: 2, restoreBest: false } })
    expect(last.state.step).toBe(5)
    expect(toFlatArray(last.state.params.w)[0]).toBeCloseTo(wAfter(5), 12)
    // From epoch 2 to 3 val_loss falls by 0.0778: with minDelta 0.1 that is no improvement.
    const strict = fit({ ...constructed, earlyStopping: { patience: 2, minDelta: 0.1 } })
    expect(strict.earlyStopping?.bestEpoch).toBe(1)
    expect(strict.history.epochs).toHaveLength(4)
  })

  it('watches any recorded value: the training loss, or a validation metric in max mode', () => {
    // The training loss falls every epoch: no stop before `epochs`.
    const r = fit({ ...constructed, epochs: 8, earlyStopping: { metric: 'loss', patience: 1 } })
    expect(r.history.epochs).toHaveLength(8)
    expect(r.earlyStopping).toMatchObject({ bestEpoch: 7, stop: false })
    const neg = fit({ ...constructed, validationMetrics: { negated: (p, t) => -toFlatArray(mse(p, t))[0]! }, earlyStopping: { metric: 'val_negated', mode: 'max', patience: 2 } })
    expect(neg.earlyStopping?.bestEpoch).toBe(2)
    expect(neg.history.epochs[0]!.metrics).toEqual({ val_loss: expect.any(Number), val_negated: expect.any(Number) })
  })

  it('refuses options it cannot honour, naming the fix', () => {
    expect(() => fit({ ...constructed, earlyStopping: { patience: 0 } })).toThrow('train.fit: earlyStopping.patience must be a positive integer (epochs without improvement), got 0')
    const { validation: _, ...noValidation } = constructed
    expect(() => fit({ ...noValidation, earlyStopping: { patience: 2 } })).toThrow("train.fit: earlyStopping watches 'val_loss', which needs validation data: pass validation: dataset, or watch 'loss'")
    expect(() => fit({ ...constructed, earlyStopping: { metric: 'accuracy', patience: 2 } })).toThrow("train.fit: earlyStopping.metric 'accuracy' is not among the values of epoch 1 (loss, val_loss); name one of them")
  })
})

/** Every tensor as its bytes, so that equality is equality bit for bit. */
const bits = (u: unknown): unknown => {
  if (isTensor(u)) return { dtype: u.dtype, shape: [...u.shape], bytes: Array.from(new Uint8Array(u.data.buffer, u.data.byteOffset, u.data.byteLength)) }
  if (Array.isArray(u)) return u.map(bits)
  if (typeof u === 'object' && u !== null) return Object.fromEntries(Object.entries(u).map(([k, v]) => [k, bits(v)]))
  return u
}

describe('early stopping with checkpoints and resume', () => {
  // Few noisy examples and a wide network: the validation loss turns up after some epochs.
  const net = nn.serial(nn.dense(4, 32), nn.tanh, nn.dropout(0.1), nn.dense(32, 3))
  const [kx, ky, vx, vy] = split(key(5), 4) as [Key, Key, Key, Key]
  const options = {
    net, loss: softmaxCrossEntropy, optimizer: optim.adam(0.05), epochs: 60, batchSize: 8, key: key(2),
    data: dataset(normal(kx, [30, 4]), randint(ky, 3, [30])),
    validation: dataset(normal(vx, [30, 4]), randint(vy, 3, [30])),
    validationMetrics: { accuracy },
    earlyStopping: { patience: 3 },
  }
  const written: Array<Checkpoint<Tree, unknown>> = []
  const whole = fit(options)
  const checkpointed = fit({ ...options, checkpoint: { every: { epochs: 2 }, write: (c) => { written.push(c as unknown as Checkpoint<Tree, unknown>) } } })

  it('the constructed run stops early, and checkpoints do not change it', () => {
    expect(whole.earlyStopping?.stop).toBe(true)
    expect(whole.history.epochs.length).toBeLessThan(60)
    expect(whole.history.epochs[0]!.metrics).toEqual({ val_loss: expect.any(Number), val_accuracy: expect.any(Number) })
    expect(bits(checkpointed)).toEqual(bits(whole))
    // the last checkpoint is the stopped run's end
    expect(written.at(-1)!.history.epochs).toHaveLength(whole.history.epochs.length)
  })

  it('a run resumed from any checkpoint stops at the same epoch with the same best state, bit for bit', () => {
    expect(written.length).toBeGreaterThan(2)
    for (const c of written) {
      const r = resume(c as unknown as Checkpoint<typeof whole.state.params, typeof whole.state.optState>, options)
      expect(bits(r)).toEqual(bits(whole))
    }
  })

  it('also through a checkpoint file', () => {
    const c = written[Math.floor(written.length / 2)]!
    const decoded = decodeCheckpoint(encodeCheckpoint(c), { net })
    if (E.isLeft(decoded)) throw new Error(decoded.left.message)
    const r = resume(decoded.right.checkpoint as unknown as Checkpoint<typeof whole.state.params, typeof whole.state.optState>, options)
    expect(bits(r)).toEqual(bits(whole))
  })

  it('also from a folder on disk, with io.checkpoints and io.resume', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises')
    const { tmpdir } = await import('node:os')
    const { join } = await import('node:path')
    const files = await import('../ioNamespace.js')
    const folder = await mkdtemp(join(tmpdir(), 'purenet-early-'))
    try {
      // A first run killed (here: cut short) after 6 epochs, then resumed with the full options.
      const short = fit({ ...options, epochs: 6, checkpoint: files.checkpoints(folder, { every: { epochs: 3 } }) })
      expect(short.history.epochs).toHaveLength(6)
      const r = await files.resume(folder, { ...options, checkpoint: files.checkpoints(folder, { every: { epochs: 3 } }) })
      if (E.isLeft(r)) throw new Error(r.left.message)
      expect(bits(r.right)).toEqual(bits(whole))
    } finally {
      await rm(folder, { recursive: true, force: true })
    }
  })

  it('a checkpoint resumes only with the early stopping it was written with', async () => {
    const { resumeProblem } = await import('./checkpoint.js')
    const c = written[1]! as unknown as Checkpoint<typeof whole.state.params, typeof whole.state.optState>
    const { earlyStopping: _, ...without } = options
    expect(resumeProblem<typeof whole.state.params, typeof whole.state.optState>(c, without, 30)).toMatch(/^the checkpoint holds a best state/)
    const plain = fit({ ...without, epochs: 2, checkpoint: { every: { epochs: 1 }, write: (x) => { written.push(x as unknown as Checkpoint<Tree, unknown>) } } })
    expect(plain.earlyStopping).toBeUndefined()
    expect(resumeProblem<typeof whole.state.params, typeof whole.state.optState>(written.at(-1)! as unknown as typeof c, options, 30)).toMatch(/^the checkpoint was written by a run without earlyStopping.restoreBest/)
  })
})
