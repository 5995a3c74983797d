/**
 * The import layering of src/, as DESIGN.md's layer table states it: a file in folder A imports
 * (values or types) from folder B only when B is in `allowed[A]`, and no two files import each
 * other, directly or around a longer loop. The known violations that a later point of issue 11
 * removes are listed in `pending`, each with the point that removes it; an entry that no longer
 * occurs fails too, so the list only shrinks.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const src = dirname(fileURLToPath(import.meta.url))

/** DESIGN.md's layer table: the folders each folder may import from (besides itself). */
const allowed: Readonly<Record<string, ReadonlyArray<string> | 'anything'>> = {
  tensor: [],
  kernels: ['tensor'],
  tree: ['tensor'],
  random: ['tensor'],
  autodiff: ['tensor', 'kernels', 'tree'],
  ops: ['autodiff', 'tensor', 'tree'],
  nn: ['ops', 'random', 'tree', 'tensor', 'autodiff'],
  losses: ['ops', 'tensor', 'autodiff'],
  // stage: `applyGradients` runs a rule's whole step as a jit program (optim/CompiledRule.ts)
  optim: ['tree', 'ops', 'tensor', 'autodiff', 'stage'],
  data: ['tensor', 'tree', 'random'],
  io: ['tensor', 'tree'],
  check: ['autodiff', 'random', 'tensor', 'tree', 'ops', 'nn'],
  train: ['tensor', 'tree', 'autodiff', 'ops', 'random', 'nn', 'losses', 'optim', 'data', 'io', 'stage', 'parallel'],
  landscape: ['train', 'nn', 'tree', 'tensor', 'random', 'ops', 'autodiff', 'losses', 'data'],
  plot: ['train', 'nn', 'tree', 'tensor', 'random', 'ops', 'autodiff', 'landscape', 'stage'],
  stage: ['autodiff', 'kernels', 'tree', 'tensor'],
  rl: ['nn', 'optim', 'losses', 'ops', 'autodiff', 'random', 'tree', 'tensor', 'train'],
  onnx: ['nn', 'stage', 'tensor', 'tree', 'ops', 'autodiff'],
  parallel: ['stage', 'autodiff', 'tensor', 'tree'],
  cli: 'anything',
  'index.ts': 'anything',
  'browser.ts': 'anything',
}

/**
 * Known violations, each removed by a point of issue 11 (`issues show 11`): an import as
 * `from -> to` (paths relative to src/), a cycle as its files joined by ` <-> ` in sorted order.
 */
const pending: ReadonlyArray<{ readonly violation: string; readonly point: string }> = [
]

const isSource = (name: string): boolean => name.endsWith('.ts') && !/\.test(-d)?\.ts$|\.fixture\.ts$/.test(name)

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name)
    if (e.isDirectory()) return e.name === 'fixtures' ? [] : sourceFiles(p)
    return isSource(e.name) ? [p] : []
  })

// `import ... from './x.js'`, `import type ...`, `export ... from`, `export * from`, `import './x.js'`
const importPattern = /^\s*(?:import|export)\s+(?:[^'";]*?\sfrom\s+)?'(\.{1,2}\/[^']+)'/gm

/** The relative imports of every non-test file in src/, as paths relative to src/. */
const imports = (): ReadonlyMap<string, ReadonlyArray<string>> => {
  const graph = new Map<string, string[]>()
  for (const file of sourceFiles(src)) {
    const text = readFileSync(file, 'utf8')
    const targets = [...text.matchAll(importPattern)].map((m) => relative(src, resolve(dirname(file), m[1]!)).replace(/\.js$/, '.ts'))
    graph.set(relative(src, file), [...new Set(targets)])
  }
  return graph
}

const layerOf = (file: string): string => {
  const [first] = file.split('/')
  return first!
}

/** Imports that the table does not allow, as `from -> to`. */
const forbidden = (graph: ReadonlyMap<string, ReadonlyArray<string>>): string[] => {
  const out: string[] = []
  for (const [from, targets] of graph) {
    const a = layerOf(from)
    // A file directly in src/ is an entry (index.ts, browser.ts, ioNamespace.ts, ...): it assembles
    // public namespaces from any folder, as /work/notes/issue11.md's update says.
    const ok = from.includes('/') ? allowed[a] : 'anything'
    if (ok === 'anything') continue
    for (const to of targets) {
      const b = layerOf(to)
      if (a !== b && (ok === undefined || !ok.includes(b))) out.push(`${from} -> ${to}`)
    }
  }
  return out
}

/** The import cycles (strongly connected components of more than one file), Tarjan's algorithm. */
const cycles = (graph: ReadonlyMap<string, ReadonlyArray<string>>): string[] => {
  let next = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const out: string[] = []
  const visit = (v: string): void => {
    index.set(v, next)
    low.set(v, next)
    next++
    stack.push(v)
    onStack.add(v)
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue
      if (!index.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!))
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = []
      let w: string
      do {
        w = stack.pop()!
        onStack.delete(w)
        component.push(w)
      } while (w !== v)
      if (component.length > 1) out.push(component.sort().join(' <-> '))
    }
  }
  for (const v of graph.keys()) if (!index.has(v)) visit(v)
  // a file that imports itself is a cycle too
  for (const [v, targets] of graph) if (targets.includes(v)) out.push(`${v} <-> ${v}`)
  return out
}

describe('import layering (DESIGN.md layer table)', () => {
  const graph = imports()
  const known = new Set(pending.map((p) => p.violation))

  it('finds the source files and their imports', () => {
    // guards the parser: a regex that matched nothing would make every check below pass vacuously
    expect(graph.size).toBeGreaterThan(100)
    expect(graph.get('index.ts')).toContain('browser.ts')
    expect(graph.get('autodiff/index.ts')).toContain('autodiff/transforms.ts')
  })

  it('every folder of src/ is in the layer table', () => {
    const layers = new Set([...graph.keys()].filter((f) => f.includes('/')).map(layerOf))
    for (const l of layers) expect(allowed[l], `add the folder '${l}' to the layer table in DESIGN.md and in src/architecture.test.ts`).toBeDefined()
  })

  it('no import points up the layer table (except the pending ones)', () => {
    const unexpected = forbidden(graph).filter((v) => !known.has(v))
    expect(unexpected, 'these imports point up or across the layer table of DESIGN.md: move the code down, or depend on an abstraction from the lower layer').toEqual([])
  })

  it('no two files import each other, directly or around a loop (except the pending ones)', () => {
    const unexpected = cycles(graph).filter((c) => !known.has(c))
    expect(unexpected, 'import cycles between files: move the shared part into a file both import').toEqual([])
  })

  it('every pending entry still occurs (the list only shrinks)', () => {
    const occurring = new Set([...forbidden(graph), ...cycles(graph)])
    const gone = pending.filter((p) => !occurring.has(p.violation)).map((p) => p.violation)
    expect(gone, 'these violations are fixed: remove them from `pending` in src/architecture.test.ts').toEqual([])
  })

  it('the checks catch an upward import and a cycle', () => {
    const bad = new Map<string, ReadonlyArray<string>>([
      ['tree/a.ts', ['autodiff/b.ts']],
      ['autodiff/b.ts', ['autodiff/c.ts']],
      ['autodiff/c.ts', ['autodiff/b.ts']],
    ])
    expect(forbidden(bad)).toEqual(['tree/a.ts -> autodiff/b.ts'])
    expect(cycles(bad)).toEqual(['autodiff/b.ts <-> autodiff/c.ts'])
  })
})
