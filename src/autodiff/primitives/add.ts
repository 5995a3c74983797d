import * as K from '../../kernels/index.js'
import type { Tensor } from '../../tensor/index.js'
import { batchElementwise } from '../batchRules.js'
import { lift } from '../lift.js'
import { type Primitive, primitive } from '../Primitive.js'
import { fitTangent, unbroadcast } from './sumBroadcast.js'

/**
 * a + b, broadcasting;  d(a + b) = da + db. Defined with `primitive` rather than `binary`
 * because `binary` itself sums tangent contributions with it.
 * @example
 * ```ts
 * ops.add(tensor([[1, 2], [3, 4]]), tensor([10, 20])) // broadcast: [[11, 22], [13, 24]]
 * ops.add(tensor([1, 2]), 1) // tensor [2, 3]
 * ```
 * @category primitives
 */
export const add: Primitive<(a: Tensor | number, b: Tensor | number) => Tensor, undefined> = primitive({
  name: 'add',
  domain: 'real',
  call: (bind) => (a: Tensor | number, b: Tensor | number): Tensor => bind([lift(a, b), lift(b, a)], undefined),
  impl: ([a, b]) => K.add(a!, b!),
  jvp: ([ta, tb], { out }) => fitTangent(ta === undefined ? tb! : tb === undefined ? ta : add(ta, tb), out),
  vjp: (ct, { args }, needs) => [
    needs[0] ? unbroadcast(ct, args[0]!.shape, args[0]!.dtype) : undefined,
    needs[1] ? unbroadcast(ct, args[1]!.shape, args[1]!.dtype) : undefined,
  ],
  batch: batchElementwise,
})
