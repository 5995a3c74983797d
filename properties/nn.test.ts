/**
 * The layer laws numbered in src/nn/Layer.ts, src/nn/serial.ts and src/nn/parallel.ts, on random
 * small networks, and gradients of whole networks against central finite differences (float64).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { grad } from '../src/autodiff/index.js'
import {
  type AnyLayer, type ApplyContext, atan, dense, dropout, elu, fanOut, gelu, identity, parallel, relu, residual,
  serial, sigmoid, softplus, tanh,
} from '../src/nn/index.js'
import { concat, mean, square } from '../src/ops/index.js'
import { key, normal } from '../src/random/index.js'
import { type Tensor, fromData, item, toFlatArray } from '../src/tensor/index.js'
import { type Tree, leaves, unflatten } from '../src/tree/index.js'

const dtype = 'float64' as const
type Block = (n: number, m: number) => readonly [AnyLayer, number]

// Building blocks from a current size n (and a free size m in 1..4) to a layer and its output size.
const smooth: ReadonlyArray<AnyLayer> = [tanh, sigmoid, atan, softplus, gelu, elu, identity]
const blocks: ReadonlyArray<Block> = [
  (n, m) => [dense(n, m, { dtype }), m],
  (n, m) => [smooth[m % smooth.length]!, n],
  (n) => [residual(dense(n, n, { dtype })), n],
  (n, m) => [fanOut(identity, dense(n, m, { dtype })), n + m],
  (n, m) => (n >= 2 ? [parallel(dense(1, m, { dtype }), dense(n - 1, 1, { dtype })), m + 1] : [dense(n, m, { dtype }), m]),
  (n) => [dropout(0.3), n],
]

interface Net {
  readonly layer: AnyLayer
  readonly inSize: number
  readonly outSize: number
  readonly seed: number
  readonly batch: number
}

const arbNet: fc.Arbitrary<Net> = fc
  .record({
    inSize: fc.integer({ min: 1, max: 4 }),
    steps: fc.array(fc.tuple(fc.integer({ min: 0, max: blocks.length - 1 }), fc.integer({ min: 1, max: 4 })), { minLength: 1, maxLength: 4 }),
    seed: fc.nat({ max: 1_000_000 }),
    batch: fc.integer({ min: 1, max: 3 }),
  })
  .map(({ inSize, steps, seed, batch }) => {
    let n = inSize
    const layers: AnyLayer[] = []
    for (const [b, m] of steps) {
      const [layer, out] = blocks[b]!(n, m)
      layers.push(layer)
      n = out
    }
    // end on a dense layer so the output size is fixed
    layers.push(dense(n, 2, { dtype }))
    return { layer: serial(...(layers as [AnyLayer, ...AnyLayer[]])), inSize, outSize: 2, seed, batch }
  })

// The untyped view of a layer, for laws over layers of any parameter type.
const run = (layer: AnyLayer, params: unknown, x: Tensor, ctx?: ApplyContext): Tensor =>
  (layer.apply as (p: unknown) => (x: Tensor, ctx?: ApplyContext) => Tensor)(params)(x, ctx)
const input = (net: Net): Tensor => normal(key(net.seed + 1), [net.batch, net.inSize], { dtype })
const bits = (t: Tensor): number[] => toFlatArray(t)

/** Central differences of a scalar function of a tree, leaf by leaf, element by element (float64). */
const finiteDifferences = <T extends Tree>(f: (t: T) => Tensor, t: T, h = 1e-6): number[][] => {
  const xs = leaves(t)
  return xs.map((x, i) =>
    Array.from(x.data, (_, j) => {
      const at = (delta: number): number => {
        const d = Float64Array.from(x.data)
        d[j]! += delta
        return item(f(unflatten(t, xs.map((y, k) => (k === i ? fromData(x.shape, d) : y)))))
      }
      return (at(h) - at(-h)) / (2 * h)
    }),
  )
}

const expectGradClose = (got: ReadonlyArray<ReadonlyArray<number>>, want: ReadonlyArray<ReadonlyArray<number>>): void => {
  got.forEach((g, i) => g.forEach((v, j) => {
    const w = want[i]![j]!
    expect(Math.abs(v - w)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(w)))
  }))
}

describe('layer laws (src/nn/Layer.ts)', () => {
  it('1. init is pure: the same key gives bit-identical parameters', () => {
    fc.assert(fc.property(arbNet, (net) => {
      expect(leaves(net.layer.init(key(net.seed)) as Tree).map(bits)).toEqual(leaves(net.layer.init(key(net.seed)) as Tree).map(bits))
    }), { numRuns: 30 })
  })

  it('2. apply is pure: the same parameters, input and context give the same output', () => {
    fc.assert(fc.property(arbNet, (net) => {
      const p = net.layer.init(key(net.seed))
      const ctx: ApplyContext = { mode: 'train', key: key(net.seed + 2) }
      expect(bits(run(net.layer, p, input(net), ctx))).toEqual(bits(run(net.layer, p, input(net), ctx)))
    }), { numRuns: 30 })
  })

  it('3. init and apply agree on shapes: [batch, inSize] to [batch, outSize]', () => {
    fc.assert(fc.property(arbNet, (net) => {
      expect(net.layer.inSize).toBe(net.inSize)
      expect(net.layer.outSize).toBe(net.outSize)
      expect(run(net.layer, net.layer.init(key(net.seed)), input(net)).shape).toEqual([net.batch, net.outSize])
    }), { numRuns: 30 })
  })

  it('4. parameters are a frozen tree', () => {
    fc.assert(fc.property(arbNet, (net) => {
      const p = net.layer.init(key(net.seed))
      expect(Object.isFrozen(p)).toBe(true)
      expect(Array.isArray(p)).toBe(true)
      for (const q of p as ReadonlyArray<unknown>) expect(Object.isFrozen(q)).toBe(true)
      expect(leaves(p as Tree).every((t) => t.dtype === 'float64')).toBe(true)
    }), { numRuns: 20 })
  })

  it('5. with no context or in eval mode a network is deterministic and dropout is the identity', () => {
    fc.assert(fc.property(arbNet, (net) => {
      const p = net.layer.init(key(net.seed))
      const x = input(net)
      expect(bits(run(net.layer, p, x, { mode: 'eval' }))).toEqual(bits(run(net.layer, p, x)))
      const withoutDropout = (layer: AnyLayer): boolean => !layer.name.includes('dropout')
      if (withoutDropout(net.layer)) expect(bits(run(net.layer, p, x, { mode: 'train', key: key(1) }))).toEqual(bits(run(net.layer, p, x)))
    }), { numRuns: 20 })
  })
})

