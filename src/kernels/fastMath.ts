/**
 * Float32 versions of `exp`, `tanh` and `sigmoid` that are several times faster than `Math.exp`
 * and `Math.tanh` (V8 calls out to fdlibm for those: about 7 and 10-23 ns per element on the
 * bench machine, against 2.5-4 ns here). A float32 result has a relative precision of 6e-8; exp
 * and sigmoid agree with the correctly rounded float32 value to a relative error below 4e-7 over
 * the whole float32 range, tanh below 4.2e-7 (7 ulp; see `tanh32`), all tested against `Math.*`
 * in `fastMath.test.ts`, and keep the special values:
 * NaN in NaN out, exp(-Infinity) = 0, exp(Infinity) = Infinity, tanh(±Infinity) = ±1, exp(0) = 1,
 * tanh(0) = 0. Float64 kernels keep `Math.*`: gradient checks run in float64 and need every digit.
 *
 * Each is a whole loop over an array rather than a per-element function, so the polynomial is
 * compiled inline in the loop.
 */

// 2^i for i in [-POW2_BIAS, POW2_BIAS]: the scale step of exp. Written once at load, read only.
const POW2_BIAS = 170
const POW2 = Float64Array.from({ length: 2 * POW2_BIAS + 1 }, (_, i) => 2 ** (i - POW2_BIAS))

// Adding and subtracting 1.5·2^52 rounds a double to the nearest integer (ties to even) in two
// additions; Math.round costs several times more in V8.
const ROUND = 6755399441055744
const LOG2E = Math.LOG2E
const LN2 = Math.LN2
// Beyond these, e^x is 0 or Infinity once rounded to float32 (the smallest float32 denormal is
// e^-103.3, the largest float32 is e^88.72).
const EXP_LOW = -110
const EXP_HIGH = 89

/**
 * o[k] = e^(a[k]) for float32 output: x = k·ln 2 + r with |r| ≤ ln(2)/2, e^r by its Taylor
 * polynomial of degree 7 (truncation error below 5e-9 relative), scaled by 2^k from a table.
 * @category kernels
 */
export const expLoop = (a: Float32Array, o: Float32Array, n: number): void => {
  for (let i = 0; i < n; i++) {
    const x = a[i]!
    if (!(x > EXP_LOW)) { o[i] = x !== x ? x : 0; continue }
    if (x > EXP_HIGH) { o[i] = Infinity; continue }
    const k = x * LOG2E + ROUND - ROUND
    const r = x - k * LN2
    const p = 1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720 + r * (1 / 5040)))))))
    o[i] = p * POW2[(k + POW2_BIAS) | 0]!
  }
}

// tanh's constants as float32 values (the shortest decimals that read back to them), the same
// literals as wasm/elementwise.as's `tanh32Lanes`: Eigen's rational minimax approximation for float.
const F = Math.fround
const TA1 = F(0.004893524572253227), TA3 = F(0.0006372619536705315), TA5 = F(0.000014857223504805006)
const TA7 = F(5.122297253024044e-8), TA9 = F(-8.604671836165423e-11), TA11 = F(2.0001879384549948e-13)
const TA13 = F(-2.7607683663038313e-16)
const TB0 = F(0.0048935250379145145), TB2 = F(0.0022684347350150347), TB4 = F(0.00011853470641653985)
const TB6 = F(0.0000011982583600911312)
// where the rational function reaches ±1 exactly (inputs are clamped to it), and below which
// tanh(x) = x to float32 precision
const TANH_CLAMP = F(7.905311107635498)
const TANH_TINY = F(0.00039999998989515007)

/**
 * tanh(x) for a float32 x in float32 arithmetic: x clamped to ±7.9053111, p(x)/q(x) with p odd of
 * degree 13 and q even of degree 6 (Eigen's minimax coefficients for float) by Horner's rule, every
 * product and sum rounded to float32 by Math.fround (which rounds exactly as WebAssembly's f32x4
 * does: the float64 result of one operation on float32 values rounds to the correctly rounded
 * float32), and x itself for |x| < 0.0004. Operation for operation the WebAssembly map of
 * `wasm/elementwise.as`, so eager (JavaScript or WebAssembly, any size) and compiled programs give
 * the same bits.
 *
 * Accuracy against `Math.tanh` rounded to float32, over every float32 in [-9, 9] (2.2 billion
 * values, `node` sweep of the bit patterns): at most 7 ulp and 4.1e-7 relative (both near
 * x = 5.7-5.8, where tanh is 0.99998 and the Horner sums lose their last bits); tanh(±Infinity) = ±1,
 * tanh(±7.9053111) = ±1, tanh(±0) = ±0, denormals unchanged, NaN in NaN out, and |tanh32(x)| ≤ 1.
 * Float64 tensors keep `Math.tanh`.
 * @category kernels
 */
