/**
 * The API reference's checks (what `npm run docs:api` fails on), without writing the pages: the
 * doc model of the compiled declarations has no api-extractor or TSDoc warning, every export has a
 * description and an `@example`, every example
 * type-checks against the sources, and every `{@link}` resolves.
 */
import { describe, expect, it } from 'vitest'
import { checkDocs, preamble } from '../scripts/api/check.js'
import { render } from '../scripts/api/html.js'
import { extract, load } from '../scripts/api/model.js'
import { typecheck } from '../scripts/api/typecheck.js'

// dist/ is built by vitest's global setup (scripts/build.mjs)
const { apiJson, problems: extractorProblems } = extract()
const { model, exports } = load(apiJson)
const show = (ps: ReadonlyArray<{ readonly where: string; readonly message: string }>): string => ps.map((p) => `${p.where}: ${p.message}`).join('\n')

describe('the API reference', () => {
  it('api-extractor reads the declarations without a warning', () => {
    expect(exports.length).toBeGreaterThan(500)
    expect(show(extractorProblems)).toBe('')
  })

  it('every export has a description and an example', () => {
    const { problems, withExample } = checkDocs(exports)
    expect(show(problems)).toBe('')
    expect(withExample).toBe(new Set(exports.map((e) => e.qualified)).size)
  })

  it('every example type-checks against the sources', () => {
    const { snippets } = checkDocs(exports)
    expect(snippets.length).toBeGreaterThan(60)
    expect(show(typecheck('api-examples-test', snippets))).toBe('')
  })

  it('every {@link} resolves, and each namespace gets a page', () => {
    const { files, problems } = render(model, exports, preamble(exports))
    expect(show(problems)).toBe('')
    expect(files.map((f) => f.path)).toEqual(expect.arrayContaining(['index.html', 'purenet.html', 'nn.html', 'optim.html']))
  })
})
