// AssemblyScript source of purenet's WebAssembly im2col and col2im (float32, NHWC), built together
// with gemm.as into one module (`conv.generated.ts`) by `scripts/build-wasm.mjs`, so that a
// convolution lays its patches out and multiplies them in one memory with no copy between
// (./patches.ts). Both follow kernels/patches.ts loop for loop, so their values are the portable
// kernels' bit for bit: im2col only copies, and col2im adds each patch entry into its pixel in the
// same order (one float32 rounding per addition, as the portable loop's float32 stores).
//
// The geometry arrives as plain integers (see tensor/window.ts's PatchGeometry): kernel kh x kw,
// stride sh, sw, dilation dh, dw, padding padTop, padLeft, input inH x inW, output outH x outW.
// All addresses are byte addresses of float32 buffers in this module's memory.

// Copies `n` floats from src to dst (4 at a time, then one by one).
@inline function copyRun(dst: usize, src: usize, n: i32): void {
  let t = 0
  for (; t + 4 <= n; t += 4) v128.store(dst + (<usize>t << 2), v128.load(src + (<usize>t << 2)))
  for (; t < n; t++) f32.store(dst + (<usize>t << 2), f32.load(src + (<usize>t << 2)))
}

// dst[t] += src[t] for t < n (4 at a time, then one by one).
@inline function addRun(dst: usize, src: usize, n: i32): void {
  let t = 0
  for (; t + 4 <= n; t += 4) {
    const d = dst + (<usize>t << 2)
    v128.store(d, f32x4.add(v128.load(d), v128.load(src + (<usize>t << 2))))
  }
  for (; t < n; t++) {
    const d = dst + (<usize>t << 2)
    f32.store(d, f32.load(d) + f32.load(src + (<usize>t << 2)))
  }
}

/**
 * im2col: for each output position (n, oh, ow), the taps (i, j) row-major and channels
 * [c0, c0 + cg) innermost, into o (batch·outH·outW rows of kh·kw·cg); zero where a tap is padding.
 * o must be zeroed by the caller where taps are padding: every padding entry is skipped here.
 */
export function im2col(
  x: usize, o: usize, batch: i32, channels: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, padTop: i32, padLeft: i32,
  inH: i32, inW: i32, outH: i32, outW: i32, c0: i32, cg: i32,
): void {
  const whole = dw == 1 && cg == channels
  const run = kw * cg
  let dst = o
  for (let n = 0; n < batch; n++) {
    const image = <usize>n * <usize>inH * <usize>inW * <usize>channels
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++) {
        const iw0 = ow * sw - padLeft
        const inside = iw0 >= 0 && iw0 + (kw - 1) * dw < inW
        for (let i = 0; i < kh; i++) {
          const ih = oh * sh - padTop + i * dh
          if (ih < 0 || ih >= inH) {
            dst += <usize>run << 2
            continue
          }
          const row = image + <usize>ih * <usize>inW * <usize>channels + <usize>c0
          if (whole && inside) {
            copyRun(dst, x + ((row + <usize>iw0 * <usize>channels) << 2), run)
            dst += <usize>run << 2
            continue
          }
          for (let j = 0; j < kw; j++) {
            const iw = iw0 + j * dw
            if (iw >= 0 && iw < inW) copyRun(dst, x + ((row + <usize>iw * <usize>channels) << 2), cg)
            dst += <usize>cg << 2
          }
        }
      }
    }
  }
}

/**
 * col2im, the transpose of `im2col` with all channels: adds each entry of the patches p
 * [batch·outH·outW, kh·kw·channels] into the pixel of o [batch, inH, inW, channels] it was read
 * from, in im2col's order; padding taps are dropped. o must be zeroed by the caller.
 */
