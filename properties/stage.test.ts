/**
 * The laws of staging (src/stage/index.ts), for every primitive of the table and for random
 * compositions of them, in float32 and float64:
 * 1. round trip: `evaluate(trace(f)(...xs))(...xs)` equals `f(...xs)` bit for bit;
 * 2. derivatives: `grad` (of <u, f>) and `jvp` of the evaluated program equal those of `f`, bit
 *    for bit (the same primitives are bound in the same order);
 * 3. through transformations: `trace(grad(g))`, `trace(jvp)` and `trace(hvp(g))` evaluate to what
 *    the transformation computes eagerly;
 * 4. re-tracing: `trace(evaluate(p))` prints as `p` does;
 * 5. dead code: `removeDeadCode(p)` evaluates to `p`'s outputs.
 *
 * The cases of each primitive are drawn here (exact equality needs no smooth domain, only valid
 * arguments); the table must cover every key of `primitives` (the type checker insists), so a
 * new primitive needs its line here as in properties/primitives.test.ts.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { grad, hvp, jvp } from '../src/autodiff/index.js'
import * as P from '../src/autodiff/primitives/index.js'
import { primitives } from '../src/autodiff/primitives/table.js'
import * as C from '../src/check/index.js'
import { vdot } from '../src/ops/composites.js'
import { softmaxCrossEntropy } from '../src/losses/index.js'
import { key, normal } from '../src/random/index.js'
import { evaluate, removeDeadCode, show, trace } from '../src/stage/index.js'
import { type DType, type Shape, type Tensor, broadcastShapes, describe as describeTensor, patchGeometry, sizeOf, tensor } from '../src/tensor/index.js'
import { type Tree, leaves } from '../src/tree/index.js'

interface Case {
  readonly label: string
  readonly args: ReadonlyArray<Tensor>
  readonly call: (xs: ReadonlyArray<Tensor>) => Tensor
  readonly [fc.toStringMethod]?: () => string
}

const makeCase = (label: string, args: ReadonlyArray<Tensor>, call: Case['call']): Case => ({
  label, args, call, [fc.toStringMethod]: () => `${label}(${args.map(describeTensor).join(', ')})`,
})

const dtypes = fc.constantFrom<DType>('float32', 'float64')

// Tensors of the given shapes in one dtype, values from a domain.
const drawn = (shapes: ReadonlyArray<Shape>, dtype: DType, domain: C.TensorConstraints['domain'] = 'real'): fc.Arbitrary<Tensor[]> =>
  fc.tuple(...shapes.map((shape) => C.arbitraryTensor({ shape, dtype, domain }))).map((xs) => [...xs])

const small = C.arbitraryShape({ maxRank: 2, maxDim: 3 })
const rows = C.arbitraryShape({ minRank: 1, maxRank: 3, maxDim: 3 })
const pairs = C.arbitraryBroadcastPair({ maxRank: 3, maxDim: 3 })

const unary = (name: string, op: (x: Tensor) => Tensor, domain: C.TensorConstraints['domain'] = 'real'): fc.Arbitrary<Case> =>
  fc.tuple(small, dtypes).chain(([s, d]) => drawn([s], d, domain)).map((xs) => makeCase(name, xs, ([x]) => op(x!)))

const binary = (name: string, op: (a: Tensor, b: Tensor) => Tensor, domainB: C.TensorConstraints['domain'] = 'real'): fc.Arbitrary<Case> =>
  fc.tuple(pairs, dtypes)
    .chain(([[sa, sb], d]) => fc.tuple(drawn([sa], d), drawn([sb], d, domainB)).map(([a, b]) => [...a, ...b]))
    .map((xs) => makeCase(name, xs, ([a, b]) => op(a!, b!)))

const sameShape = (name: string, op: (a: Tensor, b: Tensor) => Tensor): fc.Arbitrary<Case> =>
  fc.tuple(small, dtypes).chain(([s, d]) => drawn([s, s], d)).map((xs) => makeCase(name, xs, ([a, b]) => op(a!, b!)))

const axesOf = (rank: number): fc.Arbitrary<number | ReadonlyArray<number> | undefined> =>
  rank === 0 ? fc.constant(undefined) : fc.oneof(fc.constant(undefined), fc.integer({ min: -rank, max: rank - 1 }), fc.subarray(Array.from({ length: rank }, (_, i) => i)))

const reduction = (name: string, op: (x: Tensor, axes?: number | ReadonlyArray<number>, keepDims?: boolean) => Tensor): fc.Arbitrary<Case> =>
  fc.tuple(C.arbitraryShape({ maxRank: 3, maxDim: 3 }), dtypes)
    .chain(([s, d]) => fc.tuple(drawn([s], d, 'separated'), axesOf(s.length), fc.boolean()))
    .map(([xs, axes, keep]) => makeCase(`${name}[${JSON.stringify(axes)}, ${keep}]`, xs, ([x]) => op(x!, axes, keep)))

const row = (name: string, op: (x: Tensor) => Tensor): fc.Arbitrary<Case> =>
  fc.tuple(rows, dtypes).chain(([s, d]) => drawn([s], d)).map((xs) => makeCase(name, xs, ([x]) => op(x!)))

// Window ops on small NHWC images ('same' padding, stride [2, 1], 2x2 windows); gather/scatterAdd
// with constant indices (whole numbers, recorded as constants of the program).
const imageShape = fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 }))
const windowOptions = { padding: 'same', stride: [2, 1] } as const
const picks = fc.array(fc.nat(), { minLength: 1, maxLength: 4 })

/** Every primitive's calls; the keys must be exactly the table's. */
const cases = {
  abs: unary('abs', P.abs),
  add: binary('add', P.add),
  atan: unary('atan', P.atan),
  broadcastTo: fc.tuple(pairs, dtypes).chain(([[a, b], d]) => drawn([a], d).map((xs) => makeCase(`broadcastTo[${broadcastShapes('test', a, b)}]`, xs, ([x]) => P.broadcastTo(x!, broadcastShapes('test', a, b))))),
  cast: unary('cast', (x) => P.cast(x, x.dtype === 'float32' ? 'float64' : 'float32')),
  concat: fc.tuple(rows, dtypes).chain(([s, d]) =>
    fc.tuple(fc.integer({ min: 0, max: s.length - 1 }), fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }))
      .chain(([axis, sizes]) => drawn(sizes.map((n) => s.map((e, i) => (i === axis ? n : e))), d).map((xs) => makeCase(`concat[${axis}]`, xs, (ys) => P.concat(ys, axis))))),
  conv2d: fc.tuple(imageShape, fc.integer({ min: 1, max: 2 }), dtypes).chain(([s, o, d]) => drawn([s, [2, 2, s[3], o]], d))
    .map((xs) => makeCase('conv2d', xs, ([x, w]) => P.conv2d(x!, w!, windowOptions))),
  conv2dBackpropInput: fc.tuple(imageShape, fc.integer({ min: 1, max: 2 }), dtypes).chain(([s, o, d]) => {
    const g = patchGeometry('test', s, [2, 2], windowOptions)
    return drawn([[s[0], g.outH, g.outW, o], [2, 2, s[3], o]], d).map((xs) => makeCase('conv2dBackpropInput', xs, ([c, w]) => primitives.conv2dBackpropInput(c!, w!, g)))
  }),
  conv2dBackpropFilter: fc.tuple(imageShape, fc.integer({ min: 1, max: 2 }), dtypes).chain(([s, o, d]) => {
    const g = patchGeometry('test', s, [2, 2], windowOptions)
    return drawn([s, [s[0], g.outH, g.outW, o]], d).map((xs) => makeCase('conv2dBackpropFilter', xs, ([x, c]) => primitives.conv2dBackpropFilter(x!, c!, g)))
  }),
  maxPool: fc.tuple(imageShape, dtypes).chain(([s, d]) => drawn([s], d).map((xs) => makeCase('maxPool', xs, ([x]) => primitives.maxPool(x!, patchGeometry('test', s, [2, 2], windowOptions))))),
  maxPoolBackward: fc.tuple(imageShape, dtypes).chain(([s, d]) => {
    const g = patchGeometry('test', s, [2, 2], windowOptions)
    return drawn([s, [s[0], g.outH, g.outW, s[3]]], d).map((xs) => makeCase('maxPoolBackward', xs, ([x, c]) => primitives.maxPoolBackward(x!, c!, g)))
  }),
  cos: unary('cos', P.cos),
  div: binary('div', P.div, 'nonzero'),
  equal: binary('equal', P.equal),
  exp: unary('exp', P.exp),
  extractPatches: fc.tuple(imageShape, dtypes).chain(([s, d]) => drawn([s], d)).map((xs) => makeCase('extractPatches', xs, ([x]) => P.extractPatches(x!, 2, windowOptions))),
  foldPatches: fc.tuple(imageShape, dtypes).chain(([[n, h, w, c], d]) => drawn([[n, Math.ceil(h / 2), w, 2, 2, c]], d)
    .map((xs) => makeCase('foldPatches', xs, ([p]) => P.foldPatches(p!, [n, h, w, c], windowOptions)))),
  gather: fc.tuple(fc.integer({ min: 1, max: 3 }), picks, dtypes).chain(([rows, is, d]) => drawn([[rows, 2]], d)
    .map((xs) => makeCase('gather', xs, ([x]) => P.gather(x!, tensor(is.map((i) => i % rows)))))),
  greater: binary('greater', P.greater),
  log: unary('log', P.log, 'positive'),
  logSoftmax: row('logSoftmax', P.logSoftmax),
  logSumExp: row('logSumExp', P.logSumExp),
  batchedMatmul: fc.tuple(C.arbitraryMatmulShapes({ maxDim: 4 }), fc.integer({ min: 1, max: 3 }), dtypes).chain(([{ a, b, transposeA, transposeB }, n, d]) =>
    drawn([[n, ...a], [n, ...b]], d).map((xs) => makeCase(`batchedMatmul[${transposeA}, ${transposeB}]`, xs, ([x, y]) => P.batchedMatmul(x!, y!, { transposeA, transposeB })))),
  matmul: fc.tuple(C.arbitraryMatmulShapes({ maxDim: 4 }), dtypes).chain(([{ a, b, transposeA, transposeB }, d]) =>
    drawn([a, b], d).map((xs) => makeCase(`matmul[${transposeA}, ${transposeB}]`, xs, ([x, y]) => P.matmul(x!, y!, { transposeA, transposeB })))),
  max: reduction('max', P.max),
  maximum: binary('maximum', P.maximum),
  mul: binary('mul', P.mul),
  pad: fc.tuple(small, dtypes).chain(([s, d]) =>
    fc.tuple(drawn([s], d), fc.tuple(...s.map(() => fc.integer({ min: 0, max: 2 }).chain((e) => fc.tuple(fc.integer({ min: 0, max: e }), fc.constant(e))))))
      .map(([xs, es]) => makeCase('pad', xs, ([x]) => P.pad(x!, es.map(([b]) => b), s.map((n, i) => n + es[i]![1]))))),
  pow: fc.tuple(small, dtypes, fc.constantFrom(2, 3, 0.5, -1, 2.5)).chain(([s, d, p]) => drawn([s], d, 'positive').map((xs) => makeCase(`pow[${p}]`, xs, ([x]) => P.pow(x!, p)))),
  relu: unary('relu', P.relu),
  reluBackward: sameShape('reluBackward', primitives.reluBackward),
  scatterAdd: fc.tuple(fc.integer({ min: 1, max: 3 }), picks, dtypes).chain(([size, is, d]) => drawn([[is.length, 2]], d)
    .map((xs) => makeCase('scatterAdd', xs, ([u]) => P.scatterAdd(u!, tensor(is.map((i) => i % size)), size)))),
  reshape: fc.tuple(small, dtypes).chain(([s, d]) =>
    fc.tuple(drawn([s], d), fc.constantFrom<ReadonlyArray<number>>([sizeOf(s)], [-1], [...s].reverse(), [1, ...s, 1]))
      .map(([xs, to]) => makeCase(`reshape[${to}]`, xs, ([x]) => P.reshape(x!, to)))),
  sigmoid: unary('sigmoid', P.sigmoid),
  sigmoidBackward: sameShape('sigmoidBackward', primitives.sigmoidBackward),
  sign: unary('sign', P.sign),
  sin: unary('sin', P.sin),
  slice: fc.tuple(rows, dtypes).chain(([s, d]) =>
    fc.tuple(drawn([s], d), fc.tuple(...s.map((n) => fc.integer({ min: 0, max: n - 1 }).chain((b) => fc.tuple(fc.constant(b), fc.oneof(fc.constant(-1), fc.integer({ min: 1, max: n - b })))))))
      .map(([xs, bs]) => makeCase('slice', xs, ([x]) => P.slice(x!, bs.map(([b]) => b), bs.map(([, z]) => z))))),
  softmax: row('softmax', P.softmax),
  softplus: unary('softplus', P.softplus),
  sqrt: unary('sqrt', P.sqrt, 'positive'),
  square: unary('square', P.square),
  stopGradient: unary('stopGradient', P.stopGradient),
  sub: binary('sub', P.sub),
  sum: reduction('sum', P.sum),
  tanh: unary('tanh', P.tanh),
  tanhBackward: sameShape('tanhBackward', primitives.tanhBackward),
  transpose: fc.tuple(C.arbitraryShape({ maxRank: 3, maxDim: 3 }), dtypes).chain(([s, d]) =>
    fc.tuple(drawn([s], d), fc.option(fc.shuffledSubarray(s.map((_, i) => i), { minLength: s.length, maxLength: s.length }), { nil: undefined }))
      .map(([xs, perm]) => makeCase(`transpose[${JSON.stringify(perm)}]`, xs, ([x]) => P.transpose(x!, perm)))),
  // the condition is an argument too: staging records it as an input like any other
  where: fc.tuple(C.arbitraryBroadcastShapes({ count: 3, maxRank: 2, maxDim: 3 }), dtypes).chain(([[sc, sa, sb], d]) =>
    fc.tuple(fc.array(fc.boolean(), { minLength: sizeOf(sc!), maxLength: sizeOf(sc!) }), drawn([sa!, sb!], d))
      .map(([bits, xs]) => makeCase('where', [tensor(bits.map(Number), { shape: sc!, dtype: d }), ...xs], ([c, a, b]) => P.where(c!, a!, b!)))),
  // composites: class indices as an argument, whose one-hot rows are built by ops
  'softmaxCrossEntropy (class indices)': fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 2, max: 5 }), dtypes).chain(([n, k, d]) =>
    fc.tuple(drawn([[n, k]], d), fc.array(fc.nat({ max: k - 1 }), { minLength: n, maxLength: n }))
      .map(([[z], is]) => makeCase('softmaxCrossEntropy', [z!, tensor(is, { dtype: d })], ([l, t]) => softmaxCrossEntropy(l!, t!)))),
} satisfies Record<keyof typeof primitives, fc.Arbitrary<Case>> & Record<string, fc.Arbitrary<Case>>

