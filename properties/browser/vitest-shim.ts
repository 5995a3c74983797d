/**
 * The part of vitest's API the property files use (`describe`, `describe.each`, `it`, `it.each`,
 * `expect` with the matchers they call), for running them on a page of a real browser
 * (`properties/browser.test.ts`): the bundle maps 'vitest' here. Tests are collected while the
 * property file is evaluated and run afterwards by `runCollected`, one at a time.
 */
type Fn = () => unknown

/** A collected test: its full name and its body. */
export interface Collected { readonly name: string; readonly run: Fn }

const collected: Collected[] = []
const prefix: string[] = []

const format = (title: string, args: ReadonlyArray<unknown>): string => {
  let i = 0
  return title.replace(/%s/g, () => String(args[i++]))
}

const asArgs = (row: unknown): unknown[] => (Array.isArray(row) ? row : [row])

export const describe = Object.assign(
  (name: string, body: Fn): void => {
    prefix.push(name)
    try { body() } finally { prefix.pop() }
  },
  {
    each: (table: ReadonlyArray<unknown>) => (title: string, body: (...args: unknown[]) => unknown): void => {
      for (const row of table) describe(format(title, asArgs(row)), () => body(...asArgs(row)))
    },
  },
)

export const it = Object.assign(
  (name: string, body: Fn): void => { collected.push({ name: [...prefix, name].join(' > '), run: body }) },
  {
    each: (table: ReadonlyArray<unknown>) => (title: string, body: (...args: unknown[]) => unknown): void => {
      for (const row of table) it(format(title, asArgs(row)), () => body(...asArgs(row)))
    },
  },
)
export const test = it

const show = (v: unknown): string => {
  try { return JSON.stringify(v) ?? String(v) } catch { return String(v) }
}

// Structural equality of plain data (what toEqual is used on here: arrays of numbers and shapes).
const equal = (a: unknown, b: unknown): boolean => {
  if (Object.is(a, b)) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  return ka.length === kb.length && ka.every((k) => equal((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
}

export const expect = (actual: unknown, message?: string) => {
  const check = (ok: boolean, what: string): void => {
    if (!ok) throw new Error(`${message === undefined ? '' : `${message}: `}expected ${show(actual)} ${what}`)
  }
  return {
    toBe: (expected: unknown) => check(Object.is(actual, expected), `to be ${show(expected)}`),
    toEqual: (expected: unknown) => check(equal(actual, expected), `to equal ${show(expected)}`),
    toContain: (item: unknown) => check(Array.isArray(actual) ? actual.includes(item) : String(actual).includes(String(item)), `to contain ${show(item)}`),
    toBeDefined: () => check(actual !== undefined, 'to be defined'),
    toBeUndefined: () => check(actual === undefined, 'to be undefined'),
    toBeGreaterThan: (n: number) => check(typeof actual === 'number' && actual > n, `to be greater than ${n}`),
    toBeLessThan: (n: number) => check(typeof actual === 'number' && actual < n, `to be less than ${n}`),
  }
}

/** What running one collected test gave: passed, or the error's message (with fast-check's counterexample). */
export interface Outcome { readonly name: string; readonly ok: boolean; readonly message?: string }

/** Runs the collected tests one at a time, returning to the event loop between two, and reports each. */
export const runCollected = async (onEach: (o: Outcome) => void = () => {}): Promise<Outcome[]> => {
  const out: Outcome[] = []
  for (const t of collected) {
    let o: Outcome
    try {
      await t.run()
      o = { name: t.name, ok: true }
    } catch (e) {
      o = { name: t.name, ok: false, message: e instanceof Error ? e.message : String(e) }
    }
    out.push(o)
    onEach(o)
    await new Promise((resolve) => setTimeout(resolve, 0))
  }
  return out
}
