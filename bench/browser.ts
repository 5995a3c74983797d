/**
 * W1 training cost in Chromium against Node, interleaved in one run: the same function
 * (`browser/w1.ts`: 784-128-10, batch 64, SGD, one-hot targets, `train.step` compiled by `jit`)
 * trains on the same data in this Node process and, bundled with esbuild, on the main thread of
 * a page of Debian's chromium (playwright-core), or with `--worker` in a Web Worker of that page
 * (where the playground trains). Turns alternate Node, browser, Node, ... so load
 * from elsewhere on the machine hits both alike. The figure is CPU time per sample: Node's from
 * `process.cpuUsage()`, the page's from its renderer processes' CPU time (the DevTools protocol's
 * `SystemInfo.getProcessInfo`, 10 ms resolution, so a turn should last a second or more); wall
 * time is printed beside it. Medians over the turns, and the chromium/node ratio, with the load
 * average at the start and the end.
 *
 *   npm run bench:browser -- [--turns 7] [--steps 150] [--worker]
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { launch, serve } from '../playground/test/harness.js'
import { w1 } from './browser/w1.js'

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`)
  return i < 0 ? fallback : Number(process.argv[i + 1])
}
const turns = arg('turns', 7)
const steps = arg('steps', 150)
const src = (p: string): string => fileURLToPath(new URL(p, import.meta.url))
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ')

const dir = mkdtempSync(join(tmpdir(), 'purenet-bench-browser-'))
const inWorker = process.argv.includes('--worker')
for (const [entry, out] of [['entry', 'bench'], ['worker', 'worker']] as const) {
  await build({
    entryPoints: [src(`./browser/${entry}.ts`)], bundle: true, format: 'esm', platform: 'browser', target: 'es2022',
    outfile: join(dir, `${out}.js`), alias: { 'purenet/browser': src('../src/browser.ts') }, logLevel: 'error',
  })
}
writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="./bench.js"></script>')
const { url, server } = await serve(dir)
const browser = await launch()
const median = (v: ReadonlyArray<number>): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!
try {
  const page = await browser.newPage()
  await page.goto(inWorker ? `${url}#worker` : url)
  await page.waitForFunction('globalThis.w1Ready === true')
  const cdp = await browser.newBrowserCDPSession()
  // CPU seconds of all renderer processes (the page's, and idle spare ones that add nothing)
  const rendererCpu = async (): Promise<number> => {
    const info = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: ReadonlyArray<{ type: string; cpuTime: number }> }
    return info.processInfo.filter((p) => p.type === 'renderer').reduce((s, p) => s + p.cpuTime, 0)
  }
  const nodeCpu = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6 }
  console.log(`load average at start: ${load()}`)
  console.log(`kernels: page ${String(await page.evaluate('globalThis.kernels'))}; ${steps} steps of batch 64 per turn, ${turns} turns each`)
  const node = w1()
  node.run(20)
  await page.evaluate('globalThis.runW1(20)')
  console.log(`step compiled by jit: node ${node.staged}, page ${String(await page.evaluate('globalThis.staged'))}`)
  const cpu = { node: [] as number[], browser: [] as number[] }
  const wall = { node: [] as number[], browser: [] as number[] }
  const us = (seconds: number): number => (1e6 * seconds) / (steps * 64)
  for (let t = 0; t < turns; t++) {
    const c0 = nodeCpu()
    const n = node.run(steps)
    const c1 = nodeCpu()
    const r0 = await rendererCpu()
    const b = (await page.evaluate(`globalThis.runW1(${steps})`)) as { ms: number; loss: number }
    const r1 = await rendererCpu()
    cpu.node.push(us(c1 - c0)); cpu.browser.push(us(r1 - r0))
    wall.node.push(us(n.ms / 1000)); wall.browser.push(us(b.ms / 1000))
    console.log(`turn ${t + 1}: CPU node ${cpu.node.at(-1)!.toFixed(1)}, chromium ${cpu.browser.at(-1)!.toFixed(1)} µs/sample; wall node ${wall.node.at(-1)!.toFixed(1)}, chromium ${wall.browser.at(-1)!.toFixed(1)} µs/sample; losses ${n.loss.toFixed(4)} ${b.loss.toFixed(4)}${n.loss === b.loss ? ' (equal)' : ' (DIFFER)'}`)
  }
  const [cn, cb, wn, wb] = [median(cpu.node), median(cpu.browser), median(wall.node), median(wall.browser)]
  console.log(`W1 median CPU: node ${cn.toFixed(1)} µs/sample, chromium ${cb.toFixed(1)} µs/sample; chromium/node = ${(cb / cn).toFixed(2)}x`)
  console.log(`W1 median wall: node ${wn.toFixed(1)} µs/sample, chromium ${wb.toFixed(1)} µs/sample; chromium/node = ${(wb / wn).toFixed(2)}x`)
  console.log(`load average at end: ${load()}`)
} finally {
  await browser.close()
  server.close()
}
