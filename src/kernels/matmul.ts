/**
 * Matrix products of 2-D row-major tensors with either operand transposed, without making a
 * transposed copy of the operands: C = op(A) · op(B), op(X) = X or Xᵀ.
 *
 * The portable TypeScript kernel here is the reference implementation and the fallback; float32
 * products go to the WebAssembly SIMD kernel of `./wasm/` when the engine has WebAssembly SIMD.
 * Products of at most DIRECT_MACS multiply-adds skip the packing below (one dot product per entry).
 *
 * The portable kernel is a small GotoBLAS-style loop nest, the same for every orientation:
 * 1. k is cut into blocks of KC, n into blocks of NC; for each (NC, KC) block, op(B) is packed
 *    into panels of NR = 4 columns stored k-major (`bp[(panel·kc + kk)·4 + c]`);
 * 2. for each block of MC rows, op(A) is packed into panels of MR = 4 rows (`ap[(panel·kc + kk)·4 + r]`);
 * 3. a 4x4 micro-kernel multiplies one A panel by one B panel, keeping the 16 sums in locals.
 * Packing is where the orientation is handled: it reads op(X) through strides, so every
 * orientation runs the same micro-kernel over contiguous memory. Packed panels are Float64Array
 * whatever the dtype, so the micro-kernel sees one array type (V8 keeps it monomorphic) and sums
 * in double precision. Edge panels are zero-padded; the micro-kernel writes only the valid part.
 */
import { type Data, type Tensor, alloc, fromData, promote } from '../tensor/index.js'
import * as W from './wasm/matmul.js'

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

// Block sizes: a KC x NC block of packed B (256 x 256 doubles = 512 KiB) stays in L2 while all
// rows of A pass over it; a 4 x KC A panel and a KC x 4 B panel (8 KiB each) stay in L1.
const KC = 256
const NC = 256
const MC = 64

/**
 * Packs op(A)[i0 .. i0+mc, k0 .. k0+kc] into 4-row panels. op(A)[i, kk] = A[i·rs + kk·cs]
 * (rs, cs) = (k, 1) for A, (1, m) for Aᵀ. Rows past the end are zero.
 */
const packA = (A: Data, rs: number, cs: number, i0: number, mc: number, k0: number, kc: number, ap: Float64Array): void => {
  let p = 0
  for (let ib = 0; ib < mc; ib += 4) {
    const rows = Math.min(4, mc - ib)
    const base = (i0 + ib) * rs + k0 * cs
    if (rows === 4) {
      for (let kk = 0; kk < kc; kk++) {
        const o = base + kk * cs
        ap[p] = A[o]!
        ap[p + 1] = A[o + rs]!
        ap[p + 2] = A[o + 2 * rs]!
        ap[p + 3] = A[o + 3 * rs]!
        p += 4
      }
    } else {
      for (let kk = 0; kk < kc; kk++) {
        const o = base + kk * cs
        for (let r = 0; r < 4; r++) ap[p + r] = r < rows ? A[o + r * rs]! : 0
        p += 4
      }
    }
  }
}

/**
 * Packs op(B)[k0 .. k0+kc, j0 .. j0+nc] into 4-column panels. op(B)[kk, j] = B[kk·rs + j·cs],
 * (rs, cs) = (n, 1) for B, (1, k) for Bᵀ. Columns past the end are zero.
 */
const packB = (B: Data, rs: number, cs: number, k0: number, kc: number, j0: number, nc: number, bp: Float64Array): void => {
  let p = 0
  for (let jb = 0; jb < nc; jb += 4) {
    const cols = Math.min(4, nc - jb)
    const base = k0 * rs + (j0 + jb) * cs
    if (cols === 4) {
      for (let kk = 0; kk < kc; kk++) {
        const o = base + kk * rs
        bp[p] = B[o]!
        bp[p + 1] = B[o + cs]!
        bp[p + 2] = B[o + 2 * cs]!
        bp[p + 3] = B[o + 3 * cs]!
        p += 4
      }
    } else {
      for (let kk = 0; kk < kc; kk++) {
        const o = base + kk * rs
        for (let c = 0; c < 4; c++) bp[p + c] = c < cols ? B[o + c * cs]! : 0
        p += 4
      }
    }
  }
}

/**
 * C[i.., j..] += (4 x kc panel at ap[pa]) · (kc x 4 panel at bp[pb]), writing the first `rows`
 * rows and `cols` columns of the 4 x 4 tile at C[ci], row stride n.
 */
const micro = (ap: Float64Array, pa: number, bp: Float64Array, pb: number, kc: number, C: Data, ci: number, n: number, rows: number, cols: number): void => {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0
  const end = pa + 4 * kc
  while (pa < end) {
    const b0 = bp[pb]!, b1 = bp[pb + 1]!, b2 = bp[pb + 2]!, b3 = bp[pb + 3]!
    const a0 = ap[pa]!
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3
    const a1 = ap[pa + 1]!
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3
    const a2 = ap[pa + 2]!
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3
    const a3 = ap[pa + 3]!
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3
    pa += 4
    pb += 4
  }
  if (rows === 4 && cols === 4) {
    C[ci] = C[ci]! + c00; C[ci + 1] = C[ci + 1]! + c01; C[ci + 2] = C[ci + 2]! + c02; C[ci + 3] = C[ci + 3]! + c03
    ci += n
    C[ci] = C[ci]! + c10; C[ci + 1] = C[ci + 1]! + c11; C[ci + 2] = C[ci + 2]! + c12; C[ci + 3] = C[ci + 3]! + c13
    ci += n
    C[ci] = C[ci]! + c20; C[ci + 1] = C[ci + 1]! + c21; C[ci + 2] = C[ci + 2]! + c22; C[ci + 3] = C[ci + 3]! + c23
    ci += n
    C[ci] = C[ci]! + c30; C[ci + 1] = C[ci + 1]! + c31; C[ci + 2] = C[ci + 2]! + c32; C[ci + 3] = C[ci + 3]! + c33
    return
  }
  edge(C, ci, n, rows, cols, 0, c00, c01, c02, c03)
  edge(C, ci, n, rows, cols, 1, c10, c11, c12, c13)
  edge(C, ci, n, rows, cols, 2, c20, c21, c22, c23)
  edge(C, ci, n, rows, cols, 3, c30, c31, c32, c33)
}

