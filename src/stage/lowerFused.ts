/**
 * Fusion of element-wise primitives: how each one computes one element, and the code generator
 * that turns a group of them (a tree of single-use element-wise equations, see `lower.ts`) into
 * one loop over typed-array views of a compiled program's memory.
 *
 * Contract:
 * 1. `elementRules` is keyed by the primitive records themselves (never by name). A rule gives
 *    the float64 expression of the output element from the names of its argument elements, with
 *    exactly the arithmetic of the primitive's eager kernel (`src/kernels`).
 * 2. The generated loop rounds every float32 primitive's result to float32 (`Math.fround`), where
 *    the eager kernel stores it in a Float32Array, and nothing else: so a fused chain gives the
 *    eager values bit for bit (tested for every primitive in properties/jit.test.ts).
 * 3. An operand is read through one of four access patterns against the loop's shape: the whole
 *    array (same size), one element (a scalar), a repeated row (its shape is a suffix of the
 *    loop's shape: a bias) or a repeated column (its shape is a prefix padded with ones). Any
 *    other broadcast is not fusable here; `lower.ts` materialises it first.
 */
import { primitives as P } from '../autodiff/primitives/table.js'
import { scalar32 } from '../kernels/fastMath.js'
import { type DType, type Shape, sizeOf } from '../tensor/index.js'

/** What a rule knows besides its arguments: the static parameters, the output's dtype and size. @category internals */
export interface RuleContext {
  readonly params: unknown
  readonly dtype: DType
  readonly size: number
}

/** The expression of one output element from the names of the argument elements. @category internals */
export type ElementRule = (args: ReadonlyArray<string>, ctx: RuleContext) => string

const binary = (op: string): ElementRule => ([a, b]) => `(${a} ${op} ${b})`
const call1 = (f: string): ElementRule => ([x]) => `${f}(${x})`
// float32 through the fast loops of kernels/fastMath.ts, float64 through Math.*
const fast = (f32: string, f64: string): ElementRule => ([x], { dtype }) => `${dtype === 'float32' ? f32 : f64}(${x})`

// An exponent as a literal that reads back to the same double.
const literal = (v: number): string => (Object.is(v, -0) ? '-0' : Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : String(v))

const pow: ElementRule = ([x], { params }) => {
  const p = params as number
  if (p === 2) return `(${x} * ${x})`
  if (p === 1) return x!
  if (p === 0.5) return `Math.sqrt(${x})`
  if (p === -1) return `(1 / ${x})`
  return `Math.pow(${x}, ${literal(p)})`
}

/**
 * The element-wise primitives and their one-element expressions, keyed by the primitive value
 * (by identity; the key type is `unknown` because each primitive's parameter type differs).
 * `H` in an expression is the helper record `helpers` below.
 * @category internals
 */
export const elementRules: ReadonlyMap<unknown, ElementRule> = new Map<unknown, ElementRule>([
  [P.add, binary('+')],
  [P.sub, binary('-')],
  [P.mul, binary('*')],
  [P.div, binary('/')],
  [P.maximum, ([a, b]) => `H.maxOf(${a}, ${b})`],
  [P.greater, ([a, b]) => `(${a} > ${b} ? 1 : 0)`],
  [P.equal, ([a, b]) => `(${a} === ${b} ? 1 : 0)`],
  [P.exp, fast('H.exp32', 'Math.exp')],
  // float32: the WebAssembly map's arithmetic, which the eager kernel runs at every size
  [P.tanh, fast('H.tanh32', 'Math.tanh')],
  [P.sigmoid, fast('H.sigmoid32', 'H.sigmoid64')],
  [P.log, call1('Math.log')],
  [P.sqrt, call1('Math.sqrt')],
  [P.abs, call1('Math.abs')],
  [P.atan, call1('Math.atan')],
  [P.sin, call1('Math.sin')],
  [P.cos, call1('Math.cos')],
  [P.square, ([x]) => `(${x} * ${x})`],
  [P.sign, ([x]) => `(${x} > 0 ? 1 : ${x} < 0 ? -1 : 0)`],
  [P.relu, ([x]) => `(${x} <= 0 ? 0 : ${x})`],
  [P.softplus, ([x]) => `((${x} > 0 ? ${x} : 0) + Math.log1p(Math.exp(-Math.abs(${x}))))`],
  [P.pow, pow],
  [P.cast, ([x]) => x!],
  [P.broadcastTo, ([x]) => x!],
  [P.where, ([c, a, b]) => `(${c} !== 0 ? ${a} : ${b})`],
  [P.tanhBackward, ([d, y]) => `(${d} * (1 - ${y} * ${y}))`],
  [P.sigmoidBackward, ([d, y]) => `(${d} * (${y} * (1 - ${y})))`],
  [P.reluBackward, ([d, x]) => `(${x} > 0 ? ${d} : ${x} <= 0 ? 0 : ${x})`],
])

/** The helpers a generated loop calls (`H.*`): the eager kernels' per-element arithmetic. @category internals */
export const helpers = Object.freeze({
  // maximum propagates a NaN from either side, as kernels/binaryLoops.ts
  maxOf: (x: number, y: number): number => (x >= y || x !== x ? x : y),
  exp32: scalar32.exp,
  tanh32: scalar32.tanh,
  sigmoid32: scalar32.sigmoid,
  sigmoid64: (v: number): number => {
    if (v >= 0) return 1 / (1 + Math.exp(-v))
    const e = Math.exp(v)
    return e / (1 + e)
  },
})

