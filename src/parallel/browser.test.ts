/**
 * The browser pool in Debian's chromium: `parallel({ workers: 2 })` from `purenet/browser`
 * inside a module Web Worker of a cross-origin isolated page agrees with `jit` and is
 * deterministic; without isolation, and on a page's main thread, `parallel` rejects with the
 * reason. The page's scripts are bundled from the sources with esbuild (as a user's bundler would).
 */
import { build } from 'esbuild'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { launch, serve } from '../../playground/test/harness.js'

const src = fileURLToPath(new URL('..', import.meta.url))

const workerSource = `
import { dataParallel, jit, losses, nn, parallel, random, valueAndGrad } from ${JSON.stringify(join(src, 'browser.ts'))}
const net = nn.serial(nn.dense(12, 16), nn.relu, nn.dense(16, 3))
const params = net.init(random.key(0))
const x = random.normal(random.key(1), [10, 12]), y = random.normal(random.key(2), [10, 3])
const f = (p, xs, ys) => valueAndGrad((q) => losses.mse(net.apply(q)(xs), ys))(p)
const flat = (t) => (Array.isArray(t) ? t.flatMap(flat) : t.data !== undefined ? [...t.data] : Object.values(t).flatMap(flat))
const run = async () => {
  const pool = await parallel({ workers: 2, timeoutMs: 60000 })
  try {
    const split = dataParallel(pool, f, { batched: [false, true, true] })
    const a = flat(split(params, x, y)), b = flat(jit(f)(params, x, y)), c = flat(split(params, x, y))
    let diff = 0
    a.forEach((v, i) => { diff = Math.max(diff, Math.abs(v - b[i]) / Math.max(1e-3, Math.abs(b[i]))) })
    postMessage({ n: a.length, diff, deterministic: a.every((v, i) => Object.is(v, c[i])) })
  } finally {
    await pool.close()
  }
}
run().catch((e) => postMessage({ error: String(e && e.message || e) }))
`
const pageSource = `
import { parallel } from ${JSON.stringify(join(src, 'browser.ts'))}
window.mainThread = parallel({ workers: 2 }).then(() => 'resolved', (e) => e.message)
const w = new Worker('./main.js', { type: 'module' })
window.result = new Promise((resolve) => { w.onmessage = (e) => resolve(e.data); w.onerror = (e) => resolve({ error: e.message }) })
`

describe('parallel in a browser', () => {
  it('runs in a Web Worker of an isolated page, agrees with jit, and says why elsewhere', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'purenet-pool-'))
    const browser = await launch()
    const servers: Array<{ close: () => void }> = []
    try {
      writeFileSync(join(dir, 'worker-entry.js'), workerSource)
      writeFileSync(join(dir, 'page-entry.js'), pageSource)
      writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="./page.js"></script>')
      const common = { bundle: true, format: 'esm', platform: 'browser', logLevel: 'error' } as const
      await build({ ...common, entryPoints: { main: join(dir, 'worker-entry.js'), page: join(dir, 'page-entry.js'), poolWorkerBrowser: join(src, 'poolWorkerBrowser.ts') }, outdir: dir })
      const isolated = await serve(dir, { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' })
      const plain = await serve(dir)
      servers.push(isolated.server, plain.server)
      const page = await browser.newPage()
      await page.goto(isolated.url)
      const r = (await page.evaluate('window.result')) as { n?: number; diff?: number; deterministic?: boolean; error?: string }
      expect(r.error).toBeUndefined()
      expect(r.n).toBe(12 * 16 + 16 + 16 * 3 + 3 + 1)
      expect(r.diff).toBeLessThan(1e-5)
      expect(r.deterministic).toBe(true)
      expect(await page.evaluate('window.mainThread')).toMatch(/main thread cannot wait/)
      await page.goto(plain.url)
      const p = (await page.evaluate('window.result')) as { error?: string }
      expect(p.error).toMatch(/SharedArrayBuffer is not available here/)
    } finally {
      servers.forEach((s) => s.close())
      await browser.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }, 180_000)
})
