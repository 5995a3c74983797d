/**
 * Reading a file from outside without trusting it: the file is opened first (non-blocking, so a
 * FIFO or a device cannot stall the open), then the open descriptor is inspected (`fstat`), so a
 * file swapped for a FIFO, a device or a folder between a check and the read is refused rather
 * than read; only then are bytes read, in chunks of at most `chunkBytes` (no single read near
 * INT32_MAX), and never more than the limit, even if the file grows meanwhile.
 *
 * Nothing here throws or rejects: every failure is a `ReadProblem` whose `detail` is a sentence
 * for a message ("no such file or folder", "not a file (it is a FIFO)"). Used by `io.loadModel`
 * and by the `purenet` command's reader.
 */
import { constants } from 'node:fs'
import { type FileHandle, open } from 'node:fs/promises'
import * as E from 'fp-ts/lib/Either.js'
import { describeSystemError } from './systemError.js'

/** Why a file could not be read: the kind, and a sentence saying it. @category files */
export interface ReadProblem {
  readonly kind: 'system' | 'not-a-file' | 'too-big' | 'changed'
  readonly detail: string
  /** The size `fstat` reported, when the file was opened. */
  readonly size?: number
}

/**
 * The longest text a JavaScript string can hold in V8 (2^29 - 24 UTF-16 code units); a file with
 * more bytes cannot become one string, whatever limit a caller asks for. @category files
 */
export const maxStringBytes = 2 ** 29 - 24

/** The most bytes one `read` call asks for, 8 MiB. @category files */
export const readChunkBytes = 8 * 2 ** 20

/** A size in MiB for messages, `12.3 MiB`. @category files */
export const mebibytes = (n: number): string => `${(n / 2 ** 20).toFixed(1)} MiB`

const problem = (kind: ReadProblem['kind'], detail: string, size?: number): E.Either<ReadProblem, never> =>
  E.left(size === undefined ? { kind, detail } : { kind, detail, size })

/** An open regular file: its handle (the caller closes it) and its size when opened. @category files */
export interface OpenFile {
  readonly handle: FileHandle
  readonly size: number
}

/**
 * Opens a file for reading, non-blocking, and checks the open descriptor: `Right` of the handle
 * and size of a regular file, or `Left` for anything else (a folder, a FIFO, a device, a socket),
 * with the handle already closed. Never rejects.
 * @category files
 */
export const openRegularFile = async (path: string): Promise<E.Either<ReadProblem, OpenFile>> => {
  let handle: FileHandle
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, for ever.
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
  } catch (e) {
    return problem('system', describeSystemError(e))
  }
  try {
    const info = await handle.stat()
    if (!info.isFile()) {
      await handle.close().catch(() => undefined)
      const what = info.isDirectory() ? 'a folder' : info.isFIFO() ? 'a FIFO (named pipe)' : info.isSocket() ? 'a socket' : 'a device'
      return problem('not-a-file', `not a file (it is ${what})`)
    }
    return E.right({ handle, size: info.size })
  } catch (e) {
    await handle.close().catch(() => undefined)
    return problem('system', describeSystemError(e))
  }
}

/**
 * Reads a whole regular file of at most `maxBytes` bytes (clamped to `maxStringBytes`, since the
 * bytes are meant to become text): the size is checked on the open descriptor before a byte is
 * read, reads go in chunks of `readChunkBytes`, and a file that grows past the size it had when
 * opened is refused ("changed") rather than read further. Memory: one buffer of the file's size.
 * Never rejects.
 * @category files
 */
export const readBoundedFile = async (path: string, maxBytes: number): Promise<E.Either<ReadProblem, Uint8Array>> => {
  const opened = await openRegularFile(path)
  if (E.isLeft(opened)) return opened
  const { handle, size } = opened.right
  try {
    const limit = Math.min(maxBytes, maxStringBytes)
    if (size > limit) {
      return problem('too-big', maxBytes > maxStringBytes
        ? `the file is ${mebibytes(size)} (${size} bytes), more than the ${mebibytes(maxStringBytes)} a JavaScript string can hold, whatever the limit`
        : `the file is ${mebibytes(size)} (${size} bytes), more than the limit of ${mebibytes(maxBytes)}`, size)
    }
    // One byte more than the size, to notice a file that grew after it was opened.
    const buffer = new Uint8Array(size + 1)
    let filled = 0
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, Math.min(readChunkBytes, buffer.length - filled), null)
      if (bytesRead === 0) break
      filled += bytesRead
    }
    if (filled > size) return problem('changed', `the file grew while it was read (it was ${size} bytes when opened); read it again once it is written`, size)
    return E.right(buffer.subarray(0, filled))
  } catch (e) {
    return problem('system', describeSystemError(e), size)
  } finally {
    await handle.close().catch(() => undefined)
  }
}

/**
 * Reads a regular file of at most `maxBytes` bytes chunk by chunk, handing each chunk (a view
 * valid only during the call) to `onChunk`, which may stop the reading by returning `false`.
 * Memory: one chunk of `chunkBytes`. Never rejects (a throwing `onChunk` is the caller's error and
 * is passed on).
 * @category files
 */
export const readFileChunks = async (
  path: string,
  maxBytes: number,
  onChunk: (chunk: Uint8Array) => boolean,
  chunkBytes: number = readChunkBytes,
): Promise<E.Either<ReadProblem, number>> => {
  const opened = await openRegularFile(path)
  if (E.isLeft(opened)) return opened
  const { handle, size } = opened.right
  try {
    if (size > maxBytes) return problem('too-big', `the file is ${mebibytes(size)} (${size} bytes), more than the limit of ${mebibytes(maxBytes)}`, size)
    const buffer = new Uint8Array(Math.max(1, Math.min(chunkBytes, size + 1)))
    let total = 0
    for (;;) {
      let bytesRead: number
      try {
        bytesRead = (await handle.read(buffer, 0, buffer.length, null)).bytesRead
      } catch (e) {
        return problem('system', describeSystemError(e), size)
      }
      if (bytesRead === 0) break
      total += bytesRead
      if (total > size) return problem('changed', `the file grew while it was read (it was ${size} bytes when opened); read it again once it is written`, size)
      if (!onChunk(buffer.subarray(0, bytesRead))) break
    }
    return E.right(total)
  } finally {
    await handle.close().catch(() => undefined)
  }
}
