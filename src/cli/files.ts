/**
 * Reading and writing the command's files: bounded reads of UTF-8 text (a CSV or a spec is read
 * whole, so its size is checked before a byte is read), and atomic writes of results. Every
 * failure is an `input` failure whose one line names the file.
 */
import { readFile, stat } from 'node:fs/promises'
import * as E from 'fp-ts/lib/Either.js'
import { describeSystemError } from '../io/files.js'
import { writeFileAtomic } from '../io/writeAtomic.js'
import { type Failure, inputError } from './outcome.js'

/** The largest file the command reads, 1 GiB: a bigger CSV needs a streaming loader. */
export const maxFileBytes = 2 ** 30

/** The text of a file, or an `input` failure naming it (missing, a folder, too big, not UTF-8). */
export const readText = async (path: string, what: string): Promise<E.Either<Failure, string>> => {
  try {
    const info = await stat(path)
    if (!info.isFile()) return inputError(`${path}: not a file; give the path of ${what}`)
    if (info.size > maxFileBytes) return inputError(`${path}: the file is ${info.size} bytes, more than the ${maxFileBytes} bytes the command reads`)
    const bytes = await readFile(path)
    return E.right(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch (e) {
    if (e instanceof TypeError) return inputError(`${path}: not UTF-8 text; expected ${what}`)
    return inputError(`${path}: cannot read the file: ${describeSystemError(e)}`)
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
