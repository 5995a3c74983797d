/**
 * `purenet train --normalize` on data whose columns have very different scales, run as a child
 * process like cli.test.ts (the compiled `dist/cli/bin.js`): the default standardises the features and a regression target, saves
 * the scalers in the model, and `eval`/`predict` apply them, so the command's predictions are the
 * library's (`data.scale`, `nn.predict`, `data.unscale`). Without scaling, a diverging run's
 * message names the scales and the fix.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { binRunner } from './run.fixture.js'
import * as data from '../data/index.js'
import * as io from '../ioNamespace.js'
import * as nn from '../nn/index.js'
import { toFlatArray } from '../tensor/index.js'


let dir = ''
const run = binRunner(() => dir)

// Houses from a formula (no randomness needed): a lot in square metres (~1e4), rooms (~3), a price (~1e5).
const housesCsv = (): string => {
  const rows = ['lot_m2,area_m2,rooms,year,price']
  for (let i = 0; i < 80; i++) {
    const lot = 2000 + ((i * 7919) % 18000)
    const area = 40 + ((i * 37) % 200)
    const rooms = 1 + (i % 5)
    const year = 1950 + ((i * 13) % 70)
    rows.push([lot, area, rooms, year, 3 * lot + 2500 * area + 15000 * rooms + 800 * (year - 1950) + 50000].join(','))
  }
  return `${rows.join('\n')}\n`
}

const spec = JSON.stringify({ kind: 'serial', layers: [{ kind: 'dense', inSize: 4, outSize: 16 }, { kind: 'relu' }, { kind: 'dense', inSize: 16, outSize: 1 }] })

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'purenet-normalize-'))
  await writeFile(join(dir, 'houses.csv'), housesCsv())
  await writeFile(join(dir, 'spec.json'), spec)
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const train = ['train', '--model', 'spec.json', '--data', 'houses.csv', '--target', 'price', '--batch', '16']

describe('purenet train --normalize', () => {
  it('standardises by default; eval and predict apply the saved scalers, as the library does', async () => {
    const trained = await run(...train, '--epochs', '150', '--out', 'model.json')
    expect(trained.code, trained.stderr).toBe(0)
    expect(trained.stdout).toContain('features standardized (mean 0, standard deviation 1 on the training data), and so is the target "price": the training losses below are in its scaled units; the scaling is saved with the model')
    const [predicted, evaluated, inspected] = await Promise.all([
      run('predict', '--model', 'model.json', '--data', 'houses.csv'),
      run('eval', '--model', 'model.json', '--data', 'houses.csv'),
      run('inspect', 'model.json'),
    ])
    expect([predicted.code, evaluated.code], predicted.stderr + evaluated.stderr).toEqual([0, 0])
    expect(inspected.stdout).toContain('scaling       features standardized; target standardized (the losses above are in its scaled units); eval and predict apply it')

    // The library's predictions from the same file.
    const model = await io.loadModel(join(dir, 'model.json'))
    if (E.isLeft(model)) throw new Error(model.left.message)
    const saved = model.right.extra?.['scaler'] as { readonly features?: unknown; readonly target?: unknown } | undefined
    const xScaler = data.decodeScaler(saved?.features, 'extra.scaler.features')
    const yScaler = data.decodeScaler(saved?.target, 'extra.scaler.target')
    if (E.isLeft(xScaler) || E.isLeft(yScaler)) throw new Error('the model has no scalers')
    expect([xScaler.right.kind, yScaler.right.kind]).toEqual(['standardize', 'standardize'])
    const csv = data.fromCsv(housesCsv(), { target: 'price' })
    if (E.isLeft(csv)) throw new Error(csv.left.message)
    const { x, y } = csv.right.dataset
    const prices = toFlatArray(data.unscale(yScaler.right, nn.predict(model.right.net, model.right.params, data.scale(xScaler.right, x))))
    const printed = predicted.stdout.trimEnd().split('\n')
    expect(printed[0]).toBe('price')
    expect(printed.slice(1).map((v) => Math.fround(Number(v)))).toEqual(prices.map((v) => Math.fround(v)))

    // eval's loss is in the target's units, and the fit is good: RMSE under 5% of the prices' spread.
    const loss = Number(/^loss +(\S+)/m.exec(evaluated.stdout)![1])
    const mse = prices.reduce((s, p, i) => s + (p - y.data[i]!) ** 2, 0) / prices.length
    expect(loss).toBeCloseTo(mse, -1)
    expect(Math.sqrt(mse)).toBeLessThan(0.05 * yScaler.right.scale[0]!)
  })

  it('a classification target is never scaled: only the features are', async () => {
    const rows = ['lot_m2,rooms,kind', ...Array.from({ length: 30 }, (_, i) => `${2000 + i * 500},${1 + (i % 5)},${i % 2 === 0 ? 'house' : 'flat'}`)]
    await writeFile(join(dir, 'kinds.csv'), `${rows.join('\n')}\n`)
    await writeFile(join(dir, 'kinds.json'), JSON.stringify({ kind: 'serial', layers: [{ kind: 'dense', inSize: 2, outSize: 4 }, { kind: 'relu' }, { kind: 'dense', inSize: 4, outSize: 2 }] }))
    const r = await run('train', '--model', 'kinds.json', '--data', 'kinds.csv', '--target', 'kind', '--epochs', '2', '--out', 'kinds-model.json')
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('features standardized (mean 0, standard deviation 1 on the training data); the scaling is saved with the model')
    const doc = JSON.parse(await readFile(join(dir, 'kinds-model.json'), 'utf8')) as { extra: { scaler: Record<string, unknown> } }
    expect(Object.keys(doc.extra.scaler)).toEqual(['features'])
  })

  it('minmax saves a minMax scaler; none saves none and a diverging run says the scales differ', async () => {
    const [minmax, none] = await Promise.all([
      run(...train, '--epochs', '2', '--normalize', 'minmax', '--out', 'minmax.json'),
      run(...train, '--epochs', '20', '--normalize', 'none', '--optimizer', 'sgd', '--out', 'none.json'),
    ])
    expect(minmax.code, minmax.stderr).toBe(0)
    const doc = JSON.parse(await readFile(join(dir, 'minmax.json'), 'utf8')) as { extra: { scaler: { features: { kind: string }; target: { kind: string } } } }
    expect([doc.extra.scaler.features.kind, doc.extra.scaler.target.kind]).toEqual(['minMax', 'minMax'])
    expect(none.code).toBe(1)
    expect(none.stderr.trimEnd()).toMatch(/^purenet train: training diverged at step \d+: .*; try a smaller --lr \(it is 0\.1\); the features' scales differ by a factor of 3,700 \(lot_m2 ~12,000, rooms ~3\.3\): scale them with --normalize standard$/)
  })
})
