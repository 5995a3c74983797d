/**
 * Accuracy checks shared by the tests of the fast float32 maps (`fastMath.test.ts`) and their
 * WebAssembly twins (`wasm/elementwise.test.ts`). Not exported by the kernels' index.
 */

/** `n` float32 inputs evenly spaced over [lo, hi]. */
export const grid = (lo: number, hi: number, n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1))

/**
 * The largest relative error of `outputs` against the float32 rounding of the float64 reference
 * `f` at `xs`; values whose reference is a float32 denormal (below 2^-126) are compared absolutely
 * at that scale.
 */
export const maxRelError = (outputs: Float32Array, f: (x: number) => number, xs: Float32Array): number => {
  let worst = 0
  for (let i = 0; i < xs.length; i++) {
    const want = Math.fround(f(xs[i]!))
    const err = Math.abs(outputs[i]! - want) / Math.max(Math.abs(want), 2 ** -126)
    if (err > worst) worst = err
  }
  return worst
}

/** The logistic function in float64, without overflow. */
export const sigmoidReference = (v: number): number => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)))