// Three consecutive pieces of a random network, for the composition laws.
const arbTriple = arbNet.map((net) => {
  const a = dense(net.inSize, 3, { dtype })
  const b = [tanh, relu, residual(dense(3, 3, { dtype })), dropout(0.5)][net.seed % 4]!
  const c = dense(3, net.batch + 1, { dtype })
  return { net, a, b, c }
})

describe('serial laws (src/nn/serial.ts)', () => {
  it('1. associativity: serial(serial(a, b), c) and serial(a, serial(b, c)) agree, params renested', () => {
    fc.assert(fc.property(arbTriple, ({ net, a, b, c }) => {
      const left = serial(serial(a, b), c)
      const right = serial(a, serial(b, c))
      const [[pa, pb], pc] = left.init(key(net.seed))
      const x = input(net)
      expect(bits(right.apply([pa, [pb, pc]])(x))).toEqual(bits(left.apply([[pa, pb], pc])(x)))
      expect(bits(right.apply([pa, [pb, pc]])(x, { mode: 'eval' }))).toEqual(bits(left.apply([[pa, pb], pc])(x, { mode: 'eval' })))
    }), { numRuns: 30 })
  })

  it('2. identity: serial(identity, a), serial(a, identity) and a agree', () => {
    fc.assert(fc.property(arbNet, (net) => {
      const p = net.layer.init(key(net.seed))
      const x = input(net)
      const want = bits(run(net.layer, p, x))
      expect(bits(run(serial(identity, net.layer), [{}, p], x))).toEqual(want)
      expect(bits(run(serial(net.layer, identity), [p, {}], x))).toEqual(want)
      expect(identity.apply({})(x)).toBe(x)
    }), { numRuns: 20 })
  })

  it('3. init splits the key: the same layer twice gets different parameters', () => {
    fc.assert(fc.property(fc.nat(), (seed) => {
      const [p0, p1] = serial(dense(3, 3), dense(3, 3)).init(key(seed))
      expect(bits(p0.w)).not.toEqual(bits(p1.w))
    }), { numRuns: 10 })
  })
})

describe('fanOut and parallel laws (src/nn/parallel.ts)', () => {
  it('1. fanOut(l) and parallel(l) compute l', () => {
    fc.assert(fc.property(arbNet, (net) => {
      const p = net.layer.init(key(net.seed))
      const x = input(net)
      const want = bits(run(net.layer, p, x))
      expect(bits(run(fanOut(net.layer), [p], x))).toEqual(want)
      expect(bits(run(parallel(net.layer), [p], x))).toEqual(want)
    }), { numRuns: 20 })
  })

  it('2. fanOut(identity, l) is x ↦ [x, l(x)]; 3. sizes add up', () => {
    fc.assert(fc.property(arbNet, (net) => {
      const f = fanOut(identity, net.layer)
      expect(f.outSize).toBe(net.inSize + net.outSize)
      const p = net.layer.init(key(net.seed))
      const x = input(net)
      expect(bits(run(f, [{}, p], x))).toEqual(bits(concat([x, run(net.layer, p, x)], 1)))
    }), { numRuns: 20 })
  })
})

describe('gradients of whole networks against central finite differences (float64)', () => {
  it('∇ params of mean(net(x)²), through dense, smooth activations, residual, fanOut, parallel and dropout', () => {
    fc.assert(fc.property(arbNet, (net) => {
      const x = input(net)
      // a fixed training key: dropout's mask is then a constant of the parameters
      const ctx: ApplyContext = { mode: 'train', key: key(net.seed + 3) }
      const loss = (p: Tree): Tensor => mean(square(run(net.layer, p, x, ctx)))
      const p = net.layer.init(key(net.seed)) as Tree
      expectGradClose(leaves(grad(loss)(p)).map(bits), finiteDifferences(loss, p))
    }), { numRuns: 25 })
  })

  it('∇ input of a network, through the same blocks', () => {
    fc.assert(fc.property(arbNet, (net) => {
      const p = net.layer.init(key(net.seed))
      const loss = (x: Tensor): Tensor => mean(square(run(net.layer, p, x)))
      const x = input(net)
      expectGradClose([bits(grad(loss)(x))], finiteDifferences(loss, x))
    }), { numRuns: 25 })
  })
})
