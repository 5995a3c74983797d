/**
 * The reference's rules, checked on the doc model: every export has a description and an
 * `@example` holding a ```ts block, and every example type-checks against the sources. An example
 * may leave out its import line: it then gets `import { <every top-level export> } from 'purenet'`.
 *
 * The exports that do not carry an example yet are listed in scripts/api/missing-examples.txt, a
 * ratchet: an export missing from the reference's examples and not listed fails the build, and so
 * does a listed export that has an example now (delete its line) or no longer exists.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ApiItemKind } from '@microsoft/api-extractor-model'
import { codeBlocks, root, textOf, type ApiExport, type Problem } from './model.js'
import type { Snippet } from './typecheck.js'

export const missingExamplesFile = join(root, 'scripts', 'api', 'missing-examples.txt')

/** The qualified names allowed (for now) to go without an `@example`. */
export const allowedWithoutExample = (): ReadonlySet<string> =>
  new Set(readFileSync(missingExamplesFile, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#')))

const typeKinds = new Set<ApiItemKind>([ApiItemKind.Interface, ApiItemKind.TypeAlias])

/** The import line an example without one gets: every top-level value and type. */
export const preamble = (exports: ReadonlyArray<ApiExport>): string => {
  const top = exports.filter((e) => e.namespace === '')
  const namespaces = [...new Set(exports.filter((e) => e.namespace !== '').map((e) => e.namespace.split('.')[0]!))]
  const values = [...new Set([...top.filter((e) => !typeKinds.has(e.kind)).map((e) => e.name), ...namespaces])].sort()
  const types = [...new Set(top.filter((e) => typeKinds.has(e.kind)).map((e) => e.name))].sort()
  return `import { ${values.join(', ')} } from 'purenet'\nimport type { ${types.join(', ')} } from 'purenet'\n`
}

/** The example's code as type-checked (and as a user would paste it). */
export const exampleProgram = (code: string, importLine: string): string =>
  /from\s+'purenet(\/[a-z/]+)?'/.test(code) ? code : `${importLine}\n${code}`

/** Missing descriptions and examples, examples without a code block, and ratchet drift. */
export const checkDocs = (exports: ReadonlyArray<ApiExport>): { readonly problems: ReadonlyArray<Problem>; readonly snippets: ReadonlyArray<Snippet>; readonly withExample: number } => {
  const problems: Problem[] = []
  const snippets: Snippet[] = []
  const allowed = allowedWithoutExample()
  const importLine = preamble(exports)
  const documented = new Set<string>()
  const names = new Set(exports.map((e) => e.qualified))
  // An overloaded function is one export: one of its signatures may carry the description and examples.
  const described = new Set(exports.filter((e) => e.summary !== undefined).map((e) => e.qualified))
  for (const e of exports) if (e.examples.length > 0) documented.add(e.qualified)
  const reported = new Set<string>()
  for (const e of exports) {
    const where = `${e.qualified} (${e.sourceFile ?? 'dist'})`
    if (!reported.has(e.qualified)) {
      reported.add(e.qualified)
      if (!described.has(e.qualified)) problems.push({ where, message: 'has no description: write a one-sentence TSDoc summary' })
      if (!documented.has(e.qualified) && !allowed.has(e.qualified)) problems.push({ where, message: 'has no @example: add one with a ```ts block (it is type-checked)' })
    }
    e.examples.forEach((ex, i) => {
      const blocks = codeBlocks(ex)
      if (blocks.length === 0) problems.push({ where, message: `@example ${i + 1} has no \`\`\`ts code block: "${textOf(ex).trim().slice(0, 60)}"` })
      blocks.forEach((code, j) => snippets.push({ id: `${e.anchor === e.name ? e.qualified : `${e.namespace}.${e.anchor}`}.${i + 1}.${j + 1}`, where: `${e.qualified} @example ${i + 1}`, code: exampleProgram(code, importLine) }))
    })
  }
  for (const name of allowed) {
    if (documented.has(name)) problems.push({ where: 'scripts/api/missing-examples.txt', message: `${name} has an @example now: delete its line` })
    else if (!names.has(name)) problems.push({ where: 'scripts/api/missing-examples.txt', message: `${name} is not exported any more: delete its line` })
  }
  return { problems, snippets, withExample: documented.size }
}
