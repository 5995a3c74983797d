/**
 * JSON text from outside, read defensively, and JSON text written for people to read. Reading
 * never evaluates anything (it is `JSON.parse`, no reviver), and then walks the whole value once,
 * refusing the keys `__proto__`, `constructor` and `prototype` anywhere (code that later copies
 * the value with `Object.assign` or a spread must not be able to reach a prototype) and nesting
 * deeper than a bound. Writing puts short arrays and small records on one line, so a model file's
 * architecture and shapes read at a glance.
 */
import { pathIndex, pathKey } from '../tensor/index.js'

// The paths of the library's decoding errors (tensor/DecodeError.ts), for the codecs of io.
export { pathIndex, pathKey }

/**
 * A JSON value. @category model
 * @example
 * ```ts
 * const extra: io.Json = { classes: ['cat', 'dog'], threshold: 0.5 }
 * ```
 */
export type Json = null | boolean | number | string | ReadonlyArray<Json> | JsonObject

/**
 * A JSON object. @category model
 * @example
 * ```ts
 * const extra: io.JsonObject = { classes: ['cat', 'dog'] }
 * const net = nn.dense(2, 2)
 * io.encodeModel({ net, params: net.init(random.key(0)), extra })
 * ```
 */
export type JsonObject = { readonly [key: string]: Json }

/** The keys refused anywhere in a document. @category codecs */
export const forbiddenKeys: ReadonlyArray<string> = Object.freeze(['__proto__', 'constructor', 'prototype'])

/** The deepest nesting of arrays and objects a document may have. @category codecs */
export const maxJsonDepth = 100


/** A problem found in a document: where and what. @category model */
export interface JsonProblem {
  readonly path: string
  readonly detail: string
}

/**
 * The default bound on the values (JSON nodes: every number, string, key, array and object) of a document, 2^22. @category codecs
 * @example
 * ```ts
 * io.decodeModel('{}', { maxNodes: io.defaultMaxNodes / 4 })
 * ```
 */
export const defaultMaxNodes = 2 ** 22

/** The longest object key a document may have, in characters. @category codecs */
export const maxKeyLength = 1024

/** Bounds on the structure of a JSON text, checked by `scanJson` before it is parsed. @category codecs */
export interface JsonBudget {
  /** The most values (numbers, strings, keys, literals, arrays, objects), default `defaultMaxNodes`. */
  readonly maxNodes?: number
}

/**
 * Checks the structure of JSON text without building anything: the number of values (every
 * number, string, object key, literal, array and object counts one) against `maxNodes`, the
 * nesting against `maxJsonDepth`, and the length of object keys against `maxKeyLength`. One
 * linear pass, constant memory. It does not check the syntax (`JSON.parse` does, after it), so a
 * text it passes makes `JSON.parse` build at most `maxNodes` values, none nested deeper than the
 * bound: the memory of parsing is bounded before it starts. Returns the problem, or `undefined`.
 * @category codecs
 */
export const scanJson = (text: string, budget: JsonBudget = {}): JsonProblem | undefined => {
  const maxNodes = budget.maxNodes === undefined || !(budget.maxNodes >= 0) ? defaultMaxNodes : budget.maxNodes
  const n = text.length
  let nodes = 0
  let depth = 0
  let i = 0
  const tooMany = (): JsonProblem => ({
    path: '',
    detail: `more than ${maxNodes} values (numbers, strings, keys, arrays and objects; the limit is options.maxNodes), at character ${i}; a model file has a few per tensor and one per number of its history; raise the limit if this one really is that big`,
  })
  while (i < n) {
    const c = text.charCodeAt(i)
    if (c === 34) {
      // a string: find its closing quote, skipping escaped ones
      let j = text.indexOf('"', i + 1)
      while (j > 0) {
        let backslashes = 0
        while (text.charCodeAt(j - 1 - backslashes) === 92) backslashes++
        if (backslashes % 2 === 0) break
        j = text.indexOf('"', j + 1)
      }
      if (j < 0) return undefined // unterminated: JSON.parse reports it
      // a key is a string followed by a colon
      let k = j + 1
      while (k < n && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 10 || text.charCodeAt(k) === 13 || text.charCodeAt(k) === 9)) k++
      if (text.charCodeAt(k) === 58 && j - i - 1 > maxKeyLength) {
        return { path: '', detail: `an object key of ${j - i - 1} characters at character ${i}, more than ${maxKeyLength}; a model file's keys are short names` }
      }
      if (++nodes > maxNodes) return tooMany()
      i = j + 1
    } else if (c === 91 || c === 123) {
      if (++nodes > maxNodes) return tooMany()
      if (++depth > maxJsonDepth) return { path: '', detail: `nested more than ${maxJsonDepth} deep at character ${i}; a model file is never that deep` }
      i++
    } else if (c === 93 || c === 125) {
      depth--
      i++
    } else if (c === 32 || c === 10 || c === 13 || c === 9 || c === 44 || c === 58) {
      i++
    } else {
      // a number or a literal: one value, up to the next delimiter
      if (++nodes > maxNodes) return tooMany()
      i++
      while (i < n) {
        const d = text.charCodeAt(i)
        if (d === 44 || d === 93 || d === 125 || d === 32 || d === 10 || d === 13 || d === 9 || d === 58 || d === 34 || d === 91 || d === 123) break
        i++
      }
    }
  }
  return undefined
}

