/**
 * W1 training speed in Chromium against Node, interleaved in one run: the same function
 * (`browser/w1.ts`) trains on the same data in Node and, bundled with esbuild, on a page of
 * Debian's chromium (playwright-core). Turns alternate Node, browser, Node, ... so load from
 * elsewhere on the machine hits both alike; the figures are wall-clock milliseconds per sample
 * (a page's CPU time cannot be read), medians over the turns, and the browser/Node ratio.
 *
 *   npx tsx bench/browser.ts [--turns 5] [--steps 100]
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { launch, serve } from '../playground/test/harness.js'
import { w1 } from './browser/w1.js'

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`)
  return i < 0 ? fallback : Number(process.argv[i + 1])
}
const turns = arg('turns', 5)
const steps = arg('steps', 100)
const src = (p: string): string => fileURLToPath(new URL(p, import.meta.url))

const dir = mkdtempSync(join(tmpdir(), 'purenet-bench-browser-'))
await build({
  entryPoints: [src('./browser/entry.ts')], bundle: true, format: 'esm', platform: 'browser', target: 'es2022',
  outfile: join(dir, 'bench.js'), alias: { 'purenet/browser': src('../src/browser.ts') }, logLevel: 'error',
})
writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="./bench.js"></script>')
const { url, server } = await serve(dir)
const browser = await launch()
try {
  const page = await browser.newPage()
  await page.goto(url)
  await page.waitForFunction('typeof globalThis.runW1 === "function"')
  console.log(`kernels: page ${String(await page.evaluate('globalThis.kernels'))}; ${steps} steps of batch 64 per turn, ${turns} turns each`)
  const node = w1()
  const warm = (): Promise<unknown> => page.evaluate(`globalThis.runW1(10)`)
  node.run(10)
  await warm()
  const perSample = { node: [] as number[], browser: [] as number[] }
  for (let t = 0; t < turns; t++) {
    const n = node.run(steps)
    const b = (await page.evaluate(`globalThis.runW1(${steps})`)) as { ms: number; loss: number }
    perSample.node.push((1000 * n.ms) / (steps * 64))
    perSample.browser.push((1000 * b.ms) / (steps * 64))
    console.log(`turn ${t + 1}: node ${perSample.node.at(-1)!.toFixed(1)} µs/sample (loss ${n.loss.toFixed(4)}), chromium ${perSample.browser.at(-1)!.toFixed(1)} µs/sample (loss ${b.loss.toFixed(4)})`)
  }
  const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!
  const [mn, mb] = [median(perSample.node), median(perSample.browser)]
  console.log(`W1 median: node ${mn.toFixed(1)} µs/sample, chromium ${mb.toFixed(1)} µs/sample; chromium/node = ${(mb / mn).toFixed(2)}x`)
} finally {
  await browser.close()
  server.close()
}
