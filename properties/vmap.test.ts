/**
 * The laws of `vmap` (src/autodiff/vmap.ts), driven by one table (`batchLaws`) with an entry for
 * every primitive of `primitives` (the type checker and the meta-test insist) and the composites:
 * 1. slicing: `vmap(f, { inAxes, outAxes })(...xs)` equals `f` applied to each example of the
 *    batched arguments (and to the shared ones), stacked at `outAxes`, for batch axes in every
 *    position (positive or negative), with some arguments shared (broadcasting against batched
 *    ones);
 * 2. nesting: `vmap(vmap(f))` equals a double loop;
 * 3. compositions: `vmap(grad(f))`, `grad` through `vmap`, `jvp(vmap(f))`, `vmap(jvp(f))`, `vjp` and
 *    `hvp` inside `vmap` equal loops;
 * 4. per-example gradients of random small networks equal a loop of `grad` to 1e-12 (float64);
 * 5. `jacfwd`, `jacrev` and `hessian` agree with each other and with `jvp`/`hvp` on basis vectors;
 * 6. errors name the argument path and the fix;
 * 7. meta: every primitive has a batching rule and a law here.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { grad, hessian, hvp, jacfwd, jacrev, jvp, perExampleGrads, vjp, vmap } from '../src/autodiff/index.js'
import * as P from '../src/autodiff/primitives/index.js'
import { primitives } from '../src/autodiff/primitives/table.js'
import * as C from '../src/check/index.js'
import * as losses from '../src/losses/index.js'
import * as composites from '../src/ops/composites.js'
import * as nn from '../src/nn/index.js'
import { key, normal, uniform } from '../src/random/index.js'
import { type Shape, type Tensor, ShapeError, broadcastShapes, patchGeometry, sizeOf, tensor, toFlatArray } from '../src/tensor/index.js'
import { type Tree, flatten, leaves } from '../src/tree/index.js'

/** One call of an op on float64 example arguments. */
interface Case {
  readonly label: string
  readonly args: ReadonlyArray<Tensor>
  readonly call: (...xs: Tensor[]) => Tensor
  readonly [fc.toStringMethod]?: () => string
}

const makeCase = (label: string, args: ReadonlyArray<Tensor>, call: Case['call']): Case => ({
  label, args, call, [fc.toStringMethod]: () => `${label} on ${args.map((a) => `[${a.shape.join(', ')}]`).join(', ')}`,
})

const f64 = (shape: Shape, vs: ReadonlyArray<number>): Tensor => tensor(vs, { shape, dtype: 'float64' })

const drawn = (shapes: ReadonlyArray<Shape>, domain: C.TensorConstraints['domain'] = 'real'): fc.Arbitrary<Tensor[]> =>
  C.arbitraryValues(shapes.reduce((n, s) => n + sizeOf(s), 0), { domain }).map((vs) => {
    let at = 0
    return shapes.map((s) => {
      at += sizeOf(s)
      return f64(s, vs.slice(at - sizeOf(s), at))
    })
  })

const small = C.arbitraryShape({ maxRank: 2, maxDim: 3 })
const rows = C.arbitraryShape({ minRank: 1, maxRank: 2, maxDim: 3 })
const pairs = C.arbitraryBroadcastPair({ maxRank: 2, maxDim: 3 })

const unaryCases = (name: string, op: (x: Tensor) => Tensor, domain: C.TensorConstraints['domain'] = 'real'): fc.Arbitrary<Case> =>
  small.chain((s) => drawn([s], domain)).map((xs) => makeCase(name, xs, op))
const binaryCases = (name: string, op: (a: Tensor, b: Tensor) => Tensor, domain: C.TensorConstraints['domain'] = 'real'): fc.Arbitrary<Case> =>
  pairs.chain(([a, b]) => drawn([a, b], domain)).map((xs) => makeCase(name, xs, op))
const sameShapeCases = (name: string, op: (a: Tensor, b: Tensor) => Tensor): fc.Arbitrary<Case> =>
  small.chain((s) => drawn([s, s])).map((xs) => makeCase(name, xs, op))
