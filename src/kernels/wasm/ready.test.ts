import { describe, expect, it } from 'vitest'
import { type WasmApi, engineWasm, instantiateOrWhy } from './instantiate.js'
import { jitWasmBase64 } from './jit.generated.js'
import { gemmInstance } from './matmul.js'
import { precompiledJit, ready } from './ready.js'

// An engine that refuses synchronous compilation above 4 KiB, as some browsers do on a page's
// main thread, and otherwise is this engine.
const mainThreadLike = (): WasmApi => {
  const api = engineWasm()!
  // (the WebAssembly namespace's members are not enumerable, so they are named one by one)
  return {
    validate: (bytes) => api.validate(bytes),
    Instance: api.Instance,
    Module: class {
      constructor(bytes: Uint8Array) {
        if (bytes.length > 4096) throw new RangeError('WebAssembly.Module(): Compiling a module over 4KB synchronously is disallowed on the main thread; use WebAssembly.compile')
        return new api.Module(bytes)
      }
    },
  }
}

describe('ready', () => {
  it('compiles the jit module once, asynchronously, and resolves to the same promise every call', async () => {
    const p = ready()
    expect(ready()).toBe(p)
    await p
    expect(precompiledJit()).toBeDefined()
    expect(gemmInstance()?.compiled).toBeDefined()
  })

  it('lets an engine that refuses synchronous compilation over 4 KiB instantiate the jit module', async () => {
    await ready()
    const api = mainThreadLike()
    expect(jitWasmBase64.length * 3 / 4).toBeGreaterThan(4096)
    expect(instantiateOrWhy(jitWasmBase64, api)).toMatchObject({ ok: false, reason: 'compile-refused', detail: expect.stringContaining('4KB') })
    const i = instantiateOrWhy<{ readonly gemm: unknown }>(jitWasmBase64, api, precompiledJit())
    expect(i.ok && typeof i.exports.gemm).toBe('function')
  })
})
