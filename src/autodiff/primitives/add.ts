import * as K from '../../kernels/index.js'
import type { Tensor } from '../../tensor/index.js'
import { batchElementwise } from '../batchRules.js'
import { lift } from '../lift.js'
import { type Primitive, primitive } from '../Primitive.js'
import { fitTangent, unbroadcast } from './sumBroadcast.js'

/**
 * a + b, broadcasting;  d(a + b) = da + db. Defined with `primitive` rather than `binary`
 * because `binary` itself sums tangent contributions with it.
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
