import { spawn } from 'node:child_process'
import { mkdtemp, readdir, rm, writeFile, chmod, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as nn from '../nn/index.js'
import * as optim from '../optim/index.js'
import { key } from '../random/index.js'
import { isTensor } from '../tensor/index.js'
import { encodeModel, loadModel, saveModel } from '../ioNamespace.js'

let folder = ''
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'purenet-io-'))
})
afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

const bits = (u: unknown): unknown => {
  if (isTensor(u)) return { dtype: u.dtype, shape: [...u.shape], bytes: Array.from(new Uint8Array(u.data.buffer, u.data.byteOffset, u.data.byteLength)) }
  if (Array.isArray(u)) return u.map(bits)
  if (typeof u === 'object' && u !== null) return Object.fromEntries(Object.entries(u).map(([k, v]) => [k, bits(v)]))
  return u
}

const net = nn.serial(nn.dense(5, 4), nn.tanh, nn.dense(4, 3, { dtype: 'float64' }))
const params = net.init(key(11))

const loadMessage = async (path: string, options: { readonly maxBytes?: number } = {}): Promise<string> => {
  const r = await loadModel(path, options)
  if (E.isRight(r)) throw new Error(`expected ${path} to be refused`)
  return r.left.message
}

describe('saveModel and loadModel', () => {
  it('round trip through the disk: parameters, optimizer state, step, key, history and extra', async () => {
    const path = join(folder, 'model.json')
    const optState = optim.adam(0.01).init(params)
    const history = { loss: [0.5], epochs: [{ epoch: 0, loss: 0.5, metrics: {} }] }
    expect(await saveModel(path, { net, params, optState, step: 7, key: key(5), history, extra: { note: 'first' } })).toEqual(E.right(undefined))
    const r = await loadModel(path)
    if (E.isLeft(r)) throw new Error(r.left.message)
    expect(r.right.net.spec).toEqual(net.spec)
    expect(bits(r.right.params)).toEqual(bits(params))
    expect(bits(r.right.optState)).toEqual(bits(optState))
    expect([r.right.step, r.right.key, r.right.history, r.right.extra]).toEqual([7, key(5), history, { note: 'first' }])
    // typed by the network when it is given
    const typed = await loadModel(path, { net })
    expect(E.isRight(typed) && typed.right.params[2].w.shape).toEqual([4, 3])
    // a second save replaces the file and leaves no temporary file behind
    expect(await saveModel(path, { net, params, step: 8 })).toEqual(E.right(undefined))
    const again = await loadModel(path)
    expect(E.isRight(again) && again.right.step).toBe(8)
    expect((await readdir(folder)).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('refuses bad files with a message naming the file, never throwing', async () => {
    const write = async (name: string, content: string | Uint8Array): Promise<string> => {
      const path = join(folder, name)
      await writeFile(path, content)
      return path
    }
    const good = encodeModel({ net, params })
    const cases: ReadonlyArray<readonly [string, string]> = [
      [await write('empty.json', ''), 'io.loadModel: PATH: the text is empty; expected a purenet model file'],
      [await write('truncated.json', good.slice(0, 300)), 'io.loadModel: PATH: not valid JSON ('],
      [await write('binary.bin', Uint8Array.of(0xff, 0xfe, 0x00, 0x80)), 'io.loadModel: PATH: not UTF-8 text; a model file is JSON'],
      [await write('wrong-shape.json', good.replace('"shape": [5, 4]', '"shape": [5, 3]')), 'io.loadModel: PATH: params[0].w: shape [5, 3], expected [5, 4]'],
      [join(folder, 'missing.json'), 'io.loadModel: PATH: cannot read the file: no such file or folder'],
      [folder, 'io.loadModel: PATH: not a file (it is a folder); give the path of a model file'],
    ]
    for (const [path, expected] of cases) expect(await loadMessage(path)).toContain(expected.replace('PATH', path))
    const big = await write('big.json', good)
    expect(await loadMessage(big, { maxBytes: 1000 })).toMatch(/^io.loadModel: .*big.json: the file is 0.0 MiB \(\d+ bytes\), more than the limit of 0.0 MiB \(options.maxBytes\)/)
    const link = join(folder, 'link.json')
    await symlink(big, link)
    expect(E.isRight(await loadModel(link))).toBe(true)
  })

  it('reports a file it cannot write as a Left, and leaves the old file alone', async () => {
    const path = join(folder, 'kept.json')
    await saveModel(path, { net, params, step: 1 })
    const r = await saveModel(join(folder, 'no-such-folder', 'm.json'), { net, params })
    expect(E.isLeft(r) && r.left.message).toMatch(/^io.saveModel: .*m.json: cannot write the file: no such file or folder$/)
    const bad = await saveModel(path, { net, params, step: -1 })
    expect(E.isLeft(bad) && bad.left.message).toBe(`io.saveModel: ${path}: step: expected a non-negative integer, got -1`)
    const onFolder = await saveModel(folder, { net, params })
    expect(E.isLeft(onFolder)).toBe(true)
    const still = await loadModel(path)
    expect(E.isRight(still) && still.right.step).toBe(1)
    if (process.getuid?.() !== 0) {
      const locked = join(folder, 'locked')
      await rm(locked, { recursive: true, force: true })
      await import('node:fs/promises').then((fs) => fs.mkdir(locked))
      await chmod(locked, 0o500)
      const denied = await saveModel(join(locked, 'm.json'), { net, params })
      expect(E.isLeft(denied) && denied.left.message).toContain('cannot write the file: permission denied')
      await chmod(locked, 0o700)
    }
  })

  it('is atomic: a process killed (SIGKILL) in the middle of saving leaves the old file loadable', async () => {
    const path = join(folder, 'crash.json')
    const script = fileURLToPath(new URL('./fixtures/saveForever.ts', import.meta.url))
    const killedMidWrite: boolean[] = []
    for (let round = 0; round < 3; round++) {
      const child = spawn(process.execPath, ['--import', 'tsx', script, path], { stdio: ['ignore', 'pipe', 'pipe'] })
      let out = ''
      let err = ''
      child.stdout.on('data', (d: Buffer) => { out += d.toString() })
      child.stderr.on('data', (d: Buffer) => { err += d.toString() })
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)))
      // wait until at least one save (of this round) is complete, then until a temporary file exists: kill then
      const deadline = Date.now() + 20_000
      while (!out.includes('saved 2') && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 5))
      let midWrite = false
      while (Date.now() < deadline && child.exitCode === null) {
        if ((await readdir(folder)).some((f) => /^\.purenet-[0-9a-f]{12}\.tmp$/.test(f))) {
          midWrite = true
          break
        }
      }
      child.kill('SIGKILL')
      expect(await exited, err).toBe('SIGKILL')
      killedMidWrite.push(midWrite)
      const r = await loadModel(path)
      if (E.isLeft(r)) throw new Error(r.left.message)
      expect(r.right.step).toBeGreaterThanOrEqual(1)
      expect(r.right.net.spec).toEqual(nn.serial(nn.dense(600, 600), nn.relu, nn.dense(600, 600)).spec)
    }
    // the kills did land in the middle of a write (a temporary file was there)
    expect(killedMidWrite.some((b) => b)).toBe(true)
  })
})
