/**
 * The derivative laws of every primitive and composite, driven by one table (`laws`):
 * 1. finite differences: for f(xs) = <u, op(xs)> with random u, `grad` (VJP) and `jvp` agree
 *    with central differences in float64 (src/check/checkGrad.ts);
 * 2. jvp/vjp transposition: `<u, J v> = <Jᵀ u, v>`;
 * 3. second derivatives: `hvp` (forward over reverse) and `grad` of `grad` (reverse over
 *    reverse) agree with central differences of the gradient;
 * 4. non-differentiable entries (domain 'none'): gradient and tangent are zero;
 * 5. broadcasting binary ops un-broadcast their gradients back to each argument's shape;
 * 6. meta: every primitive of `primitives` has a domain, is exported from `ops` when it is in the
 *    public list (autodiff/primitives/index.ts) and not when it is an internal fused rule, and has
 *    a law here.
 *
 * Each law says how to call the op on float64 inputs drawn from its domain: 'positive',
 * 'nonzero' (away from its kinks), 'unit', 'separated' (no two elements tied), 'real', 'none'.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type Domain, grad, jvp } from '../src/autodiff/index.js'
import * as P from '../src/autodiff/primitives/index.js'
import { primitives } from '../src/autodiff/primitives/table.js'
import * as C from '../src/check/index.js'
import * as purenet from '../src/index.js'
import * as composites from '../src/ops/composites.js'
import * as K from '../src/tensor/index.js'
import { key, normal } from '../src/random/index.js'
import { type Shape, type Tensor, broadcastShapes, describe as describeTensor, sizeOf, tensor, toArray } from '../src/tensor/index.js'
import { dot } from '../src/ops/treeNamespace.js'

/** One random call of an op: float64 arguments (the differentiated ones) and how to apply it. */
interface Case {
  readonly label: string
  readonly args: ReadonlyArray<Tensor>
  readonly call: (xs: ReadonlyArray<Tensor>) => Tensor
  readonly [fc.toStringMethod]?: () => string
}

/** How an op is exercised: its domain and the arbitrary of its calls. */
interface Law {
  readonly domain: Domain
  readonly cases: fc.Arbitrary<Case>
}

const DOMAINS: ReadonlyArray<Domain> = ['real', 'positive', 'nonzero', 'unit', 'separated', 'none']

const makeCase = (label: string, args: ReadonlyArray<Tensor>, call: Case['call']): Case => ({
  label,
  args,
  call,
  // fast-check prints counterexamples with this
  [fc.toStringMethod]: () => `${label} at ${JSON.stringify(args.map((a) => toArray(a)))}`,
})

const f64 = (shape: Shape, vs: ReadonlyArray<number>): Tensor => tensor(vs, { shape, dtype: 'float64' })

// Tensors of the given shapes with values drawn together (so 'separated' separates across them).
const drawn = (shapes: ReadonlyArray<Shape>, c: Omit<C.TensorConstraints, 'shape' | 'dtype'>): fc.Arbitrary<Tensor[]> =>
  C.arbitraryValues(shapes.reduce((n, s) => n + sizeOf(s), 0), c).map((vs) => {
    let at = 0
    return shapes.map((s) => {
      const n = sizeOf(s)
      at += n
      return f64(s, vs.slice(at - n, at))
    })
  })

const small = C.arbitraryShape({ maxRank: 2, maxDim: 3 })
const rows = C.arbitraryShape({ minRank: 1, maxRank: 3, maxDim: 3 })
const pairs = C.arbitraryBroadcastPair({ maxRank: 3, maxDim: 3 })

const names = (shapes: ReadonlyArray<Tensor>): string => shapes.map(describeTensor).join(', ')

/** An element-wise unary op on one tensor from `domain`. */
const unaryLaw = (name: string, op: (x: Tensor) => Tensor, domain: Domain, draw: Omit<C.TensorConstraints, 'shape' | 'dtype'> = { domain }): Law => ({
  domain,
  cases: small.chain((s) => drawn([s], draw)).map((xs) => makeCase(`${name}(${names(xs)})`, xs, ([x]) => op(x!))),
})

/** A broadcasting binary op; `drawB` gives the second argument its own domain (e.g. a nonzero divisor). */
const binaryLaw = (
  name: string,
  op: (a: Tensor, b: Tensor) => Tensor,
  domain: Domain,
  drawA: Omit<C.TensorConstraints, 'shape' | 'dtype'> = { domain },
  drawB?: Omit<C.TensorConstraints, 'shape' | 'dtype'>,
): Law => ({
  domain,
  cases: pairs
    .chain(([sa, sb]) => (drawB === undefined ? drawn([sa, sb], drawA) : fc.tuple(drawn([sa], drawA), drawn([sb], drawB)).map(([a, b]) => [...a, ...b])))
    .map((xs) => makeCase(`${name}(${names(xs)})`, xs, ([a, b]) => op(a!, b!))),
})

