/**
 * The API reference's model: api-extractor reads the compiled declarations (dist/index.d.ts, from
 * `npm run build`) with its own TypeScript and writes the doc model (.api.json); this module runs
 * it and turns the model into one flat list of exports, each with its namespace, category,
 * signature and the TSDoc parts the pages show and the checks need.
 *
 * Every message api-extractor reports (an undefined tag, an unescaped `>`, a broken `{@link}`, a
 * forgotten export) is returned as a problem: a clean run has none. The one exception is a helper
 * type listed with its reason in scripts/api/internalTypes.ts; a listed type that is no longer
 * reported is a problem too.
 */
import { Extractor, ExtractorConfig, ExtractorLogLevel, type IConfigFile } from '@microsoft/api-extractor'
import { ApiDeclaredItem, ApiDocumentedItem, ApiItemKind, ApiModel, type ApiItem, type ApiPackage } from '@microsoft/api-extractor-model'
import { TSDocConfigFile } from '@microsoft/tsdoc-config'
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { forgottenSymbol, internalTypes } from './internalTypes.js'

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
/** Where the doc model and the examples' scratch files go (covered by .gitignore's /build/). */
export const buildDir = join(root, 'build')

/** A TSDoc node, read by its kind (the `@microsoft/tsdoc` node classes, without importing them). */
export interface DocNodeLike {
  readonly kind: string
  getChildNodes(): ReadonlyArray<DocNodeLike | undefined>
}

/** One public export: a function, value, class, interface or type alias, top-level or in a namespace. */
export interface ApiExport {
  /** '' for the top level, else the namespace path ('nn', 'optim.schedules'). */
  readonly namespace: string
  readonly name: string
  /** The name a user writes: 'ops.add', 'grad'. */
  readonly qualified: string
  /** The anchor on its namespace page (overloads get their own: 'tensor', 'tensor-2'). */
  readonly anchor: string
  readonly kind: ApiItemKind
  readonly category: string
  readonly signature: string
  readonly item: ApiItem
  readonly summary: DocNodeLike | undefined
  readonly remarks: DocNodeLike | undefined
  readonly params: ReadonlyArray<{ readonly name: string; readonly content: DocNodeLike }>
  readonly returns: DocNodeLike | undefined
  readonly throws: ReadonlyArray<DocNodeLike>
  readonly examples: ReadonlyArray<DocNodeLike>
  readonly sourceFile: string | undefined
}

export interface Problem {
  readonly where: string
  readonly message: string
}

/** Plain text of a TSDoc node (code spans and fenced code included). */
export const textOf = (node: DocNodeLike | undefined): string => {
  if (node === undefined) return ''
  const n = node as DocNodeLike & { text?: string; decodedText?: string; code?: string; encodedText?: string; linkText?: string; codeDestination?: { emitAsTsdoc(): string } }
  switch (node.kind) {
    case 'PlainText': return n.text ?? ''
    case 'EscapedText': return n.decodedText ?? ''
    case 'CodeSpan': return n.code ?? ''
    case 'FencedCode': return n.code ?? ''
    case 'SoftBreak': return ' '
    case 'LinkTag': return n.linkText ?? n.codeDestination?.emitAsTsdoc() ?? ''
    default: return node.getChildNodes().map((c) => textOf(c)).join('')
  }
}

/** The ```ts code blocks of an `@example` block. */
export const codeBlocks = (example: DocNodeLike): ReadonlyArray<string> => {
  const out: string[] = []
  const walk = (n: DocNodeLike | undefined): void => {
    if (n === undefined) return
    if (n.kind === 'FencedCode') out.push((n as DocNodeLike & { code: string }).code)
    n.getChildNodes().forEach(walk)
  }
  walk(example)
  return out
}

/** Every `{@link}` of a node. */
export const linksOf = (node: DocNodeLike | undefined): ReadonlyArray<DocNodeLike> => {
  const out: DocNodeLike[] = []
  const walk = (n: DocNodeLike | undefined): void => {
    if (n === undefined) return
    if (n.kind === 'LinkTag') out.push(n)
    n.getChildNodes().forEach(walk)
  }
  walk(node)
  return out
}

/**
 * Runs api-extractor on dist/index.d.ts (build it first) and returns the doc model file and every
 * message it reported.
 */
