/**
 * The reference's pages: index.html lists the namespaces; each namespace has one page with its
 * exports grouped by `@category`, each with its signature, description, remarks (laws), parameters,
 * errors and examples. `{@link}`s become links to the export's anchor; one that does not resolve is
 * returned as a problem.
 */
import { ApiItemKind, type ApiItem, type ApiModel } from '@microsoft/api-extractor-model'
import type { ApiExport, DocNodeLike, Problem } from './model.js'

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** The page of a namespace ('' is the top level). */
export const pageOf = (namespace: string): string => `${namespace === '' ? 'purenet' : namespace}.html`

const style = `body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
code,pre{font:13px/1.4 ui-monospace,Menlo,monospace}pre{background:#f5f5f7;padding:.6rem .8rem;overflow-x:auto;border-radius:4px}
h2{border-bottom:1px solid #ddd;margin-top:2.5rem}h3{margin:1.8rem 0 .3rem}h3 small{color:#888;font-weight:normal}
.kind{color:#888;font-size:12px;text-transform:uppercase;letter-spacing:.05em}nav a{margin-right:.8rem}a{color:#0b57d0}
dt{font-family:ui-monospace,monospace}dd{margin:0 0 .4rem 1.5rem}`

const page = (title: string, nav: string, body: string): string =>
  `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title><style>${style}</style></head>\n<body><nav>${nav}</nav>\n${body}\n</body></html>\n`

export interface Rendered {
  readonly files: ReadonlyArray<{ readonly path: string; readonly html: string }>
  readonly problems: ReadonlyArray<Problem>
}