const reductionCases = (name: string, op: (x: Tensor, axes?: number | ReadonlyArray<number>, keep?: boolean) => Tensor): fc.Arbitrary<Case> =>
  C.arbitraryShape({ maxRank: 3, maxDim: 3 }).chain((s) =>
    fc.tuple(drawn([s]), s.length === 0 ? fc.constant(undefined) : fc.oneof(fc.constant(undefined), fc.integer({ min: -s.length, max: s.length - 1 }), fc.subarray(s.map((_, i) => i))), fc.boolean())
      .map(([xs, axes, keep]) => makeCase(`${name}(${JSON.stringify(axes)}, ${keep})`, xs, (x) => op(x, axes, keep))))
const rowCases = (name: string, op: (x: Tensor, axis: number) => Tensor, anyAxis: boolean): fc.Arbitrary<Case> =>
  rows.chain((s) => fc.tuple(drawn([s]), anyAxis ? fc.integer({ min: -s.length, max: s.length - 1 }) : fc.constant(-1)))
    .map(([xs, axis]) => makeCase(`${name}(${axis})`, xs, (x) => op(x, axis)))

// matmul with every transposition and dimensions that reach the outer-product (k = 1), row
// (m = 1), column (n = 1) and loop paths of its batching rule
const matmulCases = C.arbitraryMatmulShapes({ maxDim: 3 }).chain(({ a, b, transposeA, transposeB }) =>
  drawn([a, b]).map((xs) => makeCase(`matmul(${transposeA}, ${transposeB})`, xs, (x, y) => P.matmul(x, y, { transposeA, transposeB }))))

const batchedMatmulCases = fc.tuple(C.arbitraryMatmulShapes({ maxDim: 3 }), fc.integer({ min: 1, max: 3 })).chain(([{ a, b, transposeA, transposeB }, n]) =>
  drawn([[n, ...a], [n, ...b]]).map((xs) => makeCase(`batchedMatmul(${transposeA}, ${transposeB})`, xs, (x, y) => P.batchedMatmul(x, y, { transposeA, transposeB }))))

const concatCases = rows.chain((s) =>
  fc.tuple(fc.integer({ min: 0, max: s.length - 1 }), fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 })).chain(([axis, sizes]) =>
    drawn(sizes.map((d) => s.map((e, i) => (i === axis ? d : e)))).map((xs) => makeCase(`concat(${axis})`, xs, (...ys) => P.concat(ys, axis)))))

const sliceCases = rows.chain((s) =>
  fc.tuple(drawn([s]), fc.tuple(...s.map((d) => fc.integer({ min: 0, max: d - 1 }).chain((b) => fc.tuple(fc.constant(b), fc.integer({ min: 1, max: d - b }))))))
    .map(([xs, bs]) => makeCase(`slice(${JSON.stringify(bs)})`, xs, (x) => P.slice(x, bs.map(([b]) => b), bs.map(([, z]) => z)))))

const padCases = small.chain((s) =>
  fc.tuple(drawn([s]), fc.tuple(...s.map(() => fc.integer({ min: 0, max: 2 }).chain((e) => fc.tuple(fc.integer({ min: 0, max: e }), fc.constant(e))))))
    .map(([xs, es]) => makeCase(`pad(${JSON.stringify(es)})`, xs, (x) => P.pad(x, es.map(([b]) => b), s.map((d, i) => d + es[i]![1])))))

const reshapeCases = small.chain((s) =>
  fc.tuple(drawn([s]), fc.constantFrom<ReadonlyArray<number>>([sizeOf(s)], [-1], [...s].reverse(), [1, ...s, 1]))
    .map(([xs, to]) => makeCase(`reshape([${to}])`, xs, (x) => P.reshape(x, to))))

const transposeCases = C.arbitraryShape({ maxRank: 3, maxDim: 3 }).chain((s) =>
  fc.tuple(drawn([s]), fc.option(fc.shuffledSubarray(s.map((_, i) => i), { minLength: s.length, maxLength: s.length }), { nil: undefined }))
    .map(([xs, perm]) => makeCase(`transpose(${JSON.stringify(perm)})`, xs, (x) => P.transpose(x, perm))))

const broadcastToCases = pairs.chain(([a, b]) => {
  const to = broadcastShapes('test', a, b)
  return drawn([a]).map((xs) => makeCase(`broadcastTo([${to}])`, xs, (x) => P.broadcastTo(x, to)))
})

// the condition of `where` is an argument here, so that it can be batched too
const whereCases = C.arbitraryBroadcastShapes({ count: 3, maxRank: 2, maxDim: 3 }).chain(([sc, sa, sb]) =>
  drawn([sc!, sa!, sb!]).map((xs) => makeCase('where', xs, (c, a, b) => P.where(P.greater(c, 0), a, b))))

