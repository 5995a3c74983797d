/**
 * `slice` and `pad`: each is the other's transpose (the VJP of a slice pads the cotangent with
 * zeros, the VJP of a pad slices it), so they share one file: two files would import each other.
 */
import * as K from '../../kernels/index.js'
import { type Shape, type Tensor, ShapeError, checkShape } from '../../tensor/index.js'
import { type Primitive, primitive } from '../Primitive.js'

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
 * @example
 * ```ts
 * ops.slice(tensor([[1, 2, 3], [4, 5, 6]]), [0, 1], [2, 2]) // begin [0, 1], size [2, 2]: [[2, 3], [5, 6]]
 * ```
 * @category primitives
 */
export const slice: Primitive<(x: Tensor, begin: ReadonlyArray<number>, size: ReadonlyArray<number>) => Tensor, SliceParams> = primitive({
  name: 'slice',
  domain: 'real',
  call: (bind) => (x: Tensor, begin: ReadonlyArray<number>, size: ReadonlyArray<number>): Tensor => bind([x], check(x, begin, size)),
  impl: ([x], p: SliceParams) => K.slice(x!, p.begin, p.size),
  jvp: ([dx], { params: p }) => (dx === undefined ? undefined : slice(dx, p.begin, p.size)),
  vjp: (ct, { args, params: p }) => [pad(ct, p.begin, args[0]!.shape)],
  // the whole batch axis is kept: begin 0, size all
  batch: ({ args: [x], dims: [d], params: p, bind }) => [bind([x!], { begin: insert(p.begin, d!, 0), size: insert(p.size, d!, x!.shape[d!]!) }), d],
})

/** Parameters of `pad`: where the input goes and the output shape. @category model */
export interface PadParams {
  readonly begin: ReadonlyArray<number>
  readonly shape: Shape
}

/**
 * Places x in a tensor of zeros of `shape`, starting at `begin`: the transpose of `slice`.
 * d pad(x) = pad(dx); its transpose slices the cotangent.
 * @example
 * ```ts
 * ops.pad(tensor([[1, 2]]), [1, 1], [3, 4]) // [[0, 0, 0, 0], [0, 1, 2, 0], [0, 0, 0, 0]]
 * ```
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
  // the batch axis is placed whole: at 0, with its own size
  batch: ({ args: [x], dims: [d], params: p, bind }) => [bind([x!], { begin: insert(p.begin, d!, 0), shape: insert(p.shape, d!, x!.shape[d!]!) }), d],
})

// `xs` with `v` inserted at index `i`.
const insert = (xs: ReadonlyArray<number>, i: number, v: number): number[] => [...xs.slice(0, i), v, ...xs.slice(i)]
