#!/usr/bin/env node
// `npm run build` (and `prepare`, so a fresh clone's `npm install` and `npm pack` build too):
//   1. the WebAssembly kernels from their AssemblyScript source (scripts/build-wasm.mjs), then
//   2. src/ -> dist/ by tsc with tsconfig.build.json: ESM JavaScript, declarations, source maps.
// dist/ is replaced whole, so a deleted source never leaves a stale module in the package, and a
// build whose inputs are unchanged is skipped (dist/.build-hash records them).
// The default export is the same build, for vitest's global setup (the CLI tests run the
// compiled `purenet` bin with plain node).
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { chmodSync, existsSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build as buildWasm } from './build-wasm.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)
const typescript = dirname(require.resolve('typescript/package.json'))
const stamp = '.build-hash'

/** A hash of everything the compiled output depends on: the sources, the configs, the compiler. */
const inputsHash = () => {
  const hash = createHash('sha256')
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.isFile()) hash.update(path.slice(root.length)).update(readFileSync(path))
    }
  }
  walk(join(root, 'src'))
  for (const f of ['tsconfig.json', 'tsconfig.build.json', 'package.json']) hash.update(f).update(readFileSync(join(root, f)))
  hash.update(readFileSync(join(typescript, 'package.json')))
  return hash.digest('hex').slice(0, 16)
}

/**
 * Builds the kernels and compiles dist/, unless dist/ was built from these very inputs. tsc writes
 * into a fresh folder that then replaces dist/, so a concurrent run (two vitest processes in one
 * checkout) never sees a half-deleted dist/. Throws when tsc reports an error.
 */
export async function build({ force = false } = {}) {
  await buildWasm()
  const hash = inputsHash()
  const dist = join(root, 'dist')
  if (!force && existsSync(join(dist, stamp)) && readFileSync(join(dist, stamp), 'utf8') === hash) return
  const fresh = join(root, `dist.building-${process.pid}`)
  rmSync(fresh, { recursive: true, force: true })
  const result = spawnSync(process.execPath, [join(typescript, 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', fresh], { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) {
    rmSync(fresh, { recursive: true, force: true })
    throw new Error(`build: tsc -p tsconfig.build.json failed (exit ${result.status ?? result.signal})`)
  }
  chmodSync(join(fresh, 'cli', 'bin.js'), 0o755)
  writeFileSync(join(fresh, stamp), hash)
  const old = join(root, `dist.old-${process.pid}`)
  if (existsSync(dist)) renameSync(dist, old)
  renameSync(fresh, dist)
  rmSync(old, { recursive: true, force: true })
  console.log(`build: dist/ compiled (inputs ${hash})`)
}

/** For a test runner's global setup. */
export default async function setup() {
  await build()
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    await build({ force: process.argv.includes('--force') })
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`)
    process.exitCode = 1
  }
}
