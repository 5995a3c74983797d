/// <reference lib="dom" />
// The page side of bench/browser.ts: W1 on the page's main thread, after `ready()` compiled the
// WebAssembly modules asynchronously, or (with #worker in the address) in a Web Worker of the page.
import { activeKernels, ready } from 'purenet/browser'
import { w1 } from './w1.js'

const next = (worker: Worker): Promise<unknown> => new Promise((resolve) => worker.addEventListener('message', (e) => resolve(e.data), { once: true }))

if (location.hash === '#worker') {
  const worker = new Worker('./worker.js', { type: 'module' })
  const hello = (await next(worker)) as { staged: boolean; kernels: string }
  const runW1 = (steps: number): Promise<unknown> => {
    const answer = next(worker)
    worker.postMessage(steps)
    return answer
  }
  Object.assign(globalThis, { runW1, staged: hello.staged, kernels: `${hello.kernels} (in a Web Worker)`, w1Ready: true })
} else {
  await ready()
  const runner = w1()
  Object.assign(globalThis, { runW1: runner.run, staged: runner.staged, kernels: `${activeKernels().kind} (main thread)`, w1Ready: true })
}
