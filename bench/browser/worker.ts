// The worker side of bench/browser.ts --worker: W1 in a dedicated Web Worker of the page (where
// the playground trains), answering `steps` with what `run(steps)` gives.
import { activeKernels } from 'purenet/browser'
import { w1 } from './w1.js'

// the few members of a worker's global scope used here (the project's type libraries are not the DOM's)
const scope = globalThis as unknown as { onmessage: ((e: { readonly data: number }) => void) | null; postMessage: (m: unknown) => void }
const runner = w1()
scope.onmessage = (e) => scope.postMessage(runner.run(e.data))
scope.postMessage({ staged: runner.staged, kernels: activeKernels().kind })
