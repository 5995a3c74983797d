/**
 * `purenet train`, `eval`, `predict` and `inspect` on IDX files (the MNIST format, idxData.ts):
 * tiny image and label files written byte by byte here, a conv2d + batchNorm + maxPool2d spec and
 * a dense one trained on them, and every bad input refused with one line naming the file, the
 * model file already saved left as it was. Runs `main` in this process, from the test's folder.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { nn } from '../index.js'
import { type Run, runInProcess as run } from './run.fixture.js'

let dir = ''
let home = ''

/** An IDX file: the magic number (type code, rank), the big-endian dimensions, the elements. */
const idx = (type: number, shape: ReadonlyArray<number>, body: Uint8Array): Uint8Array => {
  const header = new Uint8Array(4 + 4 * shape.length)
  const view = new DataView(header.buffer)
  header[2] = type
  header[3] = shape.length
  shape.forEach((d, i) => view.setInt32(4 + 4 * i, d))
  const out = new Uint8Array(header.length + body.length)
  out.set(header)
  out.set(body, header.length)
  return out
}

// two classes of 6x6 images: a bright vertical bar on the left half (0) or the right half (1), with some texture
const label = (i: number): number => (i * 5 + 1) % 2
const pixels = (n: number, size = 6): Uint8Array => {
  const out = new Uint8Array(n * size * size)
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < size * size; p++) {
      const col = p % size
      const bar = label(i) === 0 ? col === 1 || col === 2 : col === size - 3 || col === size - 2
      out[i * size * size + p] = (bar ? 200 : 20) + ((i * 7 + p * 3) % 5) * 10
    }
  }
  return out
}
const images = (n: number, size = 6): Uint8Array => idx(0x08, [n, size, size], pixels(n, size))
const labels = (n: number, of: (i: number) => number = label): Uint8Array => idx(0x08, [n], Uint8Array.from({ length: n }, (_, i) => of(i)))

const conv = nn.conv2d([6, 6, 1], 4, 3, { padding: 'same' })
const pool = nn.maxPool2d(conv.outShape, 2)
const convNet = nn.serial(conv, nn.batchNorm(conv.outShape), nn.relu, pool, nn.flatten, nn.dense(pool.outSize, 2))

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'purenet-cli-idx-'))
  home = process.cwd()
  process.chdir(dir)
  const files: ReadonlyArray<readonly [string, Uint8Array | string]> = [
    ['conv.json', JSON.stringify(convNet.spec)],
    ['dense.json', JSON.stringify(nn.serial(nn.dense(36, 8), nn.relu, nn.dense(8, 2)).spec)],
    ['dense30.json', JSON.stringify(nn.serial(nn.dense(30, 8), nn.relu, nn.dense(8, 2)).spec)],
    ['train-images', images(48)],
    ['train-labels', labels(48)],
    ['test-images', images(12)],
    ['test-labels', labels(12)],
    ['few-labels', labels(47)],
    ['big-images', images(48, 8)],
    ['three-labels', labels(48, (i) => (i === 5 ? 2 : label(i)))],
    ['bad-magic', Uint8Array.from([1, 2, 3, 4, 0, 0, 0, 1, 7])],
    ['truncated-images', images(48).slice(0, 16 + 48 * 36 - 10)],
    ['gzipped', Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0])],
    ['float-images', idx(0x0d, [2, 6, 6], new Uint8Array(2 * 36 * 4))],
    ['test.csv', 'a,b,label\n1,2,x\n'],
  ]
  for (const [name, content] of files) await writeFile(join(dir, name), content)
})
afterAll(async () => {
  process.chdir(home)
  await rm(dir, { recursive: true, force: true })
})

const trainConv = ['train', '--model', 'conv.json', '--images', 'train-images', '--labels', 'train-labels', '--batch', '8', '--seed', '1']

/** A failure: its exit code, one line (for an input failure), no stack trace; the first line. */
const failure = (r: Run, code: 1 | 2): string => {
  expect(r.code, r.stderr).toBe(code)
  expect(r.stderr).not.toMatch(/unexpected error|^\s+at /m)
  if (code === 1) expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(1)
  else expect(r.stderr).toContain('usage: purenet')
  return r.stderr.trimEnd().split('\n')[0]!
}

