/**
 * Errors raised for malformed shapes. A `ShapeError` names the operation (or layer) that failed
 * and every shape involved, so the message alone is enough to find the bad call.
 */

/** Formats a shape the way messages print it: `[2, 3]`. @category errors */
export const showShape = (shape: ReadonlyArray<number>): string => `[${shape.join(', ')}]`

/**
 * Thrown when shapes do not fit together or a shape is malformed.
 * `op` is the operation or layer, `shapes` the shapes it was given.
 * @example
 * ```ts
 * try {
 *   ops.matmul(zeros([2, 3]), zeros([2, 3]))
 * } catch (e) {
 *   if (e instanceof ShapeError) console.log(e.message) // 'matmul: inner dimensions differ (3 vs 2) (shapes [2, 3] and [2, 3])'
 * }
 * ```
 * @category errors
 */
export class ShapeError extends Error {
  override readonly name = 'ShapeError'
  constructor(
    readonly op: string,
    readonly shapes: ReadonlyArray<ReadonlyArray<number>>,
    detail: string,
  ) {
    super(`${op}: ${detail}${shapes.length > 0 ? ` (shapes ${shapes.map(showShape).join(' and ')})` : ''}`)
  }
}
