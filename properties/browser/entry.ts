// The page of properties/browser.test.ts: the property file, evaluated with the vitest shim
// (collecting its tests), then run; the outcomes are left on globalThis for the test to read.
import { runCollected } from './vitest-shim.js'
import '../primitives.test.js'

const g = globalThis as { propertyProgress?: number; propertyResults?: unknown }
g.propertyProgress = 0
g.propertyResults = await runCollected(() => { g.propertyProgress = (g.propertyProgress ?? 0) + 1 })
