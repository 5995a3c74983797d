/**
 * Shapes: readonly arrays of non-negative integers, row-major. Every constructor of a shape
 * passes through `checkShape`, so a negative or fractional dimension never reaches a kernel.
 */
import { ShapeError, showShape } from './errors.js'

/**
 * A tensor's shape: one non-negative integer per axis. @category model
 * @example
 * ```ts
 * const shape: Shape = [2, 3]
 * zeros(shape)
 * ```
 */
export type Shape = ReadonlyArray<number>

/** The number of elements of a shape (1 for a scalar). @category shape */
export const sizeOf = (shape: Shape): number => {
  let n = 1
  for (const d of shape) n *= d
  return n
}

/** Throws a `ShapeError` naming `op` unless every dimension is a non-negative integer. @category shape */
export const checkShape = (op: string, shape: Shape): Shape => {
  for (const [i, d] of shape.entries()) {
    if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(op, [], `dimension ${i} of ${showShape(shape)} is ${d}; dimensions must be non-negative integers`)
    }
  }
  return shape
}

/** Whether two shapes are equal. @category shape */
export const shapeEquals = (a: Shape, b: Shape): boolean => a.length === b.length && a.every((d, i) => d === b[i])

/** Row-major strides of a shape. @category shape */
export const strides = (shape: Shape): number[] => {
  const s = new Array<number>(shape.length)
  let acc = 1
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc
    acc *= shape[i]!
  }
  return s
}

/**
 * Normalises an axis (negative counts from the end) for a tensor of rank `rank`.
 * @category shape
 */
export const normalizeAxis = (op: string, shape: Shape, axis: number): number => {
  const rank = shape.length
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new ShapeError(op, [shape], `axis ${axis} is out of range for rank ${rank}`)
  }
  return axis < 0 ? axis + rank : axis
}

/** Normalises, sorts and deduplicates a list of axes; `undefined` means every axis. @category shape */
export const normalizeAxes = (op: string, shape: Shape, axes: number | ReadonlyArray<number> | undefined): number[] => {
  if (axes === undefined) return shape.map((_, i) => i)
  const list = typeof axes === 'number' ? [axes] : axes
  return [...new Set(list.map((a) => normalizeAxis(op, shape, a)))].sort((a, b) => a - b)
}
