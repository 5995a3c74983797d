import * as K from '../../kernels/index.js'
import type { Tensor } from '../../tensor/index.js'
import { batchUnary } from '../batchRules.js'
import { type Primitive, primitive } from '../Primitive.js'
import { mul } from './mul.js'

/**
 * x^p for a constant exponent p (x \> 0 unless p is an integer);  d x^p = p x^(p-1) dx, and
 * exactly 0 for p = 0 (where p x^(p-1) would be 0·inf = NaN at x = 0).
 * @example
 * ```ts
 * ops.pow(tensor([1, 2, 3]), 2) // tensor [1, 4, 9]
 * ```
 * @category primitives
 */
export const pow: Primitive<(x: Tensor, p: number) => Tensor, number> = primitive({
  name: 'pow',
  domain: 'positive',
  call: (bind) => (x: Tensor, p: number): Tensor => {
    if (typeof p !== 'number' || Number.isNaN(p)) throw new TypeError(`pow: the exponent must be a number, got ${String(p)}`)
    return bind([x], p)
  },
  impl: ([x], p: number) => K.powScalar(x!, p),
  jvp: ([dx], { args, params: p }) => (dx === undefined || p === 0 ? undefined : mul(dx, mul(pow(args[0]!, p - 1), p))),
  vjp: (ct, { args, params: p }) => [p === 0 ? undefined : mul(ct, mul(pow(args[0]!, p - 1), p))],
  batch: batchUnary,
})
