// Variant of src/kernels/wasm/gemm.as for bench/gemm-ab.mjs: the micro-kernel's k-loop unrolled by two.
// Measured 0.68-0.89x the kernel (issue 12, bench/README.md): kept to rerun, not used.
// AssemblyScript source of purenet's WebAssembly SIMD matmul (float32), compiled by
// `scripts/build-wasm.mjs` (run by npm before start, test, typecheck and bench) into
// `gemm.generated.ts` beside this file. The extension is `.as` so that the TypeScript compiler,
// which checks everything under src/, leaves this file to the AssemblyScript compiler.
//
// C = op(A) · op(B), all row-major float32, op(X) = X or Xᵀ. The caller (./matmul.ts) copies A
// and B into this module's memory, calls `gemm` with byte addresses of every buffer, and copies
// C out. Memory below SCRATCH_END is this file's own scratch; the caller places its buffers above it.
//
// The loop nest is GotoBLAS/BLIS's:
//   for each block of NC columns of op(B)
//     for each block of KC along k: pack op(B)[kc, nc] into NR-wide panels        (bp)
//       for each block of MC rows of op(A): pack op(A)[mc, kc] into MR-high panels (ap)
//         for each NR panel, for each MR panel: micro-kernel on an MR x NR tile of C
// Packing reads op(X) through element strides, so every orientation (NN, NT, TN, TT) runs the
// same micro-kernel over contiguous, 16-byte aligned panels. Edge panels are zero-padded.
//
// The micro-kernel keeps an MR x NR = 4 x 8 tile of C in 8 f32x4 registers; per step along k it
// loads two vectors of B and broadcasts four scalars of A (v128.load32_splat), 8 multiplies and
// 8 adds. 8 accumulators + 2 B vectors + 1 broadcast + 1 product fit in the 16 xmm registers V8
// has on x64 without spills. A 6 x 8 tile (12 accumulators) measured 27 GFLOP/s against this
// tile's 47 on 256x512·512x512 (Node 20, x64), most likely because V8 must then spill registers.

const MR: i32 = 4
const NR: i32 = 8
const KC: i32 = 256 // a 4 x KC A panel (4 KiB) and a KC x 8 B panel (8 KiB) stay in L1
const MC: i32 = 128 // a packed MC x KC block of A (128 KiB) stays in L2
const NC: i32 = 512 // a packed KC x NC block of B (512 KiB) stays in L2

// Tile scratch for edge tiles: MR x NR floats.
const SCRATCH: usize = 0
/** Bytes at the bottom of memory this module uses for itself; callers place buffers above. */
export const SCRATCH_END: i32 = 256

/** Bytes of the packed-A buffer `gemm` needs. */
export function packedABytes(m: i32, k: i32): i32 {
  return min(MC, roundUp(m, MR)) * min(KC, k) * 4
}

/** Bytes of the packed-B buffer `gemm` needs. */
export function packedBBytes(k: i32, n: i32): i32 {
  return min(NC, roundUp(n, NR)) * min(KC, k) * 4
}

@inline function roundUp(x: i32, q: i32): i32 {
  return (x + q - 1) / q * q
}

// op(A)[i0 + i, k0 + kk] = A[(i0 + i)·rs + (k0 + kk)·cs]; panel p holds rows p·MR .. p·MR+3,
// stored kk-major: ap[p·MR·kc + kk·MR + r].
function packA(a: usize, rs: i32, cs: i32, i0: i32, mc: i32, k0: i32, kc: i32, ap: usize): void {
  let dst = ap
  for (let ib = 0; ib < mc; ib += MR) {
    const rows = min(MR, mc - ib)
    const base = a + ((<usize>(i0 + ib) * <usize>rs + <usize>k0 * <usize>cs) << 2)
    const rstride = <usize>rs << 2
    const kstride = <usize>cs << 2
    if (rows == MR && rs == 1) {
      // Aᵀ: the MR rows of a k-step are contiguous
      let src = base
      for (let kk = 0; kk < kc; kk++) {
        v128.store(dst, v128.load(src))
        src += kstride
        dst += 16
      }
    } else if (rows == MR) {
      let src = base
      for (let kk = 0; kk < kc; kk++) {
        store<f32>(dst, load<f32>(src))
        store<f32>(dst, load<f32>(src + rstride), 4)
        store<f32>(dst, load<f32>(src + 2 * rstride), 8)
        store<f32>(dst, load<f32>(src + 3 * rstride), 12)
        src += kstride
        dst += 16
      }
    } else {
      for (let kk = 0; kk < kc; kk++) {
        const src = base + <usize>kk * kstride
        for (let r = 0; r < MR; r++) {
          store<f32>(dst + (<usize>r << 2), r < rows ? load<f32>(src + <usize>r * rstride) : 0)
        }
        dst += 16
      }
    }
  }
}

