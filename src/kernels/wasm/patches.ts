/**
 * The WebAssembly SIMD im2col and col2im (float32, NHWC), the convolution that multiplies the
 * patches where they were laid out, and max pooling: the fast path behind `kernels/patches.ts`
 * and `kernels/pool.ts`.
 *
 * Contract:
 * 1. `im2col`, `col2im` and `conv2d` give the portable kernels' values bit for bit (im2col copies;
 *    col2im adds in the portable loop's order with one float32 rounding per addition; `conv2d` is
 *    im2col followed by the same gemm as `matmul.ts`, row block by row block, which sums each
 *    output in the same order; `conv2dBackwardInput` is that gemm then col2im, in their order;
 *    `conv2dBackwardFilter` sums over the row blocks, an order of its own), checked by `patches.test.ts`.
 * 2. `patchesWasmAvailable` is false where the engine lacks WebAssembly SIMD or refused the
 *    module; then nothing here may be called and the portable kernels run.
 * 3. As `matmul.ts`: inputs are copied into the module's memory and results copied out into
 *    fresh arrays; the memory grows to the largest call seen and is reused; nothing to dispose.
 *    The convolutions lay their patches out one block of output rows at a time, multiplied
 *    while the block is in cache, so the whole patches matrix is never written.
 */
import type { PatchGeometry } from '../../tensor/index.js'
import { convWasmBase64 } from './conv.generated.js'
import { type ModuleStatus, engineWasm, instantiateOrWhy, statusOf } from './instantiate.js'

type Geometry = readonly [kh: number, kw: number, sh: number, sw: number, dh: number, dw: number, padTop: number, padLeft: number, inH: number, inW: number, outH: number, outW: number]

interface ConvExports {
  readonly memory: { readonly buffer: ArrayBuffer; readonly grow: (pages: number) => number }
  readonly SCRATCH_END: { readonly value: number }
  readonly packedABytes: (m: number, k: number) => number
  readonly packedBBytes: (k: number, n: number) => number
  readonly gemm: (a: number, b: number, c: number, m: number, k: number, n: number, ta: number, tb: number, ap: number, bp: number) => void
  readonly im2col: (x: number, o: number, batch: number, channels: number, ...rest: [...Geometry, c0: number, cg: number]) => void
  readonly col2im: (p: number, o: number, batch: number, channels: number, ...rest: Geometry) => void
  readonly blockRows: (k: number) => number
  readonly maxPool: (x: number, o: number, batch: number, channels: number, ...rest: Geometry) => void
  readonly maxPoolBackward: (x: number, dy: number, o: number, batch: number, channels: number, ...rest: [...Geometry, scratch: number]) => void
  readonly convForward: (x: number, b: number, c: number, batch: number, channels: number, ...rest: [...Geometry, c0: number, cg: number, n: number, buf: number, ap: number, bp: number]) => void
  readonly convBackwardInput: (dy: number, w: number, o: number, batch: number, channels: number, ...rest: [...Geometry, co: number, buf: number, ap: number, bp: number]) => void
  readonly convBackwardFilter: (x: number, dy: number, o: number, batch: number, channels: number, ...rest: [...Geometry, co: number, buf: number, ap: number, bp: number]) => void
}

// The one instance and its memory: module state invisible to callers, justified as in
// `matmul.ts` (a call copies in, computes and copies out before returning; one call at a time).
const instantiated = instantiateOrWhy<ConvExports>(convWasmBase64, engineWasm())
const wasm = instantiated.ok ? instantiated.exports : undefined

/** Whether the patches module compiled, or why not (for `activeKernels`). @category internals */
export const patchesStatus: ModuleStatus = statusOf(instantiated)

/** Whether the WebAssembly im2col/col2im can run here. @category kernels */
export const patchesWasmAvailable: boolean = wasm !== undefined

const MAX_BYTES = 1 << 30
const align = (x: number): number => (x + 63) & ~63
const base = wasm === undefined ? 0 : align(wasm.SCRATCH_END.value)
let heap = wasm === undefined ? new Float32Array(0) : new Float32Array(wasm.memory.buffer)

// Grows the memory to `end` bytes and refreshes the view when growing detached it.
const reserve = (w: ConvExports, end: number): Float32Array => {
  const have = w.memory.buffer.byteLength
  if (end > have) w.memory.grow(Math.ceil((end - have) / 65536))
  if (heap.buffer !== w.memory.buffer) heap = new Float32Array(w.memory.buffer)
  return heap
}

