/**
 * The optimizer laws of src/optim/index.ts, run for every optimizer of one table (and a few
 * chains): convergence on a convex quadratic, state structure, chain identity, chain
 * associativity, determinism, one path (applyGradients = update + applyUpdates, bit for bit), and
 * compiled updates (jit of the rule with its per-step scalars as arguments gives the eager numbers
 * bit for bit, one program for every step; and an update under jvp gives the eager numbers).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { grad, jvp } from '../src/autodiff/index.js'
import { add, cast, mul, square, sub, sum } from '../src/ops/index.js'
import * as O from '../src/optim/index.js'
import { type Tensor, isTensor, scalar, tensor } from '../src/tensor/index.js'
import { type Tree, leaves, map, sameStructure, zipWith } from '../src/tree/index.js'
import { jit } from '../src/stage/index.js'

const S = O.schedules

/** The parameter tree of every law: a vector and a scalar in a nested array of records. */
type Params = { readonly w: Tensor; readonly nested: readonly [{ readonly b: Tensor }] }

const params = (w: ReadonlyArray<number>, b: number): Params => ({ w: tensor([...w]), nested: [{ b: tensor(b) }] })

interface Entry {
  readonly name: string
  readonly optimizer: O.Optimizer
  /** Steps to converge on the quadratic. */
  readonly steps: number
  /** The largest allowed |w - c| after `steps` steps. */
  readonly tolerance: number
}

// Learning rates per entry, chosen for curvatures 2a in [1, 4]: plain SGD contracts by
// |1 - 2a·lr| per step; the adaptive methods take steps of about lr and need a decaying schedule
// (or Adam's shrinking ratio) to settle. AdamW settles where its decay balances the gradient,
// about λ·|w| away from c.
const table: ReadonlyArray<Entry> = [
  { name: 'sgd', optimizer: O.sgd(0.2), steps: 200, tolerance: 1e-4 },
  { name: 'sgd with warm-up and cosine decay', optimizer: O.sgd(S.warmup(S.cosineDecay(0.25, { decaySteps: 250, alpha: 0.2 }), { steps: 20 })), steps: 200, tolerance: 1e-4 },
  { name: 'sgd with step decay', optimizer: O.sgd(S.stepDecay(0.2, { stepSize: 100, factor: 0.5 })), steps: 200, tolerance: 1e-4 },
  { name: 'momentum', optimizer: O.momentum(0.05), steps: 200, tolerance: 1e-3 },
  { name: 'nesterov', optimizer: O.momentum(0.05, { beta: 0.9, nesterov: true }), steps: 200, tolerance: 1e-3 },
  { name: 'adam', optimizer: O.adam(0.05), steps: 300, tolerance: 1e-3 },
  { name: 'adam with cosine decay', optimizer: O.adam(S.cosineDecay(0.3, { decaySteps: 300 })), steps: 300, tolerance: 1e-3 },
  { name: 'adamw', optimizer: O.adamw(S.cosineDecay(0.3, { decaySteps: 300 }), { weightDecay: 1e-4 }), steps: 300, tolerance: 2e-3 },
  { name: 'rmsprop', optimizer: O.rmsprop(S.cosineDecay(0.1, { decaySteps: 300 })), steps: 300, tolerance: 1e-3 },
  { name: 'rmsprop, centred, momentum', optimizer: O.rmsprop(S.exponentialDecay(0.03, { transitionSteps: 100, decayRate: 0.1 }), { centered: true, momentum: 0.9 }), steps: 300, tolerance: 1e-3 },
  { name: 'chain(clipByGlobalNorm, sgd)', optimizer: O.chain(O.clipByGlobalNorm(1), O.sgd(0.2)), steps: 200, tolerance: 1e-4 },
  { name: 'chain(clipByGlobalNorm, adam)', optimizer: O.chain(O.clipByGlobalNorm(1), O.adam(S.piecewiseConstant([150], [0.1, 0.01]))), steps: 300, tolerance: 1e-3 },
  {
    name: 'chain(scaleByAdam, addDecayedWeights, scaleByLearningRate)',
    optimizer: O.chain(O.scaleByAdam({ b1: 0.8 }), O.addDecayedWeights(1e-4), O.scaleByLearningRate(S.linear(0.2, 0.001, 300))),
    steps: 300,
    tolerance: 2e-3,
  },
]