// op(B)[k0 + kk, j0 + j] = B[(k0 + kk)·rs + (j0 + j)·cs]; panel p holds columns p·NR .. p·NR+7,
// stored kk-major: bp[p·NR·kc + kk·NR + c].
function packB(b: usize, rs: i32, cs: i32, k0: i32, kc: i32, j0: i32, nc: i32, bp: usize): void {
  let dst = bp
  for (let jb = 0; jb < nc; jb += NR) {
    const cols = min(NR, nc - jb)
    const base = b + ((<usize>k0 * <usize>rs + <usize>(j0 + jb) * <usize>cs) << 2)
    const kstride = <usize>rs << 2
    const cstride = <usize>cs << 2
    if (cols == NR && cs == 1) {
      let src = base
      for (let kk = 0; kk < kc; kk++) {
        v128.store(dst, v128.load(src))
        v128.store(dst, v128.load(src, 16), 16)
        src += kstride
        dst += 32
      }
    } else if (cols == NR) {
      // Bᵀ: gather 8 columns; consecutive kk are adjacent in memory, so walk column by column
      for (let c = 0; c < NR; c++) {
        let src = base + <usize>c * cstride
        let d = dst + (<usize>c << 2)
        for (let kk = 0; kk < kc; kk++) {
          store<f32>(d, load<f32>(src))
          src += kstride
          d += 32
        }
      }
      dst += <usize>kc * 32
    } else {
      for (let kk = 0; kk < kc; kk++) {
        const src = base + <usize>kk * kstride
        for (let c = 0; c < NR; c++) {
          store<f32>(dst + (<usize>c << 2), c < cols ? load<f32>(src + <usize>c * cstride) : 0)
        }
        dst += 32
      }
    }
  }
}

