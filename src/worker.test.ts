/**
 * `purenet/worker` in Node: the session served on an endpoint made of two functions, driven by
 * the requests a page would post, every reply checked with the protocol's own decoder.
 */
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import * as nn from './nn/index.js'
import { type Frame, type Reply, type Request, decodeReply, decodeRequest, serve } from './worker.js'

// A page: posts requests to a served session and collects the decoded replies.
const session = () => {
  const replies: Reply[] = []
  let listener: ((event: { readonly data: unknown }) => void) | undefined
  serve({
    postMessage: (m) => {
      const decoded = decodeReply(structuredClone(m))
      if (E.isLeft(decoded)) throw new Error(decoded.left)
      replies.push(decoded.right)
    },
    addEventListener: (_, l) => { listener = l },
  }, { frameMs: 1, sliceMs: 1 })
  const send = (request: Request | unknown): void => listener!({ data: structuredClone(request) })
  const frames = (): Frame[] => replies.filter((r): r is Frame => r.type === 'frame')
  const until = async (done: () => boolean): Promise<void> => {
    for (let i = 0; i < 12_000 && !done(); i++) await new Promise((r) => setTimeout(r, 5)) // a minute or more: generous on a busy machine
    expect(done()).toBe(true)
  }
  return { replies, send, frames, until }
}

// XOR: the four corners, twice each (train) and once (test).
const corners = [[-1, -1, 0], [-1, 1, 1], [1, -1, 1], [1, 1, 0]] as const
const dataOf = (times: number) => {
  const rows = Array.from({ length: times }, () => corners).flat()
  return { features: 2, x: rows.flatMap(([a, b]) => [a, b]), y: rows.map(([, , c]) => c) }
}
const net = nn.serial(nn.dense(2, 6), nn.tanh, nn.dense(6, 4), nn.relu, nn.dense(4, 1))
const setup: Request = {
  type: 'setup', net: net.spec, loss: 'binaryCrossEntropy', optimizer: { name: 'adam', learningRate: 0.05 },
  batchSize: 4, seed: 1, train: dataOf(2), test: dataOf(1), view: { extent: [-2, 2, -2, 2], resolution: 8, neuronResolution: 4 },
}

