/**
 * `purenet train --model spec.json` with image layers (conv2d, batchNorm, maxPool2d, flatten) on
 * image rows: a CSV of 6x6 single-channel images, one pixel per column (IDX image files are
 * idx.test.ts's). Then `inspect` shows the image shapes and the
 * saved running statistics, and `eval` loads the model.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { nn } from '../index.js'
import { binRunner } from './run.fixture.js'

let dir = ''
const run = binRunner(() => dir)

// two classes: a bright vertical bar on the left half or on the right half, with a little texture
const image = (i: number): number[] => Array.from({ length: 36 }, (_, p) => {
  const col = p % 6
  const bar = i % 2 === 0 ? col === 1 || col === 2 : col === 3 || col === 4
  return (bar ? 1 : 0) + (((i * 7 + p * 3) % 5) - 2) / 20
})
const csv = (n: number): string =>
  [[...Array.from({ length: 36 }, (_, p) => `p${p}`), 'side'].join(','), ...Array.from({ length: n }, (_, i) => [...image(i).map((v) => v.toFixed(3)), i % 2 === 0 ? 'left' : 'right'].join(','))].join('\n') + '\n'

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'purenet-cli-images-'))
  const c = nn.conv2d([6, 6, 1], 4, 3, { padding: 'same' })
  const p = nn.maxPool2d(c.outShape, 2)
  const net = nn.serial(c, nn.batchNorm(c.outShape), nn.relu, p, nn.flatten, nn.dense(p.outSize, 2))
  await writeFile(join(dir, 'spec.json'), JSON.stringify(net.spec))
  await writeFile(join(dir, 'train.csv'), csv(48))
  await writeFile(join(dir, 'test.csv'), csv(12))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('purenet with image layers', () => {
  it('trains a conv2d + batchNorm spec on image rows, inspects it with image shapes, and evaluates it', async () => {
    const trained = await run('train', '--model', 'spec.json', '--data', 'train.csv', '--target', 'side', '--epochs', '15', '--batch', '8', '--normalize', 'none', '--out', 'model.json')
    expect(trained.code, trained.stderr).toBe(0)
    expect(trained.stdout).toMatch(/saved model.json/)
    const inspected = await run('inspect', 'model.json')
    expect(inspected.code, inspected.stderr).toBe(0)
    expect(inspected.stdout).toMatch(/conv2d\(\[6, 6, 1\], 4, 3\)\s+\[batch, 6, 6, 4\]/)
    expect(inspected.stdout).toMatch(/batchNorm\(\[6, 6, 4\]\)\s+\[batch, 6, 6, 4\]\s+16\s+scale \[4\] float32, offset \[4\] float32, state\.mean \[4\] float32, state\.variance \[4\] float32/)
    expect(inspected.stdout).toMatch(/maxPool2d\(\[6, 6, 4\], 2\)\s+\[batch, 3, 3, 4\]/)
    const evaluated = await run('eval', '--model', 'model.json', '--data', 'test.csv', '--target', 'side')
    expect(evaluated.code, evaluated.stderr).toBe(0)
    const accuracy = Number(/accuracy\s+(\d\.\d+)/.exec(evaluated.stdout)?.[1])
    expect(accuracy).toBeGreaterThanOrEqual(0.9)
  }, 240_000)
})
