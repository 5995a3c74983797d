/**
 * What the playground's browser tests share: building the static site once per test file (Vite's
 * API, into a folder of the file's own), serving it on 127.0.0.1 (optionally with a
 * Content-Security-Policy header), and launching Debian's chromium with playwright-core. No
 * browser is ever downloaded: without /usr/bin/chromium the tests fail, saying how to install it.
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { type Server, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Browser, chromium } from 'playwright-core'
import { build } from 'vite'

export const chromiumPath = process.env['PURENET_CHROMIUM'] ?? '/usr/bin/chromium'

const playground = fileURLToPath(new URL('..', import.meta.url))

/** Builds the playground into `outDir` (a folder under playground/dist) and returns that folder. */
export const buildPlayground = async (name: string): Promise<string> => {
  const outDir = join(playground, 'dist', `.test-${name}`)
  await build({ configFile: join(playground, 'vite.config.ts'), build: { outDir, emptyOutDir: true }, logLevel: 'error' })
  return outDir
}

const types: Readonly<Record<string, string>> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.png': 'image/png' }

/** Serves a folder on 127.0.0.1 at a free port, every response with `headers`. */
export const serve = async (root: string, headers: Readonly<Record<string, string>> = {}): Promise<{ readonly url: string; readonly server: Server }> => {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '')
    const file = join(root, path.endsWith('/') ? `${path}index.html` : path)
    readFile(file).then(
      (body) => {
        res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', ...headers })
        res.end(body)
      },
      () => {
        res.writeHead(404)
        res.end('not found')
      },
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server }
}

/** Launches the system's chromium headless, or throws saying how to install it. */
export const launch = async (): Promise<Browser> => {
  if (!existsSync(chromiumPath)) {
    throw new Error(`the browser tests need Debian's chromium at ${chromiumPath}: install it with \`sudo apt-get install -y chromium\` (or set PURENET_CHROMIUM to a Chromium binary); .ci/run installs it`)
  }
  return chromium.launch({ executablePath: chromiumPath, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [], timeout: 120_000 })
}
