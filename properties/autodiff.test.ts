/**
 * The laws of the differentiation combinators (numbered in src/autodiff/transforms.ts) and the
 * invariants of nesting: higher-order derivatives, no perturbation confusion, interleaving,
 * trees as arguments, stopGradient, and dtypes.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { grad, hvp, jvp, valueAndGrad, vjp } from '../src/autodiff/index.js'
import * as C from '../src/check/index.js'
import * as purenet from '../src/index.js'
import * as ops from '../src/ops/index.js'
import { key, normal, split } from '../src/random/index.js'
import { type Tensor, ShapeError, item, scalar, tensor, toFlatArray } from '../src/tensor/index.js'
import { type Tree, dot, leaves, map, paths } from '../src/ops/treeNamespace.js'

const f64 = (x: number): Tensor => scalar(x, 'float64')
const num = fc.double({ min: -2, max: 2, noNaN: true })
const close = (a: number, b: number, tol = 1e-9): void => expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * (1 + Math.abs(b)))

// A smooth scalar function of a small parameter tree, with interactions between the leaves.
type Params = {
  readonly w: Tensor
  readonly layers: ReadonlyArray<{ readonly b: Tensor }>
}
const net = (x: Tensor) => (p: Params): Tensor => {
  let h = ops.tanh(ops.matmul(x, p.w))
  for (const { b } of p.layers) h = ops.sigmoid(ops.add(ops.mul(h, h), b))
  return ops.add(ops.sum(ops.logSumExp(h)), ops.mean(ops.square(p.w)))
}
const arbParams: fc.Arbitrary<{ readonly x: Tensor; readonly p: Params }> = fc.record({
  x: C.arbitraryTensor({ shape: [2, 3], dtype: 'float64' }),
  p: fc.record({
    w: C.arbitraryTensor({ shape: [3, 2], dtype: 'float64' }),
    layers: fc.array(fc.record({ b: C.arbitraryTensor({ shape: [2], dtype: 'float64' }) }), { minLength: 1, maxLength: 2 }),
  }),
})
const like = <T extends Tree>(t: T, seed: number): T => {
  const ks = split(key(seed), leaves(t).length)
  let i = 0
  return map(t, (l) => normal(ks[i++]!, l.shape, { dtype: l.dtype }))
}

describe('higher-order derivatives', () => {
  it('grad(grad(f)) of scalar functions matches the second derivative', () => {
    fc.assert(fc.property(num, (x) => {
      close(item(grad(grad((t: Tensor) => ops.sin(t)))(f64(x))), -Math.sin(x))
      close(item(grad(grad((t: Tensor) => ops.mul(ops.mul(t, t), t)))(f64(x))), 6 * x)
      close(item(grad(grad(grad((t: Tensor) => ops.exp(ops.mul(t, 2)))))(f64(x))), 8 * Math.exp(2 * x))
    }), { numRuns: 30 })
  })

  it('jvp of grad equals grad of grad, and is what hvp computes', () => {
    fc.assert(fc.property(num, (x) => {
      const f = (t: Tensor): Tensor => ops.mul(ops.tanh(t), ops.exp(t))
      const viaJvp = item(jvp(grad(f), f64(x), f64(1))[1])
      close(viaJvp, item(grad(grad(f))(f64(x))))
      close(item(hvp(f)(f64(x), f64(1))), viaJvp)
    }), { numRuns: 30 })
  })

  it('grad of jvp (reverse over forward) equals the Hessian too', () => {
    fc.assert(fc.property(arbParams, fc.nat(), ({ x, p }, seed) => {
      const f = net(x)
      const v = like(p, seed)
      const h = hvp(f)(p, v)
      // the gradient of q ↦ <∇f(q), v> computed as the gradient of a forward-mode derivative
      const rof = grad((q: Params) => jvp(f, q, v)[1])(p)
      leaves(h).forEach((t, i) => toFlatArray(t).forEach((a, j) => close(a, leaves(rof)[i]!.data[j]!, 1e-9)))
    }), { numRuns: 15 })
  })

  it('hvp is symmetric: <u, H v> = <H u, v>', () => {
    fc.assert(fc.property(arbParams, fc.nat(), ({ x, p }, seed) => {
      const f = net(x)
      const [u, v] = [like(p, seed), like(p, seed + 1)]
      close(item(dot(u, hvp(f)(p, v))), item(dot(hvp(f)(p, u), v)), 1e-9)
    }), { numRuns: 15 })
  })

  it('hvp and grad of a tree function match finite differences (check.checkGrad, check.checkHvp)', () => {
    fc.assert(fc.property(arbParams, fc.nat(), ({ x, p }, seed) => {
      const f = net(x)
      const g = C.checkGrad(f, p, { rtol: 1e-6, atol: 1e-8 })
      expect(g.ok, g.message).toBe(true)
      const h = C.checkHvp(f, p, { rtol: 1e-5, atol: 1e-7, key: key(seed) })
      expect(h.ok, h.message).toBe(true)
    }), { numRuns: 8 })
  })
})

describe('nesting without perturbation confusion', () => {
  it('d/dx [x · (d/dy (x + y))(1)] at 1 is 1 (Siskind and Pearlmutter)', () => {
    const inner = (x: Tensor): Tensor => grad((y: Tensor) => ops.add(x, y))(scalar(1))
    expect(item(grad((x: Tensor) => ops.mul(x, inner(x)))(scalar(1)))).toBe(1)
    // the same in forward mode, and forward over reverse
    expect(item(jvp((x: Tensor) => ops.mul(x, jvp((y: Tensor) => ops.add(x, y), scalar(1), scalar(1))[1]), scalar(1), scalar(1))[1])).toBe(1)
    expect(item(jvp((x: Tensor) => ops.mul(x, inner(x)), scalar(1), scalar(1))[1])).toBe(1)
  })

  it('an inner derivative that closes over the outer variable is a function of it', () => {
    fc.assert(fc.property(num, num, (a, b) => {
      // d/dx [d/dy (x·y²)](b) = d/dx 2xb = 2b
      const g = grad((x: Tensor) => grad((y: Tensor) => ops.mul(x, ops.square(y)))(f64(b)))(f64(a))
      close(item(g), 2 * b)
    }), { numRuns: 30 })
  })

  it('two gradient computations interleaved inside generators do not interfere', () => {
    // Each generator runs gradient descent on its own function, yielding after each step. The
    // pullback of one step is called only after the other generator has run in between, and one
    // generator is even advanced from inside the other's differentiated function.
    function* descent(f: (x: Tensor) => Tensor, x0: Tensor, steps: number): Generator<number, Tensor, void> {
      let x = x0
      for (let i = 0; i < steps; i++) {
        const [y, pullback] = vjp(f, x)
        yield item(y)
        x = ops.sub(x, ops.mul(pullback(scalar(1, 'float64')), 0.1))
      }
      return x
    }
    const f = (x: Tensor): Tensor => ops.sum(ops.square(ops.sub(x, 3)))
    const g = (x: Tensor): Tensor => ops.sum(ops.exp(ops.mul(x, 0.5)))
    const x0 = tensor([0, 1], { dtype: 'float64' })
    const alone = (h: (x: Tensor) => Tensor): number[] => [...descent(h, x0, 6)]
    const [ef, eg] = [alone(f), alone(g)]
    const a = descent(f, x0, 6)
    const b = descent(g, x0, 6)
    const ya: number[] = []
    const yb: number[] = []
    for (let i = 0; i < 6; i++) {
      // advance b from inside a's traced function, and a's next step outside
      const r = grad((x: Tensor) => {
        const s = b.next()
        if (!s.done) yb.push(s.value)
        return ops.sum(ops.mul(x, x))
      })(x0)
      expect(toFlatArray(r)).toEqual([0, 2])
      const s = a.next()
      if (!s.done) ya.push(s.value)
    }
    expect(ya).toEqual(ef)
    expect(yb).toEqual(eg)
  })
})

describe('errors', () => {
  it('grad of a non-scalar output throws an error that says so', () => {
    const x = tensor([1, 2, 3])
    expect(() => grad((t: Tensor) => ops.exp(t))(x)).toThrow(ShapeError)
    expect(() => grad((t: Tensor) => ops.exp(t))(x)).toThrow(/must return a scalar.*float32\[3\].*reduce it \(sum, mean\) or use vjp/)
    expect(() => valueAndGrad((t: Tensor) => ({ a: t }) as unknown as Tensor)(x)).toThrow(/scalar tensor, got a tree/)
  })
})

describe('trees as arguments', () => {
  it('gradients come back with the same structure, paths and shapes', () => {
    fc.assert(fc.property(C.arbitraryTree({ leaf: C.arbitraryTensor({ shape: C.arbitraryShape({ maxRank: 2, maxDim: 3 }), dtype: 'float64' }) }), (t) => {
      // f = Σ over leaves of sum(sin(leaf)), so ∇f = cos at every leaf
      const g = grad((p: Tree) => leaves(p).reduce((s, l) => ops.add(s, ops.sum(ops.sin(l))), scalar(0, 'float64')))(t)
      expect(paths(g)).toEqual(paths(t))
      leaves(g).forEach((l, i) => {
        const x = leaves(t)[i]!
        expect(l.shape).toEqual(x.shape)
        toFlatArray(l).forEach((v, j) => close(v, Math.cos(x.data[j]!)))
      })
    }), { numRuns: 30 })
  })

  it('jvp and vjp take trees in and give trees out', () => {
    const p = { a: tensor([1, 2], { dtype: 'float64' }), b: [tensor([3], { dtype: 'float64' })] }
    const f = (q: typeof p) => ({ s: ops.mul(q.a, q.b[0]!), t: [ops.sum(q.a)] })
    const [y, t] = jvp(f, p, { a: tensor([1, 0], { dtype: 'float64' }), b: [tensor([1], { dtype: 'float64' })] })
    expect(toFlatArray(y.s)).toEqual([3, 6])
    expect(toFlatArray(t.s)).toEqual([3 + 1, 2])
    expect(toFlatArray(t.t[0]!)).toEqual([1])
    const [, pullback] = vjp(f, p)
    const g = pullback({ s: tensor([1, 1], { dtype: 'float64' }), t: [scalar(2, 'float64')] })
    expect(toFlatArray(g.a)).toEqual([3 + 2, 3 + 2])
    expect(toFlatArray(g.b[0]!)).toEqual([3])
  })
})

describe('stopGradient', () => {
  it('blocks derivatives at every level and in both modes', () => {
    fc.assert(fc.property(num, (x) => {
      const f = (t: Tensor): Tensor => ops.mul(t, purenet.stopGradient(ops.square(t)))
      close(item(grad(f)(f64(x))), x * x)
      close(item(jvp(f, f64(x), f64(1))[1]), x * x)
      close(item(grad(grad(f))(f64(x))), 0)
      expect(item(f(f64(x)))).toBe(x * x * x)
    }), { numRuns: 20 })
  })
})

describe('dtypes', () => {
  it('gradients keep the dtype of each input, also when float32 and float64 mix', () => {
    const p = { a: tensor([[1, 2]]), b: tensor([[3], [4]], { dtype: 'float64' }), c: tensor([0.5]) }
    const g = grad((q: typeof p) => ops.sum(ops.concat([ops.reshape(ops.matmul(q.a, q.b), [1]), ops.reshape(ops.mul(q.c, q.b), [-1])], 0)))(p)
    expect([g.a.dtype, g.b.dtype, g.c.dtype]).toEqual(['float32', 'float64', 'float32'])
    expect(toFlatArray(g.a)).toEqual([3, 4])
  })

  it('float32 stays float32 and float64 stays float64 through grad, jvp and hvp', () => {
    fc.assert(fc.property(fc.constantFrom('float32' as const, 'float64' as const), C.arbitraryShape({ maxRank: 2, maxDim: 3 }), (dtype, shape) => {
      const x = normal(key(1), shape, { dtype })
      const f = (t: Tensor): Tensor => ops.sum(ops.mul(ops.tanh(t), ops.cast(t, 'float64')))
      expect(grad(f)(x).dtype).toBe(dtype)
      expect(hvp(f)(x, x).dtype).toBe(dtype)
      const [y, t] = jvp((u: Tensor) => ops.sigmoid(u), x, x)
      expect([y.dtype, t.dtype]).toEqual([dtype, dtype])
    }), { numRuns: 10 })
  })
})
