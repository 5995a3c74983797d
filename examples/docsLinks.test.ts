/**
 * The documentation's links lead somewhere: every relative link and picture of the README, the
 * pages in docs/ (guides included) and bench/README.md names a file of the repository, and every
 * `#anchor` names a heading of the page it points to (GitHub's heading slugs).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))
const markdownIn = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? markdownIn(p) : f.endsWith('.md') ? [p] : []
  })
const pages = [join(root, 'README.md'), join(root, 'bench', 'README.md'), ...markdownIn(join(root, 'docs'))]

/** The text outside code fences and inline code, where a link is a link. */
const prose = (text: string): string =>
  text.split(/^```.*$/m).filter((_, i) => i % 2 === 0).join('\n').replace(/`[^`\n]*`/g, '')

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
export const slug = (heading: string): string =>
  heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-')

const anchorsOf = (file: string): Set<string> =>
  new Set([...prose(readFileSync(file, 'utf8')).matchAll(/^#{1,6}\s+(.*)$/gm)].map((m) => slug(m[1]!)))

const linksOf = (file: string): string[] =>
  [...prose(readFileSync(file, 'utf8')).matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((t) => !/^(https?:|mailto:)/.test(t))

describe('the documentation links', () => {
  it('finds the pages', () => {
    expect(pages.map((p) => relative(root, p))).toEqual(expect.arrayContaining(['README.md', 'docs/library.md', 'docs/guides/derivatives.md']))
  })

  it('slugs headings as GitHub does', () => {
    expect(slug("Training MNIST: the lecture's loop")).toBe('training-mnist-the-lectures-loop')
    expect(slug('vmap: an ensemble, DP-SGD and the Hessian')).toBe('vmap-an-ensemble-dp-sgd-and-the-hessian')
  })

  it.each(pages.map((p) => [relative(root, p), p]))('%s: every relative link and anchor resolves', (_, page) => {
    const broken = linksOf(page).filter((link) => {
      const [path, anchor] = link.split('#') as [string, string | undefined]
      const target = path === '' ? page : join(dirname(page), decodeURIComponent(path))
      if (!existsSync(target)) return true
      return anchor !== undefined && target.endsWith('.md') && !anchorsOf(target).has(anchor)
    })
    expect(broken).toEqual([])
  })
})
