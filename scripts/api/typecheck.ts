/**
 * Type-checks snippets (the API reference's `@example` blocks, the guides' ```ts blocks) as a
 * user's project would: each snippet becomes a module under build/, importing 'purenet', which
 * the repository's tsconfig `paths` map to src/index.ts; the repository's own `tsc` checks them
 * all in one run. Errors come back by snippet.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative } from 'node:path'
import { buildDir, root } from './model.js'

export interface Snippet {
  /** A file-name-safe id ('ops.add.1', 'derivatives'). */
  readonly id: string
  /** Shown in errors: 'ops.add @example 1', 'docs/guides/derivatives.md'. */
  readonly where: string
  readonly code: string
}

const require = createRequire(import.meta.url)
const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc')

/** The folder snippets of one kind are written to ('api-examples', 'guides'). */
export const snippetDir = (kind: string): string => join(buildDir, kind)

/**
 * A file path per snippet id, under the kind's folder. Capitals are marked ('Tensor' gives
 * '_Tensor.ts'), since 'tensor' and 'Tensor' are both exports and the two files must differ by
 * more than case.
 */
export const snippetFile = (kind: string, id: string): string =>
  join(snippetDir(kind), `${id.replace(/[^A-Za-z0-9.-]/g, '-').replace(/[A-Z]/g, (c) => `_${c}`)}.ts`)

/**
 * Writes the snippets and runs tsc over them; returns each error line by the snippet it is in
 * (an error outside every snippet, in src/ say, is returned under '(tsc)').
 */
export const typecheck = (kind: string, snippets: ReadonlyArray<Snippet>): ReadonlyArray<{ readonly where: string; readonly message: string }> => {
  const dir = snippetDir(kind)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const byFile = new Map<string, Snippet>()
  for (const s of snippets) {
    const file = snippetFile(kind, s.id)
    writeFileSync(file, s.code.endsWith('\n') ? s.code : `${s.code}\n`)
    byFile.set(relative(root, file), s)
  }
  // The repository's settings, paths included; an example may leave a value unused.
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    extends: relative(dir, join(root, 'tsconfig.json')),
    compilerOptions: { noUnusedLocals: false, noUnusedParameters: false, noEmit: true },
    include: ['*.ts'],
  }, null, 2))
  const r = spawnSync(process.execPath, [tsc, '-p', relative(root, join(dir, 'tsconfig.json')), '--pretty', 'false'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  const out: Array<{ where: string; message: string }> = []
  for (const line of `${r.stdout}\n${r.stderr}`.split('\n')) {
    if (line.trim() === '') continue
    const m = /^(.*?)\((\d+),(\d+)\): (.*)$/.exec(line)
    const snippet = m === null ? undefined : byFile.get(m[1]!)
    if (m !== null && snippet !== undefined) out.push({ where: `${snippet.where} (line ${m[2]})`, message: m[4]! })
    else if (/error TS/.test(line) || m !== null) out.push({ where: '(tsc)', message: line })
  }
  if (r.status !== 0 && out.length === 0) out.push({ where: '(tsc)', message: `tsc exited ${r.status ?? r.signal}: ${r.stderr || r.stdout}`.trim() })
  return out
}
