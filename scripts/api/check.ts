/**
 * The reference's rules, checked on the doc model: every export has a description, a `@category` and an
 * `@example` holding a ```ts block, and every example type-checks against the sources. An example
 * may leave out its import line: it then gets `import { <every top-level export> } from 'purenet'`.
 * There is no list of exceptions: a new export without an example fails the build.
 */
import { ApiItemKind } from '@microsoft/api-extractor-model'
import { codeBlocks, textOf, type ApiExport, type Problem } from './model.js'
import type { Snippet } from './typecheck.js'

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

/** Missing descriptions and examples, and examples without a code block. */
export const checkDocs = (exports: ReadonlyArray<ApiExport>): { readonly problems: ReadonlyArray<Problem>; readonly snippets: ReadonlyArray<Snippet>; readonly withExample: number } => {
  const problems: Problem[] = []
  const snippets: Snippet[] = []
  const importLine = preamble(exports)
  const documented = new Set<string>()
  // An overloaded function is one export: one of its signatures may carry the description and examples.
  const described = new Set(exports.filter((e) => e.summary !== undefined).map((e) => e.qualified))
  const categorised = new Set(exports.filter((e) => e.category !== 'uncategorised').map((e) => e.qualified))
  for (const e of exports) if (e.examples.length > 0) documented.add(e.qualified)
  const reported = new Set<string>()
  for (const e of exports) {
    const where = `${e.qualified} (${e.sourceFile ?? 'dist'})`
    if (!reported.has(e.qualified)) {
      reported.add(e.qualified)
      if (!described.has(e.qualified)) problems.push({ where, message: 'has no description: write a one-sentence TSDoc summary' })
      if (!categorised.has(e.qualified)) problems.push({ where, message: 'has no @category: add one (the pages group exports by it)' })
      if (!documented.has(e.qualified)) problems.push({ where, message: 'has no @example: add one with a ```ts block (it is type-checked)' })
    }
    e.examples.forEach((ex, i) => {
      const blocks = codeBlocks(ex)
      if (blocks.length === 0) problems.push({ where, message: `@example ${i + 1} has no \`\`\`ts code block: "${textOf(ex).trim().slice(0, 60)}"` })
      blocks.forEach((code, j) => snippets.push({ id: `${e.anchor === e.name ? e.qualified : `${e.namespace}.${e.anchor}`}.${i + 1}.${j + 1}`, where: `${e.qualified} @example ${i + 1}`, code: exampleProgram(code, importLine) }))
    })
  }
  return { problems, snippets, withExample: documented.size }
}
