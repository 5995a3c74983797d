/**
 * Which kernels run here, and why: `activeKernels()` reports whether the WebAssembly SIMD fast
 * paths (the matmul of `wasm/gemm.as`, the element-wise maps of `wasm/elementwise.as`) compiled,
 * or why purenet runs its portable TypeScript loops instead. The modules are compiled once, when
 * purenet is imported; when a compilation is refused (most often a Content-Security-Policy
 * without `'wasm-unsafe-eval'`), this module's evaluation, which happens once per page or worker,
 * writes one `console.warn` naming the cause and the fix, since the fallback is silent and
 * several times slower.
 */
import { elementwiseStatus } from './wasm/elementwise.js'
import type { FallbackReason, ModuleStatus } from './wasm/instantiate.js'
import { gemmStatus } from './wasm/matmul.js'

export type { FallbackReason, ModuleStatus } from './wasm/instantiate.js'

/**
 * Which kernels run here: WebAssembly SIMD or portable TypeScript, and why. @category kernels
 * @example
 * ```ts
 * const report: KernelReport = activeKernels()
 * ```
 */
export interface KernelReport {
  /** `'wasm-simd'` when every WebAssembly module compiled, `'portable'` when none did, `'mixed'` otherwise. */
  readonly kind: 'wasm-simd' | 'portable' | 'mixed'
  /** A sentence saying what runs and why, and the fix when there is one. */
  readonly reason: string
  /** Each module's status: `{ ok: true }`, or `{ ok: false, reason, detail }` with the engine's message. */
  readonly modules: { readonly matmul: ModuleStatus; readonly elementwise: ModuleStatus }
}

const fixOf = (reason: FallbackReason): string => {
  switch (reason) {
    case 'no-webassembly': return 'this engine has no WebAssembly'
    case 'no-simd': return 'this engine lacks WebAssembly SIMD; a newer browser or Node has it'
    case 'compile-refused': return "the engine refused to compile WebAssembly; if a Content-Security-Policy forbids it, add 'wasm-unsafe-eval' to its script-src"
  }
}

/**
 * The report for given module statuses (what `activeKernels` computes from this engine's).
 * @category internals
 */
export const kernelReport = (modules: KernelReport['modules']): KernelReport => {
  const failed = Object.entries(modules).filter((e): e is [string, Extract<ModuleStatus, { ok: false }>] => !e[1].ok)
  if (failed.length === 0) return Object.freeze({ kind: 'wasm-simd', reason: 'the WebAssembly SIMD kernels compiled: matmul and the large element-wise maps run in WebAssembly', modules })
  const [, first] = failed[0]!
  const kind = failed.length === Object.keys(modules).length ? 'portable' : 'mixed'
  const which = kind === 'portable' ? 'every kernel runs' : `${failed.map(([name]) => name).join(' and ')} run`
  return Object.freeze({ kind, reason: `${which} in portable TypeScript: ${fixOf(first.reason)} (${first.detail})`, modules })
}

/**
 * The one warning for a report, or undefined when none is due: only a refused compilation warns,
 * since an engine without WebAssembly or SIMD cannot be fixed by the page.
 * @category internals
 */
export const fallbackWarning = (report: KernelReport): string | undefined =>
  Object.values(report.modules).some((m) => !m.ok && m.reason === 'compile-refused')
    ? `purenet: WebAssembly could not be compiled, so purenet runs its portable kernels (several times slower). ${report.reason}. purenet.activeKernels() reports which kernels run.`
    : undefined

const report = kernelReport({ matmul: gemmStatus, elementwise: elementwiseStatus })

/**
 * Which kernels are active in this page, worker or process (WebAssembly SIMD or portable), and
 * why. Decided once, when purenet is imported.
 * @example
 * ```ts
 * const report = activeKernels()
 * console.log(report.kind) // 'wasm-simd', or 'typescript' with the reason in report.reason
 * ```
 * @category kernels
 */
export const activeKernels = (): KernelReport => report

// Once per realm: this module is evaluated once per page or worker.
const warning = fallbackWarning(report)
if (warning !== undefined) console.warn(warning)