/** f(w) = sum over leaves of sum(a·(w - c)²): convex, minimal at w = c. */
const quadratic = (a: Params, c: Params) => (p: Params): Tensor =>
  leaves(zipWith(p, c, (x, y, path) => mul(square(sub(x, y)), leafAt(a, path)))).reduce((s: Tensor, l) => add(s, sum(l)), scalar(0))

const leafAt = (t: Params, path: string): Tensor => (path === 'w' ? t.w : t.nested[0].b)

const positive = (max: number) => fc.double({ min: 0.5, max, noNaN: true, noDefaultInfinity: true })
/** Curvatures a in [0.5, 2] and a minimum c in [0.5, 3]^n, of one size. */
const problem = fc.integer({ min: 1, max: 4 }).chain((n) =>
  fc.record({
    a: fc.tuple(fc.array(positive(2), { minLength: n, maxLength: n }), positive(2)).map(([w, b]) => params(w, b)),
    c: fc.tuple(fc.array(positive(3), { minLength: n, maxLength: n }), positive(3)).map(([w, b]) => params(w, b)),
  }),
)
const gradient = fc.double({ min: -10, max: 10, noNaN: true, noDefaultInfinity: true })
/** A sequence of gradient trees shaped like `params([w0, w1, w2], b)`. */
const gradients = fc.array(fc.tuple(fc.array(gradient, { minLength: 3, maxLength: 3 }), gradient).map(([w, b]) => params(w, b)), { minLength: 1, maxLength: 5 })
const start = params([0.5, -1, 2], 1.5)

/** A description of a state's structure: records, arrays, numbers, and tensor dtypes and shapes. Throws on anything else. */
const structure = (u: unknown): unknown => {
  if (typeof u === 'number') return 'number'
  if (isTensor(u)) return `${u.dtype}[${u.shape.join(', ')}]`
  if (Array.isArray(u)) return u.map(structure)
  if (typeof u === 'object' && u !== null && Object.getPrototypeOf(u) === Object.prototype) {
    return Object.fromEntries(Object.entries(u).map(([k, v]) => [k, structure(v)]))
  }
  throw new TypeError(`not a state: ${String(u)}`)
}

/** Whether a value and everything in it (but tensor data) is frozen. */
const deepFrozen = (u: unknown): boolean =>
  typeof u !== 'object' || u === null || (Object.isFrozen(u) && (isTensor(u) || Object.values(u).every(deepFrozen)))

/** All numbers of a state or tree, in order, tensors' elements included: for bit-for-bit comparison. */
const numbers = (u: unknown): number[] => {
  if (typeof u === 'number') return [u]
  if (isTensor(u)) return Array.from(u.data)
  if (typeof u === 'object' && u !== null) return Object.values(u).flatMap(numbers)
  return []
}

/** Runs `update` along `grads` from `init(start)`; returns every update and every state. */
const trajectory = (opt: O.GradientTransformation, grads: ReadonlyArray<Params>) => {
  let state = opt.init(start)
  let p = start
  const updates: Params[] = []
  const states: O.OptState[] = [state]
  for (const g of grads) {
    const [u, s] = opt.update(g, state, p)
    updates.push(u)
    states.push(s)
    p = O.applyUpdates(p, u)
    state = s
  }
  return { updates, states }
}