/** A binary op on two tensors of one shape (the fused backward rules take no broadcasting). */
const sameShapeLaw = (name: string, op: (a: Tensor, b: Tensor) => Tensor, domain: Domain, drawB: Omit<C.TensorConstraints, 'shape' | 'dtype'> = { domain }): Law => ({
  domain,
  cases: small
    .chain((s) => fc.tuple(drawn([s], { domain: 'real' }), drawn([s], drawB)).map(([a, b]) => [...a, ...b]))
    .map((xs) => makeCase(`${name}(${names(xs)})`, xs, ([a, b]) => op(a!, b!))),
})

/** Axes arguments of reductions: all (undefined), one (possibly negative), or a subset. */
const axesOf = (rank: number): fc.Arbitrary<number | ReadonlyArray<number> | undefined> => {
  const all = Array.from({ length: rank }, (_, i) => i)
  return rank === 0
    ? fc.constantFrom(undefined, [] as ReadonlyArray<number>)
    : fc.oneof(fc.constant(undefined), fc.integer({ min: -rank, max: rank - 1 }), fc.subarray(all))
}

/** A reduction `op(x, axes, keepDims)` over random axes. */
const reductionLaw = (name: string, op: (x: Tensor, axes?: number | ReadonlyArray<number>, keepDims?: boolean) => Tensor, domain: Domain): Law => ({
  domain,
  cases: C.arbitraryShape({ maxRank: 3, maxDim: 3 })
    .chain((s) => fc.tuple(drawn([s], { domain }), axesOf(s.length), fc.boolean()))
    .map(([xs, axes, keep]) => makeCase(`${name}(${names(xs)}, ${JSON.stringify(axes)}, ${keep})`, xs, ([x]) => op(x!, axes, keep))),
})

/** A last-axis (or any-axis) softmax-like op on tensors of rank >= 1. */
const rowLaw = (name: string, op: (x: Tensor, axis: number) => Tensor, anyAxis: boolean): Law => ({
  domain: 'real',
  cases: rows
    .chain((s) => fc.tuple(drawn([s], { domain: 'real', min: -3, max: 3 }), anyAxis ? fc.integer({ min: -s.length, max: s.length - 1 }) : fc.constant(-1)))
    .map(([xs, axis]) => makeCase(`${name}(${names(xs)}, ${axis})`, xs, ([x]) => op(x!, axis))),
})

/** Several tensors that agree on every axis but `axis`, for concat. */
const concatCases: fc.Arbitrary<Case> = rows
  .chain((s) =>
    fc.tuple(
      fc.integer({ min: 0, max: s.length - 1 }),
      fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }),
    ).chain(([axis, sizes]) => {
      const shapes = sizes.map((d) => s.map((e, i) => (i === axis ? d : e)))
      return drawn(shapes, { domain: 'real' }).map((xs) => makeCase(`concat(${names(xs)}, ${axis})`, xs, (ys) => P.concat(ys, axis)))
    }),
  )

const sliceCases: fc.Arbitrary<Case> = rows.chain((s) =>
  fc.tuple(
    drawn([s], { domain: 'real' }),
    fc.tuple(...s.map((d) => fc.integer({ min: 0, max: d - 1 }).chain((b) => fc.tuple(fc.constant(b), fc.oneof(fc.constant(-1), fc.integer({ min: 1, max: d - b })))))),
  ).map(([xs, bs]) => {
    const begin = bs.map(([b]) => b)
    const size = bs.map(([, z]) => z)
    return makeCase(`slice(${names(xs)}, [${begin}], [${size}])`, xs, ([x]) => P.slice(x!, begin, size))
  }),
)

const padCases: fc.Arbitrary<Case> = small.chain((s) =>
  fc.tuple(drawn([s], { domain: 'real' }), fc.tuple(...s.map(() => fc.integer({ min: 0, max: 2 }).chain((extra) => fc.tuple(fc.integer({ min: 0, max: extra }), fc.constant(extra))))))
    .map(([xs, es]) => {
      const begin = es.map(([b]) => b)
      const shape = s.map((d, i) => d + es[i]![1])
      return makeCase(`pad(${names(xs)}, [${begin}], [${shape}])`, xs, ([x]) => P.pad(x!, begin, shape))
    }),
)

const reshapeCases: fc.Arbitrary<Case> = small.chain((s) =>
  fc.tuple(drawn([s], { domain: 'real' }), fc.constantFrom<ReadonlyArray<number>>([sizeOf(s)], [-1], [...s].reverse(), [1, ...s, 1], [sizeOf(s), -1]))
    .map(([xs, to]) => makeCase(`reshape(${names(xs)}, [${to}])`, xs, ([x]) => P.reshape(x!, to))),
)

