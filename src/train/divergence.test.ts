import { describe, expect, it } from 'vitest'
import { dataset } from '../data/index.js'
import * as ops from '../ops/index.js'
import * as optim from '../optim/index.js'
import { type Key, key, normal } from '../random/index.js'
import { type DType, type Tensor, isTensor, tensor } from '../tensor/index.js'
import { type Tree, map } from '../tree/index.js'
import { fit, initialState } from './fit.js'
import { allFiniteIn, step } from './step.js'
import { DivergenceError, type Model, type OptimizerLike } from './TrainState.js'

// A linear model on data with large targets, so that a huge learning rate overflows the update
// while the loss and the gradient of the first step are still finite.
type Linear = { readonly w: Tensor; readonly b: Tensor }
const linear = (dtype: DType): Model<Linear> => ({
  name: 'linear(2, 1)',
  init: (k: Key) => ({ w: normal(k, [2, 1], { dtype }), b: tensor([0], { dtype }) }),
  apply: (p) => (x) => ops.add(ops.matmul(x, p.w), p.b),
})
const mse = (p: Tensor, t: Tensor): Tensor => ops.mean(ops.square(ops.sub(p, t)))
const dataOf = (dtype: DType) => dataset(tensor([[1, 2], [3, -1], [-2, 1], [0.5, 4]], { dtype }), tensor([[100], [-50], [80], [200]], { dtype }))
// plain SGD written op by op (no fused step), so the op-by-op path of train.step runs
const plainSgd = <P extends Tree>(lr: number): OptimizerLike<P, { readonly count: number }> => ({
  init: () => ({ count: 0 }),
  update: (g, s) => [map(g, (x) => ops.mul(x, -lr)), { count: s.count + 1 }],
})

const divergence = (run: () => unknown): DivergenceError<Tree, unknown> => {
  try {
    run()
  } catch (e) {
    if (e instanceof DivergenceError) return e as DivergenceError<Tree, unknown>
    throw e
  }
  throw new Error('expected a DivergenceError')
}

// every tensor element and every number, by a walk of its own (not the one under test)
const everyTensorFinite = (u: unknown): boolean =>
  isTensor(u) ? Array.from(u.data).every(Number.isFinite)
    : typeof u === 'number' ? Number.isFinite(u)
      : typeof u === 'object' && u !== null ? Object.values(u).every(everyTensorFinite)
        : true

describe('divergence of the update (the parameters or the optimizer state overflow)', () => {
  // each case runs fit with its optimizer, so every optimizer keeps its own state type
  type Run = { readonly net: Model<Linear>; readonly loss: typeof mse; readonly data: ReturnType<typeof dataOf>; readonly epochs: number; readonly batchSize: number; readonly key: Key }
  const cases: ReadonlyArray<readonly [string, DType, (o: Run) => unknown]> = [
    ['sgd 3e38 (fused), float32', 'float32', (o) => fit({ ...o, optimizer: optim.sgd(3e38) })],
    ['sgd 1e308 (fused), float64', 'float64', (o) => fit({ ...o, optimizer: optim.sgd(1e308) })],
    ['momentum 3e38 (op by op), float32', 'float32', (o) => fit({ ...o, optimizer: optim.momentum(3e38) })],
    ['plain sgd 3e38 (op by op), float32', 'float32', (o) => fit({ ...o, optimizer: plainSgd<Linear>(3e38) })],
  ]
  it.each(cases)('%s: stops at step 1 and error.state is the finite initial state', (_, dtype, run) => {
    const options = { net: linear(dtype), loss: mse, data: dataOf(dtype), epochs: 3, batchSize: 4, key: key(1) }
    const err = divergence(() => run(options))
    expect(err.what).toBe('parameters')
    expect(err.step).toBe(1)
    expect(err.message).toContain('the update made the parameters or the optimizer state not finite')
    expect(err.state.step).toBe(0)
    expect(err.history?.loss.length).toBe(0)
    expect(everyTensorFinite(err.state.params) && everyTensorFinite(err.state.optState)).toBe(true)
  })

  it('adam with a huge rate: whatever stops it, error.state is finite', () => {
    for (const lr of [3e38, 1e30]) {
      const options = { net: linear('float32'), loss: mse, optimizer: optim.adam(lr), data: dataOf('float32'), epochs: 50, batchSize: 2, key: key(1) }
      const err = divergence(() => fit(options))
      expect(err.state.step).toBe(err.step - 1)
      expect(everyTensorFinite(err.state.params) && everyTensorFinite(err.state.optState)).toBe(true)
      expect(allFiniteIn(err.state.params) && allFiniteIn(err.state.optState)).toBe(true)
    }
  })

  it('step alone refuses to hand out an overflowed state', () => {
    const options = { net: linear('float32'), loss: mse, optimizer: optim.sgd(3e38) }
    const s0 = initialState({ ...options, key: key(2) })
    expect(() => step(options)(s0, dataOf('float32'))).toThrow(DivergenceError)
    // a moderate rate takes the step
    expect(step({ ...options, optimizer: optim.sgd(1e-3) })(s0, dataOf('float32')).state.step).toBe(1)
  })

  it('applyGradients reports an overflowed output (the eager train.step runs it)', () => {
    const p = { w: tensor([1, 2]) }
    const applied = (opt: optim.GradientTransformation, g: Tensor) => optim.applyGradients(opt, { w: g }, opt.init(p), p)
    expect(applied(optim.sgd(3e38), tensor([2, 1])).updatedFinite).toBe(false)
    expect(applied(optim.adam(0.1), tensor([1e20, 1])).updatedFinite).toBe(false) // g² overflows nu
    expect(applied(optim.adam(0.1), tensor([1, 1])).updatedFinite).toBe(true)
    expect(applied(optim.sgd(0.1), tensor([NaN, 1])).gradientsFinite).toBe(false)
  })

  it('refuses to start from a state that is not finite', () => {
    const options = { net: linear('float32'), loss: mse, optimizer: plainSgd<Linear>(0.1), data: dataOf('float32'), epochs: 1, batchSize: 4, key: key(3) }
    const s0 = initialState(options)
    const bad = { ...s0, params: { ...s0.params, b: tensor([Infinity]) } }
    expect(() => fit({ ...options, initialState: bad })).toThrow('train.fit: the initial state (after 0 steps) holds a NaN or an infinite parameter or optimizer state')
  })
})
