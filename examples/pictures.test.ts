/**
 * The committed pictures are what the examples draw now: the activations, optimizer-path and
 * backprop-program pictures (a few seconds) are redrawn into a scratch folder and compared byte
 * for byte with docs/. `npm run docs` redraws all of them (the longer runs too).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { run as activations } from './activations.js'
import { run as backprop } from './backprop.js'
import { run as optimizers } from './optimizers.js'

const docs = new URL('../docs/', import.meta.url)
let dir = ''
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'purenet-pictures-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const sameAsCommitted = async (files: ReadonlyArray<string>): Promise<void> => {
  expect(files.length).toBeGreaterThan(0)
  for (const file of files) {
    const name = file.slice(dir.length + 1)
    const committed = await readFile(new URL(name, docs), 'utf8')
    // a plain equality: a redrawn picture that differs by one byte fails, with the file's name
    expect(await readFile(file, 'utf8') === committed, `docs/${name} differs from a fresh redraw; run npm run docs`).toBe(true)
  }
}

describe('docs/ pictures', () => {
  it('activations.svg equals a fresh redraw', async () => {
    const { files } = await activations({ outDir: dir })
    await sameAsCommitted(files)
  })

  it('the optimizer-path pictures equal a fresh redraw', async () => {
    const { files } = await optimizers({ outDir: dir })
    await sameAsCommitted(files)
  })

  it('backprop-program.svg (the staged forward and backward program) equals a fresh redraw', async () => {
    const { files } = await backprop({ outDir: dir })
    await sameAsCommitted(files)
  })
})
