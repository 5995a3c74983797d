/**
 * Pure splittable random keys, in JAX's style. A key is an immutable value; drawing numbers does
 * not change it. To draw twice, split the key first. Nothing here keeps state: the same key
 * gives the same numbers on every run and every machine, and there is no `Math.random`.
 *
 * Laws (checked in properties/random.test.ts):
 * 1. determinism: the same key and shape give bit-identical tensors.
 * 2. independence: the keys of `split(k, n)` are distinct from each other and from `k`, and
 *    their streams do not coincide.
 * 3. foldIn(k, i) for distinct i gives distinct keys.
 * 4. permutation(k, n) is a permutation of 0..n-1.
 * 5. uniform draws lie in [min, max); normal draws have mean ≈ 0 and std ≈ 1.
 */
import { type DType, type Shape, type Tensor, alloc, checkShape, fromData, sizeOf } from '../tensor/index.js'
import { threefry2x32 } from './threefry.js'

/**
 * A random key: two 32-bit words. @category model
 * @example
 * ```ts
 * const key: random.Key = random.key(0) // { kind: 'Key', words: [0, 0] }, a plain value
 * ```
 */
export interface Key {
  readonly kind: 'Key'
  readonly words: readonly [number, number]
}

// Counter domains, so that keys derived by split, by foldIn and the bits drawn never coincide.
const BITS = 0
const SPLIT = 1
const FOLD = 2

const makeKey = (w0: number, w1: number): Key => Object.freeze({ kind: 'Key' as const, words: Object.freeze([w0 >>> 0, w1 >>> 0] as const) })

/**
 * Whether a value is a key. @category guards
 * @example
 * ```ts
 * random.isKey(random.key(0)) // true
 * random.isKey(0) // false
 * ```
 */
export const isKey = (u: unknown): u is Key =>
  typeof u === 'object' && u !== null && (u as Partial<Key>).kind === 'Key' && Array.isArray((u as Partial<Key>).words)

const checkKey = (op: string, k: Key): void => {
  if (!isKey(k)) throw new TypeError(`random.${op}: expected a key made by random.key(seed), got ${typeof k}`)
}

/**
 * The key for a safe integer seed, |seed| \< 2^53 (negative seeds wrap to two’s complement).
 * @example
 * ```ts
 * const key = random.key(42)
 * const w = random.normal(key, [3, 2]) // the same numbers for the same key, on every machine
 * ```
 * @category constructors
 */
export const key = (seed: number): Key => {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`random.key: the seed must be a safe integer, got ${seed}`)
  const hi = Math.floor(seed / 2 ** 32)
  const lo = seed - hi * 2 ** 32
  return makeKey(hi, lo)
}

/**
 * Splits a key into `n` (default 2) new independent keys. @category constructors
 * @example
 * ```ts
 * const [k1, k2] = random.split(random.key(0)) // two independent keys
 * const keys = random.split(random.key(0), 4)
 * ```
 */
export const split = (k: Key, n = 2): Key[] => {
  checkKey('split', k)
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`random.split: n must be a non-negative integer, got ${n}`)
  const out = new Uint32Array(2)
  const keys: Key[] = []
  for (let i = 0; i < n; i++) {
    threefry2x32(k.words[0], k.words[1], SPLIT, i, out, 0)
    keys.push(makeKey(out[0]!, out[1]!))
  }
  return keys
}

/**
 * A new key derived from `k` and the integer `i` (e.g. an epoch or step number). @category constructors
 * @example
 * ```ts
 * const epochKey = random.foldIn(random.key(0), 3) // a key for epoch 3, without splitting a chain
 * ```
 */
export const foldIn = (k: Key, i: number): Key => {
  checkKey('foldIn', k)
  if (!Number.isInteger(i) || i < 0 || i >= 2 ** 32) throw new RangeError(`random.foldIn: i must be an integer in [0, 2^32), got ${i}`)
  const out = new Uint32Array(2)
  threefry2x32(k.words[0], k.words[1], FOLD, i, out, 0)
  return makeKey(out[0]!, out[1]!)
}

/**
 * `count` random 32-bit words from a key. @category generators
 * @example
 * ```ts
 * random.bits(random.key(0), 4) // four uint32 words, the same for the same key
 * ```
 */
export const bits = (k: Key, count: number): Uint32Array => {
  checkKey('bits', k)
  const out = new Uint32Array(count + (count % 2))
  for (let i = 0; 2 * i < count; i++) threefry2x32(k.words[0], k.words[1], BITS, i, out, 2 * i)
  return count % 2 === 0 ? out : out.subarray(0, count)
}

/**
 * Options of `uniform`. @category generators
 * @example
 * ```ts
 * const options: random.UniformOptions = { min: -1, max: 1 }
 * random.uniform(random.key(0), [3], options)
 * ```
 */
export interface UniformOptions {
  readonly dtype?: DType
  readonly min?: number
  readonly max?: number
}

// Uniform numbers in [0, 1): 24 random bits for float32 (exact in a float32), 53 for float64.
const unit = (k: Key, n: number, dtype: DType): Float64Array => {
  const u = new Float64Array(n)
  if (dtype === 'float32') {
    const b = bits(k, n)
    for (let i = 0; i < n; i++) u[i] = (b[i]! >>> 8) * 2 ** -24
  } else {
    const b = bits(k, 2 * n)
    for (let i = 0; i < n; i++) u[i] = ((b[2 * i]! >>> 5) * 2 ** 26 + (b[2 * i + 1]! >>> 6)) * 2 ** -53
  }
  return u
}

