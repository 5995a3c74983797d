#!/usr/bin/env node
// `npm run build` (and `prepare`, so a fresh clone's `npm install` and `npm pack` build too):
//   1. the WebAssembly kernels from their AssemblyScript source (scripts/build-wasm.mjs), then
//   2. src/ -> dist/ by tsc with tsconfig.build.json: ESM JavaScript, declarations, source maps.
// dist/ is emptied first, so a deleted source never leaves a stale module in the package.
// The default export is the same build, for vitest's global setup (the CLI tests run the
// compiled `purenet` bin with plain node).
import { spawnSync } from 'node:child_process'
import { chmodSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build as buildWasm } from './build-wasm.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

/** Builds the kernels and compiles dist/. Throws when tsc reports an error. */
export async function build() {
  await buildWasm()
  rmSync(join(root, 'dist'), { recursive: true, force: true })
  const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc')
  const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) throw new Error(`build: tsc -p tsconfig.build.json failed (exit ${result.status ?? result.signal})`)
  chmodSync(join(root, 'dist', 'cli', 'bin.js'), 0o755)
}

/** For a test runner's global setup. */
export default async function setup() {
  await build()
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    await build()
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`)
    process.exitCode = 1
  }
}