const powCases = small.chain((s) => fc.tuple(drawn([s], 'positive'), fc.constantFrom(2, 0.5, -1)).map(([xs, p]) => makeCase(`pow(${p})`, xs, (x) => P.pow(x, p))))

// Window primitives on small NHWC images: 'same' padding, stride 2, 2x2 kernels.
const windowOptions = { padding: 'same', stride: [2, 1] } as const
const imageShape = fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 }))
const extractPatchesCases = imageShape.chain((s) => drawn([s])).map((xs) => makeCase('extractPatches', xs, (x) => P.extractPatches(x, 2, windowOptions)))
const foldPatchesCases = imageShape.chain(([n, h, w, c]) => drawn([[n, Math.ceil(h / 2), w, 2, 2, c]]).map((xs) => makeCase(`foldPatches([${n}, ${h}, ${w}, ${c}])`, xs, (p) => P.foldPatches(p, [n, h, w, c], windowOptions))))
const conv2dCases = fc.tuple(imageShape, fc.integer({ min: 1, max: 2 })).chain(([s, o]) => drawn([s, [2, 2, s[3], o]])).map((xs) => makeCase('conv2d', xs, (x, w) => P.conv2d(x, w, windowOptions)))
const maxPoolCases = imageShape.chain((s) => drawn([s], 'separated')).map((xs) => makeCase('maxPool', xs, (x) => primitives.maxPool(x, patchGeometry('test', x.shape, [2, 2], windowOptions))))
const maxPoolBackwardCases = imageShape.chain((s) => {
  const g = patchGeometry('test', s, [2, 2], windowOptions)
  return fc.tuple(drawn([s], 'separated'), drawn([[s[0], g.outH, g.outW, s[3]]])).map(([a, b]) => makeCase('maxPoolBackward', [...a, ...b], (x, c) => primitives.maxPoolBackward(x, c, g)))
})
const conv2dBackpropInputCases = fc.tuple(imageShape, fc.integer({ min: 1, max: 2 })).chain(([s, o]) => {
  const g = patchGeometry('test', s, [2, 2], windowOptions)
  return drawn([[s[0], g.outH, g.outW, o], [2, 2, s[3], o]]).map((xs) => makeCase('conv2dBackpropInput', xs, (c, w) => primitives.conv2dBackpropInput(c, w, g)))
})
const conv2dBackpropFilterCases = fc.tuple(imageShape, fc.integer({ min: 1, max: 2 })).chain(([s, o]) => {
  const g = patchGeometry('test', s, [2, 2], windowOptions)
  return drawn([s, [s[0], g.outH, g.outW, o]]).map((xs) => makeCase('conv2dBackpropFilter', xs, (x, c) => primitives.conv2dBackpropFilter(x, c, g)))
})
// indices from the sign of an argument (0 or 1), so that batched indices stay whole numbers
const gatherCases = fc.tuple(small, fc.array(fc.integer({ min: 1, max: 2 }), { maxLength: 2 })).chain(([i, rest]) => drawn([[2, ...rest], i]))
  .map((xs) => makeCase('gather', xs, (x, c) => P.gather(x, P.greater(c, 0))))
const scatterAddCases = fc.tuple(small, fc.array(fc.integer({ min: 1, max: 2 }), { maxLength: 1 })).chain(([i, rest]) => drawn([[...i, ...rest], i]))
  .map((xs) => makeCase('scatterAdd', xs, (u, c) => P.scatterAdd(u, P.greater(c, 0), 2)))

/**
 * The table: every primitive (keys of `primitives`, checked by the type checker and the
 * meta-test) and the composites, each with the arbitrary of its example calls.
 */
