import { describe, expect, it } from 'vitest'
import { type DType, type Tensor, alloc, fromData } from '../tensor/index.js'
import { type PatchGeometry, type WindowOptions, patchGeometry } from '../tensor/index.js'
import fc from 'fast-check'
import { conv2d, conv2dBackwardFilter, conv2dBackwardFilterPortable, conv2dBackwardInput, conv2dBackwardInputPortable, conv2dPortable, extractPatches, extractPatchesPortable, foldPatches, foldPatchesPortable } from './patches.js'
import { maxPool, maxPoolBackward, maxPoolBackwardPortable, maxPoolPortable } from './pool.js'
import { rng } from './seeded.fixture.js'
import { patchesWasmAvailable } from './wasm/patches.js'

const random = (next: () => number, shape: ReadonlyArray<number>, dtype: DType): Tensor => {
  const d = alloc(dtype, shape.reduce((a, b) => a * b, 1))
  for (let i = 0; i < d.length; i++) d[i] = next() * 2 - 1
  return fromData(shape, d)
}

// The convolution by its definition, one output at a time, in float64 (an oracle independent of im2col).
const oracle = (x: Tensor, w: Tensor, g: PatchGeometry, groups: number): number[] => {
  const [n, h, wd, c] = x.shape as [number, number, number, number]
  const [kh, kw, cg, co] = w.shape as [number, number, number, number]
  const og = co / groups
  const out: number[] = []
  for (let b = 0; b < n; b++) for (let oh = 0; oh < g.outH; oh++) for (let ow = 0; ow < g.outW; ow++) for (let o = 0; o < co; o++) {
    let s = 0
    const group = Math.floor(o / og)
    for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) for (let ci = 0; ci < cg; ci++) {
      const ih = oh * g.sh - g.padTop + i * g.dh
      const iw = ow * g.sw - g.padLeft + j * g.dw
      if (ih < 0 || ih >= h || iw < 0 || iw >= wd) continue
      s += x.data[((b * h + ih) * wd + iw) * c + group * cg + ci]! * w.data[((i * kw + j) * cg + ci) * co + o]!
    }
    out.push(s)
  }
  return out
}

describe('conv2d kernel', () => {
  const cases: ReadonlyArray<readonly [string, ReadonlyArray<number>, ReadonlyArray<number>, WindowOptions, number]> = [
    ['plain', [2, 6, 5, 3], [3, 3, 3, 4], {}, 1],
    ["'same', stride 2", [2, 7, 6, 2], [3, 2, 2, 5], { padding: 'same', stride: 2 }, 1],
    ['dilated, padded', [1, 8, 8, 3], [2, 3, 3, 2], { dilation: [2, 1], padding: [[1, 2], [0, 1]] }, 1],
    ['groups', [2, 5, 5, 6], [3, 3, 2, 9], { padding: 1 }, 3],
    ['depthwise', [1, 6, 6, 4], [3, 3, 1, 4], { padding: 'same' }, 4],
    ['large enough for the packed gemm', [8, 14, 14, 8], [5, 5, 8, 16], { padding: 'same' }, 1],
  ]
  it.each(cases)('%s matches the definition in float64 and float32', (_label, xs, ws, options, groups) => {
    for (const dtype of ['float64', 'float32'] as const) {
      const next = rng(7)
      const x = random(next, xs, dtype)
      const w = random(next, ws, dtype)
      const g = patchGeometry('t', xs, [ws[0]!, ws[1]!], options)
      const y = conv2d(x, w, g, groups)
      expect(y.shape).toEqual([xs[0], g.outH, g.outW, ws[3]])
      expect(y.dtype).toBe(dtype)
      const want = oracle(x, w, g, groups)
      const tol = dtype === 'float64' ? 1e-12 : 1e-4
      want.forEach((v, i) => expect(Math.abs(y.data[i]! - v)).toBeLessThan(tol * (1 + Math.abs(v))))
    }
  })
})

describe('extractPatches and foldPatches', () => {
  it('are transposes: <fold(p), x> = <p, extract(x)>', () => {
    const next = rng(3)
    const x = random(next, [2, 5, 4, 3], 'float64')
    const g = patchGeometry('t', x.shape, [3, 2], { padding: 'same', stride: [2, 1], dilation: [1, 2] })
    const p = random(next, [2, g.outH, g.outW, 3, 2, 3], 'float64')
    const e = extractPatches(x, g)
    const f = foldPatches(p, g)
    expect(e.shape).toEqual(p.shape)
    expect(f.shape).toEqual(x.shape)
    const dot = (a: Tensor, b: Tensor): number => Array.from(a.data).reduce((s, v, i) => s + v * b.data[i]!, 0)
    expect(Math.abs(dot(f, x) - dot(p, e))).toBeLessThan(1e-10)
  })
})

