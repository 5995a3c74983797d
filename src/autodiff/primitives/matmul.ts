import * as K from '../../kernels/index.js'
import { type Tensor, ShapeError } from '../../tensor/index.js'
import { toFront } from '../batchRules.js'
import { type BatchInput, type Batched, type Primitive, primitive } from '../Primitive.js'
import { add } from './add.js'
import { batchedMatmul } from './batchedMatmul.js'
import { cast } from './cast.js'
import { mul } from './mul.js'
import { reshape } from './reshape.js'
import { sum } from './sumBroadcast.js'
import { transpose } from './transpose.js'

/**
 * Which operands of a matrix product are transposed. @category model
 * @example
 * ```ts
 * const options: ops.MatmulOptions = { transposeA: true }
 * ops.matmul(zeros([3, 2]), zeros([3, 4]), options) // aᵀ·b, shape [2, 4]
 * ```
 */
export interface MatmulOptions {
  readonly transposeA?: boolean
  readonly transposeB?: boolean
}

export interface MatmulParams {
  readonly ta: boolean
  readonly tb: boolean
}

const check = (a: Tensor, b: Tensor, ta: boolean, tb: boolean): void => {
  if (a.shape.length !== 2 || b.shape.length !== 2) {
    throw new ShapeError('matmul', [a.shape, b.shape], 'both operands must be matrices (rank 2); reshape batches of vectors to [batch, features]')
  }
  const k1 = ta ? a.shape[0] : a.shape[1]
  const k2 = tb ? b.shape[1] : b.shape[0]
  if (k1 !== k2) {
    throw new ShapeError('matmul', [a.shape, b.shape], `inner dimensions differ (${k1} vs ${k2})${ta || tb ? ` with transposeA=${ta}, transposeB=${tb}` : ''}`)
  }
}

// A cotangent in its argument's dtype: the product of float32 and float64 is float64.
const like = (g: Tensor, x: Tensor): Tensor => (g.dtype === x.dtype ? g : cast(g, x.dtype))

/**
 * The matrix product op(a) · op(b), where op transposes an operand when asked, without copying.
 * d(AB) = dA·B + A·dB. The transpose rules are matrix products again, each in the orientation
 * that needs no copy: for C = A·B, dA = dC·Bᵀ and dB = Aᵀ·dC.
 * @example
 * ```ts
 * const a = tensor([[1, 2], [3, 4]])
 * ops.matmul(a, tensor([[1], [1]])) // [[3], [7]]
 * ops.matmul(a, a, { transposeB: true }) // a·aᵀ
 * ```
 * @category primitives
 */
