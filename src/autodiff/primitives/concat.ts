import * as K from '../../kernels/index.js'
import { type Tensor, ShapeError, normalizeAxis, promote, zeros } from '../../tensor/index.js'
import { type Primitive, primitive } from '../Primitive.js'
import { broadcastTo } from './sumBroadcast.js'
import { cast } from './cast.js'
import { slice } from './slicePad.js'
import { transpose } from './transpose.js'

/**
 * Joins tensors along `axis`; every other dimension must agree.
 * d concat(xs) = concat(dxs); its transpose slices the cotangent back into pieces.
 * @example
 * ```ts
 * ops.concat([tensor([[1, 2]]), tensor([[3, 4]])]) // [[1, 2], [3, 4]]
 * ops.concat([tensor([[1], [2]]), tensor([[3], [4]])], 1) // [[1, 3], [2, 4]]
 * ```
 * @category primitives
 */
export const concat: Primitive<(xs: ReadonlyArray<Tensor>, axis?: number) => Tensor, number> = primitive({
  name: 'concat',
  domain: 'real',
  call: (bind) => (xs: ReadonlyArray<Tensor>, axis = 0): Tensor => {
    const first = xs[0]
    if (first === undefined) throw new ShapeError('concat', [], 'needs at least one tensor')
    const ax = normalizeAxis('concat', first.shape, axis)
    for (const x of xs) {
      if (x.shape.length !== first.shape.length || x.shape.some((d, i) => i !== ax && d !== first.shape[i])) {
        throw new ShapeError('concat', [first.shape, x.shape], `shapes must agree on every axis but ${ax}`)
      }
    }
    return bind(xs, ax)
  },
  impl: (xs, axis: number) => K.concat(xs, axis, xs.reduce((d, x) => promote(d, x.dtype), xs[0]!.dtype)),
  jvp: (ts, { args, params: axis }) => concat(ts.map((t, i) => t ?? zeros(args[i]!.shape, { dtype: args[i]!.dtype })), axis),
  vjp: (ct, { args, params: axis }, needs) => {
    let offset = 0
    return args.map((x, i) => {
      const begin = x.shape.map((_, j) => (j === axis ? offset : 0))
      offset += x.shape[axis]!
      if (!needs[i]) return undefined
      // the output promotes mixed dtypes; each piece's cotangent goes back to the piece's dtype
      const g = slice(ct, begin, x.shape)
      return g.dtype === x.dtype ? g : cast(g, x.dtype)
    })
  },
  // every piece with its batch axis in front (shared pieces broadcast to the batch), joined at axis + 1
  batch: ({ args, dims, params: axis, size, bind }) => {
    const front = args.map((x, i) => {
      const d = dims[i]
      if (d === undefined) return broadcastTo(x, [size, ...x.shape])
      return d === 0 ? x : transpose(x, [d, ...x.shape.map((_, j) => j).filter((j) => j !== d)])
    })
    return [bind(front, axis + 1), 0]
  },
})