const geometry = (g: PatchGeometry): Geometry => [g.kh, g.kw, g.sh, g.sw, g.dh, g.dw, g.padTop, g.padLeft, g.inH, g.inW, g.outH, g.outW]

/**
 * Whether a float32 call of this many floats in total fits the memory limit (and the module is
 * here). Every size is worth it: the copies in and out cost less than the portable loops.
 * @category kernels
 */
export const patchesFit = (floats: number): boolean => wasm !== undefined && 4 * floats < MAX_BYTES

/**
 * Floats of the scratch a convolution kernel lays out beside its operands for rows of k patch
 * entries (a patches block and the packed panels, generously). @category kernels
 */
export const blockFloats = (k: number): number => (wasm === undefined ? 0 : 3 * wasm.blockRows(k) * k + 1024 * Math.max(k, 1) + 65536)

/**
 * im2col of channels [c0, c0 + cg) of a float32 NHWC image [batch, inH, inW, channels]:
 * [batch·outH·outW, kh·kw·cg] in a fresh array, zero at padding. Call only when `patchesWasmAvailable`.
 * @category kernels
 */
export const im2col = (x: Float32Array, batch: number, channels: number, g: PatchGeometry, c0: number, cg: number): Float32Array => {
  const w = wasm!
  const size = batch * g.outH * g.outW * g.kh * g.kw * cg
  const xa = base
  const oa = align(xa + 4 * x.length)
  const h = reserve(w, oa + 4 * size)
  h.set(x, xa >> 2)
  h.fill(0, oa >> 2, (oa >> 2) + size)
  w.im2col(xa, oa, batch, channels, ...geometry(g), c0, cg)
  return h.slice(oa >> 2, (oa >> 2) + size)
}

/**
 * col2im of float32 patches [batch·outH·outW, kh·kw·channels] into a fresh NHWC image
 * [batch, inH, inW, channels]. Call only when `patchesWasmAvailable`.
 * @category kernels
 */
export const col2im = (p: Float32Array, batch: number, channels: number, g: PatchGeometry): Float32Array => {
  const w = wasm!
  const size = batch * g.inH * g.inW * channels
  const pa = base
  const oa = align(pa + 4 * p.length)
  const h = reserve(w, oa + 4 * size)
  h.set(p, pa >> 2)
  h.fill(0, oa >> 2, (oa >> 2) + size)
  w.col2im(pa, oa, batch, channels, ...geometry(g))
  return h.slice(oa >> 2, (oa >> 2) + size)
}

/**
 * The patches of channels [c0, c0 + cg) of a float32 NHWC image times a float32 matrix `b`
 * [kh·kw·cg, n]: im2col then the gemm, in the module's memory. Returns
 * [batch·outH·outW, n] in a fresh array. Call only when `patchesWasmAvailable`.
 * @category kernels
 */
export const conv2d = (x: Float32Array, b: Float32Array, n: number, batch: number, channels: number, g: PatchGeometry, c0: number, cg: number): Float32Array => {
  const w = wasm!
  const m = batch * g.outH * g.outW
  const k = g.kh * g.kw * cg
  if (m === 0 || n === 0 || k === 0) return new Float32Array(m * n)
  // byte layout: scratch | x | B | C | patches block | packed A | packed B
  const rows = w.blockRows(k)
  const xa = base
  const ba = align(xa + 4 * x.length)
  const c = align(ba + 4 * k * n)
  const buf = align(c + 4 * m * n)
  const ap = align(buf + 4 * rows * k)
  const bp = align(ap + w.packedABytes(rows, k))
  const h = reserve(w, bp + w.packedBBytes(k, n))
  h.set(x, xa >> 2)
  h.set(b, ba >> 2)
  w.convForward(xa, ba, c, batch, channels, ...geometry(g), c0, cg, n, buf, ap, bp)
  return h.slice(c >> 2, (c >> 2) + m * n)
}

/**
 * The gradient of a one-group convolution at its image: col2im(dy · wᵀ) for dy
 * [batch·outH·outW, co] and weights w [kh·kw·channels, co], as a fresh NHWC image
 * [batch, inH, inW, channels]; the product is folded block by block and never laid out whole.
 * The same values bit for bit as `col2im` of the gemm's product. Call only when `patchesWasmAvailable`.
 * @category kernels
 */
