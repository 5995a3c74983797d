/**
 * Matrix products of 2-D row-major tensors with either operand transposed, without making a
 * transposed copy: C = op(A) · op(B), op(X) = X or Xᵀ. Each orientation has its own loop order
 * so the innermost loop always runs along contiguous memory:
 * - NN: C[i,:] += A[i,k] · B[k,:]            (row of B streamed)
 * - NT: C[i,j]  = A[i,:] · B[j,:]             (two contiguous rows, 4 accumulators)
 * - TN: C[i,:] += A[k,i] · B[k,:]            (k outermost)
 * - TT: C = (B · A)ᵀ, computed as NN into a scratch buffer and transposed.
 * The portable TypeScript here is the reference implementation.
 */
import { type Data, type Tensor, alloc, fromData, promote } from '../tensor/index.js'
import { transpose } from './layout.js'

/** Dimensions of op(A) · op(B): [m, k] · [k, n]. @category kernels */
export interface MatmulDims {
  readonly m: number
  readonly k: number
  readonly n: number
}

/** Shapes of op(a) and op(b) (caller checks rank 2 and agreement). @category kernels */
export const matmulDims = (a: Tensor, b: Tensor, transposeA: boolean, transposeB: boolean): MatmulDims => {
  const [a0, a1] = a.shape as [number, number]
  const [b0, b1] = b.shape as [number, number]
  return { m: transposeA ? a1 : a0, k: transposeA ? a0 : a1, n: transposeB ? b0 : b1 }
}

const KB = 256 // k-block: keeps a block of B's rows in L2 while all rows of A pass over it

const nn = (A: Data, B: Data, C: Data, m: number, k: number, n: number): void => {
  for (let k0 = 0; k0 < k; k0 += KB) {
    const k1 = Math.min(k, k0 + KB)
    for (let i = 0; i < m; i++) {
      const ci = i * n
      const ai = i * k
      for (let kk = k0; kk < k1; kk++) {
        const aik = A[ai + kk]!
        if (aik === 0) continue
        const bk = kk * n
        let j = 0
        for (; j + 3 < n; j += 4) {
          C[ci + j] = C[ci + j]! + aik * B[bk + j]!
          C[ci + j + 1] = C[ci + j + 1]! + aik * B[bk + j + 1]!
          C[ci + j + 2] = C[ci + j + 2]! + aik * B[bk + j + 2]!
          C[ci + j + 3] = C[ci + j + 3]! + aik * B[bk + j + 3]!
        }
        for (; j < n; j++) C[ci + j] = C[ci + j]! + aik * B[bk + j]!
      }
    }
  }
}

const nt = (A: Data, B: Data, C: Data, m: number, k: number, n: number): void => {
  for (let i = 0; i < m; i++) {
    const ai = i * k
    for (let j = 0; j < n; j++) {
      const bj = j * k
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0
      let kk = 0
      for (; kk + 3 < k; kk += 4) {
        s0 += A[ai + kk]! * B[bj + kk]!
        s1 += A[ai + kk + 1]! * B[bj + kk + 1]!
        s2 += A[ai + kk + 2]! * B[bj + kk + 2]!
        s3 += A[ai + kk + 3]! * B[bj + kk + 3]!
      }
      for (; kk < k; kk++) s0 += A[ai + kk]! * B[bj + kk]!
      C[i * n + j] = s0 + s1 + s2 + s3
    }
  }
}

const tn = (A: Data, B: Data, C: Data, m: number, k: number, n: number): void => {
  for (let kk = 0; kk < k; kk++) {
    const ak = kk * m
    const bk = kk * n
    for (let i = 0; i < m; i++) {
      const aki = A[ak + i]!
      if (aki === 0) continue
      const ci = i * n
      let j = 0
      for (; j + 3 < n; j += 4) {
        C[ci + j] = C[ci + j]! + aki * B[bk + j]!
        C[ci + j + 1] = C[ci + j + 1]! + aki * B[bk + j + 1]!
        C[ci + j + 2] = C[ci + j + 2]! + aki * B[bk + j + 2]!
        C[ci + j + 3] = C[ci + j + 3]! + aki * B[bk + j + 3]!
      }
      for (; j < n; j++) C[ci + j] = C[ci + j]! + aki * B[bk + j]!
    }
  }
}

/**
 * C = op(A) · op(B) for 2-D tensors; the caller has checked ranks and inner dimensions.
 * @category kernels
 */
export const matmul = (a: Tensor, b: Tensor, transposeA: boolean, transposeB: boolean): Tensor => {
  const { m, k, n } = matmulDims(a, b, transposeA, transposeB)
  const dtype = promote(a.dtype, b.dtype)
  const C = alloc(dtype, m * n)
  if (m === 0 || n === 0 || k === 0) return fromData([m, n], C)
  if (!transposeA && !transposeB) nn(a.data, b.data, C, m, k, n)
  else if (!transposeA && transposeB) nt(a.data, b.data, C, m, k, n)
  else if (transposeA && !transposeB) tn(a.data, b.data, C, m, k, n)
  else {
    // Aᵀ Bᵀ = (B A)ᵀ: B is [n, k], A is [k, m]
    const T = alloc(dtype, n * m)
    nn(b.data, a.data, T, n, k, m)
    return transpose(fromData([n, m], T), [1, 0])
  }
  return fromData([m, n], C)
}
