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