const transposeCases: fc.Arbitrary<Case> = C.arbitraryShape({ maxRank: 3, maxDim: 3 }).chain((s) =>
  fc.tuple(drawn([s], { domain: 'real' }), fc.option(fc.shuffledSubarray(s.map((_, i) => i), { minLength: s.length, maxLength: s.length }), { nil: undefined }))
    .map(([xs, perm]) => makeCase(`transpose(${names(xs)}, ${JSON.stringify(perm)})`, xs, ([x]) => P.transpose(x!, perm))),
)

const broadcastToCases: fc.Arbitrary<Case> = pairs.chain(([a, b]) => {
  const to = broadcastShapes('test', a, b)
  return drawn([a], { domain: 'real' }).map((xs) => makeCase(`broadcastTo(${names(xs)}, [${to}])`, xs, ([x]) => P.broadcastTo(x!, to)))
})

const matmulCases: fc.Arbitrary<Case> = C.arbitraryMatmulShapes({ maxDim: 5 }).chain(({ a, b, transposeA, transposeB }) =>
  drawn([a, b], { domain: 'real' }).map((xs) =>
    makeCase(`matmul(${names(xs)}, ${transposeA}, ${transposeB})`, xs, ([x, y]) => P.matmul(x!, y!, { transposeA, transposeB }))),
)

// stacks of 1-3 products, inner dimension 1 (the outer-product path) included
const batchedMatmulCases: fc.Arbitrary<Case> = fc.tuple(C.arbitraryMatmulShapes({ maxDim: 4 }), fc.integer({ min: 1, max: 3 })).chain(([{ a, b, transposeA, transposeB }, n]) =>
  drawn([[n, ...a], [n, ...b]], { domain: 'real' }).map((xs) =>
    makeCase(`batchedMatmul(${names(xs)}, ${transposeA}, ${transposeB})`, xs, ([x, y]) => P.batchedMatmul(x!, y!, { transposeA, transposeB }))),
)

// The condition of `where` is a constant of the case: it is not an argument, so finite
// differences never perturb it across its threshold.
const whereCases: fc.Arbitrary<Case> = C.arbitraryBroadcastShapes({ count: 3, maxRank: 2, maxDim: 3 }).chain(([sc, sa, sb]) =>
  fc.tuple(fc.array(fc.boolean(), { minLength: sizeOf(sc!), maxLength: sizeOf(sc!) }), drawn([sa!, sb!], { domain: 'real' })).map(([bits, xs]) => {
    const c = f64(sc!, bits.map(Number))
    return makeCase(`where([${sc}], ${names(xs)})`, xs, ([a, b]) => P.where(c, a!, b!))
  }),
)

const powCases: fc.Arbitrary<Case> = small.chain((s) =>
  fc.tuple(drawn([s], { domain: 'positive' }), fc.constantFrom(2, 3, 1, 0.5, -1, -1.5, 2.5))
    .map(([xs, p]) => makeCase(`pow(${names(xs)}, ${p})`, xs, ([x]) => P.pow(x!, p))),
)

const expandDimsCases: fc.Arbitrary<Case> = small.chain((s) =>
  fc.tuple(drawn([s], { domain: 'real' }), fc.integer({ min: -(s.length + 1), max: s.length }))
    .map(([xs, axis]) => makeCase(`expandDims(${names(xs)}, ${axis})`, xs, ([x]) => composites.expandDims(x!, axis))),
)

const squeezeCases: fc.Arbitrary<Case> = fc.array(fc.constantFrom(1, 1, 2, 3), { maxLength: 3 }).chain((s) => {
  const ones = s.flatMap((d, i) => (d === 1 ? [i] : []))
  return fc.tuple(drawn([s], { domain: 'real' }), fc.option(fc.subarray(ones), { nil: undefined }))
    .map(([xs, axes]) => makeCase(`squeeze(${names(xs)}, ${JSON.stringify(axes)})`, xs, ([x]) => composites.squeeze(x!, axes)))
})

const stackCases: fc.Arbitrary<Case> = small.chain((s) =>
  fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: s.length })).chain(([n, axis]) =>
    drawn(Array.from({ length: n }, () => s), { domain: 'real' }).map((xs) => makeCase(`stack(${names(xs)}, ${axis})`, xs, (ys) => composites.stack(ys, axis)))),
)

const vdotCases: fc.Arbitrary<Case> = small.chain((s) =>
  drawn([s, s], { domain: 'real' }).map((xs) => makeCase(`vdot(${names(xs)})`, xs, ([a, b]) => composites.vdot(a!, b!))),
)

