/**
 * The laws of `jit` (src/stage/jit.ts), for every primitive of the table and for random
 * programs of them, in float32 and float64:
 * 1. values: `jit(f)(...xs)` equals `f(...xs)` bit for bit;
 * 2. derivatives: `jit(grad(f))`, `grad(jit(f))` and `jit` of a `jvp` equal the eager ones bit
 *    for bit;
 * 3. caching: a signature compiles once; a new shape, dtype or structure compiles again;
 * 4. errors: reading data inside `jit` and arguments that are not trees of tensors are named.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { grad, jvp, vmap } from '../src/autodiff/index.js'
import * as P from '../src/autodiff/primitives/index.js'
import { primitives } from '../src/autodiff/primitives/table.js'
import * as C from '../src/check/index.js'
import { vdot } from '../src/ops/composites.js'
import { key, normal } from '../src/random/index.js'
import { jit } from '../src/index.js'
import { softmaxCrossEntropy } from '../src/losses/index.js'
import { type DType, type Shape, type Tensor, broadcastShapes, item, patchGeometry, sizeOf, tensor } from '../src/tensor/index.js'
import { type Tree, leaves } from '../src/tree/index.js'

interface Case {
  readonly args: ReadonlyArray<Tensor>
  readonly call: (xs: ReadonlyArray<Tensor>) => Tensor
  readonly differentiable: boolean
}

type Draw = Omit<C.TensorConstraints, 'shape' | 'dtype'>

const drawn = (shapes: ReadonlyArray<Shape>, dtype: DType, c: Draw = {}): fc.Arbitrary<Tensor[]> =>
  C.arbitraryValues(shapes.reduce((n, s) => n + sizeOf(s), 0), c).map((vs) => {
    let at = 0
    return shapes.map((s) => {
      const n = sizeOf(s)
      at += n
      return tensor(vs.slice(at - n, at), { shape: s, dtype })
    })
  })

// Shapes of every size up to a few thousand elements, so that large float32 maps (which the
// eager kernels send to WebAssembly) are covered too.
const small = fc.oneof(C.arbitraryShape({ maxRank: 2, maxDim: 4 }), fc.constantFrom<Shape>([40, 40], [3, 700]))
const rows = C.arbitraryShape({ minRank: 1, maxRank: 3, maxDim: 4 })
const pairs = C.arbitraryBroadcastPair({ maxRank: 3, maxDim: 4 })

type Law = (dtype: DType) => fc.Arbitrary<Case>

const unary = (op: (x: Tensor) => Tensor, draw: Draw = {}, differentiable = true): Law => (dtype) =>
  small.chain((s) => drawn([s], dtype, draw)).map((args) => ({ args, call: ([x]) => op(x!), differentiable }))

const binary = (op: (a: Tensor, b: Tensor) => Tensor, drawB: Draw = {}, differentiable = true): Law => (dtype) =>
  pairs.chain(([a, b]) => fc.tuple(drawn([a], dtype), drawn([b], dtype, drawB)).map(([x, y]) => [...x, ...y]))
    .map((args) => ({ args, call: ([a, b]) => op(a!, b!), differentiable }))

const sameShape = (op: (a: Tensor, b: Tensor) => Tensor, drawB: Draw = {}): Law => (dtype) =>
  small.chain((s) => fc.tuple(drawn([s], dtype), drawn([s], dtype, drawB)).map(([x, y]) => [...x, ...y]))
    .map((args) => ({ args, call: ([a, b]) => op(a!, b!), differentiable: true }))

const reduction = (op: (x: Tensor, axes?: number | ReadonlyArray<number>, keepDims?: boolean) => Tensor, draw: Draw = {}): Law => (dtype) =>
  C.arbitraryShape({ minRank: 1, maxRank: 3, maxDim: 4 }).chain((s) =>
    fc.tuple(drawn([s], dtype, draw), fc.subarray(s.map((_, i) => i), { minLength: 1 }), fc.boolean()))
    .map(([args, axes, keep]) => ({ args, call: ([x]) => op(x!, axes, keep), differentiable: true }))

const rowwise = (op: (x: Tensor) => Tensor): Law => (dtype) =>
  rows.chain((s) => drawn([s], dtype, { min: -3, max: 3 })).map((args) => ({ args, call: ([x]) => op(x!), differentiable: true }))

// Window ops on small NHWC images ('same' padding, stride [2, 1], 2x2 windows); gather/scatterAdd
// with constant indices (whole numbers the traced function closes over).
const imageShape = fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 }))
const windowOptions = { padding: 'same', stride: [2, 1] } as const
const picks = fc.array(fc.nat(), { minLength: 1, maxLength: 4 })

// every primitive (type-checked), plus composites whose staging once failed
const laws: Record<keyof typeof primitives, Law> & Record<string, Law> = {
  abs: unary(P.abs, { domain: 'nonzero' }),
  add: binary(P.add),
  atan: unary(P.atan),
  broadcastTo: (dtype) => pairs.chain(([a, b]) => drawn([a], dtype).map((args) => ({ args, call: ([x]: ReadonlyArray<Tensor>) => P.broadcastTo(x!, broadcastShapes('test', a, b)), differentiable: true }))),
  cast: (dtype) => unary((x) => P.cast(x, dtype === 'float32' ? 'float64' : 'float32'))(dtype),
  concat: (dtype) => rows.chain((s) => fc.integer({ min: 0, max: s.length - 1 }).chain((axis) =>
    drawn([s, s.map((d, i) => (i === axis ? d + 1 : d))], dtype).map((args) => ({ args, call: (xs: ReadonlyArray<Tensor>) => P.concat(xs, axis), differentiable: true })))),
  conv2d: (dtype) => fc.tuple(imageShape, fc.integer({ min: 1, max: 2 })).chain(([x, o]) => drawn([x, [2, 2, x[3], o]], dtype))
    .map((args) => ({ args, call: ([x, w]: ReadonlyArray<Tensor>) => P.conv2d(x!, w!, windowOptions), differentiable: true })),
  conv2dBackpropInput: (dtype) => fc.tuple(imageShape, fc.integer({ min: 1, max: 2 })).chain(([x, o]) => {
    const g = patchGeometry('test', x, [2, 2], windowOptions)
    return drawn([[x[0], g.outH, g.outW, o], [2, 2, x[3], o]], dtype).map((args) => ({ args, call: ([d, w]: ReadonlyArray<Tensor>) => primitives.conv2dBackpropInput(d!, w!, g), differentiable: true }))
  }),
  conv2dBackpropFilter: (dtype) => fc.tuple(imageShape, fc.integer({ min: 1, max: 2 })).chain(([x, o]) => {
    const g = patchGeometry('test', x, [2, 2], windowOptions)
    return drawn([x, [x[0], g.outH, g.outW, o]], dtype).map((args) => ({ args, call: ([a, d]: ReadonlyArray<Tensor>) => primitives.conv2dBackpropFilter(a!, d!, g), differentiable: true }))
  }),
  cos: unary(P.cos),
  div: binary(P.div, { domain: 'nonzero', gap: 0.3 }),
  equal: binary(P.equal, {}, false),
  exp: unary(P.exp, { min: -5, max: 5 }),
  extractPatches: (dtype) => imageShape.chain((x) => drawn([x], dtype))
    .map((args) => ({ args, call: ([x]: ReadonlyArray<Tensor>) => P.extractPatches(x!, 2, windowOptions), differentiable: true })),
  foldPatches: (dtype) => imageShape.chain(([n, h, w, c]) => drawn([[n, Math.ceil(h / 2), w, 2, 2, c]], dtype)
    .map((args) => ({ args, call: ([p]: ReadonlyArray<Tensor>) => P.foldPatches(p!, [n, h, w, c], windowOptions), differentiable: true }))),
  gather: (dtype) => fc.tuple(fc.integer({ min: 1, max: 3 }), picks).chain(([rows, is]) => drawn([[rows, 2]], dtype)
    .map((args) => ({ args, call: ([x]: ReadonlyArray<Tensor>) => P.gather(x!, tensor(is.map((i) => i % rows))), differentiable: true }))),
  greater: binary(P.greater, {}, false),
  log: unary(P.log, { domain: 'positive' }),
  logSoftmax: rowwise((x) => P.logSoftmax(x)),
  logSumExp: rowwise((x) => P.logSumExp(x)),
  batchedMatmul: (dtype) => fc.tuple(C.arbitraryMatmulShapes({ maxDim: 4 }), fc.integer({ min: 1, max: 3 })).chain(([{ a, b, transposeA, transposeB }, n]) =>
    drawn([[n, ...a], [n, ...b]], dtype).map((args) => ({ args, call: ([x, y]: ReadonlyArray<Tensor>) => P.batchedMatmul(x!, y!, { transposeA, transposeB }), differentiable: true }))),
  matmul: (dtype) => fc.oneof(C.arbitraryMatmulShapes({ maxDim: 5 }), fc.constant({ a: [33, 70], b: [70, 17], transposeA: false, transposeB: false })).chain(({ a, b, transposeA, transposeB }) =>
    drawn([a, b], dtype).map((args) => ({ args, call: ([x, y]: ReadonlyArray<Tensor>) => P.matmul(x!, y!, { transposeA, transposeB }), differentiable: true }))),
  max: reduction(P.max, { domain: 'separated' }),
  maxPool: (dtype) => imageShape.chain((x) => drawn([x], dtype, { domain: 'separated' }))
    .map((args) => ({ args, call: ([x]: ReadonlyArray<Tensor>) => primitives.maxPool(x!, patchGeometry('test', x!.shape, [2, 2], windowOptions)), differentiable: true })),
  maxPoolBackward: (dtype) => imageShape.chain((x) => {
    const g = patchGeometry('test', x, [2, 2], windowOptions)
    return fc.tuple(drawn([x], dtype, { domain: 'separated' }), drawn([[x[0], g.outH, g.outW, x[3]]], dtype))
      .map(([[a], [d]]) => ({ args: [a!, d!], call: ([u, v]: ReadonlyArray<Tensor>) => primitives.maxPoolBackward(u!, v!, g), differentiable: true }))
  }),
  maximum: binary(P.maximum),
  mul: binary(P.mul),
  pad: (dtype) => rows.chain((s) => drawn([s], dtype).map((args) => ({ args, call: ([x]: ReadonlyArray<Tensor>) => P.pad(x!, s.map(() => 1), s.map((d) => d + 2)), differentiable: true }))),
  pow: (dtype) => small.chain((s) => fc.tuple(drawn([s], dtype, { domain: 'positive' }), fc.constantFrom(2, 3, 1, 0.5, -1, -1.5)))
    .map(([args, p]) => ({ args, call: ([x]: ReadonlyArray<Tensor>) => P.pow(x!, p), differentiable: true })),
  relu: unary(P.relu, { domain: 'nonzero' }),
  reluBackward: sameShape(primitives.reluBackward, { domain: 'nonzero' }),
  reshape: (dtype) => small.chain((s) => drawn([s], dtype).map((args) => ({ args, call: ([x]: ReadonlyArray<Tensor>) => P.exp(P.reshape(P.mul(x!, 2), [-1])), differentiable: true }))),
  scatterAdd: (dtype) => fc.tuple(fc.integer({ min: 1, max: 3 }), picks).chain(([size, is]) => drawn([[is.length, 2]], dtype)
    .map((args) => ({ args, call: ([u]: ReadonlyArray<Tensor>) => P.scatterAdd(u!, tensor(is.map((i) => i % size)), size), differentiable: true }))),
  sigmoid: unary(P.sigmoid, { min: -30, max: 30 }),
  sigmoidBackward: sameShape(primitives.sigmoidBackward),
  sign: unary(P.sign, {}, false),
  sin: unary(P.sin),
  slice: (dtype) => rows.chain((s) => drawn([s], dtype).map((args) => ({ args, call: ([x]: ReadonlyArray<Tensor>) => P.slice(x!, s.map((d) => (d > 1 ? 1 : 0)), s.map(() => -1)), differentiable: true }))),
  softmax: rowwise((x) => P.softmax(x)),
  softplus: unary(P.softplus, { min: -30, max: 30 }),
  sqrt: unary(P.sqrt, { domain: 'positive' }),
  square: unary(P.square),
  stopGradient: unary((x) => P.add(P.stopGradient(x), x)),
  sub: binary(P.sub),
  sum: reduction(P.sum),
  tanh: unary(P.tanh, { min: -10, max: 10 }),
  tanhBackward: sameShape(primitives.tanhBackward),
  transpose: (dtype) => C.arbitraryShape({ maxRank: 3, maxDim: 4 }).chain((s) => drawn([s], dtype).map((args) => ({ args, call: ([x]: ReadonlyArray<Tensor>) => P.transpose(x!), differentiable: true }))),
  where: (dtype) => C.arbitraryBroadcastShapes({ count: 3, maxRank: 2, maxDim: 3 }).chain(([sc, sa, sb]) =>
    fc.tuple(fc.array(fc.boolean(), { minLength: sizeOf(sc!), maxLength: sizeOf(sc!) }), drawn([sa!, sb!], dtype)).map(([bits, args]) => {
      const c = tensor(bits.map(Number), { shape: sc!, dtype })
      return { args, call: ([a, b]: ReadonlyArray<Tensor>) => P.where(c, a!, b!), differentiable: true }
    })),
  // class indices as an argument: their one-hot rows are built by ops, so they stage
  'softmaxCrossEntropy (class indices)': (dtype) => fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 2, max: 5 })).chain(([n, k]) =>
    fc.tuple(drawn([[n, k]], dtype), fc.array(fc.nat({ max: k - 1 }), { minLength: n, maxLength: n })).map(([[z], is]) => ({
      args: [z!, tensor(is, { dtype })], call: ([l, t]: ReadonlyArray<Tensor>) => softmaxCrossEntropy(l!, t!), differentiable: true,
    }))),
}

// Bit-for-bit equality of two trees of tensors (NaN equal to NaN, 0 and -0 told apart).
const same = (a: Tree, b: Tree): boolean => {
  const xs = leaves(a), ys = leaves(b)
  return xs.length === ys.length && xs.every((x, i) => {
    const y = ys[i]!
    return x.dtype === y.dtype && x.shape.join() === y.shape.join() && x.data.every((v, j) => Object.is(v, y.data[j]))
  })
}

const RUNS = 8

describe.each(Object.entries(laws))('jit of %s', (_name, law) => {
  it.each(['float32', 'float64'] as const)('1-2. values, grad and jvp equal the eager ones bit for bit (%s)', (dtype) => {
    fc.assert(fc.property(law(dtype), fc.nat(), (c, seed) => {
      const f = (xs: ReadonlyArray<Tensor>): Tensor => c.call(xs)
      const jf = jit(f)
      expect(same(jf(c.args), f(c.args))).toBe(true)
      expect(same(jf(c.args), f(c.args))).toBe(true)
      if (!c.differentiable) return
      const y = f(c.args)
      const u = normal(key(seed), y.shape, { dtype: y.dtype })
      const g = (xs: ReadonlyArray<Tensor>): Tensor => vdot(u, f(xs))
      expect(same(jit(grad(g))(c.args), grad(g)(c.args))).toBe(true)
      expect(same(grad((xs: ReadonlyArray<Tensor>) => vdot(u, jf(xs)))(c.args), grad(g)(c.args))).toBe(true)
      const ts = c.args.map((a, i) => normal(key(seed + i + 1), a.shape, { dtype: a.dtype }))
      expect(same(jit((xs: ReadonlyArray<Tensor>, vs: ReadonlyArray<Tensor>) => jvp(f, xs, vs))(c.args, ts), jvp(f, c.args, ts))).toBe(true)
    }), { numRuns: RUNS })
  })
})

// Random programs: chains of element-wise ops, matmuls and reductions over a pool of values,
// so that fusion, views and buffer reuse meet each other.
const OPS: ReadonlyArray<(a: Tensor, b: Tensor) => Tensor> = [
  (a, b) => P.add(a, b), (a, b) => P.mul(a, b), (a, b) => P.sub(a, P.tanh(b)), (a) => P.exp(P.mul(a, 0.5)),
  (a) => P.sigmoid(a), (a) => P.relu(a), (a, b) => P.div(a, P.add(P.square(b), 1)), (a) => P.tanh(a),
  (a, b) => P.maximum(a, b), (a) => P.mul(P.sum(a, 1, true), a), (a) => P.add(a, P.sum(a, 0)), (a) => P.softmax(a),
]

const programCases = (dtype: DType): fc.Arbitrary<{ readonly args: Tensor[]; readonly ops: number[]; readonly mm: boolean }> =>
  fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 6 }), fc.array(fc.nat(OPS.length - 1), { minLength: 1, maxLength: 8 }), fc.boolean())
    .chain(([r, k, ops, mm]) => drawn([[r, k], [k, k], [k]], dtype).map((args) => ({ args, ops, mm })))

describe('jit of random programs', () => {
  it.each(['float32', 'float64'] as const)('1-2. equal the eager program and its gradient bit for bit (%s)', (dtype) => {
    fc.assert(fc.property(programCases(dtype), ({ args, ops, mm }) => {
      const f = ([x, w, b]: ReadonlyArray<Tensor>): Tensor => {
        let h = mm ? P.add(P.matmul(x!, w!), b!) : P.add(x!, P.sum(w!, 0))
        const pool = [h, x!]
        for (const o of ops) {
          h = OPS[o]!(h, pool[pool.length - 2]!)
          pool.push(h)
        }
        return P.sum(P.mul(h, h))
      }
      expect(same(jit(f)(args), f(args))).toBe(true)
      expect(same(jit(grad(f))(args), grad(f)(args))).toBe(true)
    }), { numRuns: 20 })
  })
})

describe('jit', () => {
  const x = tensor([[1, 2], [3, 4]])

  it('1. keeps special values (NaN, ±Infinity, -0, saturation) as the eager kernels do, on large float32 arrays', () => {
    const specials = [NaN, Infinity, -Infinity, -0, 0, 8, -8, 100, -100, 1e-30, 0.5, -0.5]
    const big = tensor(Array.from({ length: 40 * 40 }, (_, i) => specials[i % specials.length]! * (1 + (i % 7) / 10)), { shape: [40, 40] })
    const row = tensor(Array.from({ length: 40 }, (_, i) => specials[(i * 5) % specials.length]!), { shape: [40] })
    const f = ([a, r]: ReadonlyArray<Tensor>): Tensor[] => [
      P.relu(a!), P.tanh(a!), P.exp(a!), P.sigmoid(a!), P.add(a!, r!), P.mul(r!, a!),
      primitives.reluBackward(P.tanh(P.mul(a!, 3)), a!), primitives.tanhBackward(a!, P.tanh(a!)), primitives.sigmoidBackward(a!, P.sigmoid(a!)),
      P.sum(a!, 0), P.sum(a!, 1), P.max(a!, 0),
    ]
    const g = ([a, r]: ReadonlyArray<Tensor>): Tensor[] => f([a!, P.broadcastTo(r!, [40, 40])])
    expect(same(jit(f)([big, row]), f([big, row]))).toBe(true)
    expect(same(jit(g)([big, row]), g([big, row]))).toBe(true)
  })

  it('3. compiles once per signature: shapes, dtypes and structures', () => {
    let traced = 0
    const f = jit((a: Tensor, b: { readonly y: Tensor }) => { traced++; return P.add(P.mul(a, b.y), 1) })
    f(x, { y: x })
    f(x, { y: x })
    expect(f.stats()).toEqual({ compiles: 1, calls: 2 })
    f(tensor([1, 2, 3]), { y: tensor([1, 2, 3]) })
    f(tensor([[1, 2], [3, 4]], { dtype: 'float64' }), { y: x })
    expect(f.stats().compiles).toBe(3)
    f(x, { y: x })
    expect(f.stats()).toEqual({ compiles: 3, calls: 5 })
    expect(traced).toBe(3)
  })

  it('2. under grad, jit is the function itself (no compile, no run)', () => {
    const f = jit((a: Tensor) => P.sum(P.tanh(a)))
    const g = grad(f)(x)
    expect(same(g, grad((a: Tensor) => P.sum(P.tanh(a)))(x))).toBe(true)
    expect(f.stats()).toEqual({ compiles: 0, calls: 0 })
  })

  it('2. composes with vmap both ways: vmap(jit(f)) and jit(vmap(f)) equal vmap(f) bit for bit', () => {
    const w = normal(key(3), [3, 4])
    const f = (a: Tensor): Tensor => P.sum(P.tanh(P.matmul(P.reshape(a, [1, 3]), w)))
    const xs = normal(key(4), [5, 3])
    const jf = jit(f)
    expect(same(vmap(jf)(xs), vmap(f)(xs))).toBe(true)
    expect(jf.stats().compiles).toBe(0)
    expect(same(jit(vmap(f))(xs), vmap(f)(xs))).toBe(true)
    expect(same(jit(vmap(grad(f)))(xs), vmap(grad(f))(xs))).toBe(true)
  })

  it('4. reading data inside jit is an error that names the read', () => {
    const f = jit((a: Tensor) => (item(P.sum(a)) > 0 ? a : P.mul(a, -1)))
    expect(() => f(x)).toThrow(/while tracing/)
  })

  it('4. arguments must be trees of tensors, and numbers among them (point 5) are not read by the program', () => {
    const f = jit((a: Tensor, s: Tensor) => P.mul(a, s))
    // @ts-expect-error a number is not a tensor
    expect(() => f(x, 3)).toThrow(/jit: the number argument \[1\] was read.*scalar\(x\)/)
    // @ts-expect-error a string is not a tree
    expect(() => f(x, 'a')).toThrow(/jit \(arguments\).*\[1\].*trees of tensors.*scalar/)
  })
})
