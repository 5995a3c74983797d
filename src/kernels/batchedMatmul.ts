/**
 * Batched matrix products: C[e] = op(A[e]) · op(B[e]) for every e of a leading batch axis, all
 * written into one fresh [batch, m, n] buffer (what vmap makes of a matmul whose two operands are
 * both batched, e.g. the per-example weight gradients xᵀ·δ).
 *
 * Two paths:
 * - inner dimension 1 (outer products, one per example: per-example gradients of a dense layer
 *   with one row per example): C[e][i, :] = a_e[i] · b_e, each row written once, by WebAssembly
 *   SIMD straight into the result's buffer for float32 (`wasm/outer.ts`), else by a plain loop.
 *   With k = 1 the stored vector is the same whichever operand is transposed.
 * - otherwise one matrix product per example through `matmul`'s kernels (WebAssembly SIMD for
 *   float32 where available), each written into its slot of the one output buffer.
 */
import { type Data, type Tensor, alloc, fromData, promote } from '../tensor/index.js'
import { matmulInto } from './matmul.js'
import * as W from './wasm/matmul.js'
import { outerProducts, outerWorthIt } from './wasm/outer.js'

/** Dimensions of a batched product op(A[e]) · op(B[e]): batch x ([m, k] · [k, n]). @category kernels */
export interface BatchedMatmulDims {
  readonly batch: number
  readonly m: number
  readonly k: number
  readonly n: number
}

/** Dimensions of a batched product of rank-3 operands (the caller checks ranks and agreement). @category kernels */
export const batchedMatmulDims = (a: Tensor, b: Tensor, transposeA: boolean, transposeB: boolean): BatchedMatmulDims => {
  const [batch, a1, a2] = a.shape as [number, number, number]
  const [, b1, b2] = b.shape as [number, number, number]
  return { batch, m: transposeA ? a2 : a1, k: transposeA ? a1 : a2, n: transposeB ? b1 : b2 }
}

// C[e] = a_e ⊗ b_e for vectors a_e (length m) and b_e (length n), row by row.
const outerLoop = (A: Data, B: Data, C: Data, batch: number, m: number, n: number): void => {
  let p = 0
  for (let e = 0; e < batch; e++) {
    const ao = e * m
    const bo = e * n
    for (let i = 0; i < m; i++) {
      const ai = A[ao + i]!
      for (let j = 0; j < n; j++) C[p++] = ai * B[bo + j]!
    }
  }
}

/**
 * C[e] = op(A[e]) · op(B[e]) for rank-3 tensors with one batch axis in front, into one fresh
 * [batch, m, n] tensor; the caller has checked ranks, batch sizes and inner dimensions.
 * @category kernels
 */
export const batchedMatmul = (a: Tensor, b: Tensor, transposeA: boolean, transposeB: boolean): Tensor => {
  const { batch, m, k, n } = batchedMatmulDims(a, b, transposeA, transposeB)
  if (k === 1 && a.dtype === 'float32' && b.dtype === 'float32' && outerWorthIt(batch, m, n)) {
    return fromData([batch, m, n], outerProducts(a.data as Float32Array, b.data as Float32Array, batch, m, n))
  }
  const C = alloc(promote(a.dtype, b.dtype), batch * m * n)
  if (m > 0 && n > 0 && k > 0 && batch > 0) {
    if (k === 1) outerLoop(a.data, b.data, C, batch, m, n)
    else {
      const wasm = a.dtype === 'float32' && b.dtype === 'float32' && W.worthIt(m, k, n)
      for (let e = 0; e < batch; e++) {
        const ae = a.data.subarray(e * m * k, (e + 1) * m * k)
        const be = b.data.subarray(e * k * n, (e + 1) * k * n)
        if (wasm) C.set(W.gemm(ae as Float32Array, be as Float32Array, m, k, n, transposeA, transposeB), e * m * n)
        else matmulInto(ae, be, C.subarray(e * m * n, (e + 1) * m * n), m, k, n, transposeA, transposeB)
      }
    }
  }
  return fromData([batch, m, n], C)
}
