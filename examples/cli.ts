/**
 * Command-line options for the examples: parsed strictly (an unknown flag or a malformed value is
 * an error naming the flag, never a silent default) and decoded with io-ts.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as t from 'io-ts'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'

/** A flag's decoder: from the raw string (or boolean for switches) to a value. */
export type Flag<A> = { readonly type: 'string' | 'boolean'; readonly codec: t.Decoder<unknown, A>; readonly help: string }

const numberFrom = (name: string, check: (n: number) => boolean, expected: string): t.Decoder<unknown, number> =>
  new t.Type<number, unknown, unknown>(
    name,
    (u): u is number => typeof u === 'number' && check(u),
    (u, c) => {
      const n = typeof u === 'string' && u.trim() !== '' ? Number(u) : NaN
      return Number.isFinite(n) && check(n) ? t.success(n) : t.failure(u, c, `expected ${expected}, got ${JSON.stringify(u)}`)
    },
    (n) => n,
  )

/** A positive integer flag. */
export const positiveInt = (help: string): Flag<number> => ({ type: 'string', codec: numberFrom('positive integer', (n) => Number.isInteger(n) && n > 0, 'a positive integer'), help })
/** A non-negative integer flag. */
export const natural = (help: string): Flag<number> => ({ type: 'string', codec: numberFrom('non-negative integer', (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer'), help })
/** A positive number flag. */
export const positive = (help: string): Flag<number> => ({ type: 'string', codec: numberFrom('positive number', (n) => n > 0, 'a positive number'), help })
/** A flag with one of a few literal values. */
export const oneOf = <A extends string>(values: readonly [A, A, ...A[]], help: string): Flag<A> => ({
  type: 'string',
  codec: t.union(values.map((v) => t.literal(v)) as unknown as [t.LiteralC<A>, t.LiteralC<A>, ...t.LiteralC<A>[]]),
  help,
})
/** A switch. */
export const bool = (help: string): Flag<boolean> => ({ type: 'boolean', codec: t.boolean, help })

type Values<F extends Record<string, Flag<unknown>>> = { readonly [K in keyof F]?: F[K] extends Flag<infer A> ? A : never }

/** The usage text for a set of flags. */
export const usage = (program: string, flags: Record<string, Flag<unknown>>): string =>
  [`usage: ${program} [options]`, ...Object.entries(flags).map(([k, f]) => `  --${k}${f.type === 'string' ? ' <value>' : ''}  ${f.help}`)].join('\n')

/**
 * Parses and decodes `argv`; `left` holds a message naming the bad flag.
 */
export const parseFlags = <F extends Record<string, Flag<unknown>>>(argv: ReadonlyArray<string>, flags: F): E.Either<string, Values<F>> => {
  let raw: Record<string, unknown>
  try {
    const options = Object.fromEntries(Object.entries(flags).map(([k, f]) => [k, { type: f.type }]))
    raw = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values as Record<string, unknown>
  } catch (e) {
    return E.left(e instanceof Error ? e.message : String(e))
  }
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(raw)) {
    const flag = flags[k]!
    const decoded = flag.codec.decode(v)
    if (E.isLeft(decoded)) {
      const why = decoded.left.map((err) => err.message ?? `expected ${flag.codec.name}`).join('; ')
      return E.left(`--${k}: ${why}`)
    }
    out[k] = decoded.right
  }
  return pipe(out as Values<F>, E.right)
}

/** What names an example on the command line. */
export interface Program {
  /** Short name used to prefix messages, e.g. 'mnist'. */
  readonly name: string
  /** How to run it, shown in the usage text, e.g. 'npx tsx examples/mnist.ts'. */
  readonly usage: string
  /** `import.meta.url` of the example's module. */
  readonly url: string
}

/**
 * Runs an example as a command, but only when its module is the program node was started with
 * (a test that imports it runs nothing). A bad flag prints the reason and the usage and exits
 * with 2; `--help` (when the flags declare it) prints the usage; otherwise `body` runs with the
 * decoded flags, and an error it throws is printed on one line with exit code 1.
 */
export const command = <F extends Record<string, Flag<unknown>>>(program: Program, flags: F, body: (values: Values<F>) => void | Promise<void>): void => {
  const started = process.argv[1]
  if (started === undefined || program.url !== pathToFileURL(started).href) return
  const parsed = parseFlags(process.argv.slice(2), flags)
  if (E.isLeft(parsed)) {
    process.stderr.write(`${program.name}: ${parsed.left}\n${usage(program.usage, flags)}\n`)
    process.exitCode = 2
    return
  }
  if ('help' in flags && (parsed.right as { readonly help?: unknown }).help === true) {
    process.stdout.write(`${usage(program.usage, flags)}\n`)
    return
  }
  Promise.resolve()
    .then(() => body(parsed.right))
    .catch((e: unknown) => {
      process.stderr.write(`${program.name}: ${e instanceof Error ? e.message : String(e)}\n`)
      process.exitCode = 1
    })
}