/** How a fused loop reads an operand. @category internals */
export type Access =
  | { readonly kind: 'full' }
  | { readonly kind: 'scalar' }
  /** o[i] reads x[i mod period]. */
  | { readonly kind: 'row'; readonly period: number }
  /** o[i] reads x[floor(i / repeat)]. */
  | { readonly kind: 'column'; readonly repeat: number }

/**
 * How an operand of shape `from` is read by a loop over `to` (which it broadcasts to), or
 * undefined when none of the fused patterns fits.
 * @category internals
 */
export const accessOf = (from: Shape, to: Shape): Access | undefined => {
  const n = sizeOf(to)
  const m = sizeOf(from)
  if (m === n) return { kind: 'full' }
  if (m === 1) return { kind: 'scalar' }
  // drop the leading ones of `from`, then align it with the end of `to`
  let lead = 0
  while (lead < from.length && from[lead] === 1) lead++
  const core = from.slice(lead)
  const offset = to.length - core.length
  if (core.every((d, i) => d === to[offset + i])) return { kind: 'row', period: m }
  // a prefix of `to` followed by ones: a column repeated along the trailing axes
  const padded = [...new Array<number>(to.length - from.length).fill(1), ...from]
  let k = padded.length
  while (k > 0 && padded[k - 1] === 1) k--
  if (padded.slice(0, k).every((d, i) => d === to[i]) && padded.slice(k).every((d) => d === 1)) {
    return { kind: 'column', repeat: n / m }
  }
  return undefined
}

/** One node of a fused group: a primitive applied to earlier nodes or to operands. @category internals */
export interface FusedNode {
  readonly rule: ElementRule
  readonly ctx: RuleContext
  /** Per argument: `{ node: k }` for an earlier node of the group, `{ operand: j }` for operand j. */
  readonly args: ReadonlyArray<{ readonly node: number } | { readonly operand: number; readonly access: Access } | { readonly literal: number }>
}

/** A fused group: its nodes in evaluation order (the last is the output), its operands' dtypes, its size. @category internals */
export interface FusedGroup {
  readonly nodes: ReadonlyArray<FusedNode>
  readonly operands: ReadonlyArray<DType>
  readonly out: DType
  readonly size: number
}

/** A loop built for views of the memory: call `make(out, operands)` again when the memory moved. @category internals */
export type LoopFactory = (out: Float32Array | Float64Array, operands: ReadonlyArray<Float32Array | Float64Array>) => () => void

/**
 * Generates the loop of a group: `o[i] = node_last(...)` for i < size, every node a `const` of
 * the loop body, float32 results rounded per node. The source depends only on the group's
 * structure, so equal groups share the compiled code through `cache`.
 * @category internals
 */
export const fusedLoop = (group: FusedGroup, cache: Map<string, LoopFactory>): LoopFactory => {
  const loads = new Map<string, string>() // `operand|access` -> local name
  const pre: string[] = []
  const counters: string[] = []
  const steps: string[] = []
  const load = (j: number, a: Access): string => {
    const key = `${j}|${a.kind}|${a.kind === 'row' ? a.period : a.kind === 'column' ? a.repeat : ''}`
    const have = loads.get(key)
    if (have !== undefined) return have
    const name = `a${loads.size}`
    loads.set(key, name)
    if (a.kind === 'scalar') pre.push(`const ${name} = x${j}[0];`)
    else if (a.kind === 'full') steps.push(`const ${name} = x${j}[i];`)
    else if (a.kind === 'row') {
      const c = `r${a.period}`
      if (!counters.includes(c)) counters.push(c)
      steps.push(`const ${name} = x${j}[${c}];`)
    } else {
      const c = `c${a.repeat}`
      if (!counters.includes(c)) counters.push(c)
      steps.push(`const ${name} = x${j}[${c}];`)
    }
    return name
  }
  group.nodes.forEach((node, k) => {
    const args = node.args.map((a) => ('node' in a ? `t${a.node}` : 'literal' in a ? literal(a.literal) : load(a.operand, a.access)))
    const e = node.rule(args, node.ctx)
    steps.push(`const t${k} = ${node.ctx.dtype === 'float32' ? `F(${e})` : e};`)
  })
  const advance = counters.map((c) =>
    c.startsWith('r') ? `if (++${c} === ${c.slice(1)}) ${c} = 0;` : `if (++q${c.slice(1)} === ${c.slice(1)}) { q${c.slice(1)} = 0; ${c}++; }`)
  const inits = counters.flatMap((c) => (c.startsWith('r') ? [`${c} = 0`] : [`${c} = 0`, `q${c.slice(1)} = 0`]))
  const body = [
    // the dtypes are part of the source, so that a compiled loop only ever sees one array type
    `// ${group.out} <- ${group.operands.join(' ')}`,
    'const F = Math.fround;',
    ...group.operands.map((_, j) => `const x${j} = X[${j}];`),
    'return function fused() {',
    ...pre,
    `for (let i = 0${inits.map((s) => `, ${s}`).join('')}; i < ${group.size}; i++) {`,
    ...steps,
    `o[i] = t${group.nodes.length - 1};`,
    ...advance,
    '}',
    '};',
  ].join('\n')
  const have = cache.get(body)
  if (have !== undefined) return have
  // Generated code is the point of a compiler: the loop's source is built above from the
  // primitives' rules only (no user text), and compiled once per distinct group.
  const factory = new Function('H', 'o', 'X', body) as (h: typeof helpers, o: Float32Array | Float64Array, x: ReadonlyArray<Float32Array | Float64Array>) => () => void
  const make: LoopFactory = (o, xs) => factory(helpers, o, xs)
  cache.set(body, make)
  return make
}