/** Whether two trees hold the same structure, dtypes, shapes and bits (NaN equals NaN). */
const sameBits = (a: Tree, b: Tree): boolean => {
  const la = leaves(a), lb = leaves(b)
  return la.length === lb.length && la.every((x, i) => {
    const y = lb[i]!
    return x.dtype === y.dtype && x.shape.join() === y.shape.join() && x.data.every((v, j) => Object.is(v, y.data[j]))
  })
}

const stage = (c: Case) => trace((...xs: Tensor[]) => c.call(xs))(...c.args)

// <u, f(xs)> with a fixed random u: a scalar whose gradient is the VJP of f at u.
const scalarized = (f: (xs: ReadonlyArray<Tensor>) => Tensor, y: Tensor, seed: number) => {
  const u = normal(key(seed), y.shape, { dtype: y.dtype })
  return (xs: ReadonlyArray<Tensor>): Tensor => vdot(u, f(xs))
}

const tangents = (xs: ReadonlyArray<Tensor>, seed: number): Tensor[] => xs.map((x, i) => normal(key(seed + i + 1), x.shape, { dtype: x.dtype }))

const RUNS = 25

// The laws for one case: f and the program of f.
const checkLaws = (c: Case, seed: number): void => {
  const p = stage(c)
  const run = (xs: ReadonlyArray<Tensor>): Tensor => evaluate(p)(...xs)
  const y = c.call(c.args)
  // 1. round trip
  expect(sameBits(run(c.args), y), `${c.label}: evaluate differs from f\n${show(p)}`).toBe(true)
  // 2. derivatives
  const f = scalarized(c.call, y, seed)
  const g = scalarized(run, y, seed)
  expect(sameBits(grad(g)(c.args), grad(f)(c.args)), `${c.label}: grad differs`).toBe(true)
  const v = tangents(c.args, seed)
  expect(sameBits(jvp(run, c.args, v), jvp(c.call, c.args, v)), `${c.label}: jvp differs`).toBe(true)
  // 4. re-tracing
  expect(show(trace((...xs: Tensor[]) => evaluate(p)(...xs))(...c.args))).toBe(show(p))
  // 5. dead code
  expect(sameBits(evaluate(removeDeadCode(p))(...c.args), y)).toBe(true)
}

