/**
 * The backward rules of tanh, sigmoid and relu as fused primitives: dy·(1 - y²), dy·y(1 - y) and
 * dy·[x > 0] each in one kernel pass. They exist for speed alone (one buffer instead of two or
 * three per activation in every backward pass, which dominates small networks); each is linear
 * in dy and has its own derivative rules, so derivatives of any order still flow through them. They batch
 * element-wise (`batchSameShape`), broadcasting a shared argument to the batch.
 */
import * as K from '../../kernels/index.js'
import { type Tensor, ShapeError, shapeEquals } from '../../tensor/index.js'
import { batchSameShape } from '../batchRules.js'
import { type Primitive, primitive } from '../Primitive.js'
import { add } from './add.js'
import { cast } from './cast.js'
import { mul } from './mul.js'
import { sub } from './sub.js'

type Backward = Primitive<(dy: Tensor, v: Tensor) => Tensor, undefined>

const call = (name: string) => (bind: (args: ReadonlyArray<Tensor>, params: undefined) => Tensor) => (dy: Tensor, v: Tensor): Tensor => {
  if (!shapeEquals(dy.shape, v.shape)) throw new ShapeError(name, [dy.shape, v.shape], 'the cotangent and the activation value must have one shape')
  return bind([dy, v.dtype === dy.dtype ? v : cast(v, dy.dtype)], undefined)
}

/**
 * dy · (1 - y²), the VJP of tanh at y = tanh(x).  d/d(dy) = 1 - y²;  d/dy = -2·y·dy.
 * @category primitives
 */
export const tanhBackward: Backward = primitive({
  name: 'tanhBackward',
  domain: 'real',
  call: call('tanhBackward'),
  impl: ([dy, y]) => K.tanhBackward(dy!, y!),
  jvp: ([tdy, ty], { args: [dy, y] }) => addTangents(tdy === undefined ? undefined : tanhBackward(tdy, y!), ty === undefined ? undefined : mul(ty, mul(mul(dy!, y!), -2))),
  vjp: (ct, { args: [dy, y] }, needs) => [needs[0] ? tanhBackward(ct, y!) : undefined, needs[1] ? mul(ct, mul(mul(dy!, y!), -2)) : undefined],
  batch: batchSameShape,
})

/**
 * dy · y(1 - y), the VJP of the logistic sigmoid at y = σ(x).  d/d(dy) = y(1 - y);  d/dy = dy·(1 - 2y).
 * @category primitives
 */
export const sigmoidBackward: Backward = primitive({
  name: 'sigmoidBackward',
  domain: 'real',
  call: call('sigmoidBackward'),
  impl: ([dy, y]) => K.sigmoidBackward(dy!, y!),
  jvp: ([tdy, ty], { args: [dy, y] }) => addTangents(tdy === undefined ? undefined : sigmoidBackward(tdy, y!), ty === undefined ? undefined : mul(ty, mul(dy!, sub(1, mul(y!, 2))))),
  vjp: (ct, { args: [dy, y] }, needs) => [needs[0] ? sigmoidBackward(ct, y!) : undefined, needs[1] ? mul(ct, mul(dy!, sub(1, mul(y!, 2)))) : undefined],
  batch: batchSameShape,
})

/**
 * dy · [x > 0], the VJP of relu at x (so relu'(0) = 0, as PyTorch), and NaN where x is NaN, so
 * a NaN input stays visible in the gradient. Linear in dy; piecewise constant in x, whose
 * derivative is zero.
 * @category primitives
 */
export const reluBackward: Backward = primitive({
  name: 'reluBackward',
  domain: 'nonzero',
  call: call('reluBackward'),
  impl: ([dy, x]) => K.reluBackward(dy!, x!),
  jvp: ([tdy], { args: [, x] }) => (tdy === undefined ? undefined : reluBackward(tdy, x!)),
  vjp: (ct, { args: [, x] }, needs) => [needs[0] ? reluBackward(ct, x!) : undefined, undefined],
  batch: batchSameShape,
})

// The sum of two tangent contributions, either of which may be a symbolic zero.
const addTangents = (a: Tensor | undefined, b: Tensor | undefined): Tensor | undefined =>
  a === undefined ? b : b === undefined ? a : add(a, b)