export const tanh32 = (a: number): number => {
  if (Math.abs(a) < TANH_TINY) return a
  const x = a > TANH_CLAMP ? TANH_CLAMP : a < -TANH_CLAMP ? -TANH_CLAMP : a
  const x2 = F(x * x)
  let p = F(F(x2 * TA13) + TA11)
  p = F(F(x2 * p) + TA9)
  p = F(F(x2 * p) + TA7)
  p = F(F(x2 * p) + TA5)
  p = F(F(x2 * p) + TA3)
  p = F(F(x2 * p) + TA1)
  p = F(x * p)
  let q = F(F(x2 * TB6) + TB4)
  q = F(F(x2 * q) + TB2)
  q = F(F(x2 * q) + TB0)
  return F(p / q)
}

/**
 * o[k] = tanh(a[k]) for float32, by `tanh32` (the WebAssembly map's arithmetic, one element at a
 * time).
 * @category kernels
 */
export const tanhLoop = (a: Float32Array, o: Float32Array, n: number): void => {
  for (let i = 0; i < n; i++) o[i] = tanh32(a[i]!)
}

/**
 * o[k] = sigmoid(a[k]) for float32 output, with the two branches of the float64 kernel so exp
 * never overflows: 1/(1 + e^-x) for x ≥ 0, e^x/(1 + e^x) below; e^x as in `expLoop`.
 * @category kernels
 */
export const sigmoidLoop = (a: Float32Array, o: Float32Array, n: number): void => {
  for (let i = 0; i < n; i++) {
    const x = a[i]!
    if (x !== x) { o[i] = x; continue }
    const z = x >= 0 ? -x : x // e^z ≤ 1
    let e = 0
    if (z > EXP_LOW) {
      const k = z * LOG2E + ROUND - ROUND
      const r = z - k * LN2
      const p = 1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720 + r * (1 / 5040)))))))
      e = p * POW2[(k + POW2_BIAS) | 0]!
    }
    o[i] = x >= 0 ? 1 / (1 + e) : e / (1 + e)
  }
}

/**
 * The shifted exponentials of one softmax row: o[base + j] = e^(a[base + j] - shift) for j < n
 * (rounded to float32 on store), returning their sum taken before that rounding (in float64, so
 * a row of any length loses no more than the terms' own error). Same polynomial and special values
 * as `expLoop`: a NaN term gives NaN, e^-Infinity = 0. `softmax` calls it with shift = the row max.
 * @category kernels
 */
export const expShiftedLoop = (a: Float32Array, base: number, n: number, shift: number, o: Float32Array): number => {
  let s = 0
  for (let i = base, end = base + n; i < end; i++) {
    const x = a[i]! - shift
    let e: number
    if (!(x > EXP_LOW)) e = x !== x ? x : 0
    else if (x > EXP_HIGH) e = Infinity
    else {
      const k = x * LOG2E + ROUND - ROUND
      const r = x - k * LN2
      const p = 1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720 + r * (1 / 5040)))))))
      e = p * POW2[(k + POW2_BIAS) | 0]!
    }
    o[i] = e
    s += e
  }
  return s
}

/**
 * sum over j < n of e^(a[base + j] - shift), in float64, without storing the terms: the sum of
 * `logSumExp` and `logSoftmax`. Same polynomial and special values as `expLoop`.
 * @category kernels
 */
export const expShiftedSum = (a: Float32Array, base: number, n: number, shift: number): number => {
  let s = 0
  for (let i = base, end = base + n; i < end; i++) {
    const x = a[i]! - shift
    if (!(x > EXP_LOW)) { s += x !== x ? x : 0; continue }
    if (x > EXP_HIGH) { s += Infinity; continue }
    const k = x * LOG2E + ROUND - ROUND
    const r = x - k * LN2
    const p = 1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720 + r * (1 / 5040)))))))
    s += p * POW2[(k + POW2_BIAS) | 0]!
  }
  return s
}

/**
 * The same float32-accurate functions one element at a time (the arithmetic of `expLoop`,
 * `tanhLoop` and `sigmoidLoop`, operation for operation, before the store rounds it to float32),
 * for the fused loops a compiled program generates (`stage/lowerFused.ts`). Checked against the
 * loops, and tanh against the WebAssembly map, bit for bit, in `fastMath.test.ts`.
 * @category kernels
 */
export const scalar32 = Object.freeze({
  exp: (x: number): number => {
    if (!(x > EXP_LOW)) return x !== x ? x : 0
    if (x > EXP_HIGH) return Infinity
    const k = x * LOG2E + ROUND - ROUND
    const r = x - k * LN2
    const p = 1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720 + r * (1 / 5040)))))))
    return p * POW2[(k + POW2_BIAS) | 0]!
  },
  tanh: tanh32,
  sigmoid: (x: number): number => {
    if (x !== x) return x
    const z = x >= 0 ? -x : x
    let e = 0
    if (z > EXP_LOW) {
      const k = z * LOG2E + ROUND - ROUND
      const r = z - k * LN2
      const p = 1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720 + r * (1 / 5040)))))))
      e = p * POW2[(k + POW2_BIAS) | 0]!
    }
    return x >= 0 ? 1 / (1 + e) : e / (1 + e)
  },
})
