import * as K from '../../kernels/index.js'
import { type Tensor, ShapeError } from '../../tensor/index.js'
import { type Primitive, primitive } from '../Primitive.js'
import { add } from './add.js'
import { cast } from './cast.js'

/** Which operands of a matrix product are transposed. @category model */
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
})
