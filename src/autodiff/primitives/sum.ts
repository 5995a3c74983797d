import * as K from '../../kernels/index.js'
import { type Tensor, normalizeAxes } from '../../tensor/index.js'
import { type Primitive, primitive } from '../Primitive.js'
import { broadcastTo } from './broadcastTo.js'
import { reshape } from './reshape.js'

/** Parameters of a reduction: sorted unique axes and whether reduced axes stay as size 1. @category model */
export interface ReduceParams {
  readonly axes: ReadonlyArray<number>
  readonly keepDims: boolean
}

/** The shape of a reduction's output with the reduced axes kept as 1. @category internals */
export const keptShape = (shape: ReadonlyArray<number>, axes: ReadonlyArray<number>): number[] =>
  shape.map((d, i) => (axes.includes(i) ? 1 : d))

/**
 * The sum over `axes` (all axes when omitted; negative axes count from the end);
 * d sum(x) = sum(dx); its transpose broadcasts the cotangent back over the summed axes.
 * @category primitives
 */
export const sum: Primitive<(x: Tensor, axes?: number | ReadonlyArray<number>, keepDims?: boolean) => Tensor, ReduceParams> = primitive({
  name: 'sum',
  domain: 'real',
  call: (bind) => (x: Tensor, axes?: number | ReadonlyArray<number>, keepDims = false): Tensor =>
    bind([x], { axes: normalizeAxes('sum', x.shape, axes), keepDims }),
  impl: ([x], { axes, keepDims }: ReduceParams) => K.sum(x!, axes, keepDims),
  jvp: ([dx], { params: p }) => (dx === undefined ? undefined : sum(dx, p.axes, p.keepDims)),
  vjp: (ct, { args, params: p }) => {
    const x = args[0]!
    return [broadcastTo(p.keepDims ? ct : reshape(ct, keptShape(x.shape, p.axes)), x.shape)]
  },
})
