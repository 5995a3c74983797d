/**
 * Synchronous instantiation of purenet's embedded WebAssembly modules (`gemm.as`,
 * `elementwise.as`), shared by their loaders. A module is compiled from base64 bytes that
 * `scripts/build-wasm.mjs` embeds in a generated TypeScript file, so importing purenet stays
 * synchronous and needs no file or network access. The eager modules are kept under 4 KiB, the
 * limit some browsers put on synchronous compilation on their main thread; the larger module of
 * compiled programs (`jit.as`) can be compiled ahead, asynchronously, by `ready()` (`ready.ts`).
 */

// The few WebAssembly JS API members used here. The project's type libraries (ES2022 + node)
// do not declare the WebAssembly namespace, and kernels must not depend on DOM typings.
/** The WebAssembly JS API as used here. @category internals */
export interface WasmApi {
  readonly validate: (bytes: Uint8Array) => boolean
  readonly Module: new (bytes: Uint8Array) => object
  readonly Instance: new (module: object, imports: object) => { readonly exports: unknown }
  /** Asynchronous compilation (allowed for modules of any size on a browser's main thread). */
  readonly compile?: (bytes: Uint8Array) => Promise<object>
}

/** The bytes of a base64 module. @category internals */
export const decode = (b64: string): Uint8Array => {
  const s = atob(b64)
  const out = new Uint8Array(s.length)
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i)
  return out
}

/**
 * Why a module's fast path is not in use: the engine has no WebAssembly, does not know the SIMD
 * opcodes the module uses, or refused to compile it (typically a Content-Security-Policy whose
 * `script-src` lacks `'wasm-unsafe-eval'`).
 * @example
 * ```ts
 * const report = activeKernels()
 * if (report.kind !== 'wasm-simd') console.log(report.reason)
 * ```
 * @category kernels
 */
export type FallbackReason = 'no-webassembly' | 'no-simd' | 'compile-refused'

/** The engine's WebAssembly API, or undefined where it has none. @category internals */
export const engineWasm = (): WasmApi | undefined => (globalThis as { readonly WebAssembly?: WasmApi }).WebAssembly

/** What instantiating a module gave: its exports, or why not (with the engine's message). @category internals */
export type Instantiated<T> =
  | { readonly ok: true; readonly exports: T }
  | { readonly ok: false; readonly reason: FallbackReason; readonly detail: string }

/**
 * Whether a module compiled, or why not: `Instantiated` without the exports. @category kernels
 * @example
 * ```ts
 * const report = activeKernels()
 * const statuses: ReadonlyArray<ModuleStatus> = Object.values(report.modules)
 * ```
 */
export type ModuleStatus =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: FallbackReason; readonly detail: string }

/** The status of an instantiation. @category internals */
export const statusOf = (i: Instantiated<unknown>): ModuleStatus => (i.ok ? { ok: true } : i)

/**
 * Instantiates a module given as base64 bytes with a WebAssembly API (`engineWasm()`, or a stand-in in tests),
 * saying why when it cannot. The caller states the exports' type (`T`), which the module's source
 * defines. With `compiled` (the module compiled ahead, asynchronously, by `ready()`), nothing is
 * compiled here: instantiating a compiled module is allowed synchronously whatever its size.
 * @category internals
 */
export const instantiateOrWhy = <T>(b64: string, api: WasmApi | undefined, compiled?: object): Instantiated<T> => {
  if (api === undefined) return { ok: false, reason: 'no-webassembly', detail: 'this engine has no WebAssembly' }
  if (compiled !== undefined) {
    try {
      return { ok: true, exports: new api.Instance(compiled, {}).exports as T }
    } catch (e) {
      return { ok: false, reason: 'compile-refused', detail: e instanceof Error ? e.message : String(e) }
    }
  }
  const bytes = decode(b64)
  // validate() is false when the engine does not know the SIMD opcodes the module uses
  if (!api.validate(bytes)) return { ok: false, reason: 'no-simd', detail: 'this engine does not support WebAssembly SIMD (128-bit)' }
  try {
    return { ok: true, exports: new api.Instance(new api.Module(bytes), {}).exports as T }
  } catch (e) {
    // e.g. a content security policy that forbids compiling WebAssembly
    return { ok: false, reason: 'compile-refused', detail: e instanceof Error ? e.message : String(e) }
  }
}
