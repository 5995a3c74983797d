import { describe, expect, it } from 'vitest'
import { activeKernels, fallbackWarning, kernelReport } from './active.js'
import { gemmWasmBase64 } from './wasm/gemm.generated.js'
import { type WasmApi, instantiateOrWhy } from './wasm/instantiate.js'

const refusing: WasmApi = {
  validate: () => true,
  Module: class { constructor() { throw new Error("WebAssembly.Module(): Refused to compile or instantiate WebAssembly module because 'unsafe-eval' is not an allowed source of script") } },
  Instance: class { readonly exports = {} },
}

describe('activeKernels', () => {
  it('reports the WebAssembly SIMD kernels in Node 20', () => {
    const r = activeKernels()
    expect(r.kind).toBe('wasm-simd')
    expect(r.modules).toEqual({ matmul: { ok: true }, elementwise: { ok: true } })
    expect(fallbackWarning(r)).toBeUndefined()
  })

  it('says why a module did not compile: no WebAssembly, no SIMD, or a refusal with the engine message', () => {
    expect(instantiateOrWhy(gemmWasmBase64, undefined)).toMatchObject({ ok: false, reason: 'no-webassembly' })
    expect(instantiateOrWhy(gemmWasmBase64, { ...refusing, validate: () => false })).toMatchObject({ ok: false, reason: 'no-simd' })
    expect(instantiateOrWhy(gemmWasmBase64, refusing)).toMatchObject({ ok: false, reason: 'compile-refused', detail: expect.stringContaining("'unsafe-eval'") })
  })

  it('names the fix for a refused compilation, and warns only for it', () => {
    const refused = instantiateOrWhy<unknown>(gemmWasmBase64, refusing)
    if (refused.ok) throw new Error('expected a refusal')
    const r = kernelReport({ matmul: refused, elementwise: refused })
    expect(r.kind).toBe('portable')
    expect(r.reason).toMatch(/^every kernel runs in portable TypeScript: .*add 'wasm-unsafe-eval' to its script-src \(WebAssembly.Module\(\): Refused/)
    expect(fallbackWarning(r)).toMatch(/^purenet: WebAssembly could not be compiled, so purenet runs its portable kernels .*activeKernels\(\)/)
    const noSimd = kernelReport({ matmul: { ok: true }, elementwise: { ok: false, reason: 'no-simd', detail: 'no SIMD' } })
    expect(noSimd.kind).toBe('mixed')
    expect(noSimd.reason).toMatch(/^elementwise run in portable TypeScript: this engine lacks WebAssembly SIMD/)
    expect(fallbackWarning(noSimd)).toBeUndefined()
  })
})