const logSumExpAxisCases: fc.Arbitrary<Case> = rows.chain((s) =>
  fc.tuple(drawn([s], { domain: 'real', min: -3, max: 3 }), fc.integer({ min: -s.length, max: s.length - 1 }), fc.boolean())
    .map(([xs, axis, keep]) => makeCase(`logSumExp(${names(xs)}, ${axis}, ${keep})`, xs, ([x]) => composites.logSumExp(x!, axis, keep))),
)

/** An index op along any axis (argmax, argmin): shapes of rank >= 1 without empty axes, ties allowed. */
const indexLaw = (name: string, op: (x: Tensor, axis: number, keepDims: boolean) => Tensor): Law => ({
  domain: 'none',
  cases: rows
    .filter((s) => s.every((d) => d > 0))
    .chain((s) => fc.tuple(drawn([s], { domain: 'real' }), fc.integer({ min: -s.length, max: s.length - 1 }), fc.boolean()))
    .map(([xs, axis, keep]) => makeCase(`${name}(${names(xs)}, ${axis}, ${keep})`, xs, ([x]) => op(x!, axis, keep))),
})

/** A window (kernel, stride, dilation, padding) on an image batch small enough for basis finite differences. */
interface WindowCase {
  readonly image: readonly [number, number, number, number]
  readonly kernel: readonly [number, number]
  readonly options: P.WindowOptions
}

const windowCases = (channels: fc.Arbitrary<number>, kernel = fc.integer({ min: 1, max: 3 })): fc.Arbitrary<WindowCase> =>
  fc.record({
    n: fc.integer({ min: 1, max: 2 }), h: fc.integer({ min: 1, max: 4 }), w: fc.integer({ min: 1, max: 4 }), c: channels,
    kh: kernel, kw: kernel, sh: fc.integer({ min: 1, max: 2 }), sw: fc.integer({ min: 1, max: 2 }),
    dh: fc.integer({ min: 1, max: 2 }), dw: fc.integer({ min: 1, max: 2 }),
    padding: fc.oneof(fc.constant<P.Padding>('valid'), fc.constant<P.Padding>('same'), fc.tuple(fc.nat(1), fc.nat(1), fc.nat(1), fc.nat(1)).map(([a, b, c, d]): P.Padding => [[a, b], [c, d]])),
  }).map(({ n, h, w, c, kh, kw, sh, sw, dh, dw, padding }): WindowCase => ({ image: [n, h, w, c], kernel: [kh, kw], options: { stride: [sh, sw], dilation: [dh, dw], padding } }))
    .filter((c) => { try { return K.patchGeometry('test', c.image, c.kernel, c.options).outH > 0 } catch { return false } })

const showWindow = (c: WindowCase): string => `${JSON.stringify(c.kernel)}, ${JSON.stringify(c.options)}`

const extractPatchesCases: fc.Arbitrary<Case> = windowCases(fc.integer({ min: 1, max: 2 })).chain((c) =>
  drawn([c.image], { domain: 'real' }).map((xs) => makeCase(`extractPatches(${names(xs)}, ${showWindow(c)})`, xs, ([x]) => P.extractPatches(x!, c.kernel, c.options))))

const foldPatchesCases: fc.Arbitrary<Case> = windowCases(fc.integer({ min: 1, max: 2 })).chain((c) => {
  const g = K.patchGeometry('test', c.image, c.kernel, c.options)
  const shape = [c.image[0], g.outH, g.outW, g.kh, g.kw, c.image[3]]
  return drawn([shape], { domain: 'real' }).map((xs) => makeCase(`foldPatches(${names(xs)}, [${c.image}], ${showWindow(c)})`, xs, ([p]) => P.foldPatches(p!, c.image, c.options)))
})

// groups of 1 or 2, with 1 or 2 channels in and out per group
const conv2dCases: fc.Arbitrary<Case> = fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })).chain(([groups, cg, og]) =>
  windowCases(fc.constant(groups * cg)).chain((c) =>
    drawn([c.image, [c.kernel[0], c.kernel[1], cg, groups * og]], { domain: 'real' }).map((xs) =>
      makeCase(`conv2d(${names(xs)}, ${JSON.stringify({ ...c.options, groups })})`, xs, ([x, w]) => P.conv2d(x!, w!, { ...c.options, groups })))))

