import { describe, expect, it } from 'vitest'
import { grad, hvp, jvp, valueAndGrad, vjp, vmap } from '../autodiff/index.js'
import { allFinite } from '../kernels/index.js'
import { softmaxCrossEntropy } from '../losses/index.js'
import * as P from '../autodiff/primitives/index.js'
import { type Tensor, item, tensor, toArray, toFlatArray } from '../tensor/index.js'
import { evaluate, programStats, removeDeadCode, show, StagingError, trace } from './index.js'

const x = tensor([[1, -2, 3], [-4, 5, -6]])
const w = tensor([[0.5, -1], [2, 0.25], [-1.5, 1]])
const loss = (p: { readonly w: Tensor }, xs: Tensor): Tensor => P.sum(P.square(P.tanh(P.matmul(xs, p.w))))

describe('trace', () => {
  it('types the inputs from the example arguments and keeps their trees', () => {
    const p = trace(loss)({ w }, x)
    expect(p.inputs.map((v) => [v.shape, v.dtype])).toEqual([[[3, 2], 'float32'], [[2, 3], 'float32']])
    expect(p.inTree.paths).toEqual(['[0].w', '[1]'])
    expect(p.equations.map((e) => e.prim.name)).toEqual(['matmul', 'tanh', 'square', 'sum'])
    expect(p.outputs).toEqual([p.equations[3]!.out])
    expect(Object.isFrozen(p) && Object.isFrozen(p.equations) && Object.isFrozen(p.equations[0])).toBe(true)
  })

  it('records captured tensors and lifted numbers as constants, each captured tensor once', () => {
    const p = trace((a: Tensor) => P.add(P.mul(a, x), P.mul(P.mul(a, 2), x)))(x)
    expect(p.constants.map((c) => c.value)).toContain(x)
    expect(p.constants.filter((c) => c.value === x)).toHaveLength(1)
    expect(p.constants.some((c) => c.value.shape.length === 0 && c.value.data[0] === 2)).toBe(true)
  })

  it('traces through grad: the forward and backward program of a two-argument loss', () => {
    const g = trace((p: { readonly w: Tensor }, xs: Tensor) => grad((q: { readonly w: Tensor }) => loss(q, xs))(p))({ w }, x)
    const stats = programStats(g)
    expect(stats.byPrimitive).toEqual({ matmul: 2, mul: 2, square: 1, sum: 1, tanh: 1, tanhBackward: 1 })
    const eager = grad((q: { readonly w: Tensor }) => loss(q, x))({ w })
    expect(toArray(evaluate(g)({ w }, x).w)).toEqual(toArray(eager.w))
    // the loss value is computed and dropped: dead code
    expect(programStats(removeDeadCode(g)).byPrimitive).toEqual({ matmul: 2, mul: 2, tanh: 1, tanhBackward: 1 })
  })

  it('traces through vjp, jvp, valueAndGrad and hvp', () => {
    const f = (a: Tensor): Tensor => P.sum(P.mul(P.sin(a), a))
    const [, pullback] = vjp(P.exp, x)
    expect(toArray(evaluate(trace((ct: Tensor) => pullback(ct))(x))(x))).toEqual(toArray(pullback(x)))
    const jp = trace((a: Tensor, t: Tensor) => jvp(f, a, t))(x, x)
    expect(toArray(evaluate(jp)(x, w.shape.length === 2 ? x : x)[1])).toEqual(toArray(jvp(f, x, x)[1]))
    const vg = trace(valueAndGrad(f))(x)
    expect(item(evaluate(vg)(x)[0])).toBe(item(f(x)))
    const hp = trace(hvp(f))(x, x)
    expect(toArray(evaluate(hp)(x, x))).toEqual(toArray(hvp(f)(x, x)))
  })

  it('nests: grad of an evaluated program, and a trace of grad of grad', () => {
    const f = (a: Tensor): Tensor => P.sum(P.exp(P.mul(a, 0.1)))
    const p = trace(f)(x)
    expect(toArray(grad(evaluate(p))(x))).toEqual(toArray(grad(f)(x)))
    const gg = trace(grad((a: Tensor) => P.sum(grad(f)(a))))(x)
    expect(toArray(evaluate(gg)(x))).toEqual(toArray(grad((a: Tensor) => P.sum(grad(f)(a)))(x)))
  })

  it('traces inside a transformation: arguments that are tracers of grad or of another trace', () => {
    const f = (a: Tensor): Tensor => P.sum(P.mul(P.sin(a), a))
    // as jit inside grad would: trace at the tracer's shape, evaluate on the tracer
    expect(toArray(grad((a: Tensor) => evaluate(trace(f)(a))(a))(x))).toEqual(toArray(grad(f)(x)))
    expect(show(trace((a: Tensor) => evaluate(trace(f)(a))(a))(x))).toBe(show(trace(f)(x)))
  })

  it('traces through vmap (the batched program), and vmap batches an evaluated program', () => {
    const f = (a: Tensor): Tensor => P.sum(P.sin(P.mul(a, a)))
    const p = trace(vmap(grad(f)))(x)
    expect(p.inputs[0]!.shape).toEqual([2, 3])
    expect(toArray(evaluate(p)(x))).toEqual(toArray(vmap(grad(f))(x)))
    const one = trace(f)(tensor([1, 2, 3]))
    expect(toArray(vmap(evaluate(one))(x))).toEqual(toArray(vmap(f)(x)))
  })

  it('keeps static parameters as frozen copies: the caller may reuse its arrays', () => {
    const begin = [0, 1]
    const p = trace((a: Tensor) => P.slice(a, begin, [2, 2]))(x)
    begin[1] = 0
    expect(show(p)).toContain('slice[begin=(0,1) size=(2,2)]')
    expect(Object.isFrozen((p.equations[0]!.params as { begin: number[] }).begin)).toBe(true)
  })

  it('records non-differentiable primitives too (they pass through derivative traces)', () => {
    const p = trace(grad((a: Tensor) => P.sum(P.mul(P.sign(a), P.stopGradient(a)))))(x)
    expect(p.equations.map((e) => e.prim.name)).toContain('sign')
    expect(toArray(evaluate(p)(x))).toEqual(toArray(grad((a: Tensor) => P.sum(P.mul(P.sign(a), P.stopGradient(a))))(x)))
  })

  it('keeps an output that is an input or a constant', () => {
    const p = trace((a: Tensor, b: Tensor) => [b, a, x] as const)(x, w)
    expect(p.equations).toHaveLength(0)
    const [b, a, c] = evaluate(p)(x, w)
    expect([b, a, c]).toEqual([w, x, x])
  })
})

