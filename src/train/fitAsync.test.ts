import { describe, expect, it } from 'vitest'
import { dataset } from '../data/index.js'
import * as nn from '../nn/index.js'
import * as optim from '../optim/index.js'
import * as ops from '../ops/index.js'
import { key, normal, split } from '../random/index.js'
import { type Tensor, isTensor, toFlatArray } from '../tensor/index.js'
import { fit, trainStates } from './fit.js'
import { type Progress, fitAsync, trainStatesAsync } from './fitAsync.js'
import { DivergenceError } from './TrainState.js'

// A small float32 network with Adam (the WebAssembly kernels and the fused optimizer step run).
const [kx] = split(key(3), 1)
const x = normal(kx!, [48, 2])
const y = ops.tanh(ops.matmul(x, normal(key(4), [2, 1])))
const net = nn.serial(nn.dense(2, 8), nn.tanh, nn.dense(8, 1))
const mse = (p: Tensor, t: Tensor): Tensor => ops.mean(ops.square(ops.sub(p, t)))
const options = { net, loss: mse, optimizer: optim.adam(0.05), data: dataset(x, y), epochs: 6, batchSize: 10, key: key(0) }

// Every tensor as its bytes and every number as itself, so equal means bit for bit.
const bits = (t: unknown): string => JSON.stringify(t, (_, v: unknown) => isTensor(v) ? Array.from(new Uint8Array(v.data.buffer, v.data.byteOffset, v.data.byteLength)) : v)

// Counts its calls and returns at once: every slice boundary becomes visible and costs nothing.
const counting = (): { readonly calls: () => number; readonly yieldToEventLoop: () => Promise<void> } => {
  let n = 0
  return { calls: () => n, yieldToEventLoop: async () => { n++ } }
}

describe('fitAsync', () => {
  it('gives bit-identical parameters, optimizer state and history to fit, slicing after every step', async () => {
    const sync = fit({ ...options, metrics: (p) => ({ w0: toFlatArray(p[0].w)[0]! }) })
    const c = counting()
    const async = await fitAsync({ ...options, metrics: (p) => ({ w0: toFlatArray(p[0].w)[0]! }) }, { sliceMs: 1e-9, yieldToEventLoop: c.yieldToEventLoop })
    expect(bits(async.state.params)).toEqual(bits(sync.state.params))
    expect(bits(async.state.optState)).toEqual(bits(sync.state.optState))
    expect(async.history).toEqual(sync.history)
    expect(async.state.step).toBe(30)
    expect(c.calls()).toBe(30)
  })

  it('reports progress once per slice, ending at the last step', async () => {
    const seen: Progress[] = []
    await fitAsync(options, { sliceMs: 1e-9, yieldToEventLoop: async () => undefined, onProgress: (p) => seen.push(p) })
    expect(seen.length).toBe(31) // after every step, and once more at the end
    expect(seen.at(-1)).toMatchObject({ step: 30, steps: 30, epoch: 5 })
    expect(seen.map((p) => p.step)).toEqual([...Array.from({ length: 30 }, (_, i) => i + 1), 30])
    expect(seen.every((p) => Number.isFinite(p.loss))).toBe(true)
  })

  it('returns to the event loop: a timer set before a long run fires before it ends', async () => {
    let fired = false
    setTimeout(() => { fired = true }, 0)
    let firedDuringRun = false
    await fitAsync({ ...options, epochs: 40 }, { sliceMs: 0.5, onProgress: () => { firedDuringRun ||= fired } })
    expect(firedDuringRun).toBe(true)
  })

  it('stops between two steps when its signal is aborted, rejecting with the reason', async () => {
    const controller = new AbortController()
    let steps = 0
    const run = fitAsync({ ...options, epochs: 50, onStep: () => { steps++ } }, {
      signal: controller.signal,
      sliceMs: 1e-9,
      onProgress: (p) => { if (p.step === 7) controller.abort(new Error('stopped by the test')) },
    })
    await expect(run).rejects.toThrow('stopped by the test')
    expect(steps).toBe(7)
    await expect(fitAsync(options, { signal: controller.signal })).rejects.toThrow('stopped by the test')
  })

  it('rejects a divergence and bad options as fit throws them', async () => {
    const diverging = { ...options, optimizer: optim.sgd(1e30), epochs: 20 }
    await expect(fitAsync(diverging)).rejects.toBeInstanceOf(DivergenceError)
    await expect(fitAsync({ ...options, batchSize: 0 })).rejects.toThrow('batchSize must be a positive integer, got 0')
    await expect(fitAsync(options, { sliceMs: 0 })).rejects.toThrow('train.fitAsync: sliceMs must be a positive number of milliseconds, got 0')
  })
})

describe('trainStatesAsync', () => {
  it('yields the snapshots of trainStates, bit for bit', async () => {
    const sync = [...trainStates(options)]
    const async = []
    for await (const s of trainStatesAsync(options, { sliceMs: 1e-9 })) async.push(s)
    expect(async.length).toBe(sync.length)
    expect(async.map((s) => s.loss)).toEqual(sync.map((s) => s.loss))
    expect(bits(async.at(-1)!.state.params)).toEqual(bits(sync.at(-1)!.state.params))
  })

  it('stops when the loop is left, and continues from a kept state to the same end', async () => {
    const kept = []
    for await (const s of trainStatesAsync(options)) {
      kept.push(s)
      if (kept.length === 13) break
    }
    const rest = []
    for await (const s of trainStatesAsync({ ...options, initialState: kept.at(-1)!.state })) rest.push(s)
    expect(kept.length + rest.length).toBe(30)
    expect(bits(rest.at(-1)!.state.params)).toEqual(bits(fit(options).state.params))
  })

  it('rejects the next iteration once the signal is aborted', async () => {
    const controller = new AbortController()
    let n = 0
    const run = async (): Promise<void> => {
      for await (const _ of trainStatesAsync({ ...options, epochs: 100 }, { signal: controller.signal, sliceMs: 1e-9 })) {
        if (++n === 5) controller.abort(new Error('paused'))
      }
    }
    await expect(run()).rejects.toThrow('paused')
    expect(n).toBe(5)
  })
})
