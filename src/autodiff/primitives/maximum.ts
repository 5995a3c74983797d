import * as K from '../../kernels/index.js'
import { binary } from '../define.js'
import { add } from './add.js'
import { equal } from './equal.js'
import { greater } from './greater.js'
import { mul } from './mul.js'
import { sub } from './sub.js'
import type { BinaryResiduals } from '../define.js'
import type { Tensor } from '../../tensor/index.js'

// The share of the derivative that goes to a: 1 where a > b, 1/2 at ties, 0 elsewhere.
const share = ({ a, b }: BinaryResiduals): Tensor => add(greater(a, b), mul(equal(a, b), 0.5))

/**
 * max(a, b) element-wise, broadcasting;  the derivative goes to the larger argument, split evenly at ties (as PyTorch).  @category primitives
 * @example
 * ```ts
 * ops.maximum(tensor([1, 5]), tensor([3, 2])) // tensor [3, 5]
 * ```
 */
export const maximum = binary({
  name: 'maximum',
  domain: 'separated',
  kernel: K.maximum,
  da: (t, r) => mul(t, share(r)),
  db: (t, r) => mul(t, sub(1, share(r))),
})
