/**
 * The flags of a command, parsed strictly and decoded with io-ts. `node:util`'s `parseArgs`
 * splits the words (an unknown flag, a missing value or a stray word is an error, never ignored);
 * then each command's io-ts codec turns the strings into typed values, and every failure becomes
 * a usage error naming the flag: `--epochs: expected a positive integer in decimal digits, got
 * "ten"`. A flag given twice is a usage error too, and numbers are decimal only (no `0x3`, no
 * `1e2` for an integer, no spaces).
 */
import { parseArgs } from 'node:util'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'

/** A flag: whether it takes a value, its codec from the raw string, and its line of help. */
export interface Flag<A> {
  readonly type: 'string' | 'boolean'
  readonly codec: t.Decoder<unknown, A>
  /** What the value is, shown in the usage (`<file.csv>`); none for a switch. */
  readonly value?: string
  readonly help: string
  readonly required?: boolean
}

/** The flags of one command, by name. */
export type Flags = Readonly<Record<string, Flag<unknown>>>

/** The decoded values: a required flag's type, or that type or undefined for an optional one. */
export type Values<F extends Flags> = {
  readonly [K in keyof F]: F[K] extends Flag<infer A> ? (F[K] extends { readonly required: true } ? A : A | undefined) : never
}

const fromString = <A>(name: string, expected: string, parse: (s: string) => A | undefined): t.Decoder<unknown, A> =>
  new t.Type<A, unknown, unknown>(
    name,
    (u): u is A => parse(String(u)) !== undefined,
    (u, c) => {
      const v = typeof u === 'string' ? parse(u) : undefined
      return v === undefined ? t.failure(u, c, `expected ${expected}, got ${JSON.stringify(u)}`) : t.success(v)
    },
    (a) => a,
  )

// Numbers are read strictly, in decimal: `Number` alone would take "0x3", "1e2" for an integer,
// " 3" and "" (as 0), and parseInt would take "3abc".
const DIGITS = /^[0-9]+$/
const DECIMAL = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/

const integer = (s: string): number | undefined => {
  const n = DIGITS.test(s) ? Number(s) : NaN
  return Number.isSafeInteger(n) ? n : undefined
}

const decimal = (s: string): number | undefined => {
  const n = DECIMAL.test(s) ? Number(s) : NaN
  return Number.isFinite(n) ? n : undefined
}

/** A flag whose value is a positive integer, in decimal digits. */
export const positiveInt = (help: string, value = '<n>'): Flag<number> => ({
  type: 'string', value, help,
  codec: fromString('positive integer', 'a positive integer in decimal digits', (s) => { const n = integer(s); return n !== undefined && n > 0 ? n : undefined }),
})

/** A flag whose value is a non-negative integer, in decimal digits. */
export const natural = (help: string, value = '<n>'): Flag<number> => ({
  type: 'string', value, help,
  codec: fromString('non-negative integer', 'a non-negative integer in decimal digits', (s) => integer(s)),
})

/** A flag whose value is a positive decimal number (`0.01`, `1e-3`). */
export const positive = (help: string, value = '<x>'): Flag<number> => ({
  type: 'string', value, help,
  codec: fromString('positive number', 'a positive decimal number (such as 0.01 or 1e-3)', (s) => { const n = decimal(s); return n !== undefined && n > 0 ? n : undefined }),
})

/** A flag whose value is a non-empty string (a path, a column name). */
export const text = (help: string, value: string, required = false): Flag<string> => ({
  type: 'string', value, help, ...(required ? { required: true as const } : {}),
  codec: fromString('text', 'a non-empty value', (s) => (s === '' ? undefined : s)),
})

/** A required flag whose value is a non-empty string. */
export const requiredText = (help: string, value: string): Flag<string> & { readonly required: true } => ({ ...text(help, value), required: true })

/** A flag with one of a few values. */
export const oneOf = <A extends string>(values: readonly [A, ...A[]], help: string): Flag<A> => ({
  type: 'string', value: values.join('|'), help,
  codec: fromString(values.join('|'), `one of ${values.join(', ')}`, (s) => (values as ReadonlyArray<string>).includes(s) ? (s as A) : undefined),
})

/** A switch. */
export const bool = (help: string): Flag<boolean> => ({ type: 'boolean', codec: t.boolean, help })

/** The usage text of a command: its synopsis and one line per flag. */
export const usageOf = (synopsis: string, flags: Flags): string => {
  const rows = Object.entries(flags).map(([name, f]) => [`--${name}${f.value === undefined ? '' : ` ${f.value}`}`, `${f.help}${f.required === true ? ' (required)' : ''}`] as const)
  const width = Math.max(...rows.map(([l]) => l.length))
  return [`usage: ${synopsis}`, ...rows.map(([l, h]) => `  ${l.padEnd(width)}  ${h}`)].join('\n')
}

/**
 * Parses a command's words: `Right` of the decoded flags and the positional words, or `Left` of a
 * message naming the bad flag. `positionals` is how many words without a flag the command takes.
 */
export const parseFlags = <F extends Flags>(
  argv: ReadonlyArray<string>,
  flags: F,
  positionals = 0,
): E.Either<string, { readonly values: Values<F>; readonly positionals: ReadonlyArray<string> }> => {
  let raw: Record<string, unknown>
  let words: string[]
  try {
    const options = Object.fromEntries(Object.entries(flags).map(([k, f]) => [k, { type: f.type }]))
    const parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true, tokens: true })
    raw = parsed.values as Record<string, unknown>
    words = parsed.positionals
    // parseArgs keeps the last of a repeated flag; a command line that says two things is refused.
    const seen = new Set<string>()
    for (const token of parsed.tokens) {
      if (token.kind !== 'option') continue
      if (seen.has(token.name)) return E.left(`--${token.name} is given more than once; give each flag once`)
      seen.add(token.name)
    }
  } catch (e) {
    // parseArgs' messages name the flag; its advice about '--' does not apply here.
    const message = e instanceof Error ? e.message : String(e)
    return E.left(message.replace(/\. To specify a positional argument starting with a '-'.*$/s, '').replace(/^Unknown option '(.*)'$/, 'unknown flag $1'))
  }
  if (words.length > positionals) {
    return E.left(positionals === 0 ? `unexpected word ${JSON.stringify(words[positionals])}; every value follows its flag (--name value)` : `unexpected word ${JSON.stringify(words[positionals])}`)
  }
  const out: Record<string, unknown> = {}
  for (const [name, flag] of Object.entries(flags)) {
    const v = Object.hasOwn(raw, name) ? raw[name] : undefined
    if (v === undefined) {
      if (flag.required === true) return E.left(`--${name} ${flag.value ?? ''} is required: ${flag.help}`.replace(/ {2}/, ' '))
      continue
    }
    const decoded = flag.codec.decode(v)
    if (E.isLeft(decoded)) return E.left(`--${name}: ${decoded.left.map((e) => e.message ?? `expected ${flag.codec.name}`).join('; ')}`)
    out[name] = decoded.right
  }
  return E.right({ values: out as Values<F>, positionals: words })
}