export const matmul: Primitive<(a: Tensor, b: Tensor, options?: MatmulOptions) => Tensor, MatmulParams> = primitive({
  name: 'matmul',
  domain: 'real',
  call: (bind) => (a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor => {
    const ta = options.transposeA ?? false
    const tb = options.transposeB ?? false
    check(a, b, ta, tb)
    return bind([a, b], { ta, tb })
  },
  impl: ([a, b], { ta, tb }: MatmulParams) => K.matmul(a!, b!, ta, tb),
  jvp: ([da, db], { args, params: { ta, tb } }) => {
    const [a, b] = args as [Tensor, Tensor]
    const o = { transposeA: ta, transposeB: tb }
    const left = da === undefined ? undefined : matmul(da, b, o)
    const right = db === undefined ? undefined : matmul(a, db, o)
    return left === undefined ? right : right === undefined ? left : add(left, right)
  },
  vjp: (ct, { args, params: { ta, tb } }, needs) => {
    const [a, b] = args as [Tensor, Tensor]
    return [
      // d op(A) = dC · op(B)ᵀ, and A = op(A)ᵀ when ta
      needs[0] ? like(ta ? matmul(b, ct, { transposeA: tb, transposeB: true }) : matmul(ct, b, { transposeB: !tb }), a) : undefined,
      // d op(B) = op(A)ᵀ · dC, and B = op(B)ᵀ when tb
      needs[1] ? like(tb ? matmul(ct, a, { transposeA: true, transposeB: ta }) : matmul(a, ct, { transposeA: !ta }), b) : undefined,
    ]
  },
  batch: (input) => batchMatmul(input),
})

/**
 * The batching rule of matmul, which keeps matrix products as matrix products:
 * - a batched left operand folds into rows: [B, m, k] is the matrix [B·m, k] (or [k, B·m] read
 *   transposed), so one product serves the whole batch; likewise a batched right operand folds
 *   into columns. A copy (transpose) happens only when the batch axis sits between the two axes
 *   that must stay apart.
 * - both operands batched: a broadcast product and a sum when one side is a single row or column
 *   (each intermediate no larger than the other operand), and otherwise one `batchedMatmul`, which
 *   writes every example's product into one [batch, m, n] buffer in one kernel call. Per-example
 *   weight gradients (inner dimension 1: an outer product per example) take that path.
 * @category batching
 */
export const batchMatmul = ({ args: [a, b], dims: [da, db], params: { ta, tb }, size }: BatchInput<MatmulParams>): Batched => {
  if (db === undefined) return batchRows(a!, da!, b!, ta, tb)
  if (da === undefined) return batchColumns(a!, b!, db, ta, tb)
  return batchBoth(toFront(a!, da), toFront(b!, db), ta, tb, size)
}

// Physical position of example axis i in a value whose batch axis is d.
const at = (i: number, d: number): number => (i < d ? i : i + 1)

// op(A_e)·op(B) for a batched A: the batch joins the rows of op(A).
const batchRows = (a: Tensor, d: number, b: Tensor, ta: boolean, tb: boolean): Batched => {
  const pr = at(ta ? 1 : 0, d)
  const pc = at(ta ? 0 : 1, d)
  if (pc === 1) return batchRows(transpose(a, [d, pr, pc]), 0, b, false, tb)
  const [s0, s1, s2] = a.shape as [number, number, number]
  if (pc === 2) {
    const y = matmul(reshape(a, [s0 * s1, s2]), b, { transposeB: tb })
    return [reshape(y, [s0, s1, y.shape[1]!]), d]
  }
  const y = matmul(reshape(a, [s0, s1 * s2]), b, { transposeA: true, transposeB: tb })
  return [reshape(y, [s1, s2, y.shape[1]!]), d - 1]
}

// op(A)·op(B_e) for a batched B: the batch joins the columns of op(B).
const batchColumns = (a: Tensor, b: Tensor, d: number, ta: boolean, tb: boolean): Batched => {
  const pc = at(tb ? 1 : 0, d)
  const pn = at(tb ? 0 : 1, d)
  if (pc === 1) return batchColumns(a, transpose(b, [pc, d, pn]), 1, ta, false)
  const [s0, s1, s2] = b.shape as [number, number, number]
  if (pc === 0) {
    const y = matmul(a, reshape(b, [s0, s1 * s2]), { transposeA: ta })
    return [reshape(y, [y.shape[0]!, s1, s2]), d]
  }
  const y = matmul(a, reshape(b, [s0 * s1, s2]), { transposeA: ta, transposeB: true })
  return [reshape(y, [y.shape[0]!, s0, s1]), d + 1]
}

// op(A_e)·op(B_e) with both batch axes in front.
const batchBoth = (a: Tensor, b: Tensor, ta: boolean, tb: boolean, size: number): Batched => {
  const [, a0, a1] = a.shape as [number, number, number]
  const [, b0, b1] = b.shape as [number, number, number]
  const [m, k] = ta ? [a1, a0] : [a0, a1]
  const n = tb ? b0 : b1
  // one row: out_e = sum_k a_e[k] · op(B_e)[k, :]
  if (m === 1) {
    const y = tb ? sum(mul(reshape(a, [size, 1, k]), b), 2) : sum(mul(reshape(a, [size, k, 1]), b), 1)
    return [reshape(y, [size, 1, n]), 0]
  }
  // one column: out_e = sum_k op(A_e)[:, k] · b_e[k]
  if (n === 1) {
    const y = ta ? sum(mul(a, reshape(b, [size, k, 1])), 1) : sum(mul(a, reshape(b, [size, 1, k])), 2)
    return [reshape(y, [size, m, 1]), 0]
  }
  return [batchedMatmul(a, b, { transposeA: ta, transposeB: tb }), 0]
}
