/**
 * Float32-only copies of the hottest binary loops (the unary ones sit next to their kernels in
 * `elementwise.ts`). V8 specialises a loop to the typed-array
 * types it has seen: the shared loops of `binaryLoops.ts` and `elementwise.ts` see Float32Array
 * and Float64Array and run about 1.7x slower than these, which only ever see Float32Array
 * (measured on [64, 128]: relu 11.5 against 6.8 µs, mul 12.7 against 6.8 µs, allocation included).
 * Float32 is the default dtype, so training runs here; float64 and mixed dtypes keep the shared
 * loops. The arithmetic is the same expression, so results are identical.
 */
/** o[oi + k] = a[ai + k] (op) b[bi + k] for k < n, all float32. @category internals */
export type VectorLoop32 = (a: Float32Array, ai: number, b: Float32Array, bi: number, o: Float32Array, oi: number, n: number) => void
/** o[oi + k] = a[ai + k] (op) s for k < n. @category internals */
export type RightScalarLoop32 = (a: Float32Array, ai: number, s: number, o: Float32Array, oi: number, n: number) => void
/** o[oi + k] = s (op) b[bi + k] for k < n. @category internals */
export type LeftScalarLoop32 = (s: number, b: Float32Array, bi: number, o: Float32Array, oi: number, n: number) => void

/** o[r·m + j] = a[r·m + j] (op) b[j] (`vr`), or a[j] (op) b[r·m + j] (`rv`), for r < rows, j < m. @category internals */
export type RowLoop32 = (a: Float32Array, b: Float32Array, o: Float32Array, rows: number, m: number) => void

/** The float32 loops of one binary operation. @category internals */
export interface Loops32 {
  readonly vv: VectorLoop32
  readonly vs: RightScalarLoop32
  readonly sv: LeftScalarLoop32
  /** The right operand is a row repeated along the leading axes (a bias). */
  readonly vr: RowLoop32
  /** The left operand is the repeated row. */
  readonly rv: RowLoop32
}

/** Float32 loops of the arithmetic binary kernels (the others use the shared loops). @category internals */
export const loops32 = {
  add: {
    vv: (a, ai, b, bi, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = a[ai + k]! + b[bi + k]! },
    vs: (a, ai, s, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = a[ai + k]! + s },
    sv: (s, b, bi, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = s + b[bi + k]! },
    vr: (a, b, o, rows, m) => { for (let r = 0, i = 0; r < rows; r++) for (let j = 0; j < m; j++, i++) o[i] = a[i]! + b[j]! },
    rv: (a, b, o, rows, m) => { for (let r = 0, i = 0; r < rows; r++) for (let j = 0; j < m; j++, i++) o[i] = a[j]! + b[i]! },
  },
  sub: {
    vv: (a, ai, b, bi, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = a[ai + k]! - b[bi + k]! },
    vs: (a, ai, s, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = a[ai + k]! - s },
    sv: (s, b, bi, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = s - b[bi + k]! },
    vr: (a, b, o, rows, m) => { for (let r = 0, i = 0; r < rows; r++) for (let j = 0; j < m; j++, i++) o[i] = a[i]! - b[j]! },
    rv: (a, b, o, rows, m) => { for (let r = 0, i = 0; r < rows; r++) for (let j = 0; j < m; j++, i++) o[i] = a[j]! - b[i]! },
  },
  mul: {
    vv: (a, ai, b, bi, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = a[ai + k]! * b[bi + k]! },
    vs: (a, ai, s, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = a[ai + k]! * s },
    sv: (s, b, bi, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = s * b[bi + k]! },
    vr: (a, b, o, rows, m) => { for (let r = 0, i = 0; r < rows; r++) for (let j = 0; j < m; j++, i++) o[i] = a[i]! * b[j]! },
    rv: (a, b, o, rows, m) => { for (let r = 0, i = 0; r < rows; r++) for (let j = 0; j < m; j++, i++) o[i] = a[j]! * b[i]! },
  },
  div: {
    vv: (a, ai, b, bi, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = a[ai + k]! / b[bi + k]! },
    vs: (a, ai, s, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = a[ai + k]! / s },
    sv: (s, b, bi, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = s / b[bi + k]! },
    vr: (a, b, o, rows, m) => { for (let r = 0, i = 0; r < rows; r++) for (let j = 0; j < m; j++, i++) o[i] = a[i]! / b[j]! },
    rv: (a, b, o, rows, m) => { for (let r = 0, i = 0; r < rows; r++) for (let j = 0; j < m; j++, i++) o[i] = a[j]! / b[i]! },
  },
} as const satisfies Readonly<Record<string, Loops32>>
