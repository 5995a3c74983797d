/**
 * Reading and writing the command's files: bounded reads of UTF-8 text (a spec is read whole, its
 * size checked on the open file before a byte is read; a CSV is read chunk by chunk, in
 * tabular.ts), and atomic writes of results. Every failure is an `input` failure whose one line
 * names the file.
 */
import * as E from 'fp-ts/lib/Either.js'
import { type ReadProblem, readBoundedFile } from '../io/boundedRead.js'
import { describeSystemError } from '../io/systemError.js'
import { writeFileAtomic } from '../io/writeAtomic.js'
import { type Failure, inputError } from './outcome.js'

/** The largest file the command reads, 1 GiB (a CSV is read chunk by chunk, a spec or model as one string). */
export const maxFileBytes = 2 ** 30

/** The one-line failure of a bounded read of `path`, which was to hold `what`. */
export const readFailure = <A>(path: string, what: string, p: ReadProblem): E.Either<Failure, A> =>
  inputError(p.kind === 'not-a-file' ? `${path}: ${p.detail}; give the path of ${what}`
    : p.kind === 'system' ? `${path}: cannot read the file: ${p.detail}`
    : `${path}: ${p.detail}`)

/**
 * The text of a file, or an `input` failure naming it (missing, a folder, a FIFO or a device, too
 * big, not UTF-8). The file is opened first and the open descriptor checked (`io/boundedRead.ts`),
 * so nothing swapped in between can make the command hang.
 */
export const readText = async (path: string, what: string): Promise<E.Either<Failure, string>> => {
  const read = await readBoundedFile(path, maxFileBytes)
  if (E.isLeft(read)) return readFailure(path, what, read.left)
  try {
    return E.right(new TextDecoder('utf-8', { fatal: true }).decode(read.right))
  } catch {
    return inputError(`${path}: not UTF-8 text; expected ${what}`)
  }
}

/**
 * Writes a file atomically as `io.saveModel` does (`io/writeAtomic.ts`: a short temporary name,
 * the replaced file's mode kept, a symbolic link written through), or an `input` failure.
 */
export const writeText = async (path: string, text: string): Promise<E.Either<Failure, void>> => {
  try {
    await writeFileAtomic(path, text)
    return E.right(undefined)
  } catch (e) {
    return inputError(`${path}: cannot write the file: ${describeSystemError(e)}`)
  }
}