// the two gradients of a one-group convolution, 1 or 2 channels in and out
const conv2dGradientCases = (which: 'input' | 'filter'): fc.Arbitrary<Case> => fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })).chain(([ci, co]) =>
  windowCases(fc.constant(ci)).chain((c) => {
    const g = K.patchGeometry('test', c.image, c.kernel, c.options)
    const ct = [c.image[0], g.outH, g.outW, co]
    return which === 'input'
      ? drawn([ct, [g.kh, g.kw, ci, co]], { domain: 'real' }).map((xs) => makeCase(`conv2dBackpropInput(${names(xs)}, [${c.image}], ${showWindow(c)})`, xs, ([d, w]) => primitives.conv2dBackpropInput(d!, w!, g)))
      : drawn([c.image, ct], { domain: 'real' }).map((xs) => makeCase(`conv2dBackpropFilter(${names(xs)}, ${showWindow(c)})`, xs, ([x, d]) => primitives.conv2dBackpropFilter(x!, d!, g)))
  }))

const conv1dCases: fc.Arbitrary<Case> = fc.record({
  n: fc.integer({ min: 1, max: 2 }), l: fc.integer({ min: 3, max: 5 }), k: fc.integer({ min: 1, max: 3 }), ci: fc.integer({ min: 1, max: 2 }), co: fc.integer({ min: 1, max: 2 }),
  stride: fc.integer({ min: 1, max: 2 }), padding: fc.constantFrom<'valid' | 'same' | 1>('valid', 'same', 1),
}).chain(({ n, l, k, ci, co, stride, padding }) =>
  drawn([[n, l, ci], [k, ci, co]], { domain: 'real' }).map((xs) => makeCase(`conv1d(${names(xs)}, ${stride}, ${padding})`, xs, ([x, w]) => composites.conv1d(x!, w!, { stride, padding }))))

/** A pool over a window (no dilation: the pools take the window, stride and padding). */
const poolLaw = (name: string, op: (x: Tensor, window: P.Pair, options: P.WindowOptions) => Tensor, domain: Domain): Law => ({
  domain,
  cases: windowCases(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })).chain((c) => {
    // PyTorch's rule for pools: at most half the window of padding per side
    const o: P.WindowOptions = { stride: c.options.stride!, padding: c.options.padding === 'valid' || c.options.padding === 'same' ? c.options.padding : 'valid' }
    return drawn([c.image], { domain }).map((xs) => makeCase(`${name}(${names(xs)}, ${showWindow({ ...c, options: o })})`, xs, ([x]) => op(x!, c.kernel, o)))
  }).filter((c) => { try { c.call(c.args); return true } catch { return false } }),
})

// the fused max pool and its gradient, on the pools' windows (geometry resolved from the image)
const poolWindows = windowCases(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })).map((c) => ({
  ...c, options: { stride: c.options.stride!, padding: c.options.padding === 'valid' || c.options.padding === 'same' ? c.options.padding : 'valid' } as P.WindowOptions,
})).filter((c) => { try { return K.patchGeometry('test', c.image, c.kernel, c.options).outH > 0 } catch { return false } })
const maxPoolCases: fc.Arbitrary<Case> = poolWindows.chain((c) => {
  const g = K.patchGeometry('maxPool', c.image, c.kernel, c.options)
  return drawn([c.image], { domain: 'separated' }).map((xs) => makeCase(`maxPool(${names(xs)}, ${showWindow(c)})`, xs, ([x]) => primitives.maxPool(x!, g)))
})
const maxPoolBackwardCases: fc.Arbitrary<Case> = poolWindows.chain((c) => {
  const g = K.patchGeometry('maxPoolBackward', c.image, c.kernel, c.options)
  return fc.tuple(drawn([c.image], { domain: 'separated' }), drawn([[c.image[0], g.outH, g.outW, c.image[3]]], { domain: 'real' }))
    .map(([[x], [d]]) => makeCase(`maxPoolBackward(${names([x!, d!])}, ${showWindow(c)})`, [x!, d!], ([a, b]) => primitives.maxPoolBackward(a!, b!, g)))
})

const imageLaw = (name: string, op: (x: Tensor) => Tensor, domain: Domain): Law => ({
  domain,
  cases: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }))
    .chain((s) => drawn([s], { domain })).map((xs) => makeCase(`${name}(${names(xs)})`, xs, ([x]) => op(x!))),
})

// The indices of gather/scatterAdd are constants of the case (whole numbers: never perturbed).
const gatherCases: fc.Arbitrary<Case> = fc.record({ rows: fc.integer({ min: 1, max: 4 }), rest: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }), picks: fc.array(fc.nat(), { minLength: 0, maxLength: 4 }) })
  .chain(({ rows, rest, picks }) => drawn([[rows, ...rest]], { domain: 'real' }).map((xs) => {
    const idx = f64([picks.length], picks.map((p) => p % rows))
    return makeCase(`gather(${names(xs)}, [${toArray(idx)}])`, xs, ([x]) => P.gather(x!, idx))
  }))