/**
 * Parses JSON text, then checks it for forbidden keys and excessive nesting. Before parsing, the
 * text's structure is checked against the budget (`scanJson`), so no text can make the parser
 * build more than `maxNodes` values. Returns the value or the problem; never throws. A UTF-8
 * byte-order mark at the start is skipped.
 * @category codecs
 */
export const parseJson = (text: string, budget: JsonBudget = {}): { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly problem: JsonProblem } => {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  if (body.trim() === '') return { ok: false, problem: { path: '', detail: 'the text is empty; expected a purenet model file (JSON with "format": "purenet-model")' } }
  const structure = scanJson(body, budget)
  if (structure !== undefined) return { ok: false, problem: structure }
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
 * Visits every array and object of a parsed JSON value depth first, without recursion and
 * without building a path per value: the stack holds one frame per level (at most
 * `maxJsonDepth` + 1), and the path of a value is spelt out only when `visit` reports a problem.
 * `visit` gets each container with a function that gives its path; it returns a problem to stop.
 * @category codecs
 */
export const walkJson = (
  value: unknown,
  visit: (container: object, path: () => string, depth: number) => JsonProblem | undefined,
  root = '',
): JsonProblem | undefined => {
  type Frame = { readonly container: object; readonly keys: ReadonlyArray<string> | undefined; readonly length: number; next: number; readonly segment: string | number }
  if (typeof value !== 'object' || value === null) return undefined
  const frames: Frame[] = []
  const pathOf = (extra?: string | number): string => {
    let p = root
    for (let f = 1; f < frames.length; f++) {
      const s = frames[f]!.segment
      p = typeof s === 'number' ? pathIndex(p, s) : pathKey(p, s)
    }
    return extra === undefined ? p : typeof extra === 'number' ? pathIndex(p, extra) : pathKey(p, extra)
  }
  const enter = (container: object, segment: string | number): JsonProblem | undefined => {
    const keys = Array.isArray(container) ? undefined : Object.keys(container)
    frames.push({ container, keys, length: keys === undefined ? (container as ReadonlyArray<unknown>).length : keys.length, next: 0, segment })
    return visit(container, () => pathOf(), frames.length - 1)
  }
  const first = enter(value, '')
  if (first !== undefined) return first
  while (frames.length > 0) {
    const top = frames[frames.length - 1]!
    if (top.next >= top.length) {
      frames.pop()
      continue
    }
    const i = top.next++
    const segment = top.keys === undefined ? i : top.keys[i]!
    const child: unknown = top.keys === undefined ? (top.container as ReadonlyArray<unknown>)[i] : (top.container as Readonly<Record<string, unknown>>)[segment]
    if (typeof child === 'object' && child !== null) {
      const p = enter(child, segment)
      if (p !== undefined) return p
    }
  }
  return undefined
}

/**
 * The first forbidden key or too-deep nesting in a parsed JSON value, or `undefined`. Iterative
 * and depth-first, so a hostile document can exhaust neither the stack nor the memory.
 * @category codecs
 */
export const checkJson = (value: unknown): JsonProblem | undefined =>
  walkJson(value, (container, path, depth) => {
    if (depth >= maxJsonDepth) return { path: path(), detail: `nested more than ${maxJsonDepth} deep; a model file is never that deep` }
    if (Array.isArray(container)) return undefined
    for (const key of Object.keys(container)) {
      if (forbiddenKeys.includes(key)) {
        return { path: pathKey(path(), key), detail: `the key "${key}" is not allowed anywhere in a model file (it could reach an object's prototype); remove it` }
      }
    }
    return undefined
  })

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
