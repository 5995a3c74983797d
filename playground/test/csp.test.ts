/// <reference lib="dom" />
/**
 * A Content-Security-Policy without 'wasm-unsafe-eval' forbids compiling WebAssembly: purenet
 * then runs its portable kernels, says so once on the console with the fix, and reports it in
 * `activeKernels()`; the playground still trains. With 'wasm-unsafe-eval' nothing is said.
 */
import type { Server } from 'node:http'
import type { Browser, ConsoleMessage } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildPlayground, launch, serve } from './harness.js'

let browser: Browser
let dir: string
const servers: Server[] = []

beforeAll(async () => {
  browser = await launch() // first: without chromium, fail at once with how to install it
  dir = await buildPlayground('csp')
}, 300_000)

afterAll(async () => {
  await browser?.close()
  for (const s of servers) s.close()
})

const visit = async (policy: string): Promise<{ readonly warnings: string[]; readonly kernels: string; readonly steps: number }> => {
  const { url, server } = await serve(dir, { 'content-security-policy': policy })
  servers.push(server)
  const page = await browser.newPage()
  const warnings: string[] = []
  const collect = (m: ConsoleMessage): void => { if (m.text().startsWith('purenet:')) warnings.push(`${m.type()}: ${m.text()}`) }
  page.on('console', collect)
  await page.goto(url)
  await page.waitForFunction(() => document.getElementById('kernels')?.textContent?.includes('Web Worker') === true, undefined, { timeout: 60_000 })
  await page.click('#play')
  await page.waitForFunction(() => Number(document.getElementById('step-count')?.textContent?.replace(/,/g, '')) > 10, undefined, { timeout: 60_000 })
  await page.click('#play')
  const kernels = (await page.textContent('#kernels')) ?? ''
  const steps = Number((await page.textContent('#step-count'))?.replace(/,/g, ''))
  await page.close()
  return { warnings, kernels, steps }
}

describe('purenet in chromium under a Content-Security-Policy', () => {
  it("without 'wasm-unsafe-eval': portable kernels, one warning per page and worker naming the fix, and training still works", async () => {
    const { warnings, kernels, steps } = await visit("default-src 'self'; script-src 'self'; worker-src 'self'; style-src 'self'; img-src 'self' data: blob:")
    // once in the page's realm and once in the worker's (the page's console events carry both)
    expect(warnings.length).toBe(2)
    for (const w of warnings) expect(w).toMatch(/^warning: purenet: WebAssembly could not be compiled, so purenet runs its portable kernels .*add 'wasm-unsafe-eval' to its script-src/)
    expect(kernels).toContain('kernels: portable')
    expect(kernels).toContain('page: portable')
    expect(steps).toBeGreaterThan(10)
  })

  it("with 'wasm-unsafe-eval': the WebAssembly SIMD kernels and no warning", async () => {
    const { warnings, kernels } = await visit("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'self'; img-src 'self' data: blob:")
    expect(warnings).toEqual([])
    expect(kernels).toContain('kernels: WebAssembly SIMD')
    expect(kernels).toContain('page: wasm-simd')
  })
})