// The WebAssembly im2col, col2im and convolution against the portable loops: the same bits
// (im2col copies; col2im adds in the same order), over drawn geometries (odd sizes, so the
// 4-wide runs meet their scalar tails; stride, dilation, explicit and 'same' padding, groups).
describe.runIf(patchesWasmAvailable)('WebAssembly patches kernels', () => {
  const geometry = fc.record({
    n: fc.integer({ min: 1, max: 2 }), h: fc.integer({ min: 1, max: 7 }), w: fc.integer({ min: 1, max: 7 }),
    groups: fc.integer({ min: 1, max: 3 }), cg: fc.integer({ min: 1, max: 5 }), og: fc.integer({ min: 1, max: 3 }),
    kh: fc.integer({ min: 1, max: 3 }), kw: fc.integer({ min: 1, max: 3 }), sh: fc.integer({ min: 1, max: 2 }), sw: fc.integer({ min: 1, max: 2 }),
    dh: fc.integer({ min: 1, max: 2 }), dw: fc.integer({ min: 1, max: 2 }), pad: fc.oneof(fc.constant<'same'>('same'), fc.integer({ min: 0, max: 2 })),
    seed: fc.integer({ min: 0, max: 1000 }),
  }).filter((c) => (c.h + 2 * (c.pad === 'same' ? 0 : c.pad)) >= (c.kh - 1) * c.dh + 1 && (c.w + 2 * (c.pad === 'same' ? 0 : c.pad)) >= (c.kw - 1) * c.dw + 1)
  const bits = (t: Tensor): number[] => Array.from(new Uint32Array(new Float32Array(t.data).buffer))

  it('im2col, col2im and conv2d give the portable kernels\' values bit for bit', () => {
    fc.assert(fc.property(geometry, (c) => {
      const next = rng(c.seed)
      const channels = c.groups * c.cg
      const x = random(next, [c.n, c.h, c.w, channels], 'float32')
      const g = patchGeometry('t', x.shape, [c.kh, c.kw], { stride: [c.sh, c.sw], dilation: [c.dh, c.dw], padding: c.pad })
      expect(bits(extractPatches(x, g))).toEqual(bits(extractPatchesPortable(x, g)))
      const p = random(next, [c.n, g.outH, g.outW, c.kh, c.kw, channels], 'float32')
      expect(bits(foldPatches(p, g))).toEqual(bits(foldPatchesPortable(p, g)))
      const w = random(next, [c.kh, c.kw, c.cg, c.groups * c.og], 'float32')
      expect(bits(conv2d(x, w, g, c.groups))).toEqual(bits(conv2dPortable(x, w, g, c.groups)))
    }), { numRuns: 150 })
  })

  it('col2im sums overlapping taps in the portable order (a case with many overlaps)', () => {
    const next = rng(11)
    const g = patchGeometry('t', [2, 9, 9, 6], [5, 5], { padding: 'same' })
    const p = random(next, [2, 9, 9, 5, 5, 6], 'float32')
    expect(bits(foldPatches(p, g))).toEqual(bits(foldPatchesPortable(p, g)))
  })

  // The gradients run block by block of output rows; these cases span several blocks (400 or
  // 25 patch entries a row) as well as the drawn small geometries.
  const close = (a: Tensor, b: Tensor): void => {
    expect(a.shape).toEqual(b.shape)
    const scale = Math.max(1, ...Array.from(b.data, Math.abs))
    Array.from(a.data).forEach((v, i) => expect(Math.abs(v - b.data[i]!)).toBeLessThan(1e-5 * scale))
  }
  const gradients = (x: Tensor, w: Tensor, g: PatchGeometry, next: () => number): void => {
    const dy = random(next, [x.shape[0]!, g.outH, g.outW, w.shape[3]!], 'float32')
    expect(bits(conv2dBackwardInput(dy, w, g))).toEqual(bits(conv2dBackwardInputPortable(dy, w, g)))
    close(conv2dBackwardFilter(x, dy, g), conv2dBackwardFilterPortable(x, dy, g))
  }
  it('the gradients of a convolution: at the image the portable bits, at the weights the portable values to rounding', () => {
    fc.assert(fc.property(geometry, (c) => {
      const next = rng(c.seed)
      const x = random(next, [c.n, c.h, c.w, c.cg], 'float32')
      const g = patchGeometry('t', x.shape, [c.kh, c.kw], { stride: [c.sh, c.sw], dilation: [c.dh, c.dw], padding: c.pad })
      gradients(x, random(next, [c.kh, c.kw, c.cg, c.og], 'float32'), g, next)
    }), { numRuns: 100 })
    const next = rng(5)
    for (const [xs, ws, padding] of [[[16, 14, 14, 16], [5, 5, 16, 32], 'valid'], [[4, 28, 28, 1], [5, 5, 1, 16], 'same']] as const) {
      const x = random(next, xs, 'float32')
      gradients(x, random(next, ws, 'float32'), patchGeometry('t', xs, [ws[0], ws[1]], { padding }), next)
    }
  })

  it('max pooling and its gradient give the portable loops\' values bit for bit (ties, NaN, padding, odd channels)', () => {
    fc.assert(fc.property(geometry, fc.boolean(), (c, withNaN) => {
      const next = rng(c.seed)
      const x = random(next, [c.n, c.h, c.w, c.cg + c.og], 'float32')
      // a coarse grid of values, so that windows hold ties; a NaN now and then
      for (let i = 0; i < x.data.length; i++) x.data[i] = withNaN && i % 7 === 3 ? NaN : Math.round(x.data[i]! * 2) / 2
      const g = patchGeometry('t', x.shape, [c.kh, c.kw], { stride: [c.sh, c.sw], dilation: [c.dh, c.dw], padding: c.pad })
      expect(bits(maxPool(x, g))).toEqual(bits(maxPoolPortable(x, g)))
      const dy = random(next, [c.n, g.outH, g.outW, c.cg + c.og], 'float32')
      expect(bits(maxPoolBackward(x, dy, g))).toEqual(bits(maxPoolBackwardPortable(x, dy, g)))
    }), { numRuns: 150 })
  })
})
