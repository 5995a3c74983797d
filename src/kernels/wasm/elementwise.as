// AssemblyScript source of purenet's WebAssembly SIMD element-wise maps (float32), compiled by
// `scripts/build-wasm.mjs` into `elementwise.generated.ts` beside this file (`.as` so that tsc
// leaves it alone, as for gemm.as). The caller (./elementwise.ts) copies the operands into this
// module's memory, calls a map with byte addresses, and copies the result out.
//
// Buffers are 16-byte aligned and padded to a whole number of 16-byte vectors, so the same-shape
// maps run ceil(n / 4) vectors with no scalar tail (the padding lanes compute garbage that the
// caller never copies out). The output may be the first operand's buffer (in place): every lane is
// read before it is written.
//
// Binary maps are f32x4 arithmetic: IEEE float32 add/sub/mul/div round exactly as the scalar
// float32 loops of float32Loops.ts do, so the results are bit-identical.
//
// exp and sigmoid widen each f32x4 to two f64x2 and run the same float64 algorithms as
// fastMath.ts, operation for operation (WebAssembly never fuses a multiply-add), so they are
// bit-identical to those loops. tanh is float32 arithmetic on four lanes (`tanh32Lanes`), and
// fastMath.ts's `tanh32` is the same operations one element at a time (each rounded to float32 by
// Math.fround, which rounds as f32x4 does), so every float32 tanh in purenet has the same bits.
// Special values are selected with comparison masks; a NaN fails every comparison and flows
// through the arithmetic as NaN.

// ---- binary maps -------------------------------------------------------------------------

const ADD: i32 = 0
const SUB: i32 = 1
const MUL: i32 = 2
const DIV: i32 = 3

// One f32x4 operation; `op` is a constant at every call site, so the switch folds away.
@inline function op4(op: i32, x: v128, y: v128): v128 {
  if (op == ADD) return f32x4.add(x, y)
  if (op == SUB) return f32x4.sub(x, y)
  if (op == MUL) return f32x4.mul(x, y)
  return f32x4.div(x, y)
}

@inline function op1(op: i32, x: f32, y: f32): f32 {
  if (op == ADD) return x + y
  if (op == SUB) return x - y
  if (op == MUL) return x * y
  return x / y
}

// o[i] = a[i] (op) b[i] for i < n rounded up to whole vectors.
@inline function vv(op: i32, a: usize, b: usize, o: usize, n: i32): void {
  const end = a + (<usize>((n + 3) & ~3) << 2)
  for (; a < end; a += 16, b += 16, o += 16) v128.store(o, op4(op, v128.load(a), v128.load(b)))
}

export function add(a: usize, b: usize, o: usize, n: i32): void { vv(ADD, a, b, o, n) }
export function sub(a: usize, b: usize, o: usize, n: i32): void { vv(SUB, a, b, o, n) }
export function mul(a: usize, b: usize, o: usize, n: i32): void { vv(MUL, a, b, o, n) }
export function div(a: usize, b: usize, o: usize, n: i32): void { vv(DIV, a, b, o, n) }

// A broadcast over rows of m: o[r·m + j] = a[r·aRow + j] (op) b[r·bRow + j] for r < rows, j < m,
// with one of aRow, bRow = m (the operand runs along) and the other 0 (a repeated row, e.g. a
// bias). Each row is the same-shape map on its whole vectors (not inlined here, which keeps the
// module small) and a scalar tail, since rows need not start on a vector boundary.
@inline function rows(op: i32, a: usize, b: usize, o: usize, rows: i32, m: i32, aRow: i32, bRow: i32): void {
  const m4 = m & ~3
  const tail = <usize>m4 << 2
  for (let r = 0; r < rows; r++) {
    if (op == ADD) add(a, b, o, m4)
    else if (op == SUB) sub(a, b, o, m4)
    else if (op == MUL) mul(a, b, o, m4)
    else div(a, b, o, m4)
    for (let j: usize = tail, e = <usize>m << 2; j < e; j += 4) store<f32>(o + j, op1(op, load<f32>(a + j), load<f32>(b + j)))
    a += <usize>aRow << 2
    b += <usize>bRow << 2
    o += <usize>m << 2
  }
}

