/**
 * Reading and writing the command's files: bounded reads of UTF-8 text (a CSV or a spec is read
 * whole, so its size is checked before a byte is read), and atomic writes of results. Every
 * failure is an `input` failure whose one line names the file.
 */
import { randomBytes } from 'node:crypto'
import { rename, unlink, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { readBoundedFile } from '../io/boundedRead.js'
import { describeSystemError } from '../io/files.js'
import { type Failure, inputError } from './outcome.js'

/** The largest file the command reads, 1 GiB: a bigger CSV needs a streaming loader. */
export const maxFileBytes = 2 ** 30

/**
 * The text of a file, or an `input` failure naming it (missing, a folder, a FIFO or a device, too
 * big, not UTF-8). The file is opened first and the open descriptor checked (`io/boundedRead.ts`),
 * so nothing swapped in between can make the command hang.
 */
export const readText = async (path: string, what: string): Promise<E.Either<Failure, string>> => {
  const read = await readBoundedFile(path, maxFileBytes)
  if (E.isLeft(read)) {
    const p = read.left
    return inputError(p.kind === 'not-a-file' ? `${path}: ${p.detail}; give the path of ${what}`
      : p.kind === 'system' ? `${path}: cannot read the file: ${p.detail}`
      : `${path}: ${p.detail}`)
  }
  try {
    return E.right(new TextDecoder('utf-8', { fatal: true }).decode(read.right))
  } catch {
    return inputError(`${path}: not UTF-8 text; expected ${what}`)
  }
}

/** Writes a file atomically (temporary file in the same folder, then rename), or an `input` failure. */
export const writeText = async (path: string, text: string): Promise<E.Either<Failure, void>> => {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    await writeFile(temporary, text, { encoding: 'utf8', flag: 'wx' })
    await rename(temporary, path)
    return E.right(undefined)
  } catch (e) {
    await unlink(temporary).catch(() => undefined)
    return inputError(`${path}: cannot write the file: ${describeSystemError(e)}`)
  }
}