export const conv2dBackwardInput = (dy: Float32Array, wt: Float32Array, co: number, batch: number, channels: number, g: PatchGeometry): Float32Array => {
  const w = wasm!
  const k = g.kh * g.kw * channels
  const size = batch * g.inH * g.inW * channels
  if (dy.length === 0 || co === 0 || k === 0) return new Float32Array(size)
  // byte layout: scratch | dy | w | image | product block | packed A | packed B
  const rows = w.blockRows(k)
  const da = base
  const wa = align(da + 4 * dy.length)
  const o = align(wa + 4 * wt.length)
  const buf = align(o + 4 * size)
  const ap = align(buf + 4 * rows * k)
  const bp = align(ap + w.packedABytes(rows, co))
  const h = reserve(w, bp + w.packedBBytes(co, k))
  h.set(dy, da >> 2)
  h.set(wt, wa >> 2)
  h.fill(0, o >> 2, (o >> 2) + size)
  w.convBackwardInput(da, wa, o, batch, channels, ...geometry(g), co, buf, ap, bp)
  return h.slice(o >> 2, (o >> 2) + size)
}

/**
 * The gradient of a one-group convolution at its weights: patches(x)ᵀ · dy for an NHWC image x
 * and dy [batch·outH·outW, co], as a fresh [kh·kw·channels, co] matrix (HWIO weights, row-major);
 * the patches are laid out block by block and never whole. Call only when `patchesWasmAvailable`.
 * @category kernels
 */
export const conv2dBackwardFilter = (x: Float32Array, dy: Float32Array, co: number, batch: number, channels: number, g: PatchGeometry): Float32Array => {
  const w = wasm!
  const k = g.kh * g.kw * channels
  const m = batch * g.outH * g.outW
  if (m === 0 || co === 0 || k === 0) return new Float32Array(k * co)
  // byte layout: scratch | x | dy | dW | patches block | packed A | packed B
  const rows = w.blockRows(k)
  const xa = base
  const da = align(xa + 4 * x.length)
  const o = align(da + 4 * dy.length)
  const buf = align(o + 4 * k * co)
  const ap = align(buf + 4 * rows * k)
  const bp = align(ap + w.packedABytes(k, rows))
  const h = reserve(w, bp + w.packedBBytes(rows, co))
  h.set(x, xa >> 2)
  h.set(dy, da >> 2)
  w.convBackwardFilter(xa, da, o, batch, channels, ...geometry(g), co, buf, ap, bp)
  return h.slice(o >> 2, (o >> 2) + k * co)
}

/**
 * Max pooling of a float32 NHWC image [batch, inH, inW, channels]: each window's maximum,
 * [batch, outH, outW, channels] in a fresh array (kernels/pool.ts's values, 4 channels at a
 * time). Call only when `patchesWasmAvailable`.
 * @category kernels
 */
export const maxPool = (x: Float32Array, batch: number, channels: number, g: PatchGeometry): Float32Array => {
  const w = wasm!
  const size = batch * g.outH * g.outW * channels
  const xa = base
  const oa = align(xa + 4 * x.length)
  const h = reserve(w, oa + 4 * size)
  h.set(x, xa >> 2)
  w.maxPool(xa, oa, batch, channels, ...geometry(g))
  return h.slice(oa >> 2, (oa >> 2) + size)
}

/**
 * The gradient of `maxPool` at a float32 image x for the cotangent dy: an image like x with
 * each window's cotangent split among the taps attaining its maximum (kernels/pool.ts's values
 * bit for bit). Call only when `patchesWasmAvailable`.
 * @category kernels
 */
export const maxPoolBackward = (x: Float32Array, dy: Float32Array, batch: number, channels: number, g: PatchGeometry): Float32Array => {
  const w = wasm!
  const xa = base
  const da = align(xa + 4 * x.length)
  const oa = align(da + 4 * dy.length)
  const sa = align(oa + 4 * x.length)
  const h = reserve(w, sa + 12 * channels + 64)
  h.set(x, xa >> 2)
  h.set(dy, da >> 2)
  h.fill(0, oa >> 2, (oa >> 2) + x.length)
  w.maxPoolBackward(xa, da, oa, batch, channels, ...geometry(g), sa)
  return h.slice(oa >> 2, (oa >> 2) + x.length)
}