describe.each(table)('optimizer laws: $name', ({ optimizer, steps, tolerance }) => {
  it('1. convergence: reaches the minimum of a convex quadratic', () => {
    fc.assert(
      fc.property(problem, ({ a, c }) => {
        const f = quadratic(a, c)
        const df = grad(f)
        let p = map(c, (x) => mul(x, 0))
        let state = optimizer.init(p)
        for (let i = 0; i < steps; i++) {
          const [u, s] = optimizer.update(df(p), state, p)
          p = O.applyUpdates(p, u)
          state = s
        }
        const error = Math.max(...numbers(zipWith(p, c, (x, y) => sub(x, y))).map(Math.abs))
        expect(error).toBeLessThanOrEqual(tolerance)
        expect(p.w.dtype).toBe('float32')
      }),
      { numRuns: 12 },
    )
  })

  it('2. state structure: update keeps the structure of the state and of the updates; states are frozen plain values', () => {
    fc.assert(
      fc.property(gradients, (grads) => {
        const { updates, states } = trajectory(optimizer, grads)
        const initial = structure(states[0])
        for (const s of states) {
          expect(structure(s)).toEqual(initial)
          expect(deepFrozen(s)).toBe(true)
        }
        updates.forEach((u, i) => expect(sameStructure(u, grads[i]!)).toBe(true))
      }),
      { numRuns: 20 },
    )
  })

  it('3. chain identity: chain(t), chain(chain(), t, chain()) and t give the same updates', () => {
    fc.assert(
      fc.property(gradients, (grads) => {
        const expected = trajectory(optimizer, grads).updates.map(numbers)
        expect(trajectory(O.chain(optimizer), grads).updates.map(numbers)).toEqual(expected)
        expect(trajectory(O.chain(O.chain(), optimizer, O.chain()), grads).updates.map(numbers)).toEqual(expected)
      }),
      { numRuns: 10 },
    )
  })

  it('5. determinism: the same inputs give bit-identical updates and states', () => {
    fc.assert(
      fc.property(gradients, (grads) => {
        const first = trajectory(optimizer, grads)
        const second = trajectory(optimizer, grads)
        expect(second.updates.map(numbers)).toEqual(first.updates.map(numbers))
        expect(second.states.map(numbers)).toEqual(first.states.map(numbers))
        // Calling update again on an old state gives the same answer: nothing is hidden in the optimizer.
        const [again] = optimizer.update(grads[0]!, first.states[0]!, start)
        expect(numbers(again)).toEqual(numbers(first.updates[0]))
      }),
      { numRuns: 10 },
    )
  })
})

describe.each(table)('optimizer law 6, one path: $name', ({ optimizer }) => {
  it('6. applyGradients gives the parameters and state of update + applyUpdates, bit for bit, float32 and float64', () => {
    fc.assert(
      fc.property(gradients, fc.constantFrom('float32' as const, 'float64' as const), (grads, dtype) => {
        const to = (t: Params): Params => map(t, (x) => cast(x, dtype))
        let p1 = to(start)
        let p2 = p1
        let s1 = optimizer.init(p1)
        let s2 = s1
        for (const g0 of grads) {
          const g = to(g0)
          const [u, next] = optimizer.update(g, s1, p1)
          p1 = O.applyUpdates(p1, u)
          s1 = next
          const r = O.applyGradients(optimizer, g, s2, p2)
          p2 = r.params
          s2 = r.state
          expect(numbers(p2)).toEqual(numbers(p1))
          expect(numbers(s2)).toEqual(numbers(s1))
          expect(structure(s2)).toEqual(structure(s1))
          expect(p2.w.dtype).toBe(dtype)
        }
      }),
      { numRuns: 10 },
    )
  })
})

describe('chain laws', () => {
  it('3. chain identity: chain() returns the updates themselves', () => {
    fc.assert(
      fc.property(gradients, (grads) => {
        const id = O.chain()
        const [u, s] = id.update(grads[0]!, id.init(start), start)
        expect(u).toBe(grads[0])
        expect(s).toEqual([])
      }),
    )
  })

  // Stateful and stateless transformations; each thunk builds a fresh one.
  const pool: ReadonlyArray<readonly [string, () => O.GradientTransformation]> = [
    ['clipByGlobalNorm(1)', () => O.clipByGlobalNorm(1)],
    ['scaleByAdam()', () => O.scaleByAdam()],
    ['trace(0.5, nesterov)', () => O.trace({ decay: 0.5, nesterov: true })],
    ['addDecayedWeights(0.1)', () => O.addDecayedWeights(0.1)],
    ['scaleBySchedule(cosine)', () => O.scaleBySchedule(S.cosineDecay(1, { decaySteps: 4 }))],
    ['scale(-0.5)', () => O.scale(-0.5)],
    ['scaleByRms()', () => O.scaleByRms()],
    ['scaleByStandardDeviation()', () => O.scaleByStandardDeviation({ decay: 0.5 })],
    ['scaleByLearningRate(0.1)', () => O.scaleByLearningRate(0.1)],
    ['adam(0.1)', () => O.adam(0.1)],
  ]
  const transformation = fc.constantFrom(...pool)

  it('4. chain associativity: chain(chain(a, b), c) and chain(a, chain(b, c)) give bit-identical updates', () => {
    fc.assert(
      fc.property(transformation, transformation, transformation, gradients, ([, a], [, b], [, c], grads) => {
        const left = trajectory(O.chain(O.chain(a(), b()), c()), grads)
        const right = trajectory(O.chain(a(), O.chain(b(), c())), grads)
        const flat = trajectory(O.chain(a(), b(), c()), grads)
        expect(left.updates.map(numbers)).toEqual(right.updates.map(numbers))
        expect(flat.updates.map(numbers)).toEqual(left.updates.map(numbers))
        // The states hold the same numbers, only nested differently.
        expect(left.states.map(numbers)).toEqual(right.states.map(numbers))
      }),
      { numRuns: 60 },
    )
  })
})

