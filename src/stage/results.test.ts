import { describe, expect, it } from 'vitest'
import { jit, nn, ops, random, tensor, type Tensor } from '../index.js'

// bits as strings: -0 and +0 differ, NaN equals NaN
const bits = (t: Tensor): string[] => Array.from(t.data, (v) => (Object.is(v, -0) ? '-0' : String(v)))

describe('jit results (results.ts): a tensor a caller holds never changes', () => {
  it('holds every result of 700 calls (several arenas) unchanged, each the eager value, with shared frozen shapes', () => {
    const f = (x: Tensor, y: Tensor): readonly [Tensor, Tensor, Tensor] => [ops.tanh(ops.mul(x, y)), ops.sum(x), ops.cast(ops.add(x, 1), 'float64')]
    const g = jit(f)
    const held: Array<{ readonly got: readonly [Tensor, Tensor, Tensor]; readonly want: string[][] }> = []
    for (let i = 0; i < 700; i++) {
      const x = tensor([i, -i / 7, 0.5, i / 100, -0], { shape: [1, 5] })
      const y = tensor([0.01 * i, 2, -3, 1, 1], { shape: [1, 5] })
      const got = g(x, y)
      const want = f(x, y).map(bits)
      expect(got.map(bits)).toEqual(want)
      held.push({ got, want })
    }
    for (const { got, want } of held) expect(got.map(bits)).toEqual(want)
    expect(g.stats().compiles).toBe(1)
    const [a, b] = [held[0]!.got[0], held[699]!.got[0]]
    expect(Object.isFrozen(a) && Object.isFrozen(a.shape)).toBe(true)
    expect(a.shape).toEqual([1, 5])
    expect(held[0]!.got[2].dtype).toBe('float64')
    // distinct memory for each result, even where two calls share an arena
    expect(a.data).not.toBe(b.data)
  })

  it('keeps results of a training-sized call (over the arena size) unchanged across later calls', () => {
    const step = jit((w: Tensor, x: Tensor) => ops.sub(w, ops.mul(x, 0.5)))
    const w0 = random.normal(random.key(1), [200, 100])
    const x = random.normal(random.key(2), [200, 100])
    const states: Tensor[] = [w0]
    for (let i = 0; i < 5; i++) states.push(step(states[i]!, x))
    const copies = states.map(bits)
    for (let i = 0; i < 5; i++) step(states[i]!, x)
    expect(states.map(bits)).toEqual(copies)
    expect(bits(states[5]!)).toEqual(bits([0, 1, 2, 3, 4].reduce((w) => ops.sub(w, ops.mul(x, 0.5)), w0)))
  })

  it('reads inputs left in place by the previous call only when they are the same arrays (parameters held, observations new)', () => {
    const net = nn.serial(nn.dense(4, 32), nn.tanh, nn.dense(32, 2))
    const p1 = net.init(random.key(3)), p2 = net.init(random.key(4))
    const forward = jit((p: typeof p1, x: Tensor) => net.apply(p)(x))
    // the same parameters, then others, then the first again: each call must see its own
    for (const [p, i] of [[p1, 0], [p1, 1], [p2, 2], [p1, 3], [p2, 4], [p2, 5]] as const) {
      const x = tensor([0.1 * i, -0.2, 0.3, i], { shape: [1, 4] })
      expect(bits(forward(p, x))).toEqual(bits(net.apply(p)(x)))
    }
    // a result passed back in as an input
    const twice = jit((x: Tensor) => ops.mul(x, 2))
    let y = tensor([1, 2, 3])
    for (let i = 0; i < 3; i++) y = twice(y)
    expect(Array.from(y.data)).toEqual([8, 16, 24])
    expect(forward.stats().compiles).toBe(1)
  })
})
