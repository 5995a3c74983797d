import { describe, expect, it } from 'vitest'
import { grad, jvp } from '../autodiff/index.js'
import * as P from '../autodiff/primitives/index.js'
import { ShapeError, type Tensor, tensor, toArray } from '../tensor/index.js'
import { TreeError } from '../tree/index.js'
import { evaluate, removeDeadCode, show, trace } from './index.js'
import type { Program } from './Program.js'

const w = tensor([[1, 2], [3, 4], [5, 6]])
const b = tensor([0.5, -0.5])
const x = tensor([[1, 0, -1]])
type Params = { readonly w: Tensor; readonly b: Tensor }
const layer = (p: Params, xs: Tensor): Tensor => P.tanh(P.add(P.matmul(xs, p.w), p.b))
const program = trace(layer)({ w, b }, x)

describe('evaluate', () => {
  it('runs the program on other values of the same types', () => {
    const w2 = P.mul(w, -0.1)
    expect(toArray(evaluate(program)({ w: w2, b }, x))).toEqual(toArray(layer({ w: w2, b }, x)))
  })

  it('is differentiable (grad, jvp) and traceable', () => {
    const f = (p: Params): Tensor => P.sum(evaluate(program)(p, x))
    const g = grad(f)({ w, b })
    const h = grad((p: Params) => P.sum(layer(p, x)))({ w, b })
    expect(toArray(g.w)).toEqual(toArray(h.w))
    expect(toArray(jvp((xs: Tensor) => evaluate(program)({ w, b }, xs), x, x)[1])).toEqual(toArray(jvp((xs: Tensor) => layer({ w, b }, xs), x, x)[1]))
    expect(show(trace(evaluate(program))({ w, b }, x))).toBe(show(program))
  })

  it('names the argument whose shape, dtype or structure differs', () => {
    const run = evaluate(program)
    expect(() => run({ w: tensor([[1, 2, 3]]), b }, x)).toThrow(ShapeError)
    expect(() => run({ w: tensor([[1, 2, 3]]), b }, x)).toThrow(/evaluate: argument 0 at w: the program was traced for f32\[3,2\]; trace it again at this shape \(shapes \[1, 3\] and \[3, 2\]\)/)
    expect(() => run({ w, b }, tensor([[1, 2, 3]], { dtype: 'float64' }))).toThrow(/evaluate: argument 1 is float64\[1, 3\] but the program was traced for float32; cast it, or trace the program again/)
    // @ts-expect-error: a missing key is a type error too
    expect(() => run({ w }, x)).toThrow(TreeError)
    // @ts-expect-error: so is a missing argument
    expect(() => run({ w, b })).toThrow(/evaluate \(arguments\): at the root: expected an array of length 2, got an array of length 1/)
  })

  it('rejects a malformed program (a variable read before it is defined)', () => {
    const [first, second] = program.equations
    const broken: Program = { ...program, equations: [second!, first!, ...program.equations.slice(2)] }
    expect(() => evaluate(broken)({ w, b }, x)).toThrow(/argument 0 of equation 0 \(add\) reads variable \d+, which no input or earlier equation defines/)
  })
})

describe('removeDeadCode', () => {
  it('drops what no output needs, and the constants only it reads', () => {
    const p = trace((a: Tensor) => {
      P.mul(P.exp(a), w) // dead, with its constant
      return P.sin(a)
    })(w)
    expect(p.equations).toHaveLength(3)
    expect(p.constants).toHaveLength(1)
    const q = removeDeadCode(p)
    expect(q.equations.map((e) => e.prim.name)).toEqual(['sin'])
    expect(q.constants).toHaveLength(0)
    expect(toArray(evaluate(q)(w))).toEqual(toArray(P.sin(w)))
  })
})