/**
 * Uniform numbers in [min, max) (default [0, 1)). @category generators
 * @example
 * ```ts
 * random.uniform(random.key(0), [2, 2]) // entries in [0, 1)
 * random.uniform(random.key(1), [3], { min: -1, max: 1 })
 * ```
 */
export const uniform = (k: Key, shape: Shape, options: UniformOptions = {}): Tensor => {
  checkShape('random.uniform', shape)
  const dtype = options.dtype ?? 'float32'
  const lo = options.min ?? 0
  const hi = options.max ?? 1
  if (!(hi > lo)) throw new RangeError(`random.uniform: max (${hi}) must be greater than min (${lo})`)
  // an infinite width would turn lo + width * u into Infinity, or NaN where u = 0
  if (!Number.isFinite(hi - lo)) throw new RangeError(`random.uniform: min (${lo}) and max (${hi}) must be finite and max - min must not overflow`)
  const n = sizeOf(shape)
  const u = unit(k, n, dtype)
  const o = alloc(dtype, n)
  for (let i = 0; i < n; i++) {
    const v = lo + (hi - lo) * u[i]!
    o[i] = v
    // rounding to float32 can land on max; keep the interval half-open
    if (o[i]! >= hi) o[i] = lo
  }
  return fromData(shape, o)
}

/**
 * Options of `normal`. @category generators
 * @example
 * ```ts
 * const options: random.NormalOptions = { mean: 0, std: 0.01 }
 * random.normal(random.key(0), [3], options)
 * ```
 */
export interface NormalOptions {
  readonly dtype?: DType
  readonly mean?: number
  readonly std?: number
}

/**
 * Normally distributed numbers (default mean 0, std 1), by the Box-Muller transform. @category generators
 * @example
 * ```ts
 * random.normal(random.key(0), [2, 3]) // standard normal entries
 * random.normal(random.key(0), [2], { mean: 10, std: 0.1 })
 * ```
 */
export const normal = (k: Key, shape: Shape, options: NormalOptions = {}): Tensor => {
  checkShape('random.normal', shape)
  const dtype = options.dtype ?? 'float32'
  const mean = options.mean ?? 0
  const std = options.std ?? 1
  const n = sizeOf(shape)
  const pairs = Math.ceil(n / 2)
  const u = unit(k, 2 * pairs, 'float64')
  const o = alloc(dtype, n)
  for (let i = 0; i < pairs; i++) {
    const r = Math.sqrt(-2 * Math.log(1 - u[2 * i]!)) // 1 - u is in (0, 1]: the log is finite
    const t = 2 * Math.PI * u[2 * i + 1]!
    o[2 * i] = mean + std * r * Math.cos(t)
    if (2 * i + 1 < n) o[2 * i + 1] = mean + std * r * Math.sin(t)
  }
  return fromData(shape, o)
}

/**
 * Samples 1 with probability `p` and 0 otherwise. @category generators
 * @example
 * ```ts
 * random.bernoulli(random.key(0), 0.3, [2, 4]) // 0/1 entries, 1 with probability 0.3
 * ```
 */
export const bernoulli = (k: Key, p: number, shape: Shape, options: { readonly dtype?: DType } = {}): Tensor => {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`random.bernoulli: p must be in [0, 1], got ${p}`)
  const u = uniform(k, shape, { dtype: 'float64' })
  const o = alloc(options.dtype ?? 'float32', u.size)
  for (let i = 0; i < o.length; i++) o[i] = u.data[i]! < p ? 1 : 0
  return fromData(shape, o)
}

/**
 * A uniformly random permutation of 0..n-1 (Fisher-Yates driven by the key). @category generators
 * @example
 * ```ts
 * random.permutation(random.key(0), 5) // an order of 0..4: Int32Array [1, 4, 3, 2, 0]
 * ```
 */
export const permutation = (k: Key, n: number): Int32Array => {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`random.permutation: n must be a non-negative integer, got ${n}`)
  const p = new Int32Array(n)
  for (let i = 0; i < n; i++) p[i] = i
  const b = bits(k, 2 * n)
  for (let i = n - 1; i > 0; i--) {
    // 53 random bits make the modulo bias negligible (< 2^-20 for n < 2^32)
    const r = (b[2 * i]! >>> 5) * 2 ** 26 + (b[2 * i + 1]! >>> 6)
    const j = r % (i + 1)
    const t = p[i]!
    p[i] = p[j]!
    p[j] = t
  }
  return p
}

/**
 * A uniform random integer in [0, n) for each element of `shape`. @category generators
 * @example
 * ```ts
 * random.randint(random.key(0), 10, [5]) // five integers in 0..9
 * ```
 */
export const randint = (k: Key, n: number, shape: Shape, options: { readonly dtype?: DType } = {}): Tensor => {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`random.randint: n must be a positive integer, got ${n}`)
  const u = uniform(k, shape, { dtype: 'float64' })
  const o = alloc(options.dtype ?? 'float32', u.size)
  for (let i = 0; i < o.length; i++) o[i] = Math.floor(u.data[i]! * n)
  return fromData(shape, o)
}
