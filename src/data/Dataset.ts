/**
 * Datasets: an input tensor `x` and a target tensor `y` with one example per row (the first
 * axis). Everything here is pure: shuffling takes a key, batching is a lazy iterable that can be
 * iterated any number of times and always yields the same batches.
 *
 * Laws (checked in properties/data.test.ts):
 * 1. shuffle is a permutation: the multiset of rows is unchanged, x and y stay paired.
 * 2. the same key gives the same order.
 * 3. batches cover the dataset in order: concatenated they equal it (without `dropLast`).
 */
import { type Key, permutation } from '../random/index.js'
import { type DType, type Tensor, ShapeError, isTensor, oneHotRows, takeRows } from '../tensor/index.js'

/**
 * Examples along the first axis of `x`, their targets along the first axis of `y`. @category model
 * @example
 * ```ts
 * const ds: data.Dataset = data.dataset(tensor([[0, 1]]), tensor([[1]]))
 * ds.x.shape // [1, 2]
 * ```
 */
export interface Dataset {
  readonly x: Tensor
  readonly y: Tensor
}

/**
 * The number of examples. @category destructors
 * @example
 * ```ts
 * const xs = data.dataset(random.normal(random.key(0), [10, 2]), data.oneHot([0, 1, 0, 1, 0, 1, 0, 1, 0, 1], 2))
 * data.size(xs) // 10
 * ```
 */
export const size = (ds: Dataset): number => ds.x.shape[0] ?? 0

/**
 * A dataset from inputs and targets with the same number of rows; a `ShapeError` otherwise.
 * @example
 * ```ts
 * const ds = data.dataset(tensor([[0, 0], [1, 1]]), tensor([[0], [1]])) // x and y with the same number of rows
 * ```
 * @category constructors
 */
export const dataset = (x: Tensor, y: Tensor): Dataset => {
  if (x.shape.length === 0 || y.shape.length === 0) {
    throw new ShapeError('data.dataset', [x.shape, y.shape], 'x and y need a first axis of examples')
  }
  if (x.shape[0] !== y.shape[0]) {
    throw new ShapeError('data.dataset', [x.shape, y.shape], `x has ${x.shape[0]} examples but y has ${y.shape[0]}`)
  }
  return Object.freeze({ x, y })
}

/**
 * The examples at `indices`, in that order. @category combinators
 * @example
 * ```ts
 * const xs = data.dataset(random.normal(random.key(0), [10, 2]), data.oneHot([0, 1, 0, 1, 0, 1, 0, 1, 0, 1], 2))
 * data.take(xs, [0, 2, 4]) // those three rows
 * ```
 */
export const take = (ds: Dataset, indices: ArrayLike<number>): Dataset =>
  Object.freeze({ x: takeRows(ds.x, indices), y: takeRows(ds.y, indices) })

/**
 * The examples in an order drawn from `key` (x and y stay paired). @category combinators
 * @example
 * ```ts
 * const xs = data.dataset(random.normal(random.key(0), [10, 2]), data.oneHot([0, 1, 0, 1, 0, 1, 0, 1, 0, 1], 2))
 * const shuffled = data.shuffle(random.key(1), xs) // the same rows in an order fixed by the key
 * ```
 */
export const shuffle = (key: Key, ds: Dataset): Dataset => take(ds, permutation(key, size(dataset(ds.x, ds.y))))

/**
 * Options of `batches`. @category combinators
 * @example
 * ```ts
 * const ds = data.dataset(zeros([10, 2]), zeros([10, 1]))
 * const options: data.BatchOptions = { dropLast: true }
 * ;[...data.batches(ds, 4, options)].length // 2
 * ```
 */
export interface BatchOptions {
  /** Drop the last batch when it is smaller than `batchSize` (default false). */
  readonly dropLast?: boolean
}

/**
 * Consecutive mini-batches of `batchSize` examples, as a lazy, re-iterable sequence.
 * @example
 * ```ts
 * const xs = data.dataset(random.normal(random.key(0), [10, 2]), data.oneHot([0, 1, 0, 1, 0, 1, 0, 1, 0, 1], 2))
 * for (const batch of data.batches(xs, 4)) console.log(data.size(batch)) // 4, 4, 2
 * ```
 * @category combinators
 */
export const batches = (ds: Dataset, batchSize: number, options: BatchOptions = {}): Iterable<Dataset> => {
  if (!Number.isInteger(batchSize) || batchSize <= 0) {
    throw new RangeError(`data.batches: the batch size must be a positive integer, got ${batchSize}`)
  }
  const n = size(dataset(ds.x, ds.y))
  const count = options.dropLast === true ? Math.floor(n / batchSize) : Math.ceil(n / batchSize)
  return {
    *[Symbol.iterator]() {
      for (let b = 0; b < count; b++) {
        const start = b * batchSize
        const end = Math.min(n, start + batchSize)
        yield slice(ds, start, end)
      }
    },
  }
}

/**
 * The examples in [start, end) (rows are copied into fresh tensors). @category combinators
 * @example
 * ```ts
 * const xs = data.dataset(random.normal(random.key(0), [10, 2]), data.oneHot([0, 1, 0, 1, 0, 1, 0, 1, 0, 1], 2))
 * data.slice(xs, 2, 5) // rows 2, 3 and 4
 * ```
 */
export const slice = (ds: Dataset, start: number, end: number): Dataset => {
  const idx = new Int32Array(Math.max(0, end - start))
  for (let i = 0; i < idx.length; i++) idx[i] = start + i
  return take(ds, idx)
}

/**
 * Splits into the first `count` examples and the rest.
 * @example
 * ```ts
 * const xs = data.dataset(random.normal(random.key(0), [10, 2]), data.oneHot([0, 1, 0, 1, 0, 1, 0, 1, 0, 1], 2))
 * const [trainSet, validation] = data.split(xs, 8) // the first 8 rows and the other 2
 * ```
 * @category combinators
 */
export const split = (ds: Dataset, count: number): readonly [Dataset, Dataset] => {
  const n = size(dataset(ds.x, ds.y))
  if (!Number.isInteger(count) || count < 0 || count > n) {
    throw new RangeError(`data.split: count must be an integer in [0, ${n}], got ${count}`)
  }
  return [slice(ds, 0, count), slice(ds, count, n)]
}

/**
 * One-hot rows for class indices: `oneHot([2, 0], 3)` is `[[0, 0, 1], [1, 0, 0]]`.
 * Indices must be integers in [0, numClasses).
 * @example
 * ```ts
 * data.oneHot([2, 0, 1], 3) // [[0, 0, 1], [1, 0, 0], [0, 1, 0]]
 * ```
 * @category constructors
 */
export const oneHot = (labels: Tensor | ArrayLike<number>, numClasses: number, options: { readonly dtype?: DType } = {}): Tensor =>
  oneHotRows(isTensor(labels) ? labels.data : labels, numClasses, options.dtype ?? 'float32')
