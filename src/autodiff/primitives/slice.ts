import * as K from '../../kernels/index.js'
import { type Tensor, ShapeError } from '../../tensor/index.js'
import { type Primitive, primitive } from '../Primitive.js'
import { pad } from './pad.js'

/** Parameters of `slice`: the start of the block and its extent, per axis. @category model */
export interface SliceParams {
  readonly begin: ReadonlyArray<number>
  readonly size: ReadonlyArray<number>
}

const check = (x: Tensor, begin: ReadonlyArray<number>, size: ReadonlyArray<number>): SliceParams => {
  const rank = x.shape.length
  if (begin.length !== rank || size.length !== rank) {
    throw new ShapeError('slice', [x.shape], `begin [${begin.join(', ')}] and size [${size.join(', ')}] need one entry per axis (${rank})`)
  }
  const sz = size.map((s, i) => (s === -1 ? x.shape[i]! - begin[i]! : s))
  for (let i = 0; i < rank; i++) {
    const b = begin[i]!, s = sz[i]!
    if (!Number.isInteger(b) || !Number.isInteger(s) || b < 0 || s < 0 || b + s > x.shape[i]!) {
      throw new ShapeError('slice', [x.shape], `axis ${i}: the block [${b}, ${b + s}) does not fit in ${x.shape[i]}`)
    }
  }
  return { begin, size: sz }
}

/**
 * The block of extent `size` starting at `begin` (a size of -1 runs to the end of the axis).
 * d slice(x) = slice(dx); its transpose pads the cotangent with zeros.
 * @category primitives
 */
export const slice: Primitive<(x: Tensor, begin: ReadonlyArray<number>, size: ReadonlyArray<number>) => Tensor, SliceParams> = primitive({
  name: 'slice',
  domain: 'real',
  call: (bind) => (x: Tensor, begin: ReadonlyArray<number>, size: ReadonlyArray<number>): Tensor => bind([x], check(x, begin, size)),
  impl: ([x], p: SliceParams) => K.slice(x!, p.begin, p.size),
  jvp: ([dx], { params: p }) => (dx === undefined ? undefined : slice(dx, p.begin, p.size)),
  vjp: (ct, { args, params: p }) => [pad(ct, p.begin, args[0]!.shape)],
})
