// AssemblyScript source of the kernels only a compiled program (src/stage/lower.ts) calls, built
// together with gemm.as and elementwise.as into one module (`jit.generated.ts`) by
// `scripts/build-wasm.mjs`, so that all of them work on the buffers of one memory. Each gives the
// eager kernel's values bit for bit:
// - the fused activation backward rules of kernels/activationBackward.ts compute in float64 and
//   round once to float32, as the scalar loops do (d·(1 - y²), d·y·(1 - y)); relu's picks d, 0 or
//   a NaN x exactly as `x > 0 ? d : x <= 0 ? 0 : x`;
// - `sumRows` is the sum over the leading axis of kernels/reduce.ts's sumBlock (inner > 1): the
//   rows added in order to a zeroed float32 accumulator, one float32 rounding per addition.
// Lengths are rounded up to whole vectors (the caller's buffers are padded to 64 bytes).

const TANH_BACKWARD: i32 = 0
const SIGMOID_BACKWARD: i32 = 1

@inline function backwardLanes(op: i32, d: v128, y: v128): v128 {
  const one = f64x2.splat(1.0)
  if (op == TANH_BACKWARD) return f64x2.mul(d, f64x2.sub(one, f64x2.mul(y, y)))
  return f64x2.mul(d, f64x2.mul(y, f64x2.sub(one, y)))
}

@inline function backward64(op: i32, d: usize, y: usize, o: usize, n: i32): void {
  const end = d + (<usize>((n + 3) & ~3) << 2)
  for (; d < end; d += 8, y += 8, o += 8) {
    const r = backwardLanes(op, f64x2.promote_low_f32x4(v128.load64_zero(d)), f64x2.promote_low_f32x4(v128.load64_zero(y)))
    v128.store64_lane(o, f32x4.demote_f64x2_zero(r), 0)
  }
}

/** o[i] = d[i]·(1 - y[i]²), in float64, rounded to float32. */
export function tanhBackward(d: usize, y: usize, o: usize, n: i32): void { backward64(TANH_BACKWARD, d, y, o, n) }

/** o[i] = d[i]·(y[i]·(1 - y[i])), in float64, rounded to float32. */
export function sigmoidBackward(d: usize, y: usize, o: usize, n: i32): void { backward64(SIGMOID_BACKWARD, d, y, o, n) }

/** o[i] = x[i] > 0 ? d[i] : x[i] <= 0 ? 0 : x[i] (a NaN x stays). */
export function reluBackward(d: usize, x: usize, o: usize, n: i32): void {
  const end = d + (<usize>((n + 3) & ~3) << 2)
  const zero = f32x4.splat(0)
  for (; d < end; d += 16, x += 16, o += 16) {
    const xv = v128.load(x)
    const notPositive = v128.bitselect(zero, xv, f32x4.le(xv, zero))
    v128.store(o, v128.bitselect(v128.load(d), notPositive, f32x4.gt(xv, zero)))
  }
}

/** o[j] = sum over r < rows of a[r·m + j], for j < m: rows added in order, float32 rounding each. */
export function sumRows(a: usize, o: usize, rows: i32, m: i32): void {
  const m4 = m & ~3
  const bytes = <usize>m << 2
  for (let j = 0; j < m4; j += 4) {
    let s = f32x4.splat(0)
    let p = a + (<usize>j << 2)
    for (let r = 0; r < rows; r++, p += bytes) s = f32x4.add(s, v128.load(p))
    v128.store(o + (<usize>j << 2), s)
  }
  for (let j = m4; j < m; j++) {
    let s: f32 = 0
    let p = a + (<usize>j << 2)
    for (let r = 0; r < rows; r++, p += bytes) s += load<f32>(p)
    store<f32>(o + (<usize>j << 2), s)
  }
}

// The gemm's KC (gemm.as): a row times a matrix adds along k in blocks of this many, as it does.
const ROW_KC: i32 = 256

/**
 * c (1 x n) = a (1 x k) · B (k x n, row-major, not transposed): gemm's values for m = 1 without
 * packing either operand (a one-row program, such as a network's batch-1 inference, spends most of
 * its matmul time packing B). Bit for bit the gemm's: each lane starts at zero and adds
 * a[kk]·B[kk, j] in order of kk within a block of ROW_KC (float32 multiply, then float32 add, as the
 * micro-kernel's f32x4.mul and f32x4.add), and a later block's sum is added to c as gemm's
 * accumulating tile does.
 */
export function rowTimesMatrix(a: usize, b: usize, c: usize, k: i32, n: i32): void {
  const ldb = <usize>n << 2
  const vecEnd = n & ~3
  // four vectors (16 columns) at a time: four independent sums, each lane's additions in the order
  // of kk as below (the order within a lane is all that fixes its bits)
  const wideEnd = n & ~15
  for (let k0 = 0; k0 < k; k0 += ROW_KC) {
    const kc = min(ROW_KC, k - k0)
    for (let j = 0; j < wideEnd; j += 16) {
      let acc0 = f32x4.splat(0)
      let acc1 = f32x4.splat(0)
      let acc2 = f32x4.splat(0)
      let acc3 = f32x4.splat(0)
      let pa = a + (<usize>k0 << 2)
      let pb = b + <usize>k0 * ldb + (<usize>j << 2)
      for (let kk = 0; kk < kc; kk++) {
        const s = v128.load32_splat(pa)
        acc0 = f32x4.add(acc0, f32x4.mul(s, v128.load(pb)))
        acc1 = f32x4.add(acc1, f32x4.mul(s, v128.load(pb, 16)))
        acc2 = f32x4.add(acc2, f32x4.mul(s, v128.load(pb, 32)))
        acc3 = f32x4.add(acc3, f32x4.mul(s, v128.load(pb, 48)))
        pa += 4
        pb += ldb
      }
      const dst = c + (<usize>j << 2)
      if (k0 > 0) {
        acc0 = f32x4.add(v128.load(dst), acc0)
        acc1 = f32x4.add(v128.load(dst, 16), acc1)
        acc2 = f32x4.add(v128.load(dst, 32), acc2)
        acc3 = f32x4.add(v128.load(dst, 48), acc3)
      }
      v128.store(dst, acc0)
      v128.store(dst, acc1, 16)
      v128.store(dst, acc2, 32)
      v128.store(dst, acc3, 48)
    }
    for (let j = wideEnd; j < vecEnd; j += 4) {
      let acc = f32x4.splat(0)
      let pa = a + (<usize>k0 << 2)
      let pb = b + <usize>k0 * ldb + (<usize>j << 2)
      for (let kk = 0; kk < kc; kk++) {
        acc = f32x4.add(acc, f32x4.mul(v128.load32_splat(pa), v128.load(pb)))
        pa += 4
        pb += ldb
      }
      const dst = c + (<usize>j << 2)
      v128.store(dst, k0 > 0 ? f32x4.add(v128.load(dst), acc) : acc)
    }
    for (let j = vecEnd; j < n; j++) {
      let acc: f32 = 0
      let pa = a + (<usize>k0 << 2)
      let pb = b + <usize>k0 * ldb + (<usize>j << 2)
      for (let kk = 0; kk < kc; kk++) {
        acc = acc + load<f32>(pa) * load<f32>(pb)
        pa += 4
        pb += ldb
      }
      const dst = c + (<usize>j << 2)
      store<f32>(dst, k0 > 0 ? load<f32>(dst) + acc : acc)
    }
  }
}
