import { spawn } from 'node:child_process'
import { mkdtemp, readdir, rm, writeFile, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { key } from '../random/index.js'
import { fromData, isTensor } from '../tensor/index.js'
import * as train from '../train/index.js'
import { every, runOptions } from './fixtures/checkpointRun.js'
import {
  checkpointFileName, checkpoints, decodeCheckpoint, encodeCheckpoint, encodeModel, latestCheckpoint, listCheckpoints, loadModel, resume,
} from '../ioNamespace.js'

let root = ''
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'purenet-checkpoints-'))
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})
let folders = 0
const folder = (): string => join(root, `run${folders++}`)

/** Every tensor as its bytes, so that equality is equality bit for bit. */
const bits = (u: unknown): unknown => {
  if (isTensor(u)) return { dtype: u.dtype, shape: [...u.shape], bytes: Array.from(new Uint8Array(u.data.buffer, u.data.byteOffset, u.data.byteLength)) }
  if (Array.isArray(u)) return u.map(bits)
  if (typeof u === 'object' && u !== null) return Object.fromEntries(Object.entries(u).map(([k, v]) => [k, bits(v)]))
  return u
}

const right = <A>(r: E.Either<{ readonly message: string }, A>): A => {
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

const leftMessage = <A>(r: E.Either<{ readonly message: string }, A>): string => {
  if (E.isRight(r)) throw new Error('expected a Left')
  return r.left.message
}

const whole = train.fit(runOptions)

describe('io.checkpoints', () => {
  it('writes numbered model files, keeps the newest, and is where io.resume continues', async () => {
    const dir = folder()
    const r = train.fit({ ...runOptions, checkpoint: checkpoints(dir, { every: { epochs: 3 }, keep: 2, extra: { note: 'iris' } }) })
    expect(bits(r.state)).toEqual(bits(whole.state))
    expect((await readdir(dir)).sort()).toEqual([checkpointFileName(72), checkpointFileName(80)])
    expect(checkpointFileName(72)).toBe('checkpoint-000000072.json')
    // a checkpoint is a model file: it loads as one, with the run under extra.checkpoint
    const model = right(await loadModel(join(dir, checkpointFileName(72))))
    expect([model.step, model.history?.epochs.length, model.extra]).toEqual([
      72, 9, { note: 'iris', checkpoint: { key: { kind: 'Key', words: [0, 4] }, batchSize: 8, examples: 60, dropLast: false } },
    ])
    const latest = right(await latestCheckpoint(dir))
    expect([latest?.checkpoint.state.step, latest?.extra]).toEqual([80, { note: 'iris' }])
    // a finished run resumes to itself
    expect(bits(right(await resume(dir, runOptions)).state)).toEqual(bits(whole.state))
  })

  it('law 1: every checkpoint file, read back, continues to the uninterrupted result bit for bit', async () => {
    const dir = folder()
    train.fit({ ...runOptions, checkpoint: checkpoints(dir, { every, keep: Infinity }) })
    const files = right(await listCheckpoints(dir))
    expect(files.map((f) => f.step)).toEqual(Array.from({ length: 20 }, (_, i) => 4 * (i + 1)))
    for (const f of files) {
      const { checkpoint } = right(decodeCheckpoint(await readFile(f.path, 'utf8'), { net: runOptions.net }))
      const r = train.resume(checkpoint as unknown as train.Checkpoint<typeof whole.state.params, typeof whole.state.optState>, runOptions)
      expect(bits(r.state), f.path).toEqual(bits(whole.state))
      expect(r.history).toEqual(whole.history)
    }
  })

  it('encodeCheckpoint and decodeCheckpoint: a checkpoint as text and back, without a disk', () => {
    type P = typeof whole.state.params
    type S = typeof whole.state.optState
    const kept: Array<train.Checkpoint<P, S>> = []
    train.fit({ ...runOptions, checkpoint: { every, write: (c) => { kept.push(c) } } })
    const back = right(decodeCheckpoint(encodeCheckpoint(kept[6]!, { note: 'memory' })))
    expect([back.checkpoint.state.step, back.extra]).toEqual([28, { note: 'memory' }])
    expect(bits(train.resume(back.checkpoint as unknown as train.Checkpoint<P, S>, runOptions).state)).toEqual(bits(whole.state))
    expect(leftMessage(decodeCheckpoint(encodeModel({ net: runOptions.net, params: whole.state.params })))).toBe(
      'io.decodeCheckpoint: optState: missing; this is a model file, not a checkpoint (train.fit with a checkpoint option writes those)',
    )
    expect(() => encodeCheckpoint(kept[0]!, { checkpoint: 1 })).toThrow('io.encodeModel: extra.checkpoint: the key "checkpoint" is where a checkpoint keeps its run; put your data under another key')
  })

  it('law 1 across processes: a run killed with SIGKILL resumes to the uninterrupted result bit for bit', async () => {
    const dir = folder()
    const script = fileURLToPath(new URL('./fixtures/trainWithCheckpoints.ts', import.meta.url))
    const child = spawn(process.execPath, ['--import', 'tsx', script, dir], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => { out += d.toString() })
    child.stderr.on('data', (d: Buffer) => { err += d.toString() })
    const exited = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, signal) => done(signal)))
    const deadline = Date.now() + 30_000
    while (!/checkpoint (8|12|16)\n/.test(out) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 2))
    child.kill('SIGKILL')
    expect(await exited, err).toBe('SIGKILL')
    expect(out).not.toContain('done')
    const before = right(await listCheckpoints(dir))
    const last = before[before.length - 1]!.step
    expect(last).toBeGreaterThanOrEqual(8)
    expect(last).toBeLessThan(80)
    expect(before.length).toBeLessThanOrEqual(3)

    const resumed = right(await resume(dir, { ...runOptions, checkpoint: checkpoints(dir, { every, keep: 3 }) }))
    expect(bits(resumed.state)).toEqual(bits(whole.state))
    expect(resumed.history).toEqual(whole.history)
    // the resumed run went on writing checkpoints, and no temporary file is left over
    expect((await readdir(dir)).sort()).toEqual([72, 76, 80].map(checkpointFileName))
  })

  it('refuses to mix runs, and reports bad checkpoints as a Left naming the file', async () => {
    const dir = folder()
    train.fit({ ...runOptions, epochs: 1, checkpoint: checkpoints(dir, { every }) })
    // a fresh run into a folder holding a later checkpoint
    expect(() => train.fit({ ...runOptions, epochs: 1, checkpoint: checkpoints(dir, { every }) })).toThrow(
      `io.checkpoints: ${dir}: the folder already holds checkpoint-000000008.json (step 8), at or after this run's step 4: continue that run with io.resume (purenet train --resume), or write to an empty folder`,
    )
    const newest = join(dir, checkpointFileName(8))
    // options that cannot continue the run
    expect(leftMessage(await resume(dir, { ...runOptions, key: key(5) }))).toBe(
      `io.resume: ${newest}: the checkpoint was written by a run with key [0, 4], the options give [0, 5] (another seed?); resume with the options of the run that wrote it to continue it bit for bit`,
    )
    expect(leftMessage(await resume(dir, { ...runOptions, batchSize: 6 }))).toContain('the checkpoint was written with batchSize 8, the options give 6')
    // a damaged newest file is reported, not skipped
    await writeFile(newest, '{"format": "purenet-model", "vers')
    expect(leftMessage(await resume(dir, runOptions))).toMatch(new RegExp(`^io.resume: ${newest}: not valid JSON`))
    // a model file is not a checkpoint
    await writeFile(newest, encodeModel({ net: runOptions.net, params: whole.state.params, step: 8 }))
    expect(leftMessage(await resume(dir, runOptions))).toBe(
      `io.resume: ${newest}: optState: missing; this is a model file, not a checkpoint (train.fit with a checkpoint option writes those); the older checkpoint-000000004.json (step 4) is whole: delete checkpoint-000000008.json to resume from it`,
    )
    // no folder yet: the run starts
    expect(bits(right(await resume(join(dir, 'new'), runOptions)).state)).toEqual(bits(whole.state))
    expect(() => checkpoints(dir, { every: { epochs: 0 } })).toThrow('io.checkpoints: checkpoint.every must be { steps: n } or { epochs: n } with n a positive integer, got {"epochs":0}')
    expect(() => checkpoints(dir, { every, keep: 0 })).toThrow('io.checkpoints: keep must be a positive integer or Infinity, got 0')
  })
  it('records the data and the settings, and refuses a resume with other data, other settings or a corrupted file', async () => {
    const dir = folder()
    const settings = { optimizer: 'adam', lr: 0.02, loss: 'softmaxCrossEntropy' }
    train.fit({ ...runOptions, epochs: 1, checkpoint: checkpoints(dir, { every, data: runOptions.data, settings }) })
    const newest = join(dir, checkpointFileName(8))
    const latest = right(await latestCheckpoint(dir))
    expect(latest?.fingerprint.settings).toEqual(settings)
    expect(latest?.fingerprint.data?.x).toMatchObject({ dtype: 'float32', shape: [60, 4] })
    // the same options resume
    expect(E.isRight(await resume(dir, { ...runOptions, epochs: 2, settings }))).toBe(true)
    // same number of rows, one value changed: refused, naming x
    const x = Float32Array.from(runOptions.data.x.data)
    x[17] = x[17]! + 1
    const otherX = { ...runOptions.data, x: fromData([60, 4], x) }
    expect(leftMessage(await resume(dir, { ...runOptions, data: otherX, settings }))).toMatch(
      new RegExp(`^io.resume: ${newest}: the checkpoint was written for other data: its x \\(float32 \\[60, 4\\]\\) has CRC-32 [0-9a-f]{8}, this run's [0-9a-f]{8} \\(other rows or feature values, or another order\\)`),
    )
    // other labels: refused, naming y
    const y = Float32Array.from(runOptions.data.y.data)
    y[0] = (y[0]! + 1) % 3
    expect(leftMessage(await resume(dir, { ...runOptions, data: { ...runOptions.data, y: fromData([60], y) }, settings }))).toContain('its y (float32 [60]) has CRC-32')
    // another learning rate: refused, naming it
    expect(leftMessage(await resume(dir, { ...runOptions, settings: { ...settings, lr: 0.01 } }))).toBe(
      `io.resume: ${newest}: settings.lr: the checkpoint's run has 0.02, this run 0.01; resume with the data and settings of the run that wrote the checkpoint, or start a new run in an empty folder`,
    )
    // one flipped base64 character in the newest file: refused, naming the file, and the older file is whole
    const text = await readFile(newest, 'utf8')
    const at = text.indexOf('"data": "') + 20
    await writeFile(newest, `${text.slice(0, at)}${text[at] === 'A' ? 'B' : 'A'}${text.slice(at + 1)}`)
    expect(leftMessage(await resume(dir, { ...runOptions, settings }))).toMatch(
      new RegExp(`^io.resume: ${newest}: params\\[0\\]\\.w\\.data: (the data's CRC-32 is [0-9a-f]{8}, the file says [0-9a-f]{8}: the file is corrupted|character).*; the older checkpoint-000000004.json \\(step 4\\) is whole: delete checkpoint-000000008.json to resume from it$`),
    )
    await writeFile(join(dir, checkpointFileName(4)), 'garbage')
    expect(leftMessage(await resume(dir, { ...runOptions, settings }))).toMatch(/; no older checkpoint in the folder is whole$/)
  })
})
