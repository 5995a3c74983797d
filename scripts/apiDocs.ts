#!/usr/bin/env node
/**
 * `npm run docs:api`: the API reference, build/api/index.html and one page per namespace.
 *   1. builds dist/ (scripts/build.mjs; skipped when unchanged),
 *   2. api-extractor reads dist/index.d.ts into its doc model (build/api-model/purenet.api.json),
 *   3. checks: every export has a description and a type-checked `@example` (scripts/api/check.ts),
 *      every `{@link}` resolves, api-extractor reports nothing,
 *   4. writes the pages and their search index (scripts/api/html.ts), checking that every link of
 *      the pages reaches a page and an anchor on it,
 *   5. prints the counts: pages, exports, exports with an example.
 * Exits 1 on any problem, after listing them all.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { checkDocs, preamble } from './api/check.js'
import { render } from './api/html.js'
import { buildDir, extract, load, root, type Problem } from './api/model.js'
import { typecheck } from './api/typecheck.js'

const started = performance.now()
const seconds = () => `${((performance.now() - started) / 1000).toFixed(1)} s`
const built = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' })
if (built.status !== 0) process.exit(1)
console.log(`docs:api: dist/ built (${seconds()})`)

const { apiJson, problems: extractorProblems } = extract()
const { model, exports } = load(apiJson)
console.log(`docs:api: api-extractor read ${exports.length} declarations (${seconds()})`)
const { problems: docProblems, snippets, withExample } = checkDocs(exports)
const exampleErrors = typecheck('api-examples', snippets)
console.log(`docs:api: type-checked ${snippets.length} example blocks (${seconds()})`)
const { files, problems: linkProblems } = render(model, exports, preamble(exports))
const out = join(buildDir, 'api')
rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })
for (const f of files) writeFileSync(join(out, f.path), f.html)

const problems: ReadonlyArray<Problem> = [...extractorProblems, ...docProblems, ...exampleErrors, ...linkProblems]
for (const p of problems) console.error(`docs:api: ${p.where}: ${p.message}`)
const names = new Set(exports.map((e) => e.qualified)).size
const pages = files.filter((f) => f.path.endsWith('.html')).length
console.log(`docs:api: wrote ${join('build', 'api')}/ (${seconds()}): ${pages} pages (${files.filter((f) => f.path.endsWith('.html')).map((f) => f.path.replace(/\.html$/, '')).join(', ')})`)
console.log(`docs:api: ${pages} pages, ${names} exports, ${withExample} exports with an @example (${snippets.length} example blocks type-checked)`)
if (problems.length > 0) {
  console.error(`docs:api: ${problems.length} problems`)
  process.exitCode = 1
}
