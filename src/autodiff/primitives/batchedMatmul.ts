import * as K from '../../kernels/index.js'
import { type Tensor, ShapeError } from '../../tensor/index.js'
import { batchedFront } from '../batchRules.js'
import { type BatchInput, type Batched, type Primitive, primitive } from '../Primitive.js'
import { add } from './add.js'
import { cast } from './cast.js'
import { reshape } from './reshape.js'

const check = (a: Tensor, b: Tensor, ta: boolean, tb: boolean): void => {
  if (a.shape.length !== 3 || b.shape.length !== 3) {
    throw new ShapeError('batchedMatmul', [a.shape, b.shape], 'both operands must be stacks of matrices (rank 3, the batch axis first); use matmul for single matrices')
  }
  if (a.shape[0] !== b.shape[0]) {
    throw new ShapeError('batchedMatmul', [a.shape, b.shape], `batch sizes differ (${a.shape[0]} vs ${b.shape[0]}); broadcast the shared operand with broadcastTo first`)
  }
  const k1 = ta ? a.shape[1] : a.shape[2]
  const k2 = tb ? b.shape[2] : b.shape[1]
  if (k1 !== k2) {
    throw new ShapeError('batchedMatmul', [a.shape, b.shape], `inner dimensions differ (${k1} vs ${k2})${ta || tb ? ` with transposeA=${ta}, transposeB=${tb}` : ''}`)
  }
}

/**
 * Which operands of each product are transposed (as matmul's options). @category model
 * @example
 * ```ts
 * const options: ops.BatchedMatmulOptions = { transposeB: true }
 * ops.batchedMatmul(ones([5, 2, 3]), ones([5, 4, 3]), options) // a·bᵀ per example, shape [5, 2, 4]
 * ```
 */
export interface BatchedMatmulOptions {
  readonly transposeA?: boolean
  readonly transposeB?: boolean
}

/** The params of batchedMatmul as the interpreters see them. @category model */
export interface BatchedMatmulParams {
  readonly ta: boolean
  readonly tb: boolean
}

// A cotangent in its argument's dtype: the product of float32 and float64 is float64.
const like = (g: Tensor, x: Tensor): Tensor => (g.dtype === x.dtype ? g : cast(g, x.dtype))

/**
 * Stacked matrix products: C[e] = op(A[e]) · op(B[e]) for every e of the leading axis (as
 * `torch.bmm`), into one [batch, m, n] result. A primitive of its own for speed: it is what vmap
 * makes of a matmul whose operands are both batched (per-example weight gradients), and one
 * kernel call writing every product into one buffer costs a fraction of slicing the examples,
 * multiplying them one by one and stacking the results.
 * d(AB) = dA·B + A·dB; the transposes are batched products again, as matmul's: dA = dC·Bᵀ, dB = Aᵀ·dC.
 * @example
 * ```ts
 * const a = ones([5, 2, 3]) // five 2×3 matrices
 * ops.batchedMatmul(a, ones([5, 3, 4])) // shape [5, 2, 4], every entry 3
 * ops.batchedMatmul(a, ones([5, 2, 4]), { transposeA: true }) // aᵀ·b per example, shape [5, 3, 4]
 * ```
 * @category primitives
 */
export const batchedMatmul: Primitive<(a: Tensor, b: Tensor, options?: BatchedMatmulOptions) => Tensor, BatchedMatmulParams> = primitive({
  name: 'batchedMatmul',
  domain: 'real',
  call: (bind) => (a: Tensor, b: Tensor, options: BatchedMatmulOptions = {}): Tensor => {
    const ta = options.transposeA ?? false
    const tb = options.transposeB ?? false
    check(a, b, ta, tb)
    return bind([a, b], { ta, tb })
  },
  impl: ([a, b], { ta, tb }: BatchedMatmulParams) => K.batchedMatmul(a!, b!, ta, tb),
  jvp: ([da, db], { args, params: { ta, tb } }) => {
    const [a, b] = args as [Tensor, Tensor]
    const o = { transposeA: ta, transposeB: tb }
    const left = da === undefined ? undefined : batchedMatmul(da, b, o)
    const right = db === undefined ? undefined : batchedMatmul(a, db, o)
    return left === undefined ? right : right === undefined ? left : add(left, right)
  },
  vjp: (ct, { args, params: { ta, tb } }, needs) => {
    const [a, b] = args as [Tensor, Tensor]
    return [
      needs[0] ? like(ta ? batchedMatmul(b, ct, { transposeA: tb, transposeB: true }) : batchedMatmul(ct, b, { transposeB: !tb }), a) : undefined,
      needs[1] ? like(tb ? batchedMatmul(ct, a, { transposeA: true, transposeB: ta }) : batchedMatmul(a, ct, { transposeA: !ta }), b) : undefined,
    ]
  },
  batch: (input) => batchBatchedMatmul(input),
})

/**
 * The batching rule of batchedMatmul (a vmap over it, e.g. nested vmaps of a matmul): both
 * operands get the new batch axis in front (a shared one is broadcast), and the two batch axes
 * fold into one, so the result is again one batched product.
 * @category batching
 */
export const batchBatchedMatmul = ({ args: [a, b], dims: [da, db], params: { ta, tb }, size }: BatchInput<BatchedMatmulParams>): Batched => {
  const fa = batchedFront(a!, da, size)
  const fb = batchedFront(b!, db, size)
  const [, inner, a1, a2] = fa.shape as [number, number, number, number]
  const [, , b1, b2] = fb.shape as [number, number, number, number]
  const y = batchedMatmul(reshape(fa, [size * inner, a1, a2]), reshape(fb, [size * inner, b1, b2]), { transposeA: ta, transposeB: tb })
  return [reshape(y, [size, inner, y.shape[1]!, y.shape[2]!]), 0]
}
