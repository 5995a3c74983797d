/**
 * File-system errors in words, for the messages of everything in io (and the CLI) that touches a disk.
 */

/** A file-system error in a few words (`no such file or folder`), for messages. @category internals */
export const describeSystemError = (e: unknown): string => {
  const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : ''
  switch (code) {
    case 'ENOENT': return 'no such file or folder'
    case 'EACCES': case 'EPERM': return 'permission denied'
    case 'EISDIR': return 'is a folder, not a file'
    case 'ENOTDIR': return 'a part of the path is not a folder'
    case 'ENOSPC': return 'no space left on the device'
    case 'EROFS': return 'the file system is read-only'
    default: return e instanceof Error ? e.message : String(e)
  }
}
