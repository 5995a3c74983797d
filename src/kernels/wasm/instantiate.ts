/**
 * Synchronous instantiation of purenet's embedded WebAssembly modules (`gemm.as`,
 * `elementwise.as`), shared by their loaders. A module is compiled from base64 bytes that
 * `scripts/build-wasm.mjs` embeds in a generated TypeScript file, so importing purenet stays
 * synchronous and needs no file or network access; every module is kept under 4 KiB, the limit
 * browsers put on synchronous compilation on their main thread.
 */

// The few WebAssembly JS API members used here. The project's type libraries (ES2022 + node)
// do not declare the WebAssembly namespace, and kernels must not depend on DOM typings.
interface WasmApi {
  readonly validate: (bytes: Uint8Array) => boolean
  readonly Module: new (bytes: Uint8Array) => object
  readonly Instance: new (module: object, imports: object) => { readonly exports: unknown }
}

const decode = (b64: string): Uint8Array => {
  const s = atob(b64)
  const out = new Uint8Array(s.length)
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i)
  return out
}

/**
 * The exports of a module given as base64 bytes, or undefined where the engine lacks WebAssembly,
 * does not know the SIMD opcodes the module uses, or forbids compiling it. The caller states the
 * exports' type (`T`), which the module's source defines.
 * @category internals
 */
export const instantiate = <T>(b64: string): T | undefined => {
  const api = (globalThis as { readonly WebAssembly?: WasmApi }).WebAssembly
  if (api === undefined) return undefined
  const bytes = decode(b64)
  // validate() is false when the engine does not know the SIMD opcodes the module uses
  if (!api.validate(bytes)) return undefined
  try {
    return new api.Instance(new api.Module(bytes), {}).exports as T
  } catch {
    // e.g. a content security policy that forbids compiling WebAssembly
    return undefined
  }
}