// C tile (rows x cols, at byte address c, row stride ldc bytes) = or += A panel · B panel.
function tile(pa: usize, pb: usize, kc: i32, c: usize, ldc: usize, rows: i32, cols: i32, accumulate: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0)
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0)
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0)
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0)
  const end = pa + (<usize>kc << 4)
  const end2 = pa + (<usize>(kc & ~1) << 4)
  while (pa < end2) {
    let b0 = v128.load(pb)
    let b1 = v128.load(pb, 16)
    let a = v128.load32_splat(pa)
    c00 = f32x4.add(c00, f32x4.mul(a, b0))
    c01 = f32x4.add(c01, f32x4.mul(a, b1))
    a = v128.load32_splat(pa, 4)
    c10 = f32x4.add(c10, f32x4.mul(a, b0))
    c11 = f32x4.add(c11, f32x4.mul(a, b1))
    a = v128.load32_splat(pa, 8)
    c20 = f32x4.add(c20, f32x4.mul(a, b0))
    c21 = f32x4.add(c21, f32x4.mul(a, b1))
    a = v128.load32_splat(pa, 12)
    c30 = f32x4.add(c30, f32x4.mul(a, b0))
    c31 = f32x4.add(c31, f32x4.mul(a, b1))
    b0 = v128.load(pb, 32)
    b1 = v128.load(pb, 48)
    a = v128.load32_splat(pa, 16)
    c00 = f32x4.add(c00, f32x4.mul(a, b0))
    c01 = f32x4.add(c01, f32x4.mul(a, b1))
    a = v128.load32_splat(pa, 20)
    c10 = f32x4.add(c10, f32x4.mul(a, b0))
    c11 = f32x4.add(c11, f32x4.mul(a, b1))
    a = v128.load32_splat(pa, 24)
    c20 = f32x4.add(c20, f32x4.mul(a, b0))
    c21 = f32x4.add(c21, f32x4.mul(a, b1))
    a = v128.load32_splat(pa, 28)
    c30 = f32x4.add(c30, f32x4.mul(a, b0))
    c31 = f32x4.add(c31, f32x4.mul(a, b1))
    pa += 32
    pb += 64
  }
  while (pa < end) {
    const b0 = v128.load(pb)
    const b1 = v128.load(pb, 16)
    let a = v128.load32_splat(pa)
    c00 = f32x4.add(c00, f32x4.mul(a, b0))
    c01 = f32x4.add(c01, f32x4.mul(a, b1))
    a = v128.load32_splat(pa, 4)
    c10 = f32x4.add(c10, f32x4.mul(a, b0))
    c11 = f32x4.add(c11, f32x4.mul(a, b1))
    a = v128.load32_splat(pa, 8)
    c20 = f32x4.add(c20, f32x4.mul(a, b0))
    c21 = f32x4.add(c21, f32x4.mul(a, b1))
    a = v128.load32_splat(pa, 12)
    c30 = f32x4.add(c30, f32x4.mul(a, b0))
    c31 = f32x4.add(c31, f32x4.mul(a, b1))
    pa += 16
    pb += 32
  }
  if (rows == MR && cols == NR) {
    let p = c
    if (accumulate) {
      v128.store(p, f32x4.add(v128.load(p), c00)); v128.store(p, f32x4.add(v128.load(p, 16), c01), 16); p += ldc
      v128.store(p, f32x4.add(v128.load(p), c10)); v128.store(p, f32x4.add(v128.load(p, 16), c11), 16); p += ldc
      v128.store(p, f32x4.add(v128.load(p), c20)); v128.store(p, f32x4.add(v128.load(p, 16), c21), 16); p += ldc
      v128.store(p, f32x4.add(v128.load(p), c30)); v128.store(p, f32x4.add(v128.load(p, 16), c31), 16)
    } else {
      v128.store(p, c00); v128.store(p, c01, 16); p += ldc
      v128.store(p, c10); v128.store(p, c11, 16); p += ldc
      v128.store(p, c20); v128.store(p, c21, 16); p += ldc
      v128.store(p, c30); v128.store(p, c31, 16)
    }
    return
  }
  // edge tile: spill to scratch, write the valid part
  v128.store(SCRATCH, c00); v128.store(SCRATCH, c01, 16)
  v128.store(SCRATCH, c10, 32); v128.store(SCRATCH, c11, 48)
  v128.store(SCRATCH, c20, 64); v128.store(SCRATCH, c21, 80)
  v128.store(SCRATCH, c30, 96); v128.store(SCRATCH, c31, 112)
  for (let r = 0; r < rows; r++) {
    const row = c + <usize>r * ldc
    const s = SCRATCH + (<usize>(r * NR) << 2)
    for (let j = 0; j < cols; j++) {
      const dst = row + (<usize>j << 2)
      const v = load<f32>(s + (<usize>j << 2))
      store<f32>(dst, accumulate ? load<f32>(dst) + v : v)
    }
  }
}

/**
 * C (m x n at byte address c) = op(A) · op(B), op(A) m x k at a, op(B) k x n at b; ta / tb say
 * whether A / B are stored transposed. ap and bp are packing buffers of packedABytes(m, k) and
 * packedBBytes(k, n) bytes, 16-byte aligned. Requires m, k, n > 0.
 */
export function gemm(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, ta: bool, tb: bool, ap: usize, bp: usize): void {
  const ars = ta ? 1 : k
  const acs = ta ? m : 1
  const brs = tb ? 1 : n
  const bcs = tb ? k : 1
  const ldc = <usize>n << 2
  for (let j0 = 0; j0 < n; j0 += NC) {
    const nc = min(NC, n - j0)
    for (let k0 = 0; k0 < k; k0 += KC) {
      const kc = min(KC, k - k0)
      packB(b, brs, bcs, k0, kc, j0, nc, bp)
      for (let i0 = 0; i0 < m; i0 += MC) {
        const mc = min(MC, m - i0)
        packA(a, ars, acs, i0, mc, k0, kc, ap)
        for (let jb = 0; jb < nc; jb += NR) {
          const cols = min(NR, nc - jb)
          const pb = bp + (<usize>(jb * kc) << 2)
          const crow = c + (<usize>(i0 * n + j0 + jb) << 2)
          for (let ib = 0; ib < mc; ib += MR) {
            tile(ap + (<usize>(ib * kc) << 2), pb, kc, crow + <usize>ib * ldc, ldc, min(MR, mc - ib), cols, k0 > 0)
          }
        }
      }
    }
  }
}
