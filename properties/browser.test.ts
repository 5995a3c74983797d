/// <reference lib="dom" />
/**
 * The derivative laws of every primitive (properties/primitives.test.ts, its table unchanged)
 * run once inside Debian's chromium: the file is bundled with esbuild for the browser, with
 * 'vitest' mapped to a small shim that collects and runs its tests on the page
 * (browser/vitest-shim.ts) and fast-check capped at a few runs per property
 * (browser/fast-check-capped.ts). Every test must pass there too; a failure is reported with its
 * name and fast-check's counterexample, seed and path.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import type { Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Plugin, build } from 'esbuild'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launch, serve } from '../playground/test/harness.js'

const source = (p: string): string => fileURLToPath(new URL(p, import.meta.url))

// 'vitest' to the shim, 'fast-check' to the capped one (whose own import is the package), and the
// main entry to the browser entry (the property file only reads what both export).
const browserMaps: Plugin = {
  name: 'browser-maps',
  setup(b) {
    b.onResolve({ filter: /^vitest$/ }, () => ({ path: source('./browser/vitest-shim.ts') }))
    b.onResolve({ filter: /^fast-check$/ }, (a) => (a.importer.endsWith('fast-check-capped.ts') ? undefined : { path: source('./browser/fast-check-capped.ts') }))
    b.onResolve({ filter: /\/src\/index\.js$/ }, () => ({ path: source('../src/browser.ts') }))
  },
}

interface Outcome { readonly name: string; readonly ok: boolean; readonly message?: string }

let browser: Browser
let server: Server
let url: string

beforeAll(async () => {
  browser = await launch()
  const dir = mkdtempSync(join(tmpdir(), 'purenet-properties-browser-'))
  await build({
    entryPoints: [source('./browser/entry.ts')], bundle: true, format: 'esm', platform: 'browser', target: 'es2022',
    outfile: join(dir, 'properties.js'), plugins: [browserMaps], logLevel: 'error',
  })
  writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="./properties.js"></script>')
  ;({ url, server } = await serve(dir))
}, 300_000)

afterAll(async () => {
  await browser?.close()
  server?.close()
})

describe('the primitives\' laws in chromium', () => {
  it('hold on the page as in Node: every test of properties/primitives.test.ts passes', async () => {
    const page = await browser.newPage()
    const errors: string[] = []
    // an error while the page loads (the bundle throws) ends the wait at once, with the error
    const failedToLoad = new Promise<never>((_, reject) => page.on('pageerror', (e) => {
      errors.push(e.message)
      reject(new Error(`the property page failed: ${e.message}`))
    }))
    await page.goto(url)
    await Promise.race([failedToLoad, page.waitForFunction('globalThis.propertyResults !== undefined', undefined, { timeout: 540_000, polling: 500 })])
    const results = (await page.evaluate('globalThis.propertyResults')) as ReadonlyArray<Outcome>
    const failed = results.filter((r) => !r.ok)
    console.log(`properties in chromium: ${results.length - failed.length} of ${results.length} tests of properties/primitives.test.ts passed`)
    expect(errors).toEqual([])
    // as many tests as the Node run of the file has (one per law and primitive): none was skipped
    expect(results.length).toBeGreaterThan(200)
    expect(failed.map((f) => `${f.name}: ${f.message}`)).toEqual([])
    await page.close()
  }, 600_000)
})