export function col2im(
  p: usize, o: usize, batch: i32, channels: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, padTop: i32, padLeft: i32,
  inH: i32, inW: i32, outH: i32, outW: i32,
): void {
  const run = kw * channels
  let src = p
  for (let n = 0; n < batch; n++) {
    const image = <usize>n * <usize>inH * <usize>inW * <usize>channels
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++) {
        const iw0 = ow * sw - padLeft
        const inside = dw == 1 && iw0 >= 0 && iw0 + kw <= inW
        for (let i = 0; i < kh; i++) {
          const ih = oh * sh - padTop + i * dh
          if (ih < 0 || ih >= inH) {
            src += <usize>run << 2
            continue
          }
          const row = image + <usize>ih * <usize>inW * <usize>channels
          if (inside) {
            addRun(o + ((row + <usize>iw0 * <usize>channels) << 2), src, run)
            src += <usize>run << 2
            continue
          }
          for (let j = 0; j < kw; j++) {
            const iw = iw0 + j * dw
            if (iw >= 0 && iw < inW) addRun(o + ((row + <usize>iw * <usize>channels) << 2), src, channels)
            src += <usize>channels << 2
          }
        }
      }
    }
  }
}

// ---- Tiled convolution: im2col of a block of output rows at a time, multiplied while the block
// is in cache, so the [batch·outH·outW, kh·kw·cg] patches are never laid out whole (they were
// 10 MB for LeNet's second layer, written, read and zero-filled at every call).

// Floats of the patches block: 64 Ki floats (256 KiB) stay in a 512 KiB L2 beside the packed
// panels of the gemm.
const BLOCK_FLOATS: i32 = 65536

/** Output rows per patches block for rows of k floats: a multiple of 4, at least 4, at most 1024. */
export function blockRows(k: i32): i32 {
  return max(4, min(1024, (BLOCK_FLOATS / max(k, 1)) & ~3))
}

@inline function zeroRun(dst: usize, n: i32): void {
  memory.fill(dst, 0, <usize>n << 2)
}

/**
 * im2col of output rows [r0, r0 + rows) (row r is output position (n, oh, ow) in row-major
 * order) into o, rows of kh·kw·cg floats, channels [c0, c0 + cg); writes the zeros of padding
 * itself, so o need not be cleared.
 */
function im2colRows(
  x: usize, o: usize, channels: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, padTop: i32, padLeft: i32,
  inH: i32, inW: i32, outH: i32, outW: i32, c0: i32, cg: i32, r0: i32, rows: i32,
): void {
  const whole = dw == 1 && cg == channels
  const run = kw * cg
  let ow = r0 % outW
  let oh = (r0 / outW) % outH
  let n = r0 / (outW * outH)
  let dst = o
  for (let r = 0; r < rows; r++) {
    const image = <usize>n * <usize>inH * <usize>inW * <usize>channels
    const iw0 = ow * sw - padLeft
    const inside = iw0 >= 0 && iw0 + (kw - 1) * dw < inW
    for (let i = 0; i < kh; i++) {
      const ih = oh * sh - padTop + i * dh
      if (ih < 0 || ih >= inH) {
        zeroRun(dst, run)
        dst += <usize>run << 2
        continue
      }
      const row = image + <usize>ih * <usize>inW * <usize>channels + <usize>c0
      if (whole && inside) {
        copyRun(dst, x + ((row + <usize>iw0 * <usize>channels) << 2), run)
        dst += <usize>run << 2
        continue
      }
      for (let j = 0; j < kw; j++) {
        const iw = iw0 + j * dw
        if (iw >= 0 && iw < inW) copyRun(dst, x + ((row + <usize>iw * <usize>channels) << 2), cg)
        else zeroRun(dst, cg)
        dst += <usize>cg << 2
      }
    }
    if (++ow == outW) {
      ow = 0
      if (++oh == outH) {
        oh = 0
        n++
      }
    }
  }
}