const scatterAddCases: fc.Arbitrary<Case> = fc.record({ size: fc.integer({ min: 1, max: 4 }), rest: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }), picks: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }) })
  .chain(({ size, rest, picks }) => drawn([[picks.length, ...rest]], { domain: 'real' }).map((xs) => {
    const idx = f64([picks.length], picks.map((p) => p % size))
    return makeCase(`scatterAdd(${names(xs)}, [${toArray(idx)}], ${size})`, xs, ([u]) => P.scatterAdd(u!, idx, size))
  }))

/**
 * The table. Keys are primitive names (every key of `primitives` must appear: the type checker
 * and the meta-test below both insist) and composite names; a composite that shares its name with
 * the fused primitive it wraps is listed as `name (axis)`.
 */
const laws = {
  // primitives
  abs: unaryLaw('abs', P.abs, 'nonzero'),
  add: binaryLaw('add', P.add, 'real'),
  atan: unaryLaw('atan', P.atan, 'real'),
  broadcastTo: { domain: 'real', cases: broadcastToCases },
  cast: unaryLaw('cast', (x) => P.cast(x, 'float64'), 'real'),
  concat: { domain: 'real', cases: concatCases },
  conv2d: { domain: 'real', cases: conv2dCases },
  conv2dBackpropInput: { domain: 'real', cases: conv2dGradientCases('input') },
  conv2dBackpropFilter: { domain: 'real', cases: conv2dGradientCases('filter') },
  cos: unaryLaw('cos', P.cos, 'real'),
  div: binaryLaw('div', P.div, 'real', { domain: 'real' }, { domain: 'nonzero', gap: 0.3 }),
  equal: binaryLaw('equal', P.equal, 'none'),
  exp: unaryLaw('exp', P.exp, 'real'),
  extractPatches: { domain: 'real', cases: extractPatchesCases },
  foldPatches: { domain: 'real', cases: foldPatchesCases },
  gather: { domain: 'real', cases: gatherCases },
  greater: binaryLaw('greater', P.greater, 'none'),
  log: unaryLaw('log', P.log, 'positive'),
  logSoftmax: rowLaw('logSoftmax', (x) => P.logSoftmax(x), false),
  logSumExp: rowLaw('logSumExp', (x) => P.logSumExp(x), false),
  batchedMatmul: { domain: 'real', cases: batchedMatmulCases },
  matmul: { domain: 'real', cases: matmulCases },
  max: reductionLaw('max', P.max, 'separated'),
  maxPool: { domain: 'separated', cases: maxPoolCases },
  maxPoolBackward: { domain: 'separated', cases: maxPoolBackwardCases },
  maximum: binaryLaw('maximum', P.maximum, 'separated'),
  mul: binaryLaw('mul', P.mul, 'real'),
  pad: { domain: 'real', cases: padCases },
  pow: { domain: 'positive', cases: powCases },
  relu: unaryLaw('relu', P.relu, 'nonzero'),
  reluBackward: sameShapeLaw('reluBackward', primitives.reluBackward, 'nonzero', { domain: 'nonzero', gap: 0.3 }),
  reshape: { domain: 'real', cases: reshapeCases },
  scatterAdd: { domain: 'real', cases: scatterAddCases },
  sigmoid: unaryLaw('sigmoid', P.sigmoid, 'real'),
  sigmoidBackward: sameShapeLaw('sigmoidBackward', primitives.sigmoidBackward, 'real'),
  sign: unaryLaw('sign', P.sign, 'none'),
  sin: unaryLaw('sin', P.sin, 'real'),
  slice: { domain: 'real', cases: sliceCases },
  softmax: rowLaw('softmax', (x) => P.softmax(x), false),
  softplus: unaryLaw('softplus', P.softplus, 'real'),
  sqrt: unaryLaw('sqrt', P.sqrt, 'positive'),
  square: unaryLaw('square', P.square, 'real'),
  stopGradient: unaryLaw('stopGradient', P.stopGradient, 'none'),
  sub: binaryLaw('sub', P.sub, 'real'),
  sum: reductionLaw('sum', P.sum, 'real'),
  tanh: unaryLaw('tanh', P.tanh, 'real'),
  tanhBackward: sameShapeLaw('tanhBackward', primitives.tanhBackward, 'real'),
  transpose: { domain: 'real', cases: transposeCases },
  where: { domain: 'real', cases: whereCases },
  // composites
  neg: unaryLaw('neg', composites.neg, 'real'),
  step: unaryLaw('step', composites.step, 'none'),
  mean: reductionLaw('mean', composites.mean, 'real'),
  variance: reductionLaw('variance', composites.variance, 'real'),
  minimum: binaryLaw('minimum', composites.minimum, 'separated'),
  min: reductionLaw('min', composites.min, 'separated'),
  clip: unaryLaw('clip', (x) => composites.clip(x, -0.5, 0.5), 'nonzero', { domain: 'real', awayFrom: [-0.5, 0.5] }),
  powTensor: binaryLaw('powTensor', composites.powTensor, 'positive', { domain: 'positive' }, { domain: 'real' }),
  leakyRelu: unaryLaw('leakyRelu', (x) => composites.leakyRelu(x, 0.1), 'nonzero'),
  elu: unaryLaw('elu', (x) => composites.elu(x, 1.5), 'nonzero'),
  gelu: unaryLaw('gelu', composites.gelu, 'real'),
  geluErf: unaryLaw('geluErf', composites.geluErf, 'nonzero'),
  silu: unaryLaw('silu', composites.silu, 'real'),
  'softmax (axis)': rowLaw('softmax', composites.softmax, true),
  'logSoftmax (axis)': rowLaw('logSoftmax', composites.logSoftmax, true),
  'logSumExp (axis)': { domain: 'real', cases: logSumExpAxisCases },
  expandDims: { domain: 'real', cases: expandDimsCases },
  squeeze: { domain: 'real', cases: squeezeCases },
  stack: { domain: 'real', cases: stackCases },
  vdot: { domain: 'real', cases: vdotCases },
  zerosLike: unaryLaw('zerosLike', composites.zerosLike, 'none'),
  onesLike: unaryLaw('onesLike', composites.onesLike, 'none'),
  argmax: indexLaw('argmax', composites.argmax),
  argmin: indexLaw('argmin', composites.argmin),
  conv1d: { domain: 'real', cases: conv1dCases },
  maxPool2d: poolLaw('maxPool2d', composites.maxPool2d, 'separated'),
  avgPool2d: poolLaw('avgPool2d', composites.avgPool2d, 'real'),
  globalAvgPool2d: imageLaw('globalAvgPool2d', composites.globalAvgPool2d, 'real'),
  globalMaxPool2d: imageLaw('globalMaxPool2d', composites.globalMaxPool2d, 'separated'),
  nchwToNhwc: imageLaw('nchwToNhwc', composites.nchwToNhwc, 'real'),
  nhwcToNchw: imageLaw('nhwcToNchw', composites.nhwcToNchw, 'real'),
} satisfies Record<keyof typeof primitives, Law> & Record<string, Law>

