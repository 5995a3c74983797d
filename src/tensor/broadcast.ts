/**
 * NumPy broadcasting: shapes are aligned at their last axis; two dimensions fit when they are
 * equal or one of them is 1; the missing leading dimensions count as 1.
 */
import { ShapeError } from './errors.js'
import type { Shape } from './shape.js'

/** The broadcast shape of two shapes, or a `ShapeError` naming `op` and both shapes. @category shape */
export const broadcastShapes = (op: string, a: Shape, b: Shape): Shape => {
  const rank = Math.max(a.length, b.length)
  const out = new Array<number>(rank)
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1
    const db = b[b.length - rank + i] ?? 1
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(op, [a, b], `cannot broadcast: dimension ${da} does not match ${db} at axis ${i - rank}`)
    }
    out[i] = da === 1 ? db : da
  }
  return out
}

/** Whether `from` broadcasts to exactly `to`. @category shape */
export const broadcastsTo = (from: Shape, to: Shape): boolean => {
  if (from.length > to.length) return false
  for (let i = 1; i <= from.length; i++) {
    const f = from[from.length - i]!
    if (f !== 1 && f !== to[to.length - i]) return false
  }
  return true
}

/**
 * The axes of `to` that broadcasting `from` up to `to` expanded: leading axes `from` lacks,
 * and axes where `from` has 1 and `to` does not. Summing a cotangent over these axes
 * "un-broadcasts" it back to `from`.
 * @category shape
 */
export const broadcastedAxes = (from: Shape, to: Shape): number[] => {
  const lead = to.length - from.length
  const axes: number[] = []
  for (let i = 0; i < to.length; i++) {
    if (i < lead || (from[i - lead] === 1 && to[i] !== 1)) axes.push(i)
  }
  return axes
}