// One row of a partial tile (the right and bottom borders of C).
const edge = (C: Data, ci: number, n: number, rows: number, cols: number, r: number, x0: number, x1: number, x2: number, x3: number): void => {
  if (r >= rows) return
  const o = ci + r * n
  C[o] = C[o]! + x0
  if (cols > 1) C[o + 1] = C[o + 1]! + x1
  if (cols > 2) C[o + 2] = C[o + 2]! + x2
  if (cols > 3) C[o + 3] = C[o + 3]! + x3
}

// Small products: one dot product per entry, no packing buffers to allocate.
const direct = (A: Data, B: Data, C: Data, m: number, k: number, n: number, ars: number, acs: number, brs: number, bcs: number): void => {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0
      let pa = i * ars
      let pb = j * bcs
      for (let kk = 0; kk < k; kk++) {
        s += A[pa]! * B[pb]!
        pa += acs
        pb += brs
      }
      C[i * n + j] = s
    }
  }
}

// Below this many multiply-adds allocating and filling the packing buffers costs more than it
// saves (8x8·8x8: 0.7 GFLOP/s direct against 0.35 packed, on the bench machine).
const DIRECT_MACS = 2048

/** C (zero on entry, row-major m x n) += op(A) · op(B), portable TypeScript. */
const gemm = (A: Data, B: Data, C: Data, m: number, k: number, n: number, ta: boolean, tb: boolean): void => {
  const ars = ta ? 1 : k, acs = ta ? m : 1
  const brs = tb ? 1 : n, bcs = tb ? k : 1
  if (m * k * n <= DIRECT_MACS) return direct(A, B, C, m, k, n, ars, acs, brs, bcs)
  const kcMax = Math.min(KC, k)
  const ncMax = Math.min(NC, n)
  const mcMax = Math.min(MC, m)
  const bp = new Float64Array(kcMax * (ncMax + 3 - ((ncMax + 3) % 4)))
  const ap = new Float64Array(kcMax * (mcMax + 3 - ((mcMax + 3) % 4)))
  for (let j0 = 0; j0 < n; j0 += NC) {
    const nc = Math.min(NC, n - j0)
    for (let k0 = 0; k0 < k; k0 += KC) {
      const kc = Math.min(KC, k - k0)
      packB(B, brs, bcs, k0, kc, j0, nc, bp)
      for (let i0 = 0; i0 < m; i0 += MC) {
        const mc = Math.min(MC, m - i0)
        packA(A, ars, acs, i0, mc, k0, kc, ap)
        for (let jb = 0; jb < nc; jb += 4) {
          const cols = Math.min(4, nc - jb)
          const pb = jb * kc
          for (let ib = 0; ib < mc; ib += 4) {
            micro(ap, ib * kc, bp, pb, kc, C, (i0 + ib) * n + j0 + jb, n, Math.min(4, mc - ib), cols)
          }
        }
      }
    }
  }
}

/**
 * C = op(A) · op(B) with the portable TypeScript kernel: the reference implementation, used for
 * float64 and where WebAssembly SIMD is missing or the product is too small to pay for copies.
 * @category kernels
 */
export const matmulPortable = (a: Tensor, b: Tensor, transposeA: boolean, transposeB: boolean): Tensor => {
  const { m, k, n } = matmulDims(a, b, transposeA, transposeB)
  const C = alloc(promote(a.dtype, b.dtype), m * n)
  if (m > 0 && n > 0 && k > 0) gemm(a.data, b.data, C, m, k, n, transposeA, transposeB)
  return fromData([m, n], C)
}

/**
 * C = op(A) · op(B) for 2-D tensors; the caller has checked ranks and inner dimensions. Float32
 * products go to the WebAssembly SIMD kernel when it is available (and, on engines where that
 * pays, large enough: `worthIt`); float64 and mixed products run the portable kernel.
 * @category kernels
 */
export const matmul = (a: Tensor, b: Tensor, transposeA: boolean, transposeB: boolean): Tensor => {
  const { m, k, n } = matmulDims(a, b, transposeA, transposeB)
  if (a.dtype === 'float32' && b.dtype === 'float32' && W.worthIt(m, k, n)) {
    return fromData([m, n], W.gemm(a.data as Float32Array, b.data as Float32Array, m, k, n, transposeA, transposeB))
  }
  return matmulPortable(a, b, transposeA, transposeB)
}

/**
 * C += op(A) · op(B) with the portable kernel, writing into `C` (m x n, row-major, zero on entry
 * for the product itself): the same loops and order as `matmulPortable`, for a compiled program
 * that owns its output buffer.
 * @category kernels
 */
export const matmulInto = (A: Data, B: Data, C: Data, m: number, k: number, n: number, transposeA: boolean, transposeB: boolean): void => {
  if (m > 0 && n > 0 && k > 0) gemm(A, B, C, m, k, n, transposeA, transposeB)
}