const entries: ReadonlyArray<readonly [string, Law]> = Object.entries(laws)
const differentiable = entries.filter(([, l]) => l.domain !== 'none')
const constant = entries.filter(([, l]) => l.domain === 'none')

// Property sizes: the whole file must stay within a few seconds per law.
const RUNS = { fd: 100, transpose: 100, second: 30, none: 30 } as const

// f(xs) = <u, op(xs)> with a fixed random u: a scalar whose gradient is the VJP of op at u.
const scalarized = (c: Case, seed: number): ((xs: ReadonlyArray<Tensor>) => Tensor) => {
  const y = c.call(c.args)
  const u = normal(key(seed), y.shape, { dtype: 'float64' })
  return (xs) => composites.vdot(u, c.call(xs))
}

const tight = { rtol: 1e-5, atol: 1e-6 } as const

describe.each(differentiable)('%s', (_name, law) => {
  it('1. grad (VJP) and jvp match central differences in float64', () => {
    fc.assert(fc.property(law.cases, fc.nat(), (c, seed) => {
      const r = C.checkGrad(scalarized(c, seed), c.args, { ...tight, directions: 'basis' })
      expect(r.ok, r.message).toBe(true)
    }), { numRuns: RUNS.fd })
  })

  it('2. <u, J v> = <Jᵀ u, v>', () => {
    fc.assert(fc.property(law.cases, fc.nat(), (c, seed) => {
      const r = C.checkJvpVjp(c.call, c.args, key(seed))
      expect(r.ok, r.message).toBe(true)
    }), { numRuns: RUNS.transpose })
  })

  it('3. second derivatives (hvp, grad of grad) match differences of the gradient', () => {
    fc.assert(fc.property(law.cases, fc.nat(), (c, seed) => {
      const f = scalarized(c, seed)
      const h = C.checkHvp(f, c.args, { ...tight, directions: 1, key: key(seed) })
      expect(h.ok, h.message).toBe(true)
      // reverse over reverse: the gradient of <∇f, w> is H w
      const w = c.args.map((a, i) => normal(key(seed + i + 1), a.shape, { dtype: 'float64' }))
      const g = C.checkGrad((xs: ReadonlyArray<Tensor>) => dot(grad(f)(xs), w), c.args, { ...tight, directions: 2, key: key(seed) })
      expect(g.ok, g.message).toBe(true)
    }), { numRuns: RUNS.second })
  })
})