describe('purenet on IDX images', () => {
  it('trains a conv2d + batchNorm + maxPool2d spec on IDX images, inspects, evaluates and predicts with it', async () => {
    const trained = await run(...trainConv, '--epochs', '15', '--out', 'model.json')
    expect(trained.code, trained.stderr).toBe(0)
    expect(trained.stdout).toMatch(/^training serial\(conv2d.*\) on 48 examples of train-images \(classification, 2 classes\): adam lr 0.01, batch 8, 15 epochs, seed 1$/m)
    expect(trained.stdout).toContain('images 6x6x1 (height, width, channels), pixels / 255 in [0, 1], labels train-labels (classes 0..1)')
    expect(trained.stdout).toMatch(/^saved model.json \(epoch 15: loss \d\.\d{4}, training accuracy \d\.\d{4}\)$/m)

    const inspected = await run('inspect', 'model.json')
    expect(inspected.code, inspected.stderr).toBe(0)
    expect(inspected.stdout).toContain('data          target "label" (classification: 0, 1) from IDX images [6, 6, 1] (height, width, channels; pixels times 0.00392157)')
    expect(inspected.stdout).toMatch(/batchNorm\(\[6, 6, 4\]\)\s+\[batch, 6, 6, 4\]\s+16\s+scale \[4\] float32, offset \[4\] float32, state\.mean \[4\] float32, state\.variance \[4\] float32/)
    // the running statistics were trained (they start at mean 0, variance 1)
    const saved = JSON.parse(await readFile('model.json', 'utf8')) as { extra: { images: unknown; features: unknown } }
    expect(saved.extra.images).toEqual({ shape: [6, 6, 1], scale: 1 / 255 })
    expect(saved.extra.features).toEqual([])

    const evaluated = await run('eval', '--model', 'model.json', '--images', 'test-images', '--labels', 'test-labels')
    expect(evaluated.code, evaluated.stderr).toBe(0)
    expect(evaluated.stdout).toMatch(/^examples {2}12\nloss {6}\d\.\d{4}\naccuracy {2}\d\.\d{4} \(\d+ of 12\)\n$/)
    expect(Number(/accuracy\s+(\d\.\d+)/.exec(evaluated.stdout)?.[1])).toBeGreaterThanOrEqual(0.9)

    const predicted = await run('predict', '--model', 'model.json', '--images', 'test-images', '--out', 'predictions.csv')
    expect(predicted.code, predicted.stderr).toBe(0)
    expect(predicted.stdout).toBe('wrote 12 predictions to predictions.csv\n')
    const rows = (await readFile('predictions.csv', 'utf8')).trimEnd().split('\n')
    expect(rows[0]).toBe('label,p(0),p(1)')
    expect(rows).toHaveLength(13)
    const right = rows.slice(1).filter((r, i) => r.split(',')[0] === String(label(i))).length
    expect(right).toBeGreaterThanOrEqual(11)
    const printed = await run('predict', '--model', 'model.json', '--images', 'test-images')
    expect(printed.stdout.trimEnd().split('\n')).toEqual(rows)
  }, 240_000)

  it('trains a dense spec on the images as rows, and checkpoints and resumes a run', async () => {
    const dense = await run('train', '--model', 'dense.json', '--images', 'train-images', '--labels', 'train-labels', '--epochs', '2', '--checkpoint', 'runs', '--out', 'dense-model.json')
    expect(dense.code, dense.stderr).toBe(0)
    const resumed = await run('train', '--model', 'dense.json', '--images', 'train-images', '--labels', 'train-labels', '--epochs', '3', '--checkpoint', 'runs', '--resume', '--out', 'dense-model.json')
    expect(resumed.code, resumed.stderr).toBe(0)
    expect(resumed.stdout).toContain('resuming from')
    const evaluated = await run('eval', '--model', 'dense-model.json', '--images', 'test-images', '--labels', 'test-labels')
    expect(evaluated.code, evaluated.stderr).toBe(0)
  }, 240_000)

  it('refuses bad IDX files with one line naming the file, and leaves the saved model as it was', async () => {
    const trained = await run(...trainConv, '--epochs', '1', '--out', 'kept.json')
    expect(trained.code, trained.stderr).toBe(0)
    const before = await readFile('kept.json')
    const train = (model: string, imagesFile: string, labelsFile: string): Promise<Run> =>
      run('train', '--model', model, '--images', imagesFile, '--labels', labelsFile, '--epochs', '1', '--out', 'kept.json')
    const cases: ReadonlyArray<readonly [Promise<Run>, RegExp]> = [
      [train('conv.json', 'bad-magic', 'train-labels'), /^purenet train: bad-magic: magic number 0x01020304: an IDX file starts with two zero bytes .*; expected an IDX file of images/],
      [train('conv.json', 'truncated-images', 'train-labels'), /^purenet train: truncated-images: the header declares \[48, 6, 6\] unsigned bytes \(1728 bytes of data after the 16-byte header\) but the file has 1718; the file is truncated/],
      [train('conv.json', 'gzipped', 'train-labels'), /^purenet train: gzipped: the file is gzip-compressed .*gunzip -k gzipped/],
      [train('conv.json', 'train-images', 'few-labels'), /^purenet train: train-images has 48 images but few-labels has 47 labels; give the labels of the same set/],
      [train('conv.json', 'big-images', 'train-labels'), /^purenet train: conv.json: the network takes images \[6, 6, 1\] \(height, width, channels\), but big-images holds 8x8 images, \[8, 8, 1\]; make the first layer's inShape \[8, 8, 1\]$/],
      [train('dense30.json', 'train-images', 'train-labels'), /^purenet train: dense30.json: the network takes 30 inputs, but train-images holds 6x6 images, 36 pixels each/],
      [train('conv.json', 'train-images', 'three-labels'), /^purenet train: three-labels: label 5 is 2, out of range: the network has 2 outputs, so the labels are the classes 0..1/],
      [train('conv.json', 'train-labels', 'train-images'), /^purenet train: train-labels: holds a list of shape \[48\], not images; .*\(is this the labels file\?\)$/],
      [train('conv.json', 'float-images', 'train-labels'), /^purenet train: float-images: holds float32s; images are unsigned bytes \(type 0x08\)/],
      [train('conv.json', 'missing-file', 'train-labels'), /^purenet train: missing-file: /],
    ]
    for (const [pending, message] of cases) expect(failure(await pending, 1)).toMatch(message)
    expect(await readFile('kept.json')).toEqual(before)
  }, 240_000)

  it('refuses a command line that mixes CSV and IDX flags, and data of the other kind than the model was trained on', async () => {
    const usage: ReadonlyArray<readonly [string[], string]> = [
      [['train', '--model', 'conv.json', '--images', 'train-images', '--out', 'x.json'], 'purenet train: --images needs --labels <labels-idx>, the class of each image'],
      [['train', '--model', 'conv.json', '--labels', 'train-labels', '--out', 'x.json'], 'purenet train: --labels needs --images <images-idx>, the images they label'],
      [['train', '--model', 'conv.json', '--images', 'train-images', '--labels', 'train-labels', '--data', 'test.csv', '--out', 'x.json'], 'purenet train: --data and --images are two sources of training data; give one: --data <train.csv> --target <column>, or --images <images-idx> --labels <labels-idx>'],
      [['train', '--model', 'conv.json', '--images', 'train-images', '--labels', 'train-labels', '--normalize', 'standard', '--out', 'x.json'], 'purenet train: --normalize scales CSV columns; IDX images are always read as pixels / 255, in [0, 1] (add a batchNorm layer to normalise further)'],
      [['train', '--model', 'conv.json', '--out', 'x.json'], 'purenet train: --data <train.csv> is required: the training data: a CSV file with a header row (or --images and --labels)'],
      [['eval', '--model', 'kept.json', '--images', 'test-images'], 'purenet eval: --images needs --labels <labels-idx>, the class of each image'],
      [['eval', '--model', 'kept.json'], "purenet eval: --data <test.csv> is required: labelled data: a CSV file with the model's feature columns and target (or --images for a model trained on IDX images)"],
    ]
    for (const [args, message] of usage) expect(failure(await run(...args), 2)).toBe(message)
    expect(failure(await run('eval', '--model', 'kept.json', '--data', 'test.csv'), 1)).toBe('purenet eval: kept.json: the model was trained on IDX images ([6, 6, 1] each), not CSV columns; give --images <images-idx> instead of --data test.csv')
    expect(failure(await run('predict', '--model', 'kept.json', '--images', 'test-images', '--out', 'test-images'), 1)).toBe('purenet predict: --out test-images is the same file as --images test-images; writing there would destroy the input: give --out another path')
    expect(failure(await run('predict', '--model', 'kept.json', '--images', 'big-images'), 1)).toMatch(/^purenet predict: kept.json: the network takes images \[6, 6, 1\]/)
  }, 240_000)
})