/** col2im of patch rows [r0, r0 + rows) (all channels) held at p: adds each into o, in `col2im`'s order. */
function col2imRows(
  p: usize, o: usize, channels: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, padTop: i32, padLeft: i32,
  inH: i32, inW: i32, outH: i32, outW: i32, r0: i32, rows: i32,
): void {
  const run = kw * channels
  let ow = r0 % outW
  let oh = (r0 / outW) % outH
  let n = r0 / (outW * outH)
  let src = p
  for (let r = 0; r < rows; r++) {
    const image = <usize>n * <usize>inH * <usize>inW * <usize>channels
    const iw0 = ow * sw - padLeft
    const inside = dw == 1 && iw0 >= 0 && iw0 + kw <= inW
    for (let i = 0; i < kh; i++) {
      const ih = oh * sh - padTop + i * dh
      if (ih < 0 || ih >= inH) {
        src += <usize>run << 2
        continue
      }
      const row = image + <usize>ih * <usize>inW * <usize>channels
      if (inside) {
        addRun(o + ((row + <usize>iw0 * <usize>channels) << 2), src, run)
        src += <usize>run << 2
        continue
      }
      for (let j = 0; j < kw; j++) {
        const iw = iw0 + j * dw
        if (iw >= 0 && iw < inW) addRun(o + ((row + <usize>iw * <usize>channels) << 2), src, channels)
        src += <usize>channels << 2
      }
    }
    if (++ow == outW) {
      ow = 0
      if (++oh == outH) {
        oh = 0
        n++
      }
    }
  }
}

// gemm's loop nest with C += op(A)·op(B) when `accumulate` (gemm itself always starts C afresh).
function gemmInto(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, ta: bool, tb: bool, ap: usize, bp: usize, accumulate: bool): void {
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
            tile(ap + (<usize>(ib * kc) << 2), pb, kc, crow + <usize>ib * ldc, ldc, min(MR, mc - ib), cols, accumulate || k0 > 0)
          }
        }
      }
    }
  }
}

/**
 * The convolution y [batch·outH·outW, n] (at c) = patches of channels [c0, c0 + cg) of x times
 * b [kh·kw·cg, n], block by block of `blockRows(k)` output rows: each block's patches go to buf
 * and are multiplied there. Every output row is the same sum, in the same order, as `gemm` over
 * the whole patches matrix gives. buf holds blockRows(k)·k floats; ap, bp as for `gemm` with
 * m = blockRows(k).
 */
export function convForward(
  x: usize, b: usize, c: usize, batch: i32, channels: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, padTop: i32, padLeft: i32,
  inH: i32, inW: i32, outH: i32, outW: i32, c0: i32, cg: i32, n: i32, buf: usize, ap: usize, bp: usize,
): void {
  const m = batch * outH * outW
  const k = kh * kw * cg
  const block = blockRows(k)
  for (let r0 = 0; r0 < m; r0 += block) {
    const rows = min(block, m - r0)
    im2colRows(x, buf, channels, kh, kw, sh, sw, dh, dw, padTop, padLeft, inH, inW, outH, outW, c0, cg, r0, rows)
    gemm(buf, b, c + (<usize>r0 * <usize>n << 2), rows, k, n, false, false, ap, bp)
  }
}

/**
 * The gradient of a convolution (one group) at its image: o [batch, inH, inW, channels] (cleared
 * by the caller) += col2im(dy · wᵀ), dy [batch·outH·outW, co], w [kh·kw·channels, co], block by
 * block of `blockRows(k)` rows: each block of dy·wᵀ goes to buf and is folded into o at once.
 * The same sums in the same order as `gemm` then `col2im` over the whole. ap, bp as for `gemm`
 * with m = blockRows(k), k = co, n = kh·kw·channels.
 */
export function convBackwardInput(
  dy: usize, w: usize, o: usize, batch: i32, channels: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, padTop: i32, padLeft: i32,
  inH: i32, inW: i32, outH: i32, outW: i32, co: i32, buf: usize, ap: usize, bp: usize,
): void {
  const m = batch * outH * outW
  const k = kh * kw * channels
  const block = blockRows(k)
  for (let r0 = 0; r0 < m; r0 += block) {
    const rows = min(block, m - r0)
    gemm(dy + (<usize>r0 * <usize>co << 2), w, buf, rows, co, k, false, true, ap, bp)
    col2imRows(buf, o, channels, kh, kw, sh, sw, dh, dw, padTop, padLeft, inH, inW, outH, outW, r0, rows)
  }
}