const batchLaws = {
  abs: unaryCases('abs', P.abs),
  add: binaryCases('add', P.add),
  atan: unaryCases('atan', P.atan),
  broadcastTo: broadcastToCases,
  cast: unaryCases('cast', (x) => P.cast(x, 'float32')),
  concat: concatCases,
  conv2d: conv2dCases,
  conv2dBackpropInput: conv2dBackpropInputCases,
  conv2dBackpropFilter: conv2dBackpropFilterCases,
  cos: unaryCases('cos', P.cos),
  div: binaryCases('div', P.div, 'nonzero'),
  equal: binaryCases('equal', (a, b) => P.equal(P.sign(a), P.sign(b))),
  exp: unaryCases('exp', P.exp),
  extractPatches: extractPatchesCases,
  foldPatches: foldPatchesCases,
  gather: gatherCases,
  greater: binaryCases('greater', P.greater),
  log: unaryCases('log', P.log, 'positive'),
  logSoftmax: rowCases('logSoftmax', (x) => P.logSoftmax(x), false),
  logSumExp: rowCases('logSumExp', (x) => P.logSumExp(x), false),
  batchedMatmul: batchedMatmulCases,
  matmul: matmulCases,
  max: reductionCases('max', P.max),
  maxPool: maxPoolCases,
  maxPoolBackward: maxPoolBackwardCases,
  maximum: binaryCases('maximum', P.maximum),
  mul: binaryCases('mul', P.mul),
  pad: padCases,
  pow: powCases,
  relu: unaryCases('relu', P.relu),
  reluBackward: sameShapeCases('reluBackward', primitives.reluBackward),
  reshape: reshapeCases,
  scatterAdd: scatterAddCases,
  sigmoid: unaryCases('sigmoid', P.sigmoid),
  sigmoidBackward: sameShapeCases('sigmoidBackward', primitives.sigmoidBackward),
  sign: unaryCases('sign', P.sign),
  sin: unaryCases('sin', P.sin),
  slice: sliceCases,
  softmax: rowCases('softmax', (x) => P.softmax(x), false),
  softplus: unaryCases('softplus', P.softplus),
  sqrt: unaryCases('sqrt', P.sqrt, 'positive'),
  square: unaryCases('square', P.square),
  stopGradient: unaryCases('stopGradient', P.stopGradient),
  sub: binaryCases('sub', P.sub),
  sum: reductionCases('sum', P.sum),
  tanh: unaryCases('tanh', P.tanh),
  tanhBackward: sameShapeCases('tanhBackward', primitives.tanhBackward),
  transpose: transposeCases,
  where: whereCases,
  // composites
  mean: reductionCases('mean', composites.mean),
  variance: reductionCases('variance', composites.variance),
  min: reductionCases('min', composites.min),
  minimum: binaryCases('minimum', composites.minimum),
  clip: unaryCases('clip', (x) => composites.clip(x, -0.5, 0.5)),
  gelu: unaryCases('gelu', composites.gelu),
  elu: unaryCases('elu', composites.elu),
  'softmax (axis)': rowCases('softmax', composites.softmax, true),
  'logSumExp (axis)': rowCases('logSumExp', (x, a) => composites.logSumExp(x, a), true),
  argmax: rowCases('argmax', composites.argmax, true),
  expandDims: small.chain((s) => fc.tuple(drawn([s]), fc.integer({ min: -(s.length + 1), max: s.length })).map(([xs, a]) => makeCase(`expandDims(${a})`, xs, (x) => composites.expandDims(x, a)))),
  stack: small.chain((s) => drawn([s, s]).map((xs) => makeCase('stack', xs, (a, b) => composites.stack([a, b], 0)))),
  maxPool2d: imageShape.chain((s) => drawn([s], 'separated')).map((xs) => makeCase('maxPool2d', xs, (x) => composites.maxPool2d(x, 2, { padding: 'same' }))),
  vdot: small.chain((s) => drawn([s, s]).map((xs) => makeCase('vdot', xs, composites.vdot))),
  dense: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })).chain(([n, i, o]) => drawn([[n, i], [i, o], [o]]))
    .map((xs) => makeCase('tanh(x·w + b)', xs, (x, w, b) => P.tanh(P.add(P.matmul(x, w), b)))),
  // class indices in {0, 1, 2} made from a real argument by ops, so that they stay indices
  // whatever the law does to the argument's values; batched, they are a traced value
  'softmaxCrossEntropy (class indices)': fc.integer({ min: 1, max: 3 }).chain((n) => drawn([[n, 3], [n]]))
    .map((xs) => makeCase('softmaxCrossEntropy(z, indices(s))', xs, (z, s) => losses.softmaxCrossEntropy(z, P.add(P.greater(s, 0), P.greater(s, 1))))),
} satisfies Record<keyof typeof primitives, fc.Arbitrary<Case>> & Record<string, fc.Arbitrary<Case>>

/** How a case is batched: the batch size, which arguments are batched and where, where the output goes. */
interface Batching {
  readonly size: number
  readonly axes: ReadonlyArray<number | undefined> // per argument, as given to inAxes (possibly negative)
  readonly outAxis: number // possibly negative
  readonly seed: number
}

