import { execFileSync } from 'node:child_process'
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readText } from '../cli/files.js'
import { maxStringBytes, readBoundedFile, readFileChunks } from './boundedRead.js'
import { loadModel } from '../ioNamespace.js'

let folder = ''
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'purenet-read-'))
})
afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

const hasMkfifo = ((): boolean => {
  try {
    execFileSync('mkfifo', ['--version'], { stdio: 'ignore' })
    return process.platform !== 'win32'
  } catch {
    return false
  }
})()

describe('bounded reading', () => {
  it.runIf(hasMkfifo)('refuses a FIFO at once instead of waiting for a writer (loadModel, the CLI reader, chunks)', async () => {
    const fifo = join(folder, 'model.json')
    execFileSync('mkfifo', [fifo])
    const r = await loadModel(fifo)
    expect(E.isLeft(r) && r.left.message).toBe(`io.loadModel: ${fifo}: not a file (it is a FIFO (named pipe)); give the path of a model file`)
    const t = await readText(fifo, 'a layer spec (JSON)')
    expect(E.isLeft(t) && t.left.message).toMatch(/model\.json: not a file \(it is a FIFO \(named pipe\)\); give the path of a layer spec/)
    const c = await readFileChunks(fifo, 100, () => true)
    expect(E.isLeft(c) && c.left.kind).toBe('not-a-file')
  })

  it('refuses a folder and a device before reading', async () => {
    const r = await loadModel(folder)
    expect(E.isLeft(r) && r.left.message).toMatch(/not a file \(it is a folder\)/)
    if (process.platform !== 'win32') {
      const d = await readBoundedFile('/dev/zero', 100)
      expect(E.isLeft(d) && d.left.detail).toBe('not a file (it is a device)')
    }
  })

  it('never asks for more than a string can hold: maxBytes 2^32 on a 2 GiB file is a Left, read nothing', async () => {
    const big = join(folder, 'big.json')
    await writeFile(big, '')
    await truncate(big, 2 ** 31) // sparse: no disk space used
    const started = performance.now()
    const r = await loadModel(big, { maxBytes: 2 ** 32 })
    expect(E.isLeft(r) && r.left.message).toMatch(/big\.json: the file is 2048\.0 MiB \(2147483648 bytes\), more than the 512\.0 MiB a JavaScript string can hold/)
    expect(performance.now() - started).toBeLessThan(20_000)
    expect(maxStringBytes).toBe(2 ** 29 - 24)
  })

  it('reads in chunks and reports the total', async () => {
    const path = join(folder, 'data.txt')
    await writeFile(path, 'x'.repeat(1000))
    const sizes: number[] = []
    const r = await readFileChunks(path, 1000, (c) => (sizes.push(c.length), true), 300)
    expect(r).toEqual(E.right(1000))
    expect(sizes).toEqual([300, 300, 300, 100])
    const small = await readFileChunks(path, 999, () => true)
    expect(E.isLeft(small) && small.left.kind).toBe('too-big')
    const whole = await readBoundedFile(path, 1000)
    expect(E.isRight(whole) && whole.right.length).toBe(1000)
  })
})
