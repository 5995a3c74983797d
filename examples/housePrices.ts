/**
 * House prices: a regression on synthetic tabular data whose features have very different scales
 * (`houseData.ts`), trained the way the README's "Training a model on your own data" shows
 * (`ownData.ts`): standardised features and target fitted on the training rows, validation data,
 * early stopping with the best epoch restored, and predictions back in prices. `--save` writes
 * the model file with its scalers; `--csv` writes the houses as CSV for `purenet train`.
 *
 *   npx tsx examples/housePrices.ts [--epochs N] [--seed N] [--houses N] [--save model.json] [--csv houses.csv]
 */
import { writeFile } from 'node:fs/promises'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { io, random, toArray } from 'purenet'
import { type Flag, command, natural, positiveInt } from './cli.js'
import { houseFeatures, houses } from './houseData.js'
import { trainRegression } from './ownData.js'

/** Trains on `houses` synthetic houses from the key `seed`; returns the fit and its test error next to the baseline's. */
export const run = (options: { readonly epochs: number; readonly seed: number; readonly houses?: number }) => {
  const all = houses(random.key(options.seed), options.houses ?? 1000)
  const r = trainRegression(all, options)
  // The baseline predicts the mean price of the test rows for every house: its RMSE is their spread.
  const prices = toArray(r.test.y, 2).map((row) => row[0]!)
  const mean = prices.reduce((a, b) => a + b, 0) / prices.length
  const baselineRmse = Math.sqrt(prices.reduce((s, p) => s + (p - mean) ** 2, 0) / prices.length)
  return { ...r, all, baselineRmse, r2: 1 - (r.rmse / baselineRmse) ** 2 }
}

/** The houses as CSV text with a header: the features, then `price`. */
export const housesCsv = (ds: ReturnType<typeof houses>): string => {
  const x = toArray(ds.x, 2)
  const y = toArray(ds.y, 2)
  return `${[...houseFeatures, 'price'].join(',')}\n${x.map((row, i) => [...row, y[i]![0]!].map((v) => String(Math.round(v * 100) / 100)).join(',')).join('\n')}\n`
}

const path = (help: string): Flag<string> => ({ type: 'string', codec: t.string, help })
const flags = {
  epochs: positiveInt('the most epochs (default 300; early stopping usually ends sooner)'),
  seed: natural('the key of the houses, the split and the training (default 0)'),
  houses: positiveInt('how many houses (default 1000)'),
  save: path('write the model file, scalers in extra, to this path'),
  csv: path('write the houses as CSV to this path, for purenet train'),
}

command({ name: 'housePrices', usage: 'npx tsx examples/housePrices.ts', url: import.meta.url }, flags, async (f) => {
  const r = run({ epochs: f.epochs ?? 300, seed: f.seed ?? 0, ...(f.houses === undefined ? {} : { houses: f.houses }) })
  const money = (v: number): string => Math.round(v).toLocaleString('en-US')
  const epochs = r.history.epochs
  const best = r.earlyStopping?.bestEpoch ?? epochs.length - 1
  process.stdout.write(`${r.summary}\n`)
  process.stdout.write(`${epochs.length} epochs${r.earlyStopping?.stop === true ? ' (early stopping)' : ''}; best epoch ${best + 1}: val_loss ${epochs[best]?.metrics['val_loss']?.toFixed(4)} (standardised prices)\n`)
  process.stdout.write(`test RMSE ${money(r.rmse)} on ${r.test.y.shape[0]} held-out houses; predicting the mean: ${money(r.baselineRmse)}; R² ${r.r2.toFixed(3)}\n`)
  if (f.save !== undefined) {
    const saved = await io.saveModel(f.save, r.model)
    if (E.isLeft(saved)) throw new Error(saved.left.message)
    process.stdout.write(`saved ${f.save}\n`)
  }
  if (f.csv !== undefined) {
    await writeFile(f.csv, housesCsv(r.all))
    process.stdout.write(`wrote ${r.all.y.shape[0]} houses to ${f.csv}\n`)
  }
})