const arbitraryBatching = (c: Case, outRank: number): fc.Arbitrary<Batching> =>
  fc.record({
    size: fc.integer({ min: 1, max: 3 }),
    axes: fc.tuple(...c.args.map((a) => fc.option(fc.integer({ min: -(a.shape.length + 1), max: a.shape.length }), { nil: undefined, freq: 3 }))),
    batched: fc.nat({ max: c.args.length - 1 }),
    outAxis: fc.integer({ min: -(outRank + 1), max: outRank }),
    seed: fc.nat(),
  }).map(({ size, axes, batched, outAxis, seed }) => ({
    size,
    // at least one argument is batched
    axes: axes.map((a, i) => (i === batched && a === undefined ? 0 : a)),
    outAxis,
    seed,
  }))

const positive = (axis: number, rank: number): number => (axis < 0 ? axis + rank + 1 : axis)

// Example e of argument `a`: the argument scaled element-wise by factors in [0.5, 1.5] (so every
// domain is kept: signs, positivity and separation up to ties), the first example being `a` itself.
const examplesOf = (a: Tensor, size: number, seed: number): Tensor[] =>
  Array.from({ length: size }, (_, e) => (e === 0 ? a : P.mul(a, uniform(key(seed + e), a.shape, { dtype: 'float64', min: 0.5, max: 1.5 }))))

const stackAt = (xs: ReadonlyArray<Tensor>, axis: number): Tensor => composites.stack(xs, axis)

const close = (actual: Tensor, expected: Tensor, what: string): void => {
  expect(actual.shape, `${what}: shape`).toEqual(expected.shape)
  const a = toFlatArray(actual)
  const b = toFlatArray(expected)
  for (let i = 0; i < a.length; i++) {
    const ok = Object.is(a[i], b[i]) || Math.abs(a[i]! - b[i]!) <= 1e-12 * (1 + Math.abs(b[i]!))
    if (!ok) expect.fail(`${what}: element ${i} is ${a[i]}, expected ${b[i]}`)
  }
}

const closeTrees = (actual: Tree, expected: Tree, what: string): void => {
  const [la, def] = flatten(actual)
  const lb = leaves(expected)
  expect(la.length).toBe(lb.length)
  la.forEach((x, i) => close(x, lb[i]!, `${what} at ${def.paths[i] || 'the root'}`))
}

// Checks law 1 for one case and one batching.
const checkSlicing = (c: Case, b: Batching): void => {
  const per = c.args.map((a, i) => (b.axes[i] === undefined ? undefined : examplesOf(a, b.size, b.seed + 10 * i)))
  const batched = c.args.map((a, i) => (b.axes[i] === undefined ? a : stackAt(per[i]!, positive(b.axes[i]!, a.shape.length))))
  const outRank = c.call(...c.args).shape.length
  const got = vmap(c.call, { inAxes: b.axes, outAxes: b.outAxis })(...batched)
  const loop = Array.from({ length: b.size }, (_, e) => c.call(...c.args.map((a, i) => (per[i] === undefined ? a : per[i]![e]!))))
  close(got, stackAt(loop, positive(b.outAxis, outRank)), `vmap(${c.label}) with inAxes ${JSON.stringify(b.axes)}, outAxes ${b.outAxis}, size ${b.size}`)
}

const RUNS = { slicing: 25, nested: 6 } as const

describe.each(Object.entries(batchLaws))('%s', (_name, cases) => {
  it('1. vmap equals stacking the function over the examples, batch axes anywhere', () => {
    fc.assert(fc.property(cases.chain((c) => arbitraryBatching(c, c.call(...c.args).shape.length).map((b) => [c, b] as const)), ([c, b]) => {
      checkSlicing(c, b)
    }), { numRuns: RUNS.slicing })
  })

  it('2. vmap of vmap equals a double loop', () => {
    fc.assert(fc.property(cases, fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 3 }), fc.nat(), (c, n, m, seed) => {
      // every argument batched twice: outer axis 0 of size n, inner axis -1 of size m
      const ex = c.args.map((a, i) => examplesOf(a, n * m, seed + 10 * i))
      const xs = ex.map((es) => stackAt(Array.from({ length: n }, (_, o) => stackAt(es.slice(o * m, o * m + m), -1)), 0))
      const got = vmap(vmap(c.call, { inAxes: -1 }))(...xs)
      const want = stackAt(Array.from({ length: n }, (_, o) => stackAt(Array.from({ length: m }, (_, e) => c.call(...ex.map((es) => es[o * m + e]!))), 0)), 0)
      close(got, want, `vmap(vmap(${c.label}))`)
    }), { numRuns: RUNS.nested })
  })
})

