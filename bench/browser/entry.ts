// The page side of bench/browser.ts: W1 on the page's main thread, after `ready()` compiled the
// WebAssembly modules asynchronously.
import { activeKernels, ready } from 'purenet/browser'
import { w1 } from './w1.js'

await ready()
const runner = w1()
Object.assign(globalThis, { runW1: runner.run, staged: runner.staged, kernels: activeKernels().kind, w1Ready: true })
