/**
 * The entry of a browser pool worker (`parallelBrowser.ts` starts it as a module Web Worker):
 * serves the pool on the worker's global scope.
 */
import { servePool } from './parallel/index.js'
import type { Init } from './parallel/protocol.js'

interface Scope {
  postMessage: (m: unknown) => void
  addEventListener: (type: 'message', listener: (e: { readonly data: unknown }) => void) => void
}
const scope = globalThis as unknown as Scope
servePool({ postMessage: (m) => scope.postMessage(m), onMessage: (listener) => scope.addEventListener('message', (e) => listener(e.data as Init)) })
