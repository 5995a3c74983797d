import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// the compiled package (vitest's global setup builds dist/), run by plain node
const entry = fileURLToPath(new URL('../../dist/index.js', import.meta.url))

describe('jit where generating code is forbidden', () => {
  it('runs the program interpreted, with the numbers of the eager function, when new Function throws (a CSP without unsafe-eval)', () => {
    const script = `
      const { jit, ops, tensor, valueAndGrad } = await import(${JSON.stringify(entry)})
      let refused = false
      try { new Function('return 1') } catch (e) { refused = e instanceof EvalError }
      const f = (w, x) => valueAndGrad((v) => ops.sum(ops.tanh(ops.add(ops.mul(v, x), 1))))(w)
      const w = tensor([0.5, -1, 2]), x = tensor([1, 2, 3])
      const [v1, g1] = jit(f)(w, x)
      const [v2, g2] = f(w, x)
      console.log(JSON.stringify({ refused, same: [...v1.data, ...g1.data].join() === [...v2.data, ...g2.data].join() }))
    `
    const out = execFileSync(process.execPath, ['--disallow-code-generation-from-strings', '--input-type=module', '-e', script], { encoding: 'utf8' })
    expect(JSON.parse(out.trim())).toEqual({ refused: true, same: true })
  })
})

describe('jit: the check of the last signature (no string per call)', () => {
  it('runs a call with the last signature from its cache, and compiles again for any change of structure, key order, shape or dtype', async () => {
    const { jit, ops, tensor } = await import('../index.js')
    type T = ReturnType<typeof tensor>
    type Args = { readonly [key: string]: T | ReadonlyArray<T> }
    let traced = 0
    const f = jit((a: Args) => {
      traced++
      const ts = Object.values(a).flatMap((v): ReadonlyArray<T> => (Array.isArray(v) ? v : [v as T]))
      return ts.reduce((s, t, i) => ops.add(s, ops.mul(t, i + 1)))
    })
    const x = tensor([1, 2]), y = tensor([3, 4])
    const calls: ReadonlyArray<Args> = [
      { p: x, q: y }, { p: x, q: y }, // the same signature: one compile
      { q: y, p: x }, // keys in another order: leaves in another order
      { p: x, r: y }, // another key
      { p: x, q: [y] }, // an array in place of a leaf
      { p: x, q: [y, y] }, // an array of another length
      { p: x, q: tensor([[3, 4], [5, 6]]) }, // another shape
      { p: tensor([1, 2], { dtype: 'float64' }), q: tensor([3, 4], { dtype: 'float64' }) }, // another dtype
      { p: x, q: y, s: x }, // one more key
      { p: x, q: y }, // back to the first: cached, no new compile
    ]
    const got = calls.map((c) => [...f(c as never).data])
    const want = calls.map((c) => {
      const ts = Object.values(c).flatMap((v) => (Array.isArray(v) ? v : [v])) as ReadonlyArray<ReturnType<typeof tensor>>
      return [...ts.reduce((s, t, i) => ops.add(s, ops.mul(t, i + 1))).data]
    })
    expect(got).toEqual(want)
    expect(f.stats()).toEqual({ compiles: 8, calls: 10 })
    expect(traced).toBe(8)
    expect(() => f({ p: x, q: 3 } as never)).toThrow(/jit: the number argument \[0\]\.q was read.*scalar\(x\)/)
  })
})

describe('jit: a one-row matmul (batch-1 inference) runs without packing', () => {
  it('gives the eager matmul and the WebAssembly gemm bit for bit, over blocks of k and edge columns, special values included', async () => {
    const { jit, ops, random, tensor } = await import('../index.js')
    const W = await import('../kernels/wasm/matmul.js')
    const mm = jit((a: ReturnType<typeof tensor>, b: ReturnType<typeof tensor>) => ops.matmul(a, b))
    const mmT = jit((a: ReturnType<typeof tensor>, b: ReturnType<typeof tensor>) => ops.matmul(ops.transpose(a), b))
    let checked = 0
    for (const [k, n] of [[1, 1], [4, 64], [64, 64], [64, 2], [3, 5], [300, 7], [600, 13], [257, 130]] as const) {
      const a = random.normal(random.key(k), [1, k]), b = random.normal(random.key(n + 1000), [k, n])
      // special values: -0 products, NaN, infinities and an overflow
      const special = tensor(Array.from({ length: k }, (_, i) => [-0, NaN, Infinity, 3e38, -1][i % 5]!), { shape: [1, k] })
      for (const x of [a, special]) {
        // bits as strings: -0 and +0 differ, NaN equals NaN
        const bits = (d: ArrayLike<number>): string[] => Array.from(d, (v) => (Object.is(v, -0) ? '-0' : String(v)))
        const want = bits(ops.matmul(x, b).data)
        expect(bits(mm(x, b).data)).toEqual(want)
        expect(bits(mmT(ops.transpose(x), b).data)).toEqual(want)
        if (W.wasmAvailable) expect(bits(W.gemm(x.data as Float32Array, b.data as Float32Array, 1, k, n, false, false))).toEqual(want)
        checked++
      }
    }
    expect(checked).toBe(16)
  })
})

describe('jit: the leaves of a frozen argument passed again are reused, of any other walked again', () => {
  it('sees a leaf replaced in an unfrozen record, and a new frozen tree, while a frozen one passed again gives the same values', async () => {
    const { jit, ops, tensor } = await import('../index.js')
    type P = { w: ReturnType<typeof tensor>; b: ReturnType<typeof tensor> }
    const f = jit((p: P, x: ReturnType<typeof tensor>) => ops.add(ops.mul(p.w, x), p.b))
    const x = tensor([1, 2])
    const frozen: P = Object.freeze({ w: tensor([1, 1]), b: tensor([0, 0]) })
    expect(Array.from(f(frozen, x).data)).toEqual([1, 2])
    expect(Array.from(f(frozen, x).data)).toEqual([1, 2])
    // an unfrozen record edited in place between calls (not a pattern to follow, but it must not give stale values)
    const open: P = { w: tensor([2, 2]), b: tensor([0, 0]) }
    expect(Array.from(f(open, x).data)).toEqual([2, 4])
    open.w = tensor([3, 3])
    expect(Array.from(f(open, x).data)).toEqual([3, 6])
    // a frozen record holding an unfrozen one is walked again too
    const nested = Object.freeze({ p: { w: tensor([1, 1]), b: tensor([5, 5]) } })
    const g = jit((q: typeof nested, y: ReturnType<typeof tensor>) => ops.add(q.p.w, ops.add(q.p.b, y)))
    expect(Array.from(g(nested, x).data)).toEqual([7, 8])
    nested.p.b = tensor([10, 10])
    expect(Array.from(g(nested, x).data)).toEqual([12, 13])
    expect(Array.from(f(Object.freeze({ w: tensor([0, 1]), b: tensor([1, 1]) }), x).data)).toEqual([1, 3])
    expect(Array.from(f(frozen, tensor([5, 5])).data)).toEqual([5, 5])
    expect(f.stats()).toEqual({ compiles: 1, calls: 6 })
  })
})