// A small network as a function of its parameters and one example (rows of 1).
type Net = ReadonlyArray<{ readonly w: Tensor; readonly b: Tensor }>
const netLoss = (p: Net, x: Tensor, y: Tensor): Tensor => {
  let h = P.reshape(x, [1, x.shape[0]!])
  p.forEach((layer, i) => {
    h = P.add(P.matmul(h, layer.w), layer.b)
    if (i < p.length - 1) h = P.tanh(h)
  })
  return composites.mean(P.square(P.sub(h, P.reshape(y, [1, y.shape[0]!]))))
}
const randomNet = (sizes: ReadonlyArray<number>, seed: number): Net =>
  sizes.slice(1).map((o, i) => ({ w: normal(key(seed + 2 * i), [sizes[i]!, o], { dtype: 'float64' }), b: normal(key(seed + 2 * i + 1), [o], { dtype: 'float64' }) }))

describe('3. compositions with grad, jvp, vjp and hvp', () => {
  const f = (x: Tensor): Tensor => P.sum(P.mul(P.sin(x), P.exp(P.mul(x, 0.3))))
  const xs = normal(key(1), [4, 3], { dtype: 'float64' })
  const ex = (i: number): Tensor => composites.squeeze(P.slice(xs, [i, 0], [1, 3]), 0)
  const loop = (g: (x: Tensor) => Tensor): Tensor => stackAt([0, 1, 2, 3].map((i) => g(ex(i))), 0)

  it('vmap(grad(f)) equals grad(f) example by example', () => close(vmap(grad(f))(xs), loop(grad(f)), 'vmap(grad)'))
  it('grad through vmap equals the sum of per-example gradients', () => {
    close(grad((x: Tensor) => P.sum(vmap(f)(x)))(xs), loop(grad(f)), 'grad(vmap)')
  })
  it('jvp(vmap(f)) and vmap(jvp(f)) equal jvp example by example', () => {
    const v = normal(key(2), [4, 3], { dtype: 'float64' })
    const [y, t] = jvp(vmap(f), xs, v)
    const vex = (i: number): Tensor => composites.squeeze(P.slice(v, [i, 0], [1, 3]), 0)
    close(y, loop(f), 'jvp(vmap) value')
    close(t, stackAt([0, 1, 2, 3].map((i) => jvp(f, ex(i), vex(i))[1]), 0), 'jvp(vmap) tangent')
    close(vmap((x: Tensor, u: Tensor) => jvp(f, x, u)[1])(xs, v), t, 'vmap(jvp)')
  })
  it('vjp and hvp inside vmap, and vmap(vmap(grad))', () => {
    const u = normal(key(3), [4, 3], { dtype: 'float64' })
    const g = (x: Tensor): Tensor => P.tanh(P.mul(x, x))
    close(vmap((x: Tensor, c: Tensor) => vjp(g, x)[1](c))(xs, u), stackAt([0, 1, 2, 3].map((i) => vjp(g, ex(i))[1](composites.squeeze(P.slice(u, [i, 0], [1, 3]), 0))), 0), 'vmap(vjp)')
    close(vmap((x: Tensor, v: Tensor) => hvp(f)(x, v))(xs, u), stackAt([0, 1, 2, 3].map((i) => hvp(f)(ex(i), composites.squeeze(P.slice(u, [i, 0], [1, 3]), 0))), 0), 'vmap(hvp)')
    const scalarF = (x: Tensor): Tensor => P.sum(P.square(P.sin(x)))
    close(vmap(vmap(grad(scalarF)))(xs), P.reshape(vmap(grad(scalarF))(P.reshape(xs, [12])), [4, 3]), 'vmap(vmap(grad)) as one vmap over the 12 elements')
  })
})