export function addRows(a: usize, b: usize, o: usize, n: i32, m: i32, aRow: i32, bRow: i32): void { rows(ADD, a, b, o, n, m, aRow, bRow) }
export function subRows(a: usize, b: usize, o: usize, n: i32, m: i32, aRow: i32, bRow: i32): void { rows(SUB, a, b, o, n, m, aRow, bRow) }
export function mulRows(a: usize, b: usize, o: usize, n: i32, m: i32, aRow: i32, bRow: i32): void { rows(MUL, a, b, o, n, m, aRow, bRow) }
export function divRows(a: usize, b: usize, o: usize, n: i32, m: i32, aRow: i32, bRow: i32): void { rows(DIV, a, b, o, n, m, aRow, bRow) }

// ---- unary maps --------------------------------------------------------------------------

/** o[i] = a[i] <= 0 ? 0 : a[i] (NaN stays NaN and -0 gives +0, as the scalar loop). */
export function relu(a: usize, o: usize, n: i32): void {
  const end = a + (<usize>((n + 3) & ~3) << 2)
  const zero = f32x4.splat(0)
  // pmax(x, 0) = x < 0 ? 0 : x keeps a NaN; adding +0 turns -0 into +0 and changes nothing else
  for (; a < end; a += 16, o += 16) v128.store(o, f32x4.add(f32x4.pmax(v128.load(a), zero), zero))
}

// fastMath.ts's constants
const ROUND: f64 = 6755399441055744 // 1.5·2^52: adding and subtracting it rounds to an integer
const LOG2E: f64 = 1.4426950408889634
const LN2: f64 = 0.6931471805599453
const EXP_LOW: f64 = -110
const EXP_HIGH: f64 = 89

// e^x on two float64 lanes, for x already in [EXP_LOW, EXP_HIGH] (or NaN): x = k·ln 2 + r, e^r by
// the degree-7 Taylor polynomial, times 2^k. 2^k comes from the bits of t = x·log2(e) + 1.5·2^52,
// whose low mantissa bits hold k: (bits + 1023) << 52 is the float64 2^k for |k| < 1023.
@inline function exp2(x: v128): v128 {
  const t = f64x2.add(f64x2.mul(x, f64x2.splat(LOG2E)), f64x2.splat(ROUND))
  const k = f64x2.sub(t, f64x2.splat(ROUND))
  const r = f64x2.sub(x, f64x2.mul(k, f64x2.splat(LN2)))
  let p = f64x2.add(f64x2.splat(1.0 / 720.0), f64x2.mul(r, f64x2.splat(1.0 / 5040.0)))
  p = f64x2.add(f64x2.splat(1.0 / 120.0), f64x2.mul(r, p))
  p = f64x2.add(f64x2.splat(1.0 / 24.0), f64x2.mul(r, p))
  p = f64x2.add(f64x2.splat(1.0 / 6.0), f64x2.mul(r, p))
  p = f64x2.add(f64x2.splat(0.5), f64x2.mul(r, p))
  p = f64x2.add(f64x2.splat(1.0), f64x2.mul(r, p))
  p = f64x2.add(f64x2.splat(1.0), f64x2.mul(r, p))
  const scale = i64x2.shl(i64x2.add(t, i64x2.splat(1023)), 52)
  return f64x2.mul(p, scale)
}

// e^x with the special values, for a result that is rounded to float32: x is clamped to
// [EXP_LOW, EXP_HIGH] first, where e^-110 (1.7e-48) rounds to float32 0 and e^89 to Infinity, so
// the clamp alone gives e^-Infinity = 0 and e^Infinity = Infinity. pmax/pmin (single
// instructions, unlike NaN-propagating max/min) keep a NaN lane NaN: each returns its first
// operand when the comparison with NaN fails.
@inline function expLanes(x: v128): v128 {
  return exp2(f64x2.pmin(f64x2.pmax(x, f64x2.splat(EXP_LOW)), f64x2.splat(EXP_HIGH)))
}

