/**
 * The error of staging: a traced function did something a program cannot express (read the
 * numbers of a staged value, branch on them, capture a value of an enclosing transformation), or
 * a program was given arguments it was not traced for.
 */

/**
 * Thrown by `trace` when the traced function depends on the values of its arguments rather than
 * on their shapes and dtypes, or captures a value it should take as an argument. The message
 * names the read or the primitive, the staged value (its variable and the primitive that made
 * it) and the fix.
 * @example
 * ```ts
 * try {
 *   trace((x: Tensor) => tensor([item(x)]))(tensor([1])) // reads a traced value
 * } catch (e) {
 *   if (e instanceof StagingError) console.log(e.message)
 * }
 * ```
 * @category errors
 */
export class StagingError extends Error {
  override readonly name = 'StagingError'
}
