// The page side of bench/browser.ts: W1 on the page's main thread.
import { activeKernels } from 'purenet/browser'
import { w1 } from './w1.js'

const runner = w1()
Object.assign(globalThis, { runW1: runner.run, kernels: activeKernels().kind })