@inline function sigmoidLanes(x: v128): v128 {
  // e = e^-|x| <= 1 never overflows; 1/(1 + e) for x >= 0, e/(1 + e) below. For |x| >= 110,
  // e = e^-110 instead of 0 changes nothing once rounded to float32 (1 and 1.7e-48 -> 0).
  const e = expLanes(f64x2.neg(f64x2.abs(x)))
  const num = v128.bitselect(f64x2.splat(1.0), e, f64x2.ge(x, f64x2.splat(0)))
  return f64x2.div(num, f64x2.add(f64x2.splat(1.0), e))
}


// tanh in float32 arithmetic: Eigen's rational minimax approximation for float (odd degree 13 over
// even degree 6) on x clamped to ±7.9053111 (where it reaches ±1 exactly), x itself for
// |x| < 0.0004 (where tanh(x) = x to float32 precision). The constants are float32 values, written
// as the shortest decimals that read back to them, so that fastMath.ts's scalar twin (the same
// literals through Math.fround) starts from the same numbers. Each multiply and add rounds to
// float32 (no fused multiply-add): 7 ulp, 4.1e-7 relative at most (fastMath.ts's `tanh32`).
@inline function tanh32Lanes(a: v128): v128 {
  const c: f32 = 7.905311107635498
  const x = f32x4.pmin(f32x4.pmax(a, f32x4.splat(-c)), f32x4.splat(c))
  const x2 = f32x4.mul(x, x)
  let p = f32x4.add(f32x4.mul(x2, f32x4.splat(<f32>-2.7607683663038313e-16)), f32x4.splat(<f32>2.0001879384549948e-13))
  p = f32x4.add(f32x4.mul(x2, p), f32x4.splat(<f32>-8.604671836165423e-11))
  p = f32x4.add(f32x4.mul(x2, p), f32x4.splat(<f32>5.122297253024044e-8))
  p = f32x4.add(f32x4.mul(x2, p), f32x4.splat(<f32>0.000014857223504805006))
  p = f32x4.add(f32x4.mul(x2, p), f32x4.splat(<f32>0.0006372619536705315))
  p = f32x4.add(f32x4.mul(x2, p), f32x4.splat(<f32>0.004893524572253227))
  p = f32x4.mul(x, p)
  let q = f32x4.add(f32x4.mul(x2, f32x4.splat(<f32>0.0000011982583600911312)), f32x4.splat(<f32>0.00011853470641653985))
  q = f32x4.add(f32x4.mul(x2, q), f32x4.splat(<f32>0.0022684347350150347))
  q = f32x4.add(f32x4.mul(x2, q), f32x4.splat(<f32>0.0048935250379145145))
  const tiny = f32x4.lt(f32x4.abs(a), f32x4.splat(<f32>0.00039999998989515007))
  return v128.bitselect(a, f32x4.div(p, q), tiny)
}

/** o[i] = tanh(a[i]) on float32, four lanes at a time (n rounded up to whole vectors). */
export function tanh(a: usize, o: usize, n: i32): void {
  const end = a + (<usize>((n + 3) & ~3) << 2)
  for (; a < end; a += 16, o += 16) v128.store(o, tanh32Lanes(v128.load(a)))
}

const EXP: i32 = 0
const SIGMOID: i32 = 2

@inline function lanes(op: i32, x: v128): v128 {
  if (op == EXP) return expLanes(x)
  return sigmoidLanes(x)
}

// o[i] = f(a[i]) two floats at a time: load them into the low half of a vector, widen to f64x2,
// apply, narrow back and store the low half. (Widening both halves of an f32x4 per step doubles
// the inlined polynomial and pushes the module past 4 KiB, the limit of synchronous compilation on
// a browser's main thread.) n is rounded up to a whole vector, so no scalar tail.
@inline function map64(op: i32, a: usize, o: usize, n: i32): void {
  const end = a + (<usize>((n + 3) & ~3) << 2)
  for (; a < end; a += 8, o += 8) {
    const y = lanes(op, f64x2.promote_low_f32x4(v128.load64_zero(a)))
    v128.store64_lane(o, f32x4.demote_f64x2_zero(y), 0)
  }
}

export function exp(a: usize, o: usize, n: i32): void { map64(EXP, a, o, n) }
export function sigmoid(a: usize, o: usize, n: i32): void { map64(SIGMOID, a, o, n) }

/** The first byte above this module's static data: the caller places its buffers from here. */
export function heapBase(): usize { return __heap_base }
