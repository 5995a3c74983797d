/**
 * What a command ends with, and where it writes. A command returns `Right` when it did its job,
 * `Left` of a `Failure` otherwise: a `usage` failure (a bad or missing flag; exit code 2, with the
 * command's usage) or an `input` failure (a file that cannot be read or decoded, data that does not
 * fit the model; exit code 1, one line). Commands never throw for a user's mistake, and never
 * print a stack trace for one.
 */
import * as E from 'fp-ts/lib/Either.js'

/** Why a command stopped. */
export type Failure =
  | { readonly kind: 'usage'; readonly message: string }
  | { readonly kind: 'input'; readonly message: string }

/** The result of a command. */
export type Outcome = E.Either<Failure, void>

/** A bad command line. */
export const usageError = (message: string): E.Either<Failure, never> => E.left({ kind: 'usage', message })

/** A bad file or a problem with the data. */
export const inputError = (message: string): E.Either<Failure, never> => E.left({ kind: 'input', message })

/** Where a command writes: results and progress to standard output, failures to standard error. */
export interface Terminal {
  /** Writes a line to standard output. */
  readonly out: (line: string) => void
  /** Writes a line to standard error. */
  readonly err: (line: string) => void
  /** Standard output, where a progress bar draws when it is a terminal. */
  readonly stdout: NodeJS.WritableStream
  /** Whether standard output is a terminal (then a progress bar redraws itself in place). */
  readonly tty: boolean
}