describe('4. per-example gradients equal a loop of grad (float64, 1e-12)', () => {
  it('on random small networks, with vmap(grad) and perExampleGrads', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 4 }), fc.integer({ min: 1, max: 5 }), fc.nat(), (sizes, n, seed) => {
      const net = randomNet(sizes, seed)
      const xs = normal(key(seed + 100), [n, sizes[0]!], { dtype: 'float64' })
      const ys = normal(key(seed + 101), [n, sizes[sizes.length - 1]!], { dtype: 'float64' })
      const viaVmap = vmap((p: Net, x: Tensor, y: Tensor) => grad((q: Net) => netLoss(q, x, y))(p), { inAxes: [undefined, 0, 0] })(net, xs, ys)
      const viaHelper = perExampleGrads(netLoss)(net, xs, ys)
      for (let i = 0; i < n; i++) {
        const x = composites.squeeze(P.slice(xs, [i, 0], [1, -1]), 0)
        const y = composites.squeeze(P.slice(ys, [i, 0], [1, -1]), 0)
        const g = grad((q: Net) => netLoss(q, x, y))(net)
        const pick = (t: Net): Tree => t.map((l) => ({ w: composites.squeeze(P.slice(l.w, [i, 0, 0], [1, -1, -1]), 0), b: composites.squeeze(P.slice(l.b, [i, 0], [1, -1]), 0) }))
        closeTrees(pick(viaVmap), g, `example ${i}`)
        closeTrees(pick(viaHelper), g, `example ${i} (perExampleGrads)`)
      }
    }), { numRuns: 15 })
  })

  it('an ensemble: vmap over parameters (a batched weight) equals each network alone', () => {
    const layer = nn.dense(3, 2, { dtype: 'float64' })
    const params = [1, 2, 3].map((s) => layer.init(key(s)))
    const stacked = { w: stackAt(params.map((p) => p.w), 0), b: stackAt(params.map((p) => p.b), 0) }
    const x = normal(key(9), [5, 3], { dtype: 'float64' })
    const out = vmap((p: typeof stacked, xb: Tensor) => P.tanh(layer.apply(p)(xb)), { inAxes: [0, undefined] })(stacked, x)
    close(out, stackAt(params.map((p) => P.tanh(layer.apply(p)(x))), 0), 'ensemble forward')
    const g = vmap((p: typeof stacked) => grad((q: typeof stacked) => P.sum(P.tanh(layer.apply(q)(x))))(p))(stacked)
    params.forEach((p, i) => {
      const gi = grad((q: typeof p) => P.sum(P.tanh(layer.apply(q)(x))))(p)
      close(composites.squeeze(P.slice(g.w, [i, 0, 0], [1, -1, -1]), 0), gi.w, `ensemble gradient ${i}`)
    })
  })
})

describe('5. jacfwd, jacrev and hessian', () => {
  const f = (p: { a: Tensor; b: Tensor }): { u: Tensor; v: Tensor } => ({ u: P.mul(P.sin(p.a), P.sum(p.b)), v: P.matmul(P.reshape(p.a, [1, 2]), p.b) })
  const x = { a: normal(key(4), [2], { dtype: 'float64' }), b: normal(key(5), [2, 3], { dtype: 'float64' }) }

  it('jacfwd equals jacrev on trees, with leaves of shape [...out, ...in]', () => {
    const jf = jacfwd(f)(x) as unknown as Record<'u' | 'v', Record<'a' | 'b', Tensor>>
    const jr = jacrev(f)(x)
    expect(jf.u.a.shape).toEqual([2, 2])
    expect(jf.u.b.shape).toEqual([2, 2, 3])
    expect(jf.v.b.shape).toEqual([1, 3, 2, 3])
    closeTrees(jf as unknown as Tree, jr, 'jacfwd vs jacrev')
  })

  it('a Jacobian column is a jvp along a basis vector', () => {
    const g = (t: Tensor): Tensor => P.tanh(P.matmul(P.reshape(t, [1, 3]), P.reshape(P.cos(t), [3, 1])))
    const t = normal(key(6), [3], { dtype: 'float64' })
    const j = jacrev(g)(t) as Tensor
    expect(j.shape).toEqual([1, 1, 3])
    for (let i = 0; i < 3; i++) {
      const e = f64([3], [0, 1, 2].map((k) => (k === i ? 1 : 0)))
      expect(toFlatArray(j)[i]).toBeCloseTo(toFlatArray(jvp(g, t, e)[1])[0]!, 12)
    }
  })

  it('the hessian equals hvp on basis vectors and is symmetric', () => {
    const h = (t: Tensor): Tensor => P.sum(P.mul(P.exp(P.mul(t, 0.5)), P.sin(P.reshape(P.transpose(P.reshape(t, [2, 2])), [4]))))
    const t = normal(key(7), [4], { dtype: 'float64' })
    const H = hessian(h)(t) as Tensor
    expect(H.shape).toEqual([4, 4])
    const m = toFlatArray(H)
    for (let i = 0; i < 4; i++) {
      const col = toFlatArray(hvp(h)(t, f64([4], [0, 1, 2, 3].map((k) => (k === i ? 1 : 0)))))
      for (let k = 0; k < 4; k++) {
        expect(m[k * 4 + i]).toBeCloseTo(col[k]!, 12)
        expect(m[k * 4 + i]).toBeCloseTo(m[i * 4 + k]!, 12)
      }
    }
  })
})

