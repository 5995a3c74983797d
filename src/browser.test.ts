/**
 * The browser entry must not reach a `node:` module: walk its static imports, as a bundler would.
 */
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const here = dirname(fileURLToPath(import.meta.url))

// Every module reachable from `entry` by static `import`/`export ... from`, with its specifiers.
const reachable = (entry: string): Map<string, string[]> => {
  const seen = new Map<string, string[]>()
  const visit = (file: string): void => {
    if (seen.has(file)) return
    const text = readFileSync(file, 'utf8')
    const specifiers = [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'/gm)].map((m) => m[1]!)
    seen.set(file, specifiers)
    for (const s of specifiers) {
      if (s.startsWith('.')) visit(resolve(dirname(file), s.replace(/\.js$/, '.ts')))
    }
  }
  visit(entry)
  return seen
}

describe('the browser entry', () => {
  it('reaches no node: module (and the main entry does, through io, which is why both exist)', () => {
    const browser = reachable(resolve(here, 'browser.ts'))
    const offending = [...browser.entries()].filter(([, specs]) => specs.some((s) => s.startsWith('node:'))).map(([f]) => f)
    expect(offending).toEqual([])
    expect(browser.size).toBeGreaterThan(50)
    const main = reachable(resolve(here, 'index.ts'))
    expect([...main.values()].some((specs) => specs.some((s) => s.startsWith('node:')))).toBe(true)
  })

  it('purenet/worker reaches no node: module either', () => {
    const worker = reachable(resolve(here, 'worker.ts'))
    expect([...worker.entries()].filter(([, specs]) => specs.some((s) => s.startsWith('node:'))).map(([f]) => f)).toEqual([])
    expect(worker.size).toBeGreaterThan(50)
  })

  it('exports the same namespaces as the main entry', async () => {
    const [browser, main] = await Promise.all([import('./browser.js'), import('./index.js')])
    expect(Object.keys(browser).sort()).toEqual(Object.keys(main).sort())
    expect(Object.keys(browser.io)).toContain('decodeModel')
    expect(Object.keys(browser.io)).not.toContain('saveModel')
  })
})