/** Renders every page of the reference. */
export const render = (model: ApiModel, exports: ReadonlyArray<ApiExport>, importLine: string): Rendered => {
  const problems: Problem[] = []
  const byItem = new Map<ApiItem, ApiExport>()
  for (const e of exports) byItem.set(e.item, e)
  const namespaces = [...new Set(exports.map((e) => e.namespace))].sort()
  const nsOfItem = (item: ApiItem): string | undefined => {
    const names: string[] = []
    for (let p: ApiItem | undefined = item; p !== undefined && p.kind !== ApiItemKind.EntryPoint; p = p.parent) if (p.kind === ApiItemKind.Namespace) names.unshift(p.displayName)
    return names.join('.')
  }
  const hrefOf = (item: ApiItem): string | undefined => {
    if (item.kind === ApiItemKind.Namespace) return pageOf(nsOfItem(item) ?? '')
    for (let p: ApiItem | undefined = item; p !== undefined; p = p.parent) {
      const e = byItem.get(p)
      if (e !== undefined) return `${pageOf(e.namespace)}#${e.anchor}`
    }
    return undefined
  }

  const html = (node: DocNodeLike | undefined, context: ApiExport): string => {
    if (node === undefined) return ''
    const n = node as DocNodeLike & { text?: string; decodedText?: string; code?: string; language?: string; linkText?: string; urlDestination?: string; codeDestination?: { emitAsTsdoc(): string } & object; emitAsHtml?: () => string }
    const children = (): string => node.getChildNodes().map((c) => html(c, context)).join('')
    switch (node.kind) {
      case 'PlainText': return escape(n.text ?? '')
      case 'EscapedText': return escape(n.decodedText ?? '')
      case 'SoftBreak': return '\n'
      case 'CodeSpan': return `<code>${escape(n.code ?? '')}</code>`
      case 'FencedCode': return `<pre><code>${escape(n.code ?? '')}</code></pre>`
      case 'Paragraph': return `<p>${children().trim()}</p>\n`
      case 'HtmlStartTag': case 'HtmlEndTag': return escape(n.emitAsHtml?.() ?? '')
      case 'LinkTag': {
        if (n.urlDestination !== undefined) return `<a href="${escape(n.urlDestination)}">${escape(n.linkText ?? n.urlDestination)}</a>`
        if (n.codeDestination === undefined) return ''
        const text = n.linkText ?? n.codeDestination.emitAsTsdoc().replace(/^purenet!/, '')
        const resolved = model.resolveDeclarationReference(n.codeDestination as never, context.item)
        const href = resolved.resolvedApiItem === undefined ? undefined : hrefOf(resolved.resolvedApiItem)
        if (href === undefined) {
          problems.push({ where: context.qualified, message: `broken {@link ${n.codeDestination.emitAsTsdoc()}}: ${resolved.errorMessage ?? 'not a documented export'}` })
          return `<code>${escape(text)}</code>`
        }
        return `<a href="${href}"><code>${escape(text)}</code></a>`
      }
      default: return children()
    }
  }

  const exportHtml = (e: ApiExport): string => {
    const parts = [`<h3 id="${escape(e.anchor)}">${escape(e.qualified)} <small class="kind">${escape(e.kind)}</small></h3>`]
    if (e.signature !== '') parts.push(`<pre><code>${escape(e.signature)}</code></pre>`)
    parts.push(html(e.summary, e))
    if (e.params.length > 0) parts.push(`<dl>${e.params.map((p) => `<dt>${escape(p.name)}</dt><dd>${html(p.content, e)}</dd>`).join('')}</dl>`)
    if (e.returns !== undefined) parts.push(`<p><b>Returns</b></p>${html(e.returns, e)}`)
    if (e.remarks !== undefined) parts.push(`<p><b>Remarks and laws</b></p>${html(e.remarks, e)}`)
    for (const t of e.throws) parts.push(`<p><b>Errors</b></p>${html(t, e)}`)
    e.examples.forEach((x, i) => parts.push(`<p><b>Example${e.examples.length > 1 ? ` ${i + 1}` : ''}</b></p>${html(x, e)}`))
    if (e.sourceFile !== undefined) parts.push(`<p class="kind">declared in ${escape(e.sourceFile.replace(/^dist\//, 'src/').replace(/\.d\.ts$/, '.ts'))}</p>`)
    return parts.join('\n')
  }

  const nav = `<a href="index.html">purenet API</a>` + namespaces.map((ns) => `<a href="${pageOf(ns)}">${escape(ns === '' ? 'top level' : ns)}</a>`).join('')
  const files: Array<{ path: string; html: string }> = []
  for (const ns of namespaces) {
    const mine = exports.filter((e) => e.namespace === ns)
    const categories = [...new Set(mine.map((e) => e.category))].sort()
    const toc = categories.map((c) => `<li>${escape(c)}: ${mine.filter((e) => e.category === c).map((e) => `<a href="#${escape(e.anchor)}">${escape(e.anchor)}</a>`).join(', ')}</li>`).join('\n')
    const body = categories.map((c) => `<h2 id="category-${escape(c)}">${escape(c)}</h2>\n${mine.filter((e) => e.category === c).map(exportHtml).join('\n')}`).join('\n')
    const title = ns === '' ? 'purenet (top level)' : `purenet: ${ns}`
    files.push({ path: pageOf(ns), html: page(title, nav, `<h1>${escape(title)}</h1>\n<ul>${toc}</ul>\n${body}`) })
  }
  const rows = namespaces.map((ns) => {
    const mine = exports.filter((e) => e.namespace === ns)
    const cats = [...new Set(mine.map((e) => e.category))].sort()
    return `<tr><td><a href="${pageOf(ns)}">${escape(ns === '' ? 'top level' : ns)}</a></td><td>${mine.length}</td><td>${cats.map((c) => `<a href="${pageOf(ns)}#category-${escape(c)}">${escape(c)}</a>`).join(', ')}</td></tr>`
  }).join('\n')
  files.push({
    path: 'index.html',
    html: page('purenet API reference', nav, `<h1>purenet API reference</h1>
<p>Generated from the TSDoc of the sources by <code>npm run docs:api</code>. Examples are type-checked; an example without an import line is written against</p>
<pre><code>${escape(importLine)}</code></pre>
<table><tr><th>namespace</th><th>exports</th><th>categories</th></tr>\n${rows}</table>`),
  })
  return { files, problems }
}
