import { execFileSync } from 'node:child_process'
import { chmod, link, lstat, mkdir, mkdtemp, readFile, readdir, readlink, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as nn from '../nn/index.js'
import { key } from '../random/index.js'
import { loadModel, saveModel } from '../ioNamespace.js'
import { removeStaleTemporaries, staleTemporaryAge, temporaryName, writeFileAtomic } from './writeAtomic.js'

let folder = ''
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'purenet-write-'))
})
afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

const net = nn.serial(nn.dense(2, 2))
const params = net.init(key(1))

describe('writeFileAtomic', () => {
  it('saves a model under a 255-byte name (the temporary name is short)', async () => {
    const name = `${'m'.repeat(250)}.json`
    expect(Buffer.byteLength(name)).toBe(255)
    const path = join(folder, name)
    const saved = await saveModel(path, { net, params })
    expect(E.isRight(saved) || saved.left.message).toBe(true)
    expect(E.isRight(await loadModel(path))).toBe(true)
    expect((await readdir(folder)).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('keeps the mode of the file it replaces (0600 stays 0600), and a new file gets 0666 less the umask', async () => {
    const path = join(folder, 'private.json')
    await writeFile(path, 'old')
    await chmod(path, 0o600)
    await writeFileAtomic(path, 'new')
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    expect(await readFile(path, 'utf8')).toBe('new')
    await chmod(path, 0o640)
    expect(E.isRight(await saveModel(path, { net, params }))).toBe(true)
    expect((await stat(path)).mode & 0o777).toBe(0o640)
    const fresh = join(folder, 'fresh.txt')
    await writeFileAtomic(fresh, 'x')
    const umask = process.umask()
    expect((await stat(fresh)).mode & 0o777).toBe(0o666 & ~umask)
  })

  it('writes through a symbolic link to its target, and the link stays a link', async () => {
    const target = join(folder, 'real.json')
    const linkPath = join(folder, 'link.json')
    await writeFile(target, 'old')
    await chmod(target, 0o600)
    await symlink('real.json', linkPath)
    expect(E.isRight(await saveModel(linkPath, { net, params }))).toBe(true)
    expect((await lstat(linkPath)).isSymbolicLink()).toBe(true)
    expect(await readlink(linkPath)).toBe('real.json')
    expect(E.isRight(await loadModel(target))).toBe(true)
    expect((await stat(target)).mode & 0o777).toBe(0o600)
    // a chain of links, and a dangling link, which creates its target
    await symlink('link.json', join(folder, 'link2.json'))
    await writeFileAtomic(join(folder, 'link2.json'), 'through two')
    expect(await readFile(target, 'utf8')).toBe('through two')
    await symlink('sub/created.txt', join(folder, 'dangling'))
    await mkdir(join(folder, 'sub'))
    await writeFileAtomic(join(folder, 'dangling'), 'created')
    expect(await readFile(join(folder, 'sub', 'created.txt'), 'utf8')).toBe('created')
    expect((await lstat(join(folder, 'dangling'))).isSymbolicLink()).toBe(true)
  })

  it('refuses a target that is a folder or a pipe, without hanging, and leaves no temporary file', async () => {
    await mkdir(join(folder, 'a-folder'))
    await expect(writeFileAtomic(join(folder, 'a-folder'), 'x')).rejects.toMatchObject({ code: 'EISDIR' })
    const saved = await saveModel(join(folder, 'a-folder'), { net, params })
    expect(E.isLeft(saved) && saved.left.message).toContain('cannot write the file: is a folder')
    if (process.platform !== 'win32') {
      const fifo = join(folder, 'fifo')
      execFileSync('mkfifo', [fifo])
      await expect(writeFileAtomic(fifo, 'x')).rejects.toMatchObject({ code: 'ENOTREG' })
      expect((await lstat(fifo)).isFIFO()).toBe(true)
    }
    expect((await readdir(folder)).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('replaces the folder entry: a hard link keeps the old content', async () => {
    const path = join(folder, 'linked.txt')
    await writeFile(path, 'old')
    await link(path, join(folder, 'other-name.txt'))
    await writeFileAtomic(path, 'new')
    expect([await readFile(path, 'utf8'), await readFile(join(folder, 'other-name.txt'), 'utf8')]).toEqual(['new', 'old'])
  })

  it('removes stale temporaries of its own pattern (older than an hour) and nothing else', async () => {
    const sub = join(folder, 'stale')
    await mkdir(sub)
    const old = new Date(Date.now() - staleTemporaryAge - 60_000)
    const names = ['.purenet-0123456789ab.tmp', '.purenet-ba9876543210.tmp', '.purenet-notours.tmp', '.model.json.0123456789ab.tmp', 'keep.json']
    for (const n of names) {
      await writeFile(join(sub, n), 'x')
      await utimes(join(sub, n), old, old)
    }
    await writeFile(join(sub, '.purenet-aaaaaaaaaaaa.tmp'), 'a write in progress')
    expect(temporaryName.test('.purenet-0123456789ab.tmp')).toBe(true)
    await writeFileAtomic(join(sub, 'new.json'), 'x')
    expect((await readdir(sub)).sort()).toEqual(['.model.json.0123456789ab.tmp', '.purenet-aaaaaaaaaaaa.tmp', '.purenet-notours.tmp', 'keep.json', 'new.json'])
    expect(await removeStaleTemporaries(join(folder, 'no-such-folder'))).toEqual([])
  })
})