describe.each(table)('optimizer law 7, compiled: $name', ({ optimizer }) => {
  it('7. jit of the rule with its scalars as arguments gives the numbers of the eager applyGradients, bit for bit, float32 and float64, compiling once', () => {
    const rule = optimizer.rule
    if (rule === undefined) {
      // clipping by global norm reads the norm's value: such a chain declares no rule and stays eager
      expect(optimizer.update).toBeTypeOf('function')
      return
    }
    fc.assert(
      fc.property(gradients, fc.constantFrom('float32' as const, 'float64' as const), (grads, dtype) => {
        const to = (t: Params): Params => map(t, (x) => cast(x, dtype))
        // what train.step compiles: the steps' ops on the leaves, then applyUpdates, the per-step numbers as inputs
        const first = rule.begin(optimizer.init(to(start)))
        const compiled = jit((g: Params, p: Params, moments: ReadonlyArray<ReadonlyArray<Tree>>, scalars: ReadonlyArray<ReadonlyArray<Tensor>>) => {
          const [u, next] = O.runSteps(first.steps, g, p, moments, scalars, rule.name)
          return [O.applyUpdates(p, u), next] as const
        })
        let p1 = to(start)
        let p2 = p1
        let s1 = optimizer.init(p1)
        let s2 = s1
        for (const g0 of grads) {
          const g = to(g0)
          const r = O.applyGradients(optimizer, g, s1, p1)
          p1 = r.params
          s1 = r.state
          const { steps, end } = rule.begin(s2)
          expect(O.stepsShape(steps)).toBe(O.stepsShape(first.steps))
          const scalars = O.scalarsOf(steps).map((xs) => xs.map((v) => scalar(v, dtype)))
          const [p, moments] = compiled(g, p2, steps.map((st) => (st.kind === 'map' ? st.moments : [])), scalars)
          p2 = p
          s2 = end(moments)
          expect(numbers(p2)).toEqual(numbers(p1))
          expect(numbers(s2)).toEqual(numbers(s1))
        }
        expect(compiled.stats()).toEqual({ compiles: grads.length > 0 ? 1 : 0, calls: grads.length })
      }),
      { numRuns: 8 },
    )
  })
})

/** The tensors of a state, in order (its step counts left out): what a traced update returns of it. */
const stateTensors = (u: unknown): Tensor[] => {
  if (isTensor(u)) return [u]
  if (typeof u === 'object' && u !== null) return Object.values(u).flatMap(stateTensors)
  return []
}

describe.each(table)('optimizer law 7, traced updates: $name', ({ optimizer }) => {
  it('7. update inside jvp gives the numbers of the eager update, bit for bit, float32 and float64', () => {
    fc.assert(
      fc.property(gradients, fc.constantFrom('float32' as const, 'float64' as const), (grads, dtype) => {
        const to = (t: Params): Params => map(t, (x) => cast(x, dtype))
        let p = to(start)
        let s = optimizer.init(p)
        for (const g0 of grads) {
          const g = to(g0)
          const [u, next] = optimizer.update(g, s, p)
          // a zero tangent still makes every leaf of g a tracer: update runs the tensor form
          const [traced] = jvp((x: Params) => {
            const [v, n] = optimizer.update(x, s, p)
            return [v, stateTensors(n)] as const
          }, g, map(g, (x) => mul(x, 0)))
          expect(numbers(traced[0])).toEqual(numbers(u))
          expect(numbers(traced[1])).toEqual(numbers(stateTensors(next)))
          p = O.applyUpdates(p, u)
          s = next
        }
      }),
      { numRuns: 10 },
    )
  })
})
