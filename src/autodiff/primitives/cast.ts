import * as K from '../../kernels/index.js'
import { type DType, type Tensor, isDType } from '../../tensor/index.js'
import { type Primitive, primitive } from '../Primitive.js'

/**
 * The same values in another dtype;  d cast(x) = cast(dx), and the cotangent is cast back. @category primitives
 * @example
 * ```ts
 * ops.cast(tensor([1.5, 2]), 'float64').dtype // 'float64'
 * ```
 */
export const cast: Primitive<(x: Tensor, dtype: DType) => Tensor, DType> = primitive({
  name: 'cast',
  domain: 'real',
  call: (bind) => (x: Tensor, dtype: DType): Tensor => {
    if (!isDType(dtype)) throw new TypeError(`cast: dtype must be 'float32' or 'float64', got ${String(dtype)}`)
    return bind([x], dtype)
  },
  impl: ([x], dtype: DType) => K.cast(x!, dtype),
  jvp: ([dx], { params }) => (dx === undefined ? undefined : cast(dx, params)),
  vjp: (ct, { args }) => [cast(ct, args[0]!.dtype)],
  // element-wise; batchRules.ts (batchUnary) sits above this file, so the rule is spelt out
  batch: ({ args: [x], dims: [d], params, bind }) => [bind([x!], params), d],
})