export const extract = (): { readonly apiJson: string; readonly problems: ReadonlyArray<Problem> } => {
  const apiJson = join(buildDir, 'api-model', 'purenet.api.json')
  mkdirSync(dirname(apiJson), { recursive: true })
  const configObject: IConfigFile = {
    projectFolder: root,
    mainEntryPointFilePath: join(root, 'dist', 'index.d.ts'),
    compiler: {
      overrideTsconfig: {
        compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022'], types: ['node'], skipLibCheck: true, strict: true },
        include: ['dist/index.d.ts'],
      },
    },
    apiReport: { enabled: false, reportFileName: 'purenet.api.md' },
    docModel: { enabled: true, apiJsonFilePath: apiJson },
    dtsRollup: { enabled: false },
    tsdocMetadata: { enabled: false },
    messages: {
      compilerMessageReporting: { default: { logLevel: ExtractorLogLevel.Warning } },
      extractorMessageReporting: {
        default: { logLevel: ExtractorLogLevel.Warning },
        // Everything a user can import is public: purenet has no alpha/beta/internal release tags.
        'ae-missing-release-tag': { logLevel: ExtractorLogLevel.None },
        // A type that public signatures mention must be exported, or listed in internalTypes.ts with its reason.
        'ae-forgotten-export': { logLevel: ExtractorLogLevel.Warning },
      },
      tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.Warning } },
    },
  }
  const config = ExtractorConfig.prepare({
    configObject,
    configObjectFullPath: join(root, 'api-extractor.json'),
    packageJsonFullPath: join(root, 'package.json'),
    tsdocConfigFile: TSDocConfigFile.loadFile(join(root, 'scripts', 'api', 'tsdoc.json')),
  })
  const problems: Problem[] = []
  const internal = new Set<string>()
  Extractor.invoke(config, {
    localBuild: true,
    messageCallback: (m) => {
      const symbol = m.messageId === 'ae-forgotten-export' ? forgottenSymbol(m.text) : undefined
      if (symbol !== undefined && Object.hasOwn(internalTypes, symbol)) internal.add(symbol)
      else if (m.logLevel === ExtractorLogLevel.Warning || m.logLevel === ExtractorLogLevel.Error) {
        const where = m.sourceFilePath === undefined ? '(api-extractor)' : `${m.sourceFilePath.replace(root + '/', '')}:${m.sourceFileLine ?? 0}`
        problems.push({ where, message: `${m.messageId}: ${m.text}` })
      }
      m.handled = true
    },
  })
  for (const name of Object.keys(internalTypes)) {
    if (!internal.has(name)) problems.push({ where: 'scripts/api/internalTypes.ts', message: `${name} is listed as an internal helper type, but no public signature mentions it any more: delete its line` })
  }
  return { apiJson, problems }
}

const documentedKinds = new Set<ApiItemKind>([ApiItemKind.Function, ApiItemKind.Variable, ApiItemKind.Class, ApiItemKind.Interface, ApiItemKind.TypeAlias, ApiItemKind.Enum])

/** Loads the doc model and lists every export, namespaces walked recursively. */
export const load = (apiJson: string): { readonly model: ApiModel; readonly pkg: ApiPackage; readonly exports: ReadonlyArray<ApiExport> } => {
  const model = new ApiModel()
  const pkg = model.loadPackage(apiJson)
  const exports: ApiExport[] = []
  const seen = new Map<string, number>()
  const walk = (items: ReadonlyArray<ApiItem>, ns: string): void => {
    for (const item of items) {
      if (item.kind === ApiItemKind.Namespace) {
        walk(item.members, ns === '' ? item.displayName : `${ns}.${item.displayName}`)
        continue
      }
      if (!documentedKinds.has(item.kind)) continue
      const qualified = ns === '' ? item.displayName : `${ns}.${item.displayName}`
      const count = (seen.get(qualified) ?? 0) + 1
      seen.set(qualified, count)
      const comment = item instanceof ApiDocumentedItem ? item.tsdocComment : undefined
      const blocks = (comment?.customBlocks ?? []) as ReadonlyArray<DocNodeLike & { blockTag: { tagNameWithUpperCase: string }; content: DocNodeLike }>
      const block = (tag: string) => blocks.filter((b) => b.blockTag.tagNameWithUpperCase === tag).map((b) => b.content)
      const summary = comment?.summarySection as DocNodeLike | undefined
      exports.push({
        namespace: ns,
        name: item.displayName,
        qualified,
        anchor: count === 1 ? item.displayName : `${item.displayName}-${count}`,
        kind: item.kind,
        category: textOf(block('@CATEGORY')[0]).trim() || 'uncategorised',
        signature: item instanceof ApiDeclaredItem ? item.excerpt.text.trim() : '',
        item,
        summary: summary !== undefined && textOf(summary).trim() !== '' ? summary : undefined,
        remarks: (comment?.remarksBlock?.content as DocNodeLike | undefined),
        params: (comment?.params.blocks ?? []).map((p) => ({ name: p.parameterName, content: p.content as DocNodeLike })),
        returns: comment?.returnsBlock?.content as DocNodeLike | undefined,
        throws: block('@THROWS'),
        examples: block('@EXAMPLE'),
        sourceFile: item instanceof ApiDeclaredItem ? item.fileUrlPath : undefined,
      })
    }
  }
  const entry = pkg.entryPoints[0]
  if (entry === undefined) throw new Error('api: the doc model has no entry point; was dist/index.d.ts built?')
  walk(entry.members, '')
  return { model, pkg, exports }
}
