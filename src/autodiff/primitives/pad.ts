import * as K from '../../kernels/index.js'
import { type Shape, type Tensor, ShapeError, checkShape } from '../../tensor/index.js'
import { type Primitive, primitive } from '../Primitive.js'
import { slice } from './slice.js'

/** Parameters of `pad`: where the input goes and the output shape. @category model */
export interface PadParams {
  readonly begin: ReadonlyArray<number>
  readonly shape: Shape
}

/**
 * Places x in a tensor of zeros of `shape`, starting at `begin`: the transpose of `slice`.
 * d pad(x) = pad(dx); its transpose slices the cotangent.
 * @category primitives
 */
export const pad: Primitive<(x: Tensor, begin: ReadonlyArray<number>, shape: Shape) => Tensor, PadParams> = primitive({
  name: 'pad',
  domain: 'real',
  call: (bind) => (x: Tensor, begin: ReadonlyArray<number>, shape: Shape): Tensor => {
    checkShape('pad', shape)
    if (begin.length !== x.shape.length || shape.length !== x.shape.length || x.shape.some((d, i) => begin[i]! < 0 || begin[i]! + d > shape[i]!)) {
      throw new ShapeError('pad', [x.shape, shape], `the input placed at [${begin.join(', ')}] does not fit`)
    }
    return bind([x], { begin, shape })
  },
  impl: ([x], p: PadParams) => K.pad(x!, p.begin, p.shape),
  jvp: ([dx], { params: p }) => (dx === undefined ? undefined : pad(dx, p.begin, p.shape)),
  vjp: (ct, { args, params: p }) => [slice(ct, p.begin, args[0]!.shape)],
})