describe('6. errors name the argument path and the fix', () => {
  const add = (a: Tensor, b: Tensor): Tensor => P.add(a, b)
  it('batch sizes that disagree', () => {
    expect(() => vmap(add)(tensor([[1, 2]]), tensor([[1, 2], [3, 4]]))).toThrow(ShapeError)
    expect(() => vmap(add)(tensor([[1, 2]]), tensor([[1, 2], [3, 4]]))).toThrow(/vmap: args\[1\]: batch sizes disagree: 1 examples from args\[0\] .* but 2 along axis 0 here/)
    const p = { w: tensor([[1, 2]]), b: tensor([1, 2, 3]) }
    expect(() => vmap((q: typeof p) => P.sum(q.w))(p)).toThrow(/vmap: args\[0\]\.b: batch sizes disagree/)
  })
  it('an axis out of range, a scalar, a wrong inAxes tree', () => {
    expect(() => vmap(P.exp, { inAxes: [2] })(tensor([[1, 2]]))).toThrow(/vmap: the argument at args\[0\]: axis 2 is out of range: an axis of a rank-2 value is in -2..1/)
    expect(() => vmap(P.exp, { inAxes: [-3] })(tensor([[1, 2]]))).toThrow(/axis -3 is out of range/)
    expect(() => vmap(P.exp)(tensor(1))).toThrow(/a scalar has no axis to map over/)
    expect(() => vmap(add, { inAxes: [0] })(tensor([1]), tensor([1]))).toThrow(/inAxes has 1 entries but the function was called with 2 arguments/)
    expect(() => vmap((q: { w: Tensor }) => q.w, { inAxes: [{ v: 0 }] })({ w: tensor([1]) })).toThrow(/inAxes at args\[0\] names 'v'/)
    expect(() => vmap(add, { inAxes: [undefined, undefined] })(tensor([1]), tensor([1]))).toThrow(/no argument is batched/)
  })
  it('outAxes out of range or undefined for a batched output', () => {
    expect(() => vmap(P.exp, { outAxes: 2 })(tensor([[1, 2]]))).toThrow(/vmap: outAxes at output: axis 2 is out of range/)
    expect(() => vmap(P.exp, { outAxes: undefined })(tensor([[1, 2]]))).toThrow(/outAxes says this output is not batched/)
    // an output that does not depend on the batch is broadcast to it, or left alone with outAxes undefined
    expect(vmap((_x: Tensor) => tensor([1, 2]))(tensor([3, 4, 5])).shape).toEqual([3, 2])
    expect(vmap((_x: Tensor) => tensor([1, 2]), { outAxes: undefined })(tensor([3, 4, 5])).shape).toEqual([2])
  })
  it('reading values inside vmap, and a batched value that escapes', () => {
    expect(() => vmap((x: Tensor) => tensor([x.data[0]!]))(tensor([1, 2]))).toThrow(/vmap: the values of a batched tensor cannot be read inside vmap/)
    let kept: Tensor | undefined
    vmap((x: Tensor) => { kept = x; return x })(tensor([1, 2]))
    expect(() => P.exp(kept!)).toThrow(/vmap: a batched value of shape \[\] escaped its vmap/)
  })
})

describe('7. meta: every primitive has a batching rule and a law', () => {
  it.each(Object.entries(primitives))('%s', (name, prim) => {
    expect(typeof prim.batch, `the primitive '${name}' needs a batch rule (batch: batchByLoop at least)`).toBe('function')
    expect(name in batchLaws, `add an entry for the primitive '${name}' to batchLaws in properties/vmap.test.ts`).toBe(true)
  })
})
