/**
 * The guides' code is real code: the ```ts blocks of each docs/guides/*.md, in order, are one
 * program importing 'purenet'; each is type-checked with the repository's tsc (tsconfig `paths`
 * map 'purenet' to src/) and run with tsx in a scratch folder, so a file it writes lands there.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { root } from '../scripts/api/model.js'
import { snippetDir, snippetFile, typecheck } from '../scripts/api/typecheck.js'

const folder = join(root, 'docs', 'guides')
const guides = readdirSync(folder).filter((f) => f.endsWith('.md')).sort()
const programOf = (guide: string): string =>
  [...readFileSync(join(folder, guide), 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!).join('\n')
const snippets = guides.map((g) => ({ id: g.replace(/\.md$/, ''), where: `docs/guides/${g}`, code: programOf(g) }))
const tsx = fileURLToPath(import.meta.resolve('tsx'))

describe('the guides', () => {
  it('are five, each with code', () => {
    expect(guides.length).toBeGreaterThanOrEqual(5)
    for (const s of snippets) expect(s.code, s.where).toMatch(/from 'purenet'/)
  })

  it('type-check', () => {
    expect(typecheck('guides', snippets).map((p) => `${p.where}: ${p.message}`).join('\n')).toBe('')
  })

  it.each(snippets)('$where runs', ({ id, code }) => {
    const scratch = mkdtempSync(join(tmpdir(), 'purenet-guide-'))
    mkdirSync(snippetDir('guides-run'), { recursive: true })
    writeFileSync(snippetFile('guides-run', id), code)
    try {
      const r = spawnSync(process.execPath, ['--import', tsx, snippetFile('guides-run', id)], {
        cwd: scratch, encoding: 'utf8', timeout: 240_000,
        env: { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tsconfig.json') },
      })
      expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0)
    } finally {
      rmSync(scratch, { recursive: true, force: true })
    }
  }, 300_000)
})
