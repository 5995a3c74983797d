/**
 * JSON text from outside, read defensively, and JSON text written for people to read. Reading
 * never evaluates anything (it is `JSON.parse`, no reviver), and then walks the whole value once,
 * refusing the keys `__proto__`, `constructor` and `prototype` anywhere (code that later copies
 * the value with `Object.assign` or a spread must not be able to reach a prototype) and nesting
 * deeper than a bound. Writing puts short arrays and small records on one line, so a model file's
 * architecture and shapes read at a glance.
 */

/** A JSON value. @category model */
export type Json = null | boolean | number | string | ReadonlyArray<Json> | JsonObject

/** A JSON object. @category model */
export type JsonObject = { readonly [key: string]: Json }

/** The keys refused anywhere in a document. @category codecs */
export const forbiddenKeys: ReadonlyArray<string> = Object.freeze(['__proto__', 'constructor', 'prototype'])

/** The deepest nesting of arrays and objects a document may have. @category codecs */
export const maxJsonDepth = 100

/** A path in a document: `key` appended as `.key`, or `["odd key"]` when it is not an identifier. @category codecs */
export const pathKey = (path: string, key: string): string =>
  /^[A-Za-z_$][\w$]*$/.test(key) ? (path === '' ? key : `${path}.${key}`) : `${path}[${JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}...` : key)}]`

/** A path in a document with an array index appended. @category codecs */
export const pathIndex = (path: string, i: number): string => `${path}[${i}]`

/** A problem found in a document: where and what. @category model */
export interface JsonProblem {
  readonly path: string
  readonly detail: string
}

/**
 * Parses JSON text, then checks it for forbidden keys and excessive nesting. Returns the value or
 * the problem; never throws. A UTF-8 byte-order mark at the start is skipped.
 * @category codecs
 */
export const parseJson = (text: string): { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly problem: JsonProblem } => {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  if (body.trim() === '') return { ok: false, problem: { path: '', detail: 'the text is empty; expected a purenet model file (JSON with "format": "purenet-model")' } }
  let value: unknown
  try {
    value = JSON.parse(body)
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e)
    return { ok: false, problem: { path: '', detail: `not valid JSON (${reason.length > 120 ? `${reason.slice(0, 117)}...` : reason}); the file may be truncated or not a model file` } }
  }
  const problem = checkJson(value)
  return problem === undefined ? { ok: true, value } : { ok: false, problem }
}

/**
 * The first forbidden key or too-deep nesting in a parsed JSON value, or `undefined`. Iterative,
 * so a hostile document cannot exhaust the stack.
 * @category codecs
 */
export const checkJson = (value: unknown): JsonProblem | undefined => {
  const stack: Array<readonly [unknown, string, number]> = [[value, '', 0]]
  while (stack.length > 0) {
    const [u, path, depth] = stack.pop()!
    if (typeof u !== 'object' || u === null) continue
    if (depth >= maxJsonDepth) return { path, detail: `nested more than ${maxJsonDepth} deep; a model file is never that deep` }
    if (Array.isArray(u)) {
      for (let i = u.length - 1; i >= 0; i--) {
        const v: unknown = u[i]
        if (typeof v === 'object' && v !== null) stack.push([v, pathIndex(path, i), depth + 1])
      }
      continue
    }
    for (const key of Object.keys(u)) {
      if (forbiddenKeys.includes(key)) {
        return { path: pathKey(path, key), detail: `the key "${key}" is not allowed anywhere in a model file (it could reach an object's prototype); remove it` }
      }
    }
    const entries = Object.entries(u)
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, v] = entries[i]!
      if (typeof v === 'object' && v !== null) stack.push([v, pathKey(path, key), depth + 1])
    }
  }
  return undefined
}

const isFlat = (u: Json): boolean =>
  typeof u !== 'object' || u === null || (Array.isArray(u) ? u.every((v) => typeof v !== 'object' || v === null) : Object.keys(u).length === 0)

/**
 * JSON text with two-space indentation, except that arrays of numbers, strings and the like and
 * records of such values that fit in 100 characters stay on one line.
 * @category codecs
 */
export const printJson = (value: Json, indent = ''): string => {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value)
  if (Array.isArray(value)) {
    const items: ReadonlyArray<Json> = value
    if (items.length === 0) return '[]'
    if (items.every(isFlat)) return `[${items.map((v) => printJson(v)).join(', ')}]`
    const inner = `${indent}  `
    return `[\n${items.map((v) => `${inner}${printJson(v, inner)}`).join(',\n')}\n${indent}]`
  }
  const entries = Object.entries(value as JsonObject)
  if (entries.length === 0) return '{}'
  const oneLine = `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${printJson(v)}`).join(', ')} }`
  if (entries.every(([, v]) => isFlat(v) && (typeof v !== 'string' || v.length <= 60)) && oneLine.length <= 100) return oneLine
  const inner = `${indent}  `
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${printJson(v, inner)}`).join(',\n')}\n${indent}}`
}
