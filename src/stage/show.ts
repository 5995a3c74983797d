/**
 * `show(program)` prints a program the way JAX prints a jaxpr: the constants and the inputs with
 * their types, one equation a line (`c:f32[64,128] = matmul[ta=false tb=false] a b`), and the
 * outputs. Variables are named a, b, c, ... in the order they are defined; array constants k0,
 * k1, ...; scalar constants are written inline as numbers. The text depends on the program only,
 * so it is stable: two traces of one function at the same shapes print the same.
 */
import type { Tensor } from '../tensor/index.js'
import { typeName, varName } from './names.js'
import type { Atom, Program } from './Program.js'

/** The shortest decimal that reads back as the same float32 (or float64) value: `0.1`, `2.0`. @category internals */
export const formatNumber = (x: number, dtype: Tensor['dtype']): string => {
  if (Number.isNaN(x)) return 'nan'
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf'
  if (Object.is(x, -0)) return '-0.0'
  let s = String(x)
  if (dtype === 'float32') {
    for (let p = 1; p <= 9; p++) {
      const t = x.toPrecision(p)
      if (Math.fround(Number(t)) === x) { s = String(Number(t)); break }
    }
  }
  return /^-?\d+$/.test(s) ? `${s}.0` : s
}

/** A parameter's value: `(0,1)` for an array, `{k=v}` for a record. @category internals */
export const formatValue = (v: unknown): string => {
  if (Array.isArray(v)) return `(${v.map(formatValue).join(',')}${v.length === 1 ? ',' : ''})`
  if (typeof v === 'object' && v !== null) return `{${Object.entries(v).map(([k, w]) => `${k}=${formatValue(w)}`).join(' ')}}`
  return String(v)
}

/** Static parameters as `[ta=false tb=false]` (a record) or `[(1,0)]` (any other value); nothing when undefined. @category internals */
export const formatParams = (params: unknown): string => {
  if (params === undefined) return ''
  if (typeof params === 'object' && params !== null && !Array.isArray(params)) {
    const entries = Object.entries(params)
    return entries.length === 0 ? '' : `[${entries.map(([k, v]) => `${k}=${formatValue(v)}`).join(' ')}]`
  }
  return `[${formatValue(params)}]`
}

const isLiteral = (t: Tensor): boolean => t.shape.length === 0

/**
 * The program as text, one equation a line, like a jaxpr:
 * ```
 * { lambda ; a:f32[3] b:f32[3]. let
 *     c:f32[3] = mul a b
 *     d:f32[] = sum[axes=(0,) keepDims=false] c
 *   in (d) }
 * ```
 * @example
 * ```ts
 * console.log(show(trace((x: Tensor) => ops.tanh(ops.mul(x, x)))(tensor([1, 2]))))
 * // { lambda ; a:f32[2]. let b:f32[2] = mul a a; c:f32[2] = tanh b in (c) }, one equation a line
 * ```
 * @category staging
 */
export const show = (program: Program): string => {
  const names = new Map<number, string>()
  let n = 0
  for (const v of program.inputs) names.set(v.id, varName(n++))
  for (const eq of program.equations) names.set(eq.out.id, varName(n++))
  const constNames = new Map<number, string>()
  const arrays = program.constants.filter((c) => !isLiteral(c.value))
  arrays.forEach((c, i) => constNames.set(c.id, `k${i}`))
  const atom = (a: Atom): string => {
    if (a.kind === 'var') return names.get(a.id) ?? `?${a.id}`
    if (isLiteral(a.value)) return formatNumber(a.value.data[0]!, a.value.dtype)
    return constNames.get(a.id) ?? `?k${a.id}`
  }
  const typed = (name: string, t: { readonly dtype: Tensor['dtype']; readonly shape: ReadonlyArray<number> }): string => `${name}:${typeName(t.dtype, t.shape)}`
  const consts = arrays.map((c) => typed(constNames.get(c.id)!, c.value)).join(' ')
  const inputs = program.inputs.map((v) => typed(names.get(v.id)!, v)).join(' ')
  const lines = program.equations.map((eq) =>
    `    ${typed(names.get(eq.out.id)!, eq.out)} = ${eq.prim.name}${formatParams(eq.params)}${eq.inputs.map((a) => ` ${atom(a)}`).join('')}`)
  return [
    `{ lambda ${consts === '' ? '' : `${consts} `}; ${inputs}. let`,
    ...lines,
    `  in (${program.outputs.map(atom).join(', ')}) }`,
  ].join('\n')
}
