// AssemblyScript source of purenet's batched outer products (float32), compiled by
// `scripts/build-wasm.mjs` into `outer.generated.ts`. C[e] = a_e ⊗ b_e for a batch of vectors:
// what a per-example weight gradient of a dense layer is (xᵀ·δ with one row per example).
//
// The caller (./outer.ts) gives each call a fresh instance, copies A and B in above C, and keeps
// the instance's memory as the result's buffer: C is written once, here, and never copied out.

/** The first byte the caller may use. */
export function heapBase(): usize { return __heap_base }

/**
 * C[e, i, :] = A[e, i] · B[e, :] for e < batch, i < m; A is batch x m, B batch x n, C batch x m x n,
 * row-major float32 at byte addresses a, b, c. Rounds each product once, as scalar float32 does.
 */
export function outer(a: usize, b: usize, c: usize, batch: i32, m: i32, n: i32): void {
  const n4 = n & ~3
  let o = c
  for (let e = 0; e < batch; e++) {
    const be = b + (<usize>e * <usize>n << 2)
    const ae = a + (<usize>e * <usize>m << 2)
    for (let i = 0; i < m; i++) {
      const s = load<f32>(ae + (<usize>i << 2))
      const sv = f32x4.splat(s)
      let j = 0
      for (; j < n4; j += 4) {
        v128.store(o, f32x4.mul(sv, v128.load(be + (<usize>j << 2))))
        o += 16
      }
      for (; j < n; j++) {
        store<f32>(o, s * load<f32>(be + (<usize>j << 2)))
        o += 4
      }
    }
  }
}
