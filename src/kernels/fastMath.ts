/**
 * Float32 versions of `exp`, `tanh` and `sigmoid` that are several times faster than `Math.exp`
 * and `Math.tanh` (V8 calls out to fdlibm for those: about 7 and 10-23 ns per element on the
 * bench machine, against 2.5-4 ns here). A float32 result has a relative precision of 6e-8; these
 * agree with the correctly rounded float32 value to a relative error below 4e-7 over the whole
 * float32 range (tested against `Math.*` in `fastMath.test.ts`), and keep the special values:
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

// The approximation's interval; beyond it (where tanh is within 3e-7 of ±1) Math.tanh takes over,
// so that saturated values and ±Infinity give exactly what float32 rounding of tanh gives.
const TANH_RANGE = 7.90531110763549805

/**
 * o[k] = tanh(a[k]) for float32 output, by the rational minimax approximation Eigen uses for
 * float (odd degree-13 numerator over even degree-6 denominator, on |x| ≤ 7.905; `Math.tanh` beyond):
 * relative error below 3e-7, near 0 too (the error is relative, not absolute).
 * @category kernels
 */
export const tanhLoop = (a: Float32Array, o: Float32Array, n: number): void => {
  for (let i = 0; i < n; i++) {
    const x = a[i]!
    // NaN fails the test and flows through the arithmetic as NaN
    if (x > TANH_RANGE || x < -TANH_RANGE) { o[i] = Math.tanh(x); continue }
    const x2 = x * x
    const p = x * (4.89352455891786e-3 + x2 * (6.37261928875436e-4 + x2 * (1.48572235717979e-5 + x2 * (5.12229709037114e-8 + x2 * (-8.60467152213735e-11 + x2 * (2.00018790482477e-13 + x2 * -2.76076847742355e-16))))))
    const q = 4.89352518554385e-3 + x2 * (2.268434632439e-3 + x2 * (1.18534705686654e-4 + x2 * 1.19825839466702e-6))
    o[i] = p / q
  }
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
 * for the fused loops a compiled program generates (`stage/lowerFused.ts`). `tanhSaturating` is
 * the WebAssembly map's tanh (`wasm/elementwise.as`): ±1 beyond the approximation's interval, as
 * the eager kernel gives on arrays large enough to go to WebAssembly. Checked against the loops,
 * bit for bit, in `fastMath.test.ts`.
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
  tanh: (x: number): number => {
    if (x > TANH_RANGE || x < -TANH_RANGE) return Math.tanh(x)
    return tanhCore(x)
  },
  tanhSaturating: (x: number): number => {
    if (x > TANH_RANGE) return 1
    if (x < -TANH_RANGE) return -1
    return tanhCore(x)
  },
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

const tanhCore = (x: number): number => {
  const x2 = x * x
  const p = x * (4.89352455891786e-3 + x2 * (6.37261928875436e-4 + x2 * (1.48572235717979e-5 + x2 * (5.12229709037114e-8 + x2 * (-8.60467152213735e-11 + x2 * (2.00018790482477e-13 + x2 * -2.76076847742355e-16))))))
  const q = 4.89352518554385e-3 + x2 * (2.268434632439e-3 + x2 * (1.18534705686654e-4 + x2 * 1.19825839466702e-6))
  return p / q
}
