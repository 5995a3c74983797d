import { describe, expect, it } from 'vitest'
import { valueAndGrad } from '../autodiff/index.js'
import * as losses from '../losses/index.js'
import * as nn from '../nn/index.js'
import { parallel } from '../parallelNode.js'
import { jit } from '../stage/index.js'
import { key, normal } from '../random/index.js'
import type { Tensor } from '../tensor/index.js'
import { type Tree, leaves } from '../tree/index.js'
import { dataParallel } from './index.js'
import { dataset } from '../data/index.js'
import * as optim from '../optim/index.js'
import { fit } from '../train/index.js'

const net = nn.serial(nn.dense(12, 16), nn.relu, nn.dense(16, 3))
const params = net.init(key(0))
type P = typeof params
const lossAndGrad = (p: P, x: Tensor, y: Tensor) => valueAndGrad((q: P) => losses.mse(net.apply(q)(x), y))(p)
const batched = [false, true, true] as const
const x = (n: number) => normal(key(1), [n, 12])
const y = (n: number) => normal(key(2), [n, 3])

const maxRelative = (a: Tree, b: Tree): number => {
  const xs = leaves(a), ys = leaves(b)
  expect(xs.length).toBe(ys.length)
  let worst = 0
  xs.forEach((t, i) => t.data.forEach((v, j) => {
    const w = ys[i]!.data[j]!
    worst = Math.max(worst, Math.abs(v - w) / Math.max(1e-3, Math.abs(w)))
  }))
  return worst
}
const same = (a: Tree, b: Tree): boolean => {
  const xs = leaves(a), ys = leaves(b)
  return xs.length === ys.length && xs.every((t, i) => t.data.every((v, j) => Object.is(v, ys[i]!.data[j])))
}

describe('parallel and dataParallel', () => {
  it('two threads agree with one within float32 rounding, even and odd batches, and are deterministic', async () => {
    const pool = await parallel({ workers: 2 })
    try {
      expect(pool.workers).toBe(2)
      const split = dataParallel(pool, lossAndGrad, { batched })
      for (const n of [10, 9]) {
        const want = jit(lossAndGrad)(params, x(n), y(n))
        const got = split(params, x(n), y(n))
        expect(maxRelative(got, want)).toBeLessThan(1e-5)
        expect(maxRelative(got, want)).toBeGreaterThanOrEqual(0)
        expect(same(split(params, x(n), y(n)), got)).toBe(true)
      }
      // a batch of one has nothing to split: it runs here
      expect(same(split(params, x(1), y(1)), jit(lossAndGrad)(params, x(1), y(1)))).toBe(true)
    } finally {
      await pool.close()
    }
    expect(pool.closed()).toBe(true)
  }, 120_000)

  it('a pool of one thread is jit, bit for bit; bad options and a closed pool are clear errors', async () => {
    const one = await parallel({ workers: 1 })
    try {
      expect(same(dataParallel(one, lossAndGrad, { batched })(params, x(8), y(8)), jit(lossAndGrad)(params, x(8), y(8)))).toBe(true)
      expect(() => dataParallel(one, lossAndGrad, { batched: [false, true] })(params, x(8), y(8))).toThrow(/options.batched has 2 entries/)
    } finally {
      await one.close()
    }
    await expect(parallel({ workers: 0 })).rejects.toThrow(/workers must be a whole number >= 1/)
    const pool = await parallel({ workers: 2 })
    await pool.close()
    expect(() => dataParallel(pool, lossAndGrad, { batched })(params, x(8), y(8))).toThrow(/this pool is closed/)
  }, 120_000)
})

describe('train.fit with a pool', () => {
  it('trains to the same parameters within float32 rounding as without, SGD and Adam', async () => {
    const data = dataset(x(40), y(40))
    const pool = await parallel({ workers: 2 })
    try {
      for (const optimizer of [optim.sgd(0.05), optim.adam(0.01)] as ReadonlyArray<optim.Optimizer>) {
        const run = (p?: typeof pool) => fit({ net, loss: losses.mse, optimizer, data, epochs: 2, batchSize: 16, key: key(0), ...(p === undefined ? {} : { pool: p }) })
        const a = run(pool)
        const b = run()
        expect(maxRelative(a.state.params, b.state.params)).toBeLessThan(1e-4)
        a.history.loss.forEach((l, i) => expect(Math.abs(l - b.history.loss[i]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(b.history.loss[i]!))))
        expect(same(run(pool).state.params, a.state.params)).toBe(true)
      }
    } finally {
      await pool.close()
    }
  }, 120_000)
})
