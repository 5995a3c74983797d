import { describe, expect, it } from 'vitest'
import * as ops from '../ops/index.js'
import { type Tensor, ShapeError, ones, scalar, tensor, toFlatArray, zeros } from '../tensor/index.js'
import { TreeError } from '../tree/index.js'
import { grad, hvp, jvp, valueAndGrad, vjp } from './transforms.js'

describe('shape errors name the op and both shapes', () => {
  it('matmul with mismatched inner dimensions', () => {
    const call = (): Tensor => ops.matmul(zeros([2, 3]), zeros([2, 3]))
    expect(call).toThrow(ShapeError)
    expect(call).toThrow('matmul: inner dimensions differ (3 vs 2) (shapes [2, 3] and [2, 3])')
    expect(() => ops.matmul(zeros([2, 3]), zeros([2, 3]), { transposeB: true, transposeA: true })).toThrow(/inner dimensions differ \(2 vs 3\) with transposeA=true, transposeB=true/)
  })

  it('matmul of a vector suggests reshaping', () => {
    expect(() => ops.matmul(zeros([3]), zeros([3, 2]))).toThrow(/matmul: both operands must be matrices \(rank 2\); reshape .* \(shapes \[3\] and \[3, 2\]\)/)
  })

  it('broadcasting mismatches, inside grad too', () => {
    expect(() => ops.add(zeros([3]), zeros([4]))).toThrow('add: cannot broadcast: dimension 3 does not match 4 at axis -1 (shapes [3] and [4])')
    expect(() => grad((x: Tensor) => ops.sum(ops.mul(x, zeros([2, 4]))))(zeros([2, 3]))).toThrow(/^mul: cannot broadcast.*\(shapes \[2, 3\] and \[2, 4\]\)$/)
    expect(() => ops.broadcastTo(zeros([2]), [3])).toThrow(/broadcastTo: .*\(shapes \[2\] and \[3\]\)/)
  })

  it('reshape, concat, squeeze and expandDims name themselves', () => {
    expect(() => ops.reshape(zeros([2, 3]), [4])).toThrow(/reshape: cannot reshape 6 elements into 4/)
    expect(() => ops.concat([zeros([2, 3]), zeros([3, 2])], 0)).toThrow(/concat: shapes must agree on every axis but 0 \(shapes \[2, 3\] and \[3, 2\]\)/)
    expect(() => ops.squeeze(zeros([1, 2]), 1)).toThrow(/squeeze: axis 1 has size 2, not 1/)
    expect(() => ops.expandDims(zeros([2]), 2)).toThrow(/expandDims: axis 2 is out of range/)
    expect(() => ops.expandDims(zeros([2]), -3)).toThrow(ShapeError)
    expect(ops.expandDims(zeros([2]), -1).shape).toEqual([2, 1])
    expect(ops.expandDims(zeros([2]), -2).shape).toEqual([1, 2])
  })
})

describe('jvp and vjp argument errors name the path', () => {
  it('a tangent of the wrong shape', () => {
    const f = (p: { w: Tensor; b: ReadonlyArray<Tensor> }): Tensor => ops.sum(ops.mul(p.w, p.b[0]!))
    const p = { w: zeros([2, 3]), b: [zeros([3])] }
    expect(() => jvp(f, p, { w: zeros([2, 3]), b: [zeros([4])] })).toThrow(ShapeError)
    expect(() => jvp(f, p, { w: zeros([2, 3]), b: [zeros([4])] })).toThrow("jvp: tangent at b[0]: the tangent must have the primal's shape (shapes [3] and [4])")
    expect(() => jvp((x: Tensor) => x, zeros([2]), zeros([3]))).toThrow(/jvp: tangent at the root/)
  })

  it('a tangent of the wrong structure or dtype', () => {
    const p = { w: zeros([2]) }
    expect(() => jvp((q: typeof p) => q.w, p, { v: zeros([2]) } as unknown as typeof p)).toThrow(TreeError)
    expect(() => jvp((q: typeof p) => q.w, p, { v: zeros([2]) } as unknown as typeof p)).toThrow(/at w: missing in the second tree/)
    expect(() => jvp((q: typeof p) => q.w, p, { w: zeros([2], { dtype: 'float64' }) })).toThrow(/jvp: the tangent at w is float64\[2\] but its primal is float32\[2\]; cast the tangent to float32/)
  })

  it('a cotangent of the wrong shape or dtype', () => {
    const [, pullback] = vjp((x: Tensor) => ({ y: ops.exp(x) }), zeros([2]))
    expect(() => pullback({ y: zeros([3]) })).toThrow("vjp: cotangent at y: the cotangent must have the output's shape (shapes [2] and [3])")
    expect(() => pullback({ y: zeros([2], { dtype: 'float64' }) })).toThrow(/vjp: the cotangent at y is float64\[2\] but the output is float32\[2\]/)
  })

  it('a function that returns something other than tensors', () => {
    expect(() => grad(() => 3 as unknown as Tensor)(zeros([1]))).toThrow(/must return a tensor or a tree of tensors, got number/)
  })
})

describe('combinators', () => {
  it('valueAndGrad returns the value and the gradient', () => {
    const [v, g] = valueAndGrad((x: Tensor) => ops.sum(ops.square(x)))(tensor([1, 2]))
    expect(toFlatArray(v)).toEqual([5])
    expect(toFlatArray(g)).toEqual([2, 4])
  })

  it('grad accepts a one-element output of any rank', () => {
    expect(toFlatArray(grad((x: Tensor) => ops.reshape(ops.sum(x), [1, 1]))(ones([2])))).toEqual([1, 1])
  })

  it('a constant function has a zero gradient of the input dtype', () => {
    const g = grad((_: Tensor) => scalar(3))(zeros([2], { dtype: 'float64' }))
    expect(g.dtype).toBe('float64')
    expect(toFlatArray(g)).toEqual([0, 0])
  })

  it('the pullback may be called many times, and is linear', () => {
    const [, pullback] = vjp((x: Tensor) => ops.mul(x, x), tensor([1, 2, 3]))
    expect(toFlatArray(pullback(tensor([1, 1, 1])))).toEqual([2, 4, 6])
    expect(toFlatArray(pullback(tensor([2, 0, 1])))).toEqual([4, 0, 6])
  })

  it('hvp of a quadratic form is the matrix times the vector', () => {
    const a = tensor([[2, 1], [1, 3]], { dtype: 'float64' })
    const f = (x: Tensor): Tensor => ops.mul(ops.sum(ops.mul(ops.reshape(x, [1, 2]), ops.transpose(ops.matmul(a, ops.reshape(x, [2, 1]))))), 0.5)
    expect(toFlatArray(hvp(f)(tensor([5, -7], { dtype: 'float64' }), tensor([1, 0], { dtype: 'float64' })))).toEqual([2, 1])
  })
})