describe.each(Object.entries(cases))('%s', (_name, arb) => {
  it('1, 2, 4, 5: evaluate(trace(f)) equals f, with its grad and jvp; re-tracing prints the same', () => {
    fc.assert(fc.property(arb, fc.nat(), (c, seed) => checkLaws(c, seed)), { numRuns: RUNS })
  })

  it('3. trace(grad(<u, f>)) and trace(jvp) evaluate to the eager grad and jvp', () => {
    fc.assert(fc.property(arb, fc.nat(), (c, seed) => {
      const f = scalarized(c.call, c.call(c.args), seed)
      const gp = trace(grad(f))(c.args)
      expect(sameBits(evaluate(gp)(c.args), grad(f)(c.args)), `${c.label}: trace(grad)\n${show(gp)}`).toBe(true)
      const v = tangents(c.args, seed)
      const jp = trace((xs: ReadonlyArray<Tensor>, ts: ReadonlyArray<Tensor>) => jvp(c.call, xs, ts))(c.args, v)
      expect(sameBits(evaluate(jp)(c.args, v), jvp(c.call, c.args, v)), `${c.label}: trace(jvp)`).toBe(true)
    }), { numRuns: 10 })
  })
})

describe('random compositions', () => {
  // Ops that keep an [n, n] shape, so any two values of the pool combine.
  const ops: ReadonlyArray<readonly [string, (a: Tensor, b: Tensor) => Tensor]> = [
    ['add', P.add], ['sub', P.sub], ['mul', P.mul], ['maximum', P.maximum],
    ['matmul', (a, b) => P.matmul(a, b)], ['matmulTB', (a, b) => P.matmul(a, b, { transposeB: true })],
    ['tanh', (a) => P.tanh(a)], ['sigmoid', (a) => P.sigmoid(a)], ['relu', (a) => P.relu(a)], ['sin', (a) => P.sin(a)],
    ['softmax', (a) => P.softmax(a)], ['rowSum', (a, b) => P.add(b, P.sum(a, 1, true))], ['colMax', (a, b) => P.mul(b, P.max(a, 0, true))],
    ['where', (a, b) => P.where(P.greater(a, b), a, P.mul(b, 0.5))], ['transpose', (a) => P.transpose(a)],
    ['stopGradient', (a, b) => P.add(P.stopGradient(a), b)], ['mul2', (a) => P.mul(a, 2)],
  ]
  const programs = fc.record({
    n: fc.integer({ min: 1, max: 3 }),
    dtype: dtypes,
    steps: fc.array(fc.tuple(fc.nat(ops.length - 1), fc.nat(), fc.nat()), { minLength: 1, maxLength: 10 }),
  }).chain(({ n, dtype, steps }) => drawn([[n, n], [n, n]], dtype).map((args) => {
    const call = (xs: ReadonlyArray<Tensor>): Tensor => {
      const pool = [...xs]
      for (const [o, i, j] of steps) pool.push(ops[o]![1](pool[i % pool.length]!, pool[j % pool.length]!))
      return pool[pool.length - 1]!
    }
    return makeCase(steps.map(([o]) => ops[o]![0]).join(' -> '), args, call)
  }))

  it('satisfy laws 1, 2, 4 and 5', () => {
    fc.assert(fc.property(programs, fc.nat(), (c, seed) => checkLaws(c, seed)), { numRuns: 60 })
  })

  it('trace(grad) and trace(hvp) of a composition evaluate to the eager ones', () => {
    fc.assert(fc.property(programs, fc.nat(), (c, seed) => {
      const f = scalarized(c.call, c.call(c.args), seed)
      expect(sameBits(evaluate(trace(grad(f))(c.args))(c.args), grad(f)(c.args))).toBe(true)
      const v = tangents(c.args, seed)
      const hp = trace(hvp(f))(c.args, v)
      expect(sameBits(evaluate(hp)(c.args, v), hvp(f)(c.args, v)), `hvp\n${show(hp)}`).toBe(true)
    }), { numRuns: 30 })
  })
})
