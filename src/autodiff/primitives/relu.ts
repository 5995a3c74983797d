import * as K from '../../kernels/index.js'
import { unary } from '../define.js'
import { reluBackward } from './activationBackward.js'

/**
 * max(0, x);  d relu(x) = [x \> 0] dx, so relu'(0) = 0 (PyTorch's choice at the kink). A NaN stays visible: relu(NaN) = NaN and its derivative is NaN. The rule is the fused `reluBackward`.  @category primitives
 * @example
 * ```ts
 * ops.relu(tensor([-1, 0, 2])) // tensor [0, 0, 2]
 * ```
 */
export const relu = unary({
  name: 'relu',
  domain: 'nonzero',
  kernel: K.relu,
  jvp: (dx, { x }) => reluBackward(dx, x),
})