describe('trace: data-dependent control flow is an error naming the read and the value', () => {
  const reads: ReadonlyArray<readonly [string, (t: Tensor) => unknown, RegExp]> = [
    ['item', (t) => item(P.sum(t)), /element 0 of its data \(read by item\) was read from the staged value b:f32\[\] \(the output of sum\)/],
    ['toArray', (t) => toArray(t), /element 0 of its data .*the staged value a:f32\[2,3\] \(argument \[0\]\)/],
    ['toFlatArray', (t) => toFlatArray(P.exp(t)), /its data as an iterable .*b:f32\[2,3\] \(the output of exp\)/],
    ['.data[i]', (t) => t.data[3], /element 3 of its data/],
    ['allFinite', (t) => allFinite(P.relu(t)), /read by allFinite.*the output of relu/],
    ['data.map', (t) => t.data.map((v) => v * 2), /its data's map/],
  ]
  it.each(reads)('%s', (_name, read, message) => {
    expect(() => trace((t: Tensor) => { read(t); return t })(x)).toThrow(StagingError)
    expect(() => trace((t: Tensor) => { read(t); return t })(x)).toThrow(message)
    expect(() => trace((t: Tensor) => { read(t); return t })(x)).toThrow(/ops\.where\(condition, a, b\)/)
  })

  it('an if on a value inside grad inside trace', () => {
    const f = (a: Tensor): Tensor => (item(P.sum(a)) > 0 ? P.sum(P.exp(a)) : P.sum(a))
    expect(() => trace(grad(f))(x)).toThrow(/read by item.*the output of sum/)
    // outside trace the same function is fine
    expect(grad(f)(x).shape).toEqual([2, 3])
  })

  it('shapes and dtypes stay readable', () => {
    const p = trace((t: Tensor) => (t.shape[0] === 2 && t.dtype === 'float32' && t.size === 6 && t.data.length === 6 ? P.mul(t, -1) : t))(x)
    expect(p.equations.map((e) => e.prim.name)).toEqual(['mul'])
  })

  it('a value of an enclosing transformation captured by the closure is an error', () => {
    const f = (a: Tensor): Tensor => {
      const p = trace((b: Tensor) => P.mul(a, b))(x)
      return P.sum(evaluate(p)(x))
    }
    expect(() => grad(f)(x)).toThrow(/argument 0 of mul is a value \(float32\[2, 3\]\) of a transformation that encloses this trace call.*pass it to the traced function as an argument/)
  })

  it('a result that is not a tree of tensors is a TreeError naming the path; a throw inside f closes the trace', () => {
    expect(() => trace((a: Tensor) => ({ y: item(a) > 0 }) as unknown as Tensor)(tensor(1))).toThrow(StagingError)
    expect(() => trace((a: Tensor) => ({ y: a, n: 3 }) as unknown as Tensor)(x)).toThrow(/trace \(output\): at n: expected a tensor, an array or a record, got number/)
    let kept: Tensor | undefined
    expect(() => trace((a: Tensor) => { kept = P.exp(a); throw new Error('boom') })(x)).toThrow('boom')
    expect(toArray(P.add(kept!, 1))).toEqual(toArray(P.add(P.exp(x), 1)))
  })

  it('class indices given as an argument stage (their one-hot rows are built by ops) and evaluate to the eager loss', () => {
    const logits = tensor([[1, 2], [3, 1]])
    const staged = trace(softmaxCrossEntropy)(logits, tensor([0, 1]))
    expect(staged.equations.map((e) => e.prim.name)).toContain('equal')
    expect(toArray(evaluate(staged)(tensor([[0.5, -1], [2, 4]]), tensor([1, 1])))).toEqual(toArray(softmaxCrossEntropy(tensor([[0.5, -1], [2, 4]]), tensor([1, 1]))))
    // one-hot targets stage (and captured class indices are constants)
    expect(trace(softmaxCrossEntropy)(logits, tensor([[1, 0], [0, 1]])).equations.length).toBeGreaterThan(2)
    expect(trace((l: Tensor) => softmaxCrossEntropy(l, tensor([0, 1])))(logits).equations.length).toBeGreaterThan(2)
  })

  it('the staged values of a finished trace act as their example values', () => {
    let leaked: Tensor | undefined
    trace((a: Tensor) => (leaked = P.exp(a)))(x)
    expect(toArray(leaked!)).toEqual(toArray(P.exp(x)))
  })
})

describe('show', () => {
  it('prints a program like a jaxpr', () => {
    const p = trace((p: { readonly w: Tensor }, xs: Tensor) => P.mul(P.sum(P.tanh(P.matmul(xs, p.w)), 1), 0.5))({ w }, x)
    expect(show(p)).toBe([
      '{ lambda ; a:f32[3,2] b:f32[2,3]. let',
      '    c:f32[2,2] = matmul[ta=false tb=false] b a',
      '    d:f32[2,2] = tanh c',
      '    e:f32[2] = sum[axes=(1,) keepDims=false] d',
      '    f:f32[2] = mul e 0.5',
      '  in (f) }',
    ].join('\n'))
  })

  it('names array constants k0, k1, ..., writes scalars inline (shortest float32 text), and many variables ba, bb, ...', () => {
    const p = trace((a: Tensor) => {
      let y = P.add(a, x)
      for (let i = 0; i < 30; i++) y = P.mul(y, 0.1)
      return P.cast(y, 'float64')
    })(x)
    const text = show(p)
    expect(text.split('\n')[0]).toBe('{ lambda k0:f32[2,3] ; a:f32[2,3]. let')
    expect(text).toContain('    b:f32[2,3] = add a k0\n    c:f32[2,3] = mul b 0.1\n')
    expect(text).toContain('    ba:f32[2,3] = mul z 0.1')
    expect(text).toContain('= cast[float64] bf')
    expect(text.endsWith('  in (bg) }')).toBe(true)
  })

  it('is stable: two traces of one function print the same', () => {
    const g = (p: { readonly w: Tensor }) => grad((q: { readonly w: Tensor }) => loss(q, x))(p)
    expect(show(trace(g)({ w }))).toBe(show(trace(g)({ w: P.mul(w, 3) })))
  })
})