/**
 * The gradient of a convolution (one group) at its weights: o [kh·kw·channels, co] =
 * patches(x)ᵀ · dy, dy [batch·outH·outW, co], summed block by block of `blockRows(k)` rows (each
 * block's patches laid out in buf, then added in). ap, bp as for `gemm` with m = kh·kw·channels,
 * k = blockRows(k), n = co.
 */
export function convBackwardFilter(
  x: usize, dy: usize, o: usize, batch: i32, channels: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, padTop: i32, padLeft: i32,
  inH: i32, inW: i32, outH: i32, outW: i32, co: i32, buf: usize, ap: usize, bp: usize,
): void {
  const m = batch * outH * outW
  const k = kh * kw * channels
  const block = blockRows(k)
  for (let r0 = 0; r0 < m; r0 += block) {
    const rows = min(block, m - r0)
    im2colRows(x, buf, channels, kh, kw, sh, sw, dh, dw, padTop, padLeft, inH, inW, outH, outW, 0, channels, r0, rows)
    gemmInto(buf, dy + (<usize>r0 * <usize>co << 2), o, k, rows, co, true, false, ap, bp, r0 > 0)
  }
}

// ---- Max pooling over NHWC windows (float32), the fast path of kernels/pool.ts with the same
// values: 4 channels at a time, padding taps skipped, a NaN maximum sticking as in `max`.

/**
 * y [batch, outH, outW, channels] at o = the maximum of each window of x; -Infinity where a
 * window has no tap on the image.
 */
export function maxPool(
  x: usize, o: usize, batch: i32, channels: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, padTop: i32, padLeft: i32,
  inH: i32, inW: i32, outH: i32, outW: i32,
): void {
  const vec = channels & ~3
  let dst = o
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++) {
        for (let c = 0; c < channels; c++) f32.store(dst + (<usize>c << 2), -Infinity)
        for (let i = 0; i < kh; i++) {
          const ih = oh * sh - padTop + i * dh
          if (ih < 0 || ih >= inH) continue
          for (let j = 0; j < kw; j++) {
            const iw = ow * sw - padLeft + j * dw
            if (iw < 0 || iw >= inW) continue
            const src = x + ((<usize>((n * inH + ih) * inW + iw) * <usize>channels) << 2)
            let c = 0
            for (; c < vec; c += 4) {
              const p = dst + (<usize>c << 2)
              const v = v128.load(src + (<usize>c << 2))
              const b = v128.load(p)
              v128.store(p, v128.bitselect(v, b, v128.or(f32x4.gt(v, b), f32x4.ne(v, v))))
            }
            for (; c < channels; c++) {
              const p = dst + (<usize>c << 2)
              const v = f32.load(src + (<usize>c << 2))
              const b = f32.load(p)
              if (v > b || v != v) f32.store(p, v)
            }
          }
        }
        dst += <usize>channels << 2
      }
    }
  }
}

/**
 * The gradient of `maxPool` at x for dy [batch, outH, outW, channels]: o (x's shape, cleared by
 * the caller) gets dy · (1/ties) at every tap equal to its window's maximum, NaN on every tap of
 * a window whose maximum is NaN. scratch holds 3·channels floats.
 */
