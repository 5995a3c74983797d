/**
 * A model file saved before the optimizer's step was compiled (src/fixtures/adamw-step3.model.json:
 * written by purenet at commit 9a8f7de with `io.encodeModel` after 3 steps of AdamW with a cosine
 * schedule, its optimizer state holding the step counts as numbers) still loads, and training
 * continues from it with the compiled step and with the eager one to the same bits.
 */
import { readFileSync } from 'node:fs'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { data, io, losses, nn, optim, random, train, tree } from './index.js'

const text = readFileSync(new URL('./fixtures/adamw-step3.model.json', import.meta.url), 'utf8')
const net = nn.serial(nn.dense(3, 4), nn.tanh, nn.dense(4, 2))
const optimizer = optim.adamw(optim.schedules.cosineDecay(0.05, { decaySteps: 20 }), { weightDecay: 0.01 })
const x = random.normal(random.key(1), [24, 3])
const y = random.normal(random.key(2), [24, 2])

const bits = (t: unknown): number[][] => tree.leaves(t as tree.Tree).map((l) => Array.from(l.data))

describe('a model file with an optimizer state saved by an earlier version', () => {
  it('loads, and training continues from it with jit and without to the same bits', () => {
    const loaded = io.decodeModel(text, { net })
    if (E.isLeft(loaded)) throw new Error(loaded.left.message)
    const { params, optState, step, key } = loaded.right
    expect(step).toBe(3)
    const state = optState as optim.AdamWState
    expect([state[0].count, state[2].count]).toEqual([3, 3])
    const initialState = { params, optState: state, step: step!, key: key! }
    const go = (jit: boolean) =>
      train.fit({ net, loss: losses.mse, optimizer, data: data.dataset(x, y), epochs: 2, batchSize: 8, key: random.key(0), initialState, jit })
    const a = go(true)
    const b = go(false)
    expect(bits(a.state.params)).toEqual(bits(b.state.params))
    expect(a.state.optState).toEqual(b.state.optState)
    expect(a.state.optState[0].count).toBe(6)
    expect(a.history.loss).toEqual(b.history.loss)
    // and what it saves loads again, with numeric counts as before
    const again = io.decodeModel(io.encodeModel({ net, params: a.state.params, optState: a.state.optState, step: a.state.step }), { net })
    expect(E.isRight(again) && (again.right.optState as optim.AdamWState)[0].count).toBe(6)
  })
})