describe('purenet/worker', () => {
  it('says it is ready and which kernels it trains with', () => {
    const s = session()
    expect(s.replies).toEqual([{ type: 'ready', kernels: { kind: 'wasm-simd', reason: expect.stringContaining('WebAssembly SIMD') } }])
  })

  it('answers setup with a frame that draws the plane, the hidden units and the weights with their gradients', () => {
    const s = session()
    s.send(setup)
    const [f] = s.frames()
    expect(f).toMatchObject({ step: 0, epoch: 0, playing: false })
    expect(f!.field.length).toBe(64)
    expect(f!.field.every((p) => p > 0 && p < 1)).toBe(true)
    expect(f!.neurons.map((layer) => layer.length)).toEqual([6, 4])
    expect(f!.neurons[0]![0]!.length).toBe(16)
    expect(f!.layers.map((l) => [l.inSize, l.outSize, l.weights.length, l.gradients.length])).toEqual([[2, 6, 12, 12], [6, 4, 24, 24], [4, 1, 4, 4]])
    expect(f!.layers[2]!.gradients.some((g) => g !== 0)).toBe(true)
  })

  it('steps deterministically: 5 + 5 steps reach the state of 10 steps, bit for bit', () => {
    const a = session()
    a.send(setup)
    a.send({ type: 'step', steps: 5 })
    a.send({ type: 'step', steps: 5 })
    const b = session()
    b.send(setup)
    b.send({ type: 'step', steps: 10 })
    expect(a.frames().at(-1)!.step).toBe(10)
    expect(a.frames().at(-1)).toEqual(b.frames().at(-1))
    expect(a.frames().at(-1)!.epoch).toBe(5)
  })

  it('plays until paused, learning XOR, and continues exactly where it stopped', async () => {
    const s = session()
    s.send(setup)
    s.send({ type: 'play' })
    await s.until(() => (s.frames().at(-1)?.step ?? 0) >= 300)
    s.send({ type: 'pause' })
    await s.until(() => s.frames().at(-1)?.playing === false)
    const paused = s.frames().at(-1)!
    expect(paused.trainLoss).toBeLessThan(0.1)
    await new Promise((r) => setTimeout(r, 30))
    expect(s.frames().at(-1)!.step).toBe(paused.step) // nothing trains while paused
    // the same number of steps taken in one go gives the same weights
    const t = session()
    t.send(setup)
    t.send({ type: 'step', steps: paused.step })
    expect(t.frames().at(-1)!.layers).toEqual(paused.layers)
  })

  it('draws the loss landscape around the weights with the path of the run on it', async () => {
    const s = session()
    s.send(setup)
    s.send({ type: 'step', steps: 20 })
    s.send({ type: 'step', steps: 20 })
    s.send({ type: 'landscape', plane: 'random', resolution: 5, span: 1, seed: 3 })
    const l = s.replies.at(-1)!
    if (l.type !== 'landscape') throw new Error(`expected a landscape, got ${l.type}`)
    expect(l.alphas).toEqual([-1, -0.5, 0, 0.5, 1])
    expect(l.losses.length).toBe(5)
    expect(l.losses[2]![2]).toBeCloseTo(s.frames().at(-1)!.trainLoss, 5)
    expect(l.path.length).toBe(3) // the start and the two steps' frames
    expect(l.path.at(-1)).toEqual([0, 0]) // the current weights are the centre
    expect(Math.hypot(...l.path[0]!)).toBeGreaterThan(0)
    // on the plane through the first weights, the run goes from (1, 0) to (0, 0)
    s.send({ type: 'landscape', plane: 'path', resolution: 5, span: 1, seed: 3 })
    const p = s.replies.at(-1)!
    if (p.type !== 'landscape') throw new Error(`expected a landscape, got ${p.type}`)
    expect(p.alphas).toEqual([-0.5, 0, 0.5, 1, 1.5])
    expect(p.path[0]![0]).toBeCloseTo(1, 5)
    expect(p.path[0]![1]).toBeCloseTo(0, 5)
    expect(p.path.at(-1)).toEqual([0, 0])
    expect(p.losses[0]!.length).toBe(5)
  })

  it('saves a purenet model file and loads it back into the run', () => {
    const s = session()
    s.send(setup)
    s.send({ type: 'step', steps: 12 })
    const trained = s.frames().at(-1)!
    s.send({ type: 'save' })
    const saved = s.replies.at(-1)!
    if (saved.type !== 'model') throw new Error(`expected a model, got ${saved.type}`)
    expect(JSON.parse(saved.text)).toMatchObject({ format: expect.any(String), step: 12 })
    s.send({ type: 'reset' })
    expect(s.frames().at(-1)!.step).toBe(0)
    s.send({ type: 'load', text: saved.text })
    expect(s.replies.at(-2)).toEqual({ type: 'loaded', net: net.spec, step: 12 })
    expect(s.frames().at(-1)!.layers.map((l) => l.weights)).toEqual(trained.layers.map((l) => l.weights))
    s.send({ type: 'load', text: '{"format": 3}' })
    expect(s.replies.at(-1)).toMatchObject({ type: 'error', request: 'load', message: expect.stringContaining('not a purenet model file') })
  })

  it('answers a bad request with an error naming the field, and a request before setup with the fix', () => {
    const s = session()
    s.send({ type: 'play' })
    expect(s.replies.at(-1)).toEqual({ type: 'error', request: 'play', message: "worker: 'play' before 'setup'; send a setup request first" })
    s.send({ ...setup, batchSize: 0 })
    expect(s.replies.at(-1)).toMatchObject({ type: 'error', request: 'unknown', message: expect.stringMatching(/^worker: invalid request 'setup' at batchSize: expected positive integer, got 0/) })
    s.send({ type: 'jump' })
    expect(s.replies.at(-1)).toMatchObject({ type: 'error', message: expect.stringContaining('whose type is one of setup, play, pause') })
    s.send({ ...setup, train: { features: 3, x: [1, 2], y: [0] } })
    expect(s.replies.at(-1)).toMatchObject({ type: 'error', request: 'setup', message: 'worker: train.x holds 2 numbers, expected 1 examples × 3 features = 3' })
    expect(E.isRight(decodeRequest(setup))).toBe(true)
  })
})