describe.each(constant)('%s (not differentiable)', (_name, law) => {
  it('4. has a zero gradient and a zero tangent', () => {
    fc.assert(fc.property(law.cases, fc.nat(), (c, seed) => {
      const f = scalarized(c, seed)
      for (const g of grad(f)(c.args)) expect(Array.from(g.data).every((v) => v === 0)).toBe(true)
      const v = c.args.map((a, i) => normal(key(seed + i), a.shape, { dtype: 'float64' }))
      const [y, t] = jvp(c.call, c.args, v)
      expect(Array.from(t.data).every((x) => x === 0)).toBe(true)
      expect(Array.from(y.data)).toEqual(Array.from(c.call(c.args).data))
    }), { numRuns: RUNS.none })
  })
})

// 1, 0, 1, 0, ... as a condition of `where`.
const alternating = (s: Shape): Tensor => f64(s, Array.from({ length: sizeOf(s) }, (_, i) => (i + 1) % 2))

describe('5. broadcasting binary ops un-broadcast their gradients', () => {
  const binaries: ReadonlyArray<readonly [string, (a: Tensor, b: Tensor) => Tensor, Domain, Domain]> = [
    ['add', P.add, 'real', 'real'],
    ['sub', P.sub, 'real', 'real'],
    ['mul', P.mul, 'real', 'real'],
    ['div', P.div, 'real', 'nonzero'],
    ['maximum', P.maximum, 'separated', 'separated'],
    ['minimum', composites.minimum, 'separated', 'separated'],
    ['powTensor', composites.powTensor, 'positive', 'real'],
    ['where', (a, b) => P.where(alternating(broadcastShapes('where', a.shape, b.shape)), a, b), 'real', 'real'],
  ]
  const shapes: ReadonlyArray<readonly [Shape, Shape]> = [[[3, 1], [4]], [[4], [3, 1]], [[2, 3], []], [[1, 3], [2, 1]]]
  it.each(binaries)('%s', (_name, op, da, db) => {
    for (const [sa, sb] of shapes) {
      fc.assert(fc.property(
        da === 'separated' ? drawn([sa, sb], { domain: 'separated' }) : fc.tuple(drawn([sa], { domain: da }), drawn([sb], { domain: db })).map(([a, b]) => [...a, ...b]),
        fc.nat(),
        (xs, seed) => {
          const c = makeCase('op', xs, ([a, b]) => op(a!, b!))
          const f = scalarized(c, seed)
          const g = grad(f)(xs)
          expect(g.map((t) => t.shape)).toEqual([sa, sb])
          const r = C.checkGrad(f, xs, tight)
          expect(r.ok, r.message).toBe(true)
        },
      ), { numRuns: 5 })
    }
  })
})

describe('6. meta: the table covers every primitive', () => {
  const ops = purenet.ops as unknown as Record<string, unknown>
  const comps = composites as unknown as Record<string, unknown>

  it.each(Object.entries(primitives))('%s has a domain, is exported when public, and has a law', (name, prim) => {
    expect(DOMAINS).toContain(prim.domain)
    expect(prim.name).toBe(name)
    if (name in P) {
      // a listed primitive is exported through `ops`, itself or as the composite that generalises it to any axis
      expect(ops[name] === prim || (ops[name] !== undefined && ops[name] === comps[name])).toBe(true)
    } else {
      // an internal fused rule (table.ts) stays out of the public API
      expect(ops[name], `the internal primitive '${name}' must not be exported from ops`).toBeUndefined()
    }
    if (name === 'stopGradient') expect(purenet.stopGradient).toBe(prim)
    const law: Law | undefined = (laws as Record<string, Law>)[name]
    expect(law, `add an entry for the primitive '${name}' to the table in properties/primitives.test.ts`).toBeDefined()
    expect(law!.domain).toBe(prim.domain)
  })

  it('every primitive exported from ops is in the table of primitives', () => {
    const isPrimitive = (v: unknown): boolean => typeof v === 'function' && 'impl' in v && 'jvp' in v && 'vjp' in v && 'domain' in v
    for (const [name, value] of Object.entries(ops)) {
      if (isPrimitive(value)) expect((primitives as Record<string, unknown>)[name], `add '${name}' to the list of primitives in src/autodiff/primitives/index.ts`).toBe(value)
    }
  })

  it('every composite has a law, and every law is a primitive or a composite', () => {
    for (const [name, value] of Object.entries(composites)) {
      if (typeof value !== 'function') continue
      expect(name in laws || `${name} (axis)` in laws, `add an entry for the composite '${name}'`).toBe(true)
    }
    for (const name of Object.keys(laws)) {
      const base = name.replace(/ \(axis\)$/, '')
      expect(base in primitives || base in composites, `'${name}' in the table is neither a primitive nor a composite`).toBe(true)
    }
  })
})