export function maxPoolBackward(
  x: usize, dy: usize, o: usize, batch: i32, channels: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, padTop: i32, padLeft: i32,
  inH: i32, inW: i32, outH: i32, outW: i32, scratch: usize,
): void {
  const vec = channels & ~3
  const best = scratch
  const ties = scratch + (<usize>channels << 2)
  const weight = ties + (<usize>channels << 2)
  const ninf = f32x4.splat(-Infinity)
  const zero = f32x4.splat(0)
  const one = f32x4.splat(1)
  const nan = f32x4.splat(NaN)
  let d = dy
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++) {
        let c = 0
        for (; c < vec; c += 4) {
          v128.store(best + (<usize>c << 2), ninf)
          v128.store(ties + (<usize>c << 2), zero)
        }
        for (; c < channels; c++) {
          f32.store(best + (<usize>c << 2), -Infinity)
          f32.store(ties + (<usize>c << 2), 0)
        }
        for (let i = 0; i < kh; i++) {
          const ih = oh * sh - padTop + i * dh
          if (ih < 0 || ih >= inH) continue
          for (let j = 0; j < kw; j++) {
            const iw = ow * sw - padLeft + j * dw
            if (iw < 0 || iw >= inW) continue
            const src = x + ((<usize>((n * inH + ih) * inW + iw) * <usize>channels) << 2)
            c = 0
            for (; c < vec; c += 4) {
              const pb = best + (<usize>c << 2)
              const pt = ties + (<usize>c << 2)
              const v = v128.load(src + (<usize>c << 2))
              const b = v128.load(pb)
              const t = v128.load(pt)
              const gt = f32x4.gt(v, b)
              const eq = f32x4.eq(v, b)
              // a NaN tap over a number: the maximum becomes NaN with no ties
              const toNan = v128.and(f32x4.ne(v, v), f32x4.eq(b, b))
              const newer = v128.or(gt, toNan)
              v128.store(pb, v128.bitselect(v, b, newer))
              const counted = v128.bitselect(f32x4.add(t, one), t, eq)
              v128.store(pt, v128.bitselect(v128.bitselect(zero, one, toNan), counted, newer))
            }
            for (; c < channels; c++) {
              const pb = best + (<usize>c << 2)
              const pt = ties + (<usize>c << 2)
              const v = f32.load(src + (<usize>c << 2))
              const b = f32.load(pb)
              if (v > b) {
                f32.store(pb, v)
                f32.store(pt, 1)
              } else if (v == b) f32.store(pt, f32.load(pt) + 1)
              else if (v != v && b == b) {
                f32.store(pb, NaN)
                f32.store(pt, 0)
              }
            }
          }
        }
        c = 0
        for (; c < vec; c += 4) {
          const t = v128.load(ties + (<usize>c << 2))
          const w = f32x4.mul(v128.load(d + (<usize>c << 2)), f32x4.div(one, t))
          v128.store(weight + (<usize>c << 2), v128.bitselect(nan, w, f32x4.eq(t, zero)))
        }
        for (; c < channels; c++) {
          const t = f32.load(ties + (<usize>c << 2))
          f32.store(weight + (<usize>c << 2), t == 0 ? NaN : f32.load(d + (<usize>c << 2)) * (<f32>1 / t))
        }
        for (let i = 0; i < kh; i++) {
          const ih = oh * sh - padTop + i * dh
          if (ih < 0 || ih >= inH) continue
          for (let j = 0; j < kw; j++) {
            const iw = ow * sw - padLeft + j * dw
            if (iw < 0 || iw >= inW) continue
            const off = (<usize>((n * inH + ih) * inW + iw) * <usize>channels) << 2
            const src = x + off
            const dst = o + off
            c = 0
            for (; c < vec; c += 4) {
              const w = v128.load(weight + (<usize>c << 2))
              const hit = v128.or(f32x4.eq(v128.load(src + (<usize>c << 2)), v128.load(best + (<usize>c << 2))), f32x4.ne(w, w))
              const p = dst + (<usize>c << 2)
              // untouched lanes keep their bits (adding +0 would turn a -0 into +0)
              const s = v128.load(p)
              v128.store(p, v128.bitselect(f32x4.add(s, w), s, hit))
            }
            for (; c < channels; c++) {
              const w = f32.load(weight + (<usize>c << 2))
              const p = dst + (<usize>c << 2)
              if (f32.load(src + (<usize>c << 2)) == f32.load(best + (<usize>c << 2)) || w != w) f32.store(p, f32.load(p) + w)
            }
          }
        }
        d += <usize>channels << 2
      }
    }
  }
}
