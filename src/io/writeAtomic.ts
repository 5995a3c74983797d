/**
 * Atomic file writes, shared by `saveModel` and the `purenet` command: the bytes go to a temporary
 * file in the target's folder, which is flushed (`fsync`) and renamed over the target, and the
 * folder is flushed where the platform allows. A crash at any moment leaves the old file or the
 * new one, never a mix.
 *
 * - The temporary name is short and fixed in length, `.purenet-<12 hex digits>.tmp` (26 bytes), so
 *   any legal target name can be saved (a 255-byte name too; a name derived from the target's
 *   would exceed the 255-byte limit of most file systems).
 * - Saving over an existing file keeps its permission bits (a 0600 file stays 0600) and, where
 *   the process may, its owner. A new file gets 0666 less the umask, as `fs.writeFile` gives.
 * - A symbolic link is written through: its target gets the new content and the link stays a
 *   link (a dangling link creates its target, as the shell's `>` does).
 * - A target that exists but is not a regular file (a folder, a device, a pipe) is refused.
 * - A killed writer can leave a temporary file behind: before writing, temporary files of this
 *   pattern in the folder that are older than `staleTemporaryAge` (one hour; a write in progress
 *   touches its file) are removed.
 * - Renaming replaces the folder entry: a hard link to the old file keeps the old content.
 */
import { randomBytes } from 'node:crypto'
import { type FileHandle, lstat, open, readdir, readlink, rename, stat, unlink } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'

/** The pattern of purenet's temporary files: `.purenet-<12 hex digits>.tmp`. @category internals */
export const temporaryName = /^\.purenet-[0-9a-f]{12}\.tmp$/

/** Temporary files older than this (milliseconds, one hour) are a killed writer's and are removed. @category internals */
export const staleTemporaryAge = 60 * 60 * 1000

/** A fresh temporary name in `folder`. @category internals */
export const temporaryPath = (folder: string): string => join(folder, `.purenet-${randomBytes(6).toString('hex')}.tmp`)

const systemError = (code: string, message: string): Error => Object.assign(new Error(message), { code })

/**
 * The file a write to `path` lands in: `path` itself, or the file a chain of symbolic links ends
 * at (which may not exist yet). Only the last component is followed: the folders on the way are
 * resolved by the system as for any path.
 * @category internals
 */
export const writeTarget = async (path: string): Promise<string> => {
  let target = path
  for (let hops = 0; ; hops++) {
    let info
    try {
      info = await lstat(target)
    } catch (e) {
      if ((e as { code?: unknown }).code === 'ENOENT') return target
      throw e
    }
    if (!info.isSymbolicLink()) return target
    if (hops >= 40) throw systemError('ELOOP', 'too many levels of symbolic links')
    target = resolve(dirname(target), await readlink(target))
  }
}

// Flushes a folder's entry table, so a rename survives a power loss; not every platform allows it.
const syncFolder = async (folder: string): Promise<void> => {
  let handle: FileHandle | undefined
  try {
    handle = await open(folder, 'r')
    await handle.sync()
  } catch {
    // Windows cannot open a folder, and some file systems refuse fsync on one: best effort.
  } finally {
    await handle?.close().catch(() => undefined)
  }
}

/**
 * Removes the temporary files (`temporaryName`) in `folder` last modified more than `age`
 * milliseconds before `now`; best effort, never throws. Resolves to the names removed.
 * @category internals
 */
export const removeStaleTemporaries = async (folder: string, now = Date.now(), age = staleTemporaryAge): Promise<string[]> => {
  const removed: string[] = []
  let names: string[]
  try {
    names = await readdir(folder)
  } catch {
    return removed
  }
  for (const name of names) {
    if (!temporaryName.test(name)) continue
    const path = join(folder, name)
    try {
      const info = await lstat(path)
      if (info.isFile() && now - info.mtimeMs > age) {
        await unlink(path)
        removed.push(name)
      }
    } catch {
      // gone meanwhile, or not ours to remove
    }
  }
  return removed
}

/**
 * Writes `data` to `path` atomically, as the module comment describes. Rejects with the system's
 * error (its `code` names it: `ENOENT`, `EACCES`, `ENOSPC`, ...; `EISDIR` or `ENOTREG` for a
 * target that is not a regular file); the temporary file is removed on failure.
 * @category internals
 */
export const writeFileAtomic = async (path: string, data: string | Uint8Array): Promise<void> => {
  const target = await writeTarget(path)
  let existing
  try {
    existing = await stat(target)
  } catch (e) {
    if ((e as { code?: unknown }).code !== 'ENOENT') throw e
  }
  if (existing !== undefined && !existing.isFile()) {
    throw existing.isDirectory() ? systemError('EISDIR', 'is a folder') : systemError('ENOTREG', 'not a regular file (a device, socket or pipe); give the path of a file')
  }
  const folder = dirname(target)
  await removeStaleTemporaries(folder)
  const temporary = temporaryPath(folder)
  let handle: FileHandle | undefined
  try {
    handle = await open(temporary, 'wx', existing === undefined ? 0o666 : 0o600)
    if (existing !== undefined) {
      // The owner first: chown may clear the set-id bits, which chmod then restores.
      await handle.chown(existing.uid, existing.gid).catch(() => undefined)
      await handle.chmod(existing.mode & 0o7777)
    }
    await handle.writeFile(data)
    await handle.sync()
    await handle.close()
    handle = undefined
    await rename(temporary, target)
  } catch (e) {
    await handle?.close().catch(() => undefined)
    await unlink(temporary).catch(() => undefined)
    throw e
  }
  await syncFolder(folder)
}
