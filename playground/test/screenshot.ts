// The README's picture of the playground: builds it, trains the spirals for a few seconds in
// chromium, pauses, and saves a screenshot. `npx tsx playground/test/screenshot.ts docs/playground.png`
import { buildPlayground, launch, serve } from './harness.js'

const out = process.argv[2] ?? 'playground/dist/screenshot.png'
const { url, server } = await serve(await buildPlayground('screenshot'))
const browser = await launch()
try {
  const page = await browser.newPage({ viewport: { width: 1360, height: 880 } })
  await page.goto(url)
  await page.waitForSelector('#kernels:has-text("Web Worker")', { timeout: 60_000 })
  await page.click('#play')
  await page.waitForSelector('#train-loss:text-matches("^0\\\\.[01]")', { timeout: 120_000 })
  await page.click('#play')
  await page.waitForSelector('#landscape-note:has-text("points")', { timeout: 60_000 })
  await page.waitForTimeout(500)
  await page.screenshot({ path: out })
  console.log(`${out}: step ${await page.textContent('#step-count')}, training loss ${await page.textContent('#train-loss')}`)
} finally {
  await browser.close()
  server.close()
}
