import * as K from '../../kernels/index.js'
import { type Tensor, ShapeError } from '../../tensor/index.js'
import { type Primitive, primitive } from '../Primitive.js'

const checkPerm = (x: Tensor, perm: ReadonlyArray<number> | undefined): ReadonlyArray<number> => {
  const rank = x.shape.length
  const p = perm ?? x.shape.map((_, i) => rank - 1 - i)
  const sorted = [...p].sort((a, b) => a - b)
  if (p.length !== rank || sorted.some((v, i) => v !== i)) {
    throw new ShapeError('transpose', [x.shape], `[${p.join(', ')}] is not a permutation of the ${rank} axes`)
  }
  return p
}

const inverse = (perm: ReadonlyArray<number>): number[] => {
  const inv = new Array<number>(perm.length)
  perm.forEach((p, i) => { inv[p] = i })
  return inv
}

/**
 * Permutes the axes (reverses them when `perm` is omitted): output axis i is input axis perm[i].
 * d transpose(x) = transpose(dx); its transpose applies the inverse permutation.
 * @example
 * ```ts
 * ops.transpose(tensor([[1, 2, 3]])) // [[1], [2], [3]]
 * ops.transpose(zeros([2, 3, 4]), [2, 0, 1]).shape // [4, 2, 3]
 * ```
 * @category primitives
 */
export const transpose: Primitive<(x: Tensor, perm?: ReadonlyArray<number>) => Tensor, ReadonlyArray<number>> = primitive({
  name: 'transpose',
  domain: 'real',
  call: (bind) => (x: Tensor, perm?: ReadonlyArray<number>): Tensor => bind([x], checkPerm(x, perm)),
  impl: ([x], perm: ReadonlyArray<number>) => K.transpose(x!, perm),
  jvp: ([dx], { params }) => (dx === undefined ? undefined : transpose(dx, params)),
  vjp: (ct, { params }) => [transpose(ct, inverse(params))],
  // the batch axis goes in front; example axis i sits at physical i or i + 1 (after the batch axis)
  batch: ({ args: [x], dims: [d], params, bind }) => [bind([x!], [d!, ...params.map((p) => (p < d! ? p : p + 1))]), 0],
})
